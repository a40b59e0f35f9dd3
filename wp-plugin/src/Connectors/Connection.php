<?php
/**
 * One external POS connection, as Connections read it (secrets opened).
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

defined( 'ABSPATH' ) || exit;

/**
 * A connection: its provider, where its API lives and how we speak to it. Credentials and the
 * webhook secret are in clear here only; they are never printed (see __debugInfo) nor stored so.
 */
final class Connection {

	/**
	 * Takes its fields.
	 *
	 * @param int                  $id             Connection id.
	 * @param string               $provider       square, shopify, clover or standard.
	 * @param string               $name           The owner's name for it.
	 * @param string               $api_base       The provider's API base URL (no trailing slash).
	 * @param array<string, mixed> $credentials    Provider credentials (access_token, merchant_id, ...).
	 * @param string               $webhook_secret The secret its webhooks are signed with.
	 * @param array<string, mixed> $settings       Non-secret settings.
	 * @param string               $status         active or paused.
	 */
	public function __construct(
		public readonly int $id,
		public readonly string $provider,
		public readonly string $name,
		public readonly string $api_base,
		#[\SensitiveParameter] public readonly array $credentials,
		#[\SensitiveParameter] public readonly string $webhook_secret,
		public readonly array $settings = array(),
		public readonly string $status = 'active'
	) {
	}

	/**
	 * A credential, as a string ('' when absent).
	 *
	 * @param string $name Credential name.
	 */
	public function credential( string $name ): string {
		$value = $this->credentials[ $name ] ?? '';
		return is_scalar( $value ) ? (string) $value : '';
	}

	/**
	 * What var_dump and print_r show: never a secret.
	 *
	 * @return array<string, mixed>
	 */
	public function __debugInfo(): array {
		return array(
			'id'          => $this->id,
			'provider'    => $this->provider,
			'name'        => $this->name,
			'api_base'    => $this->api_base,
			'credentials' => array_fill_keys( array_keys( $this->credentials ), '(hidden)' ),
			'settings'    => $this->settings,
			'status'      => $this->status,
		);
	}
}
