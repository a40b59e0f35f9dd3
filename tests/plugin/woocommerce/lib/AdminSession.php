<?php
/**
 * The shop manager in wp-admin over real HTTP (the test site served by StoreApiClient's `php -S`):
 * logged in through wp-login.php, pages read as a browser gets them, forms posted back with the
 * nonces those pages carry.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

/**
 * One logged-in administrator: its cookies.
 */
final class AdminSession {

	/** @var array<string, string> */
	private array $cookies = array( 'wordpress_test_cookie' => 'WP%20Cookie%20check' );

	/**
	 * Logs in as $user (the test site's administrator by default).
	 */
	public function __construct( private readonly int $port, string $user = 'admin', string $password = 'admin-password' ) {
		$answer = $this->request(
			'/wp-login.php',
			array(
				'log'         => $user,
				'pwd'         => $password,
				'wp-submit'   => 'Log In',
				'testcookie'  => '1',
				'redirect_to' => '/wp-admin/',
			)
		);
		if ( ! isset( $this->cookies[ 'wordpress_logged_in_' . COOKIEHASH ] ) ) {
			throw new \RuntimeException( 'wp-login.php set no login cookie (status ' . $answer['status'] . ')' );
		}
	}

	/**
	 * A GET of a path of the site; status, headers (lower-case names) and body.
	 */
	public function get( string $path ): array {
		return $this->request( $path, null );
	}

	/**
	 * A form POST (fields as http_build_query takes them, or a query string).
	 *
	 * @param string       $path   Path of the site.
	 * @param array|string $fields Form fields.
	 */
	public function post( string $path, array|string $fields ): array {
		return $this->request( $path, $fields );
	}

	/**
	 * The wp-admin page at $path, failing unless it answers 200.
	 */
	public function page( string $path ): string {
		$answer = $this->get( $path );
		if ( 200 !== $answer['status'] ) {
			throw new \RuntimeException( "$path answered " . $answer['status'] . ': ' . substr( wp_strip_all_tags( $answer['body'] ), 0, 300 ) );
		}
		return $answer['body'];
	}

	/**
	 * The REST nonce (wp_rest) that wp-admin pages give their scripts (wp.apiFetch's middleware).
	 */
	public function rest_nonce(): string {
		$body = $this->page( '/wp-admin/admin.php?page=wc-settings' );
		if ( ! preg_match( '/createNonceMiddleware\(\s*"([0-9a-f]+)"\s*\)/', $body, $m ) ) {
			throw new \RuntimeException( 'no wp_rest nonce on a wp-admin page' );
		}
		return $m[1];
	}

	/**
	 * A REST GET as this user (cookie + X-WP-Nonce, as wp-admin's scripts send it); status and decoded body.
	 */
	public function rest( string $route, string $nonce ): array {
		$answer = $this->request( '/?rest_route=' . $route, null, array( 'X-WP-Nonce: ' . $nonce ) );
		return array(
			'status' => $answer['status'],
			'body'   => json_decode( $answer['body'], true ),
		);
	}

	/**
	 * Every field of the form whose id is $id on $html (inputs, checked boxes, selects' selected
	 * options, textareas), as a browser would submit it: list of [name, value], and the form's action.
	 *
	 * @return array{0: list<array{0:string,1:string}>, 1: string}
	 */
	public static function form( string $html, string $id ): array {
		$doc = new \DOMDocument();
		libxml_use_internal_errors( true );
		$doc->loadHTML( '<?xml encoding="utf-8"?>' . $html );
		libxml_clear_errors();
		$form = $doc->getElementById( $id );
		if ( ! $form ) {
			throw new \RuntimeException( "no form #$id on the page" );
		}
		$xpath  = new \DOMXPath( $doc );
		$fields = array();
		foreach ( $xpath->query( './/input | .//select | .//textarea', $form ) as $node ) {
			$name = $node->getAttribute( 'name' );
			if ( '' === $name || $node->hasAttribute( 'disabled' ) ) {
				continue;
			}
			switch ( strtolower( $node->nodeName ) ) {
				case 'input':
					$type = strtolower( $node->getAttribute( 'type' ) );
					if ( in_array( $type, array( 'submit', 'button', 'image', 'file', 'reset' ), true ) ) {
						continue 2;
					}
					if ( in_array( $type, array( 'checkbox', 'radio' ), true ) && ! $node->hasAttribute( 'checked' ) ) {
						continue 2;
					}
					$fields[] = array( $name, $node->getAttribute( 'value' ) );
					break;
				case 'select':
					$selected = $xpath->query( './/option[@selected]', $node );
					$option   = $selected->length ? $selected->item( 0 ) : $xpath->query( './/option', $node )->item( 0 );
					if ( $option ) {
						$fields[] = array( $name, $option->hasAttribute( 'value' ) ? $option->getAttribute( 'value' ) : $option->textContent );
					}
					break;
				default:
					$fields[] = array( $name, $node->textContent );
			}
		}
		return array( $fields, html_entity_decode( $form->getAttribute( 'action' ) ) );
	}

	/**
	 * Fields as a form body (names may repeat, as name[] fields do).
	 *
	 * @param list<array{0:string,1:string}> $fields Fields.
	 */
	public static function encode( array $fields ): string {
		return implode( '&', array_map( static fn( $f ) => rawurlencode( $f[0] ) . '=' . rawurlencode( $f[1] ), $fields ) );
	}

	/**
	 * Fields with $name set to $value (replaced where present, else added).
	 *
	 * @param list<array{0:string,1:string}> $fields Fields.
	 */
	public static function with( array $fields, string $name, string $value ): array {
		$found = false;
		foreach ( $fields as $i => $field ) {
			if ( $field[0] === $name ) {
				$fields[ $i ][1] = $value;
				$found           = true;
			}
		}
		if ( ! $found ) {
			$fields[] = array( $name, $value );
		}
		return $fields;
	}

	/**
	 * One request; cookies kept; redirects not followed.
	 *
	 * @param string            $path    Path of the site.
	 * @param array|string|null $form    POST fields, or null for a GET.
	 * @param list<string>      $headers Extra headers.
	 */
	private function request( string $path, array|string|null $form, array $headers = array() ): array {
		$ch       = curl_init( "http://127.0.0.1:{$this->port}$path" );
		$received = array();
		curl_setopt_array(
			$ch,
			array(
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_TIMEOUT        => 120,
				CURLOPT_HTTPHEADER     => $headers,
				CURLOPT_COOKIE         => implode( '; ', array_map( static fn( $k, $v ) => "$k=$v", array_keys( $this->cookies ), $this->cookies ) ),
				CURLOPT_HEADERFUNCTION => function ( $ch, string $line ) use ( &$received ): int {
					if ( preg_match( '/^set-cookie:\s*([^=]+)=([^;]*)/i', $line, $m ) ) {
						if ( 'deleted' === $m[2] || '' === $m[2] ) {
							unset( $this->cookies[ $m[1] ] );
						} else {
							$this->cookies[ $m[1] ] = $m[2];
						}
					} elseif ( str_contains( $line, ':' ) ) {
						list( $name, $value )             = array_map( 'trim', explode( ':', $line, 2 ) );
						$received[ strtolower( $name ) ] = $value;
					}
					return strlen( $line );
				},
			)
		);
		if ( null !== $form ) {
			curl_setopt( $ch, CURLOPT_POSTFIELDS, is_array( $form ) ? http_build_query( $form ) : $form );
		}
		$body   = (string) curl_exec( $ch );
		$answer = array(
			'status'  => (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE ),
			'headers' => $received,
			'body'    => $body,
		);
		curl_close( $ch );
		return $answer;
	}
}
