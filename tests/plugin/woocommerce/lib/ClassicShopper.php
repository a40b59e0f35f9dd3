<?php
/**
 * A shopper of WooCommerce's classic (shortcode) checkout over real HTTP: the cart filled with
 * ?add-to-cart, the checkout page read for its nonce, the form posted to ?wc-ajax=checkout, which
 * runs WC_Checkout::process_checkout() in the served site.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

/**
 * One shopper: its cookies and checkout nonce.
 */
final class ClassicShopper {

	/** @var array<string, string> */
	private array $cookies = array();
	private string $nonce  = '';

	public function __construct( private readonly int $port ) {
	}

	/**
	 * Adds $qty of $product to the cart and reads the checkout page's nonce.
	 */
	public function fill( int $product, int $qty ): void {
		$this->add_to_cart( $product, $qty );
		$page = $this->send( '/?page_id=' . wc_get_page_id( 'checkout' ) );
		if ( ! preg_match( '/name="woocommerce-process-checkout-nonce" value="([0-9a-f]+)"/', $page['body'], $m ) ) {
			throw new \RuntimeException( 'no checkout nonce on the checkout page (status ' . $page['status'] . ')' );
		}
		$this->nonce = $m[1];
	}

	/**
	 * WooCommerce's classic add-to-cart link (?add-to-cart, handled by WC_Form_Handler); the
	 * answer's status.
	 */
	public function add_to_cart( int $product, int $qty ): int {
		$added = $this->send( "/?add-to-cart=$product&quantity=$qty" );
		if ( ! isset( $this->cookies[ 'wp_woocommerce_session_' . COOKIEHASH ] ) ) {
			throw new \RuntimeException( 'add-to-cart set no WooCommerce session: ' . $added['status'] );
		}
		return $added['status'];
	}

	/**
	 * This shopper's cart as the Store API shows it (GET /wc/store/v1/cart, the same session).
	 */
	public function cart(): array {
		$answer = $this->send( '/?rest_route=/wc/store/v1/cart' );
		$cart   = json_decode( $answer['body'], true );
		if ( 200 !== $answer['status'] || ! is_array( $cart ) ) {
			throw new \RuntimeException( 'GET cart answered ' . $answer['status'] . ': ' . substr( $answer['body'], 0, 300 ) );
		}
		return $cart;
	}

	/**
	 * A curl handle posting the checkout form (cash on delivery), with $fields beside the billing
	 * address (e.g. shipping_method => [rate id]).
	 */
	public function checkout_handle( array $fields = array() ) {
		return $this->handle(
			'/?wc-ajax=checkout',
			$fields + array(
				'billing_first_name'                 => 'Classic',
				'billing_last_name'                  => 'Buyer',
				'billing_country'                    => 'DE',
				'billing_state'                      => 'DE-BE',
				'billing_address_1'                  => 'Str. 1',
				'billing_city'                       => 'Berlin',
				'billing_postcode'                   => '10115',
				'billing_phone'                      => '030123456',
				'billing_email'                      => 'classic@example.org',
				'payment_method'                     => 'cod',
				'woocommerce-process-checkout-nonce' => $this->nonce,
				'_wp_http_referer'                   => '/?wc-ajax=update_order_review',
			)
		);
	}

	/**
	 * Posts the checkout form; WooCommerce's JSON answer ({result, redirect|messages}).
	 */
	public function checkout( array $fields = array() ): array {
		$ch   = $this->checkout_handle( $fields );
		$raw  = (string) curl_exec( $ch );
		$body = self::json( $ch, $raw );
		curl_close( $ch );
		return $body;
	}

	/**
	 * WooCommerce's JSON answer of a finished checkout handle.
	 */
	public static function json( $ch, string $raw ): array {
		$body = json_decode( substr( $raw, curl_getinfo( $ch, CURLINFO_HEADER_SIZE ) ), true );
		return is_array( $body ) ? $body : array(
			'result'   => 'unreadable',
			'messages' => substr( $raw, 0, 500 ),
		);
	}

	/**
	 * A GET, cookies kept.
	 */
	private function send( string $path ): array {
		$ch  = $this->handle( $path, null );
		$raw = (string) curl_exec( $ch );
		$out = array(
			'status' => (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE ),
			'body'   => substr( $raw, curl_getinfo( $ch, CURLINFO_HEADER_SIZE ) ),
		);
		curl_close( $ch );
		return $out;
	}

	/**
	 * A handle that sends this shopper's cookies and keeps the ones the site sets.
	 */
	private function handle( string $path, ?array $form ) {
		$ch = curl_init( "http://127.0.0.1:{$this->port}$path" );
		curl_setopt_array(
			$ch,
			array(
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_HEADER         => true,
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
		return $ch;
	}
}
