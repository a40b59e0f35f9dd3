<?php
/**
 * Connection secrets sealed with libsodium's secretbox.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

use Omnistock\Unavailable;

defined( 'ABSPATH' ) || exit;

/**
 * Seals and opens the secrets of a connection (credentials and webhook secret) with
 * XSalsa20-Poly1305 (sodium_crypto_secretbox). The key is OMNISTOCK_SECRETS_KEY from wp-config.php
 * (64 hex digits or 32 base64 bytes; any other string is hashed to 32 bytes), else one derived from
 * WordPress's AUTH_KEY and SECURE_AUTH_KEY salts: then a leaked database alone opens nothing, but
 * changing the salts makes the secrets unreadable (the connections screen says so and asks for them again).
 */
final class Secrets {

	public const CONSTANT = 'OMNISTOCK_SECRETS_KEY';
	private const PREFIX  = 'sb1:';

	/**
	 * The key: 32 bytes.
	 *
	 * @var string
	 */
	private string $key;

	/**
	 * Takes the key, or finds it.
	 *
	 * @param string|null $key 32 raw bytes, or null for the configured key.
	 * @throws \ValueError When the key is not 32 bytes.
	 */
	public function __construct( #[\SensitiveParameter] ?string $key = null ) {
		$this->key = $key ?? self::configured_key();
		if ( SODIUM_CRYPTO_SECRETBOX_KEYBYTES !== strlen( $this->key ) ) {
			throw new \ValueError( 'the secrets key must be ' . SODIUM_CRYPTO_SECRETBOX_KEYBYTES . ' bytes' );
		}
	}

	/**
	 * Whether the key comes from the wp-config.php constant (else from WordPress's salts).
	 */
	public static function from_constant(): bool {
		return defined( self::CONSTANT ) && '' !== (string) constant( self::CONSTANT );
	}

	/**
	 * The key from OMNISTOCK_SECRETS_KEY, or derived from WordPress's salts.
	 */
	private static function configured_key(): string {
		if ( self::from_constant() ) {
			$given = (string) constant( self::CONSTANT );
			if ( 64 === strlen( $given ) && ctype_xdigit( $given ) ) {
				return (string) hex2bin( $given );
			}
			$raw = base64_decode( $given, true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- a key given in base64.
			if ( false !== $raw && SODIUM_CRYPTO_SECRETBOX_KEYBYTES === strlen( $raw ) ) {
				return $raw;
			}
			return sodium_crypto_generichash( $given, '', SODIUM_CRYPTO_SECRETBOX_KEYBYTES );
		}
		$salt = ( defined( 'AUTH_KEY' ) ? AUTH_KEY : '' ) . ( defined( 'SECURE_AUTH_KEY' ) ? SECURE_AUTH_KEY : '' );
		if ( '' === $salt ) {
			$salt = wp_salt( 'auth' ) . wp_salt( 'secure_auth' );
		}
		return sodium_crypto_generichash( 'omnistock-connection-secrets|' . $salt, '', SODIUM_CRYPTO_SECRETBOX_KEYBYTES );
	}

	/**
	 * Seals a JSON-encodable value: "sb1:" and base64 of nonce + box.
	 *
	 * @param array $value The secrets.
	 */
	public function seal( #[\SensitiveParameter] array $value ): string {
		$json  = (string) wp_json_encode( $value );
		$nonce = random_bytes( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES );
		$box   = sodium_crypto_secretbox( $json, $nonce, $this->key );
		sodium_memzero( $json );
		return self::PREFIX . base64_encode( $nonce . $box ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- binary ciphertext in a text column.
	}

	/**
	 * Opens what seal() made.
	 *
	 * @param string $sealed The sealed text.
	 * @return array The secrets.
	 * @throws Unavailable When it does not open (another key: the salts or the constant changed).
	 */
	public function open( string $sealed ): array {
		$raw = str_starts_with( $sealed, self::PREFIX ) ? base64_decode( substr( $sealed, strlen( self::PREFIX ) ), true ) : false; // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- see seal().
		if ( false === $raw || strlen( $raw ) < SODIUM_CRYPTO_SECRETBOX_NONCEBYTES + SODIUM_CRYPTO_SECRETBOX_MACBYTES ) {
			throw new Unavailable( 'omnistock_secrets_unreadable', __( 'A connection\'s secrets are not in a form Omnistock wrote.', 'omnistock' ) );
		}
		$json = sodium_crypto_secretbox_open( substr( $raw, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ), substr( $raw, 0, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ), $this->key );
		if ( false === $json ) {
			throw new Unavailable( 'omnistock_secrets_unreadable', __( 'A connection\'s secrets cannot be opened with this site\'s key: OMNISTOCK_SECRETS_KEY or the WordPress salts changed. Enter the connection\'s credentials again.', 'omnistock' ) );
		}
		$value = json_decode( $json, true );
		sodium_memzero( $json );
		return is_array( $value ) ? $value : array();
	}
}
