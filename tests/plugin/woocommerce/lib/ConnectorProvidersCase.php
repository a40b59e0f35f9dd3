<?php
/**
 * Base of the provider translators' tests: the provider's fake server and a webhook sink, both
 * over real HTTP, started once per class and reset per test.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Omnistock\Connectors\Connection;
use Omnistock\Connectors\Provider;
use Omnistock\Push;

require_once __DIR__ . '/FakeProvider.php';

/**
 * $fake (the provider's), $sink (a receiver that records the webhooks it is sent).
 */
abstract class ConnectorProvidersCase extends \PHPUnit\Framework\TestCase {

	protected static ?FakeProvider $fake = null;
	protected static ?FakeProvider $sink = null;

	/** The provider's name (its fake's script). */
	abstract protected static function provider_name(): string;

	/** The port offset of its fake in this helper's range. */
	abstract protected static function port_offset(): int;

	/** Config of its fake after a reset (token, secret, ...). */
	abstract protected function fake_config(): array;

	public static function setUpBeforeClass(): void {
		static::$fake = FakeProvider::start( static::provider_name(), FakeProvider::port( static::port_offset() ) );
		static::$sink = FakeProvider::start( 'sink', FakeProvider::port( 9 ) );
	}

	public static function tearDownAfterClass(): void {
		static::$fake?->stop();
		static::$sink?->stop();
		static::$fake = null;
		static::$sink = null;
	}

	protected function setUp(): void {
		foreach ( array( static::$fake, static::$sink ) as $server ) {
			$this->reset( $server );
		}
		static::$fake->config( $this->fake_config() + array( 'webhook_url' => $this->hook_url() ) );
	}

	/**
	 * Where the fake sends its webhooks (the sink, as if it were our route).
	 */
	protected function hook_url(): string {
		return static::$sink->url() . '/wp-json/omnistock/v1/hooks/1';
	}

	/**
	 * Forgets a fake's state.
	 */
	protected function reset( FakeProvider $server ): void {
		$ch = curl_init( $server->url() . '/_fake/reset' );
		curl_setopt_array( $ch, array( CURLOPT_POST => true, CURLOPT_POSTFIELDS => '{}', CURLOPT_RETURNTRANSFER => true ) );
		curl_exec( $ch );
		curl_close( $ch );
	}

	/**
	 * Sends requests with Omnistock\Push (no retries unless asked), results by id.
	 */
	protected function send( array $requests, int $retries = 0 ): array {
		return ( new Push( array( 'retries' => $retries, 'timeout_ms' => 20000, 'backoff_ms' => 10 ) ) )->send( $requests );
	}

	/**
	 * Pushes changes: push_requests, send, push_outcomes; outcomes by key.
	 */
	protected function push( Provider $provider, Connection $connection, array $changes, int $retries = 0 ): array {
		$by_key = array();
		foreach ( $changes as $change ) {
			$by_key[ $change['key'] ] = $change;
		}
		$outcomes = array();
		$planned  = $provider->push_requests( $connection, $changes );
		$results  = $this->send( array_column( $planned, 'request' ), $retries );
		foreach ( $planned as $plan ) {
			$carried  = array_map( static fn( string $key ): array => $by_key[ $key ], $plan['changes'] );
			$outcomes = array_merge( $outcomes, $provider->push_outcomes( $connection, $carried, $results[ $plan['request']['id'] ] ) );
		}
		$this->assertSame( count( $changes ), count( $outcomes ), 'an outcome for every change' );
		return $outcomes;
	}

	/**
	 * A change as Outbox builds it.
	 */
	protected static function change( string $key, string $item, string $location, int $target, ?int $from, bool $set = false ): array {
		return array(
			'key'      => $key,
			'item'     => $item,
			'location' => $location,
			'target'   => $target,
			'delta'    => $target - ( $from ?? 0 ),
			'from'     => $from,
			'set'      => $set,
		);
	}

	/**
	 * A webhook the fake sent, as our route would see it: lower-case header names, decoded body.
	 *
	 * @return array{0: array<string, string>, 1: string, 2: array}
	 */
	protected static function delivery( array $sent ): array {
		$headers = array_change_key_case( $sent['headers'], CASE_LOWER ) + array( 'content-type' => 'application/json' );
		return array( $headers, $sent['body'], json_decode( $sent['body'], true ) );
	}

	/**
	 * The API requests the fake received at this path.
	 */
	protected static function requests_to( string $path_pattern ): array {
		return array_values( array_filter( static::$fake->requests(), static fn( array $r ): bool => 1 === preg_match( $path_pattern, $r['path'] ) ) );
	}
}
