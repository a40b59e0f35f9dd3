<?php
/**
 * A shopper of WooCommerce's classic (shortcode) checkout over real HTTP who picks a shipping
 * rate as the checkout page's script does: the cart filled with ?add-to-cart, the checkout page
 * read for its nonces, `?wc-ajax=update_order_review` posted with the address and the chosen
 * `shipping_method[0]` (its fragments list the rates offered), then the form posted to
 * `?wc-ajax=checkout`.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

/**
 * One shopper: cookies, the checkout nonce and the order review nonce.
 */
final class PickupClassicShopper {

	/** @var array<string, string> */
	private array $cookies       = array();
	private string $nonce        = '';
	private string $review_nonce = '';

	private const ADDRESS = array(
		'first_name' => 'Classic',
		'last_name'  => 'Pickup',
		'country'    => 'DE',
		'state'      => 'DE-BE',
		'address_1'  => 'Str. 1',
		'city'       => 'Berlin',
		'postcode'   => '10115',
	);

	public function __construct( private readonly int $port ) {
	}

	/**
	 * Adds $qty of $product to the cart and reads the checkout page's nonces.
	 */
	public function fill( int $product, int $qty ): void {
		$added = $this->send( "/?add-to-cart=$product&quantity=$qty" );
		if ( ! isset( $this->cookies[ 'wp_woocommerce_session_' . COOKIEHASH ] ) ) {
			throw new \RuntimeException( 'add-to-cart set no WooCommerce session: ' . $added['status'] );
		}
		$page = $this->send( '/?page_id=' . wc_get_page_id( 'checkout' ) );
		if ( ! preg_match( '/name="woocommerce-process-checkout-nonce" value="([0-9a-f]+)"/', $page['body'], $m ) ) {
			throw new \RuntimeException( 'no checkout nonce on the checkout page (status ' . $page['status'] . ')' );
		}
		$this->nonce = $m[1];
		if ( ! preg_match( '/"update_order_review_nonce":"([0-9a-f]+)"/', $page['body'], $m ) ) {
			throw new \RuntimeException( 'no order review nonce on the checkout page' );
		}
		$this->review_nonce = $m[1];
	}

	/**
	 * The order review as the checkout page's script asks for it, choosing $rate (or nothing):
	 * the rates offered for the first package (value => checked) and the review table's HTML.
	 *
	 * @return array{rates: array<string, bool>, html: string}
	 */
	public function review( ?string $rate ): array {
		$form = array(
			'security'         => $this->review_nonce,
			'payment_method'   => 'cod',
			'country'          => self::ADDRESS['country'],
			'state'            => self::ADDRESS['state'],
			'postcode'         => self::ADDRESS['postcode'],
			'city'             => self::ADDRESS['city'],
			'address'          => self::ADDRESS['address_1'],
			'has_full_address' => 'true',
			'post_data'        => '',
		);
		if ( null !== $rate ) {
			$form['shipping_method'] = array( $rate );
		}
		$answer = $this->send( '/?wc-ajax=update_order_review', $form );
		$body   = json_decode( $answer['body'], true );
		if ( ! is_array( $body ) || ! isset( $body['fragments'] ) ) {
			throw new \RuntimeException( 'update_order_review answered ' . $answer['status'] . ': ' . substr( $answer['body'], 0, 500 ) );
		}
		$html  = (string) ( $body['fragments']['.woocommerce-checkout-review-order-table'] ?? '' );
		$rates = array();
		// A radio per rate, or one hidden input when a single rate is offered.
		if ( preg_match_all( '/<input[^>]*name="shipping_method\[0\]"[^>]*>/', $html, $inputs ) ) {
			foreach ( $inputs[0] as $input ) {
				if ( preg_match( '/value="([^"]*)"/', $input, $v ) ) {
					$rates[ html_entity_decode( $v[1] ) ] = str_contains( $input, 'checked' ) || str_contains( $input, 'type="hidden"' );
				}
			}
		}
		return array(
			'rates' => $rates,
			'html'  => $html,
		);
	}

	/**
	 * Posts the checkout form (cash on delivery) with $rate chosen for the first package, or none;
	 * WooCommerce's JSON answer ({result, redirect|messages}).
	 */
	public function checkout( ?string $rate ): array {
		$form = array(
			'billing_first_name'                 => self::ADDRESS['first_name'],
			'billing_last_name'                  => self::ADDRESS['last_name'],
			'billing_country'                    => self::ADDRESS['country'],
			'billing_state'                      => self::ADDRESS['state'],
			'billing_address_1'                  => self::ADDRESS['address_1'],
			'billing_city'                       => self::ADDRESS['city'],
			'billing_postcode'                   => self::ADDRESS['postcode'],
			'billing_phone'                      => '030123456',
			'billing_email'                      => 'classic-pickup@example.org',
			'payment_method'                     => 'cod',
			'woocommerce-process-checkout-nonce' => $this->nonce,
			'_wp_http_referer'                   => '/?wc-ajax=update_order_review',
		);
		if ( null !== $rate ) {
			$form['shipping_method'] = array( $rate );
		}
		$answer = $this->send( '/?wc-ajax=checkout', $form );
		$body   = json_decode( $answer['body'], true );
		return is_array( $body ) ? $body : array(
			'result'   => 'unreadable',
			'messages' => substr( $answer['body'], 0, 500 ),
		);
	}

	/**
	 * A GET (or a form POST), cookies kept.
	 *
	 * @param array|null $form Form fields to post.
	 */
	private function send( string $path, ?array $form = null ): array {
		$ch = curl_init( "http://127.0.0.1:{$this->port}$path" );
		curl_setopt_array(
			$ch,
			array(
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_TIMEOUT        => 120,
				CURLOPT_COOKIE         => implode( '; ', array_map( static fn( $k, $v ) => "$k=$v", array_keys( $this->cookies ), $this->cookies ) ),
				CURLOPT_HEADERFUNCTION => function ( $ch, string $line ): int {
					if ( preg_match( '/^set-cookie:\s*([^=]+)=([^;]*)/i', $line, $m ) ) {
						$this->cookies[ $m[1] ] = $m[2];
					}
					return strlen( $line );
				},
			)
		);
		if ( null !== $form ) {
			curl_setopt( $ch, CURLOPT_POSTFIELDS, http_build_query( $form ) );
		}
		$raw = (string) curl_exec( $ch );
		$out = array(
			'status' => (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE ),
			'body'   => $raw,
		);
		curl_close( $ch );
		return $out;
	}
}
