<?php
/**
 * `wp omnistock connection`.
 *
 * @package Omnistock
 */

namespace Omnistock\Cli;

use Omnistock\Connectors\Connections;
use Omnistock\Connectors\Health;
use Omnistock\Connectors\Sync;
use WP_CLI;
use WP_CLI\Utils;

defined( 'ABSPATH' ) || exit;

/**
 * External POS connections, as the REST routes omnistock/v1/connections: add, list, get (health),
 * delete, and their location and item maps. Secrets go in, never out.
 */
final class ConnectionCommand {

	private const COLUMNS = array( 'id', 'provider', 'name', 'api_base', 'status', 'last_webhook_at', 'last_push_at', 'last_reconcile_at' );

	/**
	 * Takes its dependencies.
	 *
	 * @param Connections $connections The connections.
	 * @param Health      $health      Their health.
	 * @param Sync|null   $sync        The sync runner (reconciles on demand).
	 */
	public function __construct( private readonly Connections $connections, private readonly Health $health, private readonly ?Sync $sync = null ) {
	}

	/**
	 * Adds a connection and prints its id and the webhook URL to give the provider.
	 *
	 * ## OPTIONS
	 *
	 * --provider=<provider>
	 * : square, shopify, clover or standard.
	 *
	 * --name=<name>
	 * : Your name for it.
	 *
	 * --api-base=<url>
	 * : The provider's API base URL.
	 *
	 * --webhook-secret=<secret>
	 * : The secret its webhooks are signed with (stored sealed, never shown).
	 *
	 * [--credentials=<json>]
	 * : Provider credentials as a JSON object (stored sealed, never shown), e.g. {"access_token":"..."}.
	 *
	 * [--settings=<json>]
	 * : Settings that are not secret, as a JSON object.
	 *
	 * [--format=<format>]
	 * : table or json.
	 * ---
	 * default: table
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     wp omnistock connection add --provider=standard --name=Till --api-base=https://till.example/api --webhook-secret=whsec_... --credentials='{"token":"..."}'
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function add( array $args, array $assoc_args ): void {
		$credentials = self::json_object( $assoc_args['credentials'] ?? '{}', 'credentials' );
		$settings    = self::json_object( $assoc_args['settings'] ?? '{}', 'settings' );
		$connection  = Guard::run(
			fn() => $this->connections->create(
				(string) $assoc_args['provider'],
				(string) $assoc_args['name'],
				(string) $assoc_args['api-base'],
				$credentials,
				(string) $assoc_args['webhook-secret'],
				$settings
			)
		);
		$item        = array(
			'id'          => $connection->id,
			'provider'    => $connection->provider,
			'name'        => $connection->name,
			'webhook_url' => Connections::webhook_url( $connection ),
		);
		if ( 'json' === ( $assoc_args['format'] ?? 'table' ) ) {
			WP_CLI::line( (string) wp_json_encode( $item, JSON_UNESCAPED_SLASHES ) );
			return;
		}
		/* translators: 1: connection id, 2: webhook URL */
		WP_CLI::success( sprintf( __( 'Connection %1$d added. Give the provider this webhook URL: %2$s', 'omnistock' ), $connection->id, $item['webhook_url'] ) );
	}

	/**
	 * Lists the connections (no secrets).
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : table, json, csv, yaml, ids or count.
	 * ---
	 * default: table
	 * ---
	 *
	 * @subcommand list
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function list_( array $args, array $assoc_args ): void {
		$items  = $this->connections->all();
		$format = (string) ( $assoc_args['format'] ?? 'table' );
		if ( 'ids' === $format ) {
			WP_CLI::line( implode( ' ', array_column( $items, 'id' ) ) );
			return;
		}
		Utils\format_items( $format, $items, self::COLUMNS );
	}

	/**
	 * Shows a connection's health: last webhook and push, outbox lag and depth, dead letters,
	 * waiting deliveries, drift, unmapped items (no secrets).
	 *
	 * ## OPTIONS
	 *
	 * <id>
	 * : Connection id.
	 *
	 * [--format=<format>]
	 * : json or yaml.
	 * ---
	 * default: json
	 * ---
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function get( array $args, array $assoc_args ): void {
		$health = Guard::run( fn() => $this->health->of( (int) $args[0] ) );
		if ( 'yaml' === ( $assoc_args['format'] ?? 'json' ) ) {
			Utils\format_items( 'yaml', array( $health ), array_keys( $health ) );
			return;
		}
		WP_CLI::line( (string) wp_json_encode( $health, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) );
	}

	/**
	 * Deletes a connection with its maps, inbox and outbox.
	 *
	 * ## OPTIONS
	 *
	 * <id>
	 * : Connection id.
	 *
	 * [--yes]
	 * : Confirms the deletion (required).
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function delete( array $args, array $assoc_args ): void {
		$id = (int) $args[0];
		Guard::run( fn() => $this->connections->get( $id ) );
		if ( empty( $assoc_args['yes'] ) ) {
			/* translators: %d: connection id */
			WP_CLI::error( sprintf( __( 'This deletes connection %d with its maps, inbox and outbox: add --yes to do it.', 'omnistock' ), $id ) );
		}
		Guard::run( fn() => $this->connections->delete( $id ) );
		/* translators: %d: connection id */
		WP_CLI::success( sprintf( __( 'Connection %d deleted.', 'omnistock' ), $id ) );
	}

	/**
	 * Shows or replaces the location map: the provider's location id => ours.
	 *
	 * ## OPTIONS
	 *
	 * <id>
	 * : Connection id.
	 *
	 * [--set=<json>]
	 * : The whole map as a JSON object: {"<provider location>": <location id>} or
	 * {"<provider location>": {"location": <id>, "system_of_record": "provider"}}.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function locations( array $args, array $assoc_args ): void {
		$id = (int) $args[0];
		if ( isset( $assoc_args['set'] ) ) {
			$map = self::json_object( (string) $assoc_args['set'], 'set' );
			Guard::run( fn() => $this->connections->set_locations( $id, $map ) );
		}
		Guard::run( fn() => $this->connections->get( $id ) );
		WP_CLI::line( (string) wp_json_encode( (object) $this->connections->locations( $id ), JSON_UNESCAPED_SLASHES ) );
	}

	/**
	 * Shows or replaces the item map: the provider's item id => our product or variation id.
	 *
	 * ## OPTIONS
	 *
	 * <id>
	 * : Connection id.
	 *
	 * [--set=<json>]
	 * : The whole map as a JSON object: {"<provider item>": <product id>}.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function items( array $args, array $assoc_args ): void {
		$id = (int) $args[0];
		if ( isset( $assoc_args['set'] ) ) {
			$map = self::json_object( (string) $assoc_args['set'], 'set' );
			Guard::run( fn() => $this->connections->set_items( $id, $map ) );
		}
		Guard::run( fn() => $this->connections->get( $id ) );
		WP_CLI::line( (string) wp_json_encode( (object) $this->connections->items( $id ), JSON_UNESCAPED_SLASHES ) );
	}

	/**
	 * Reconciles a connection now: reads the register's counts of every mapped cell, compares them with
	 * ours, corrects the drift by each location's system of record, and prints the report (JSON: per
	 * cell the register's count, ours, the drift and how it was corrected).
	 *
	 * ## OPTIONS
	 *
	 * <id>
	 * : Connection id.
	 *
	 * [--format=<format>]
	 * : json (the whole report) or table (one row per cell).
	 * ---
	 * default: json
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     wp omnistock connection reconcile 2
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function reconcile( array $args, array $assoc_args ): void {
		$id = (int) $args[0];
		if ( ! $this->sync ) {
			WP_CLI::error( __( 'Reconciliation is not available on this site.', 'omnistock' ) );
		}
		$report = Guard::run( fn() => $this->sync->reconcile( $id ) );
		if ( 'table' === ( $assoc_args['format'] ?? 'json' ) ) {
			Utils\format_items( 'table', $report['cells'], array( 'item', 'external_location', 'product', 'location', 'register', 'ours', 'drift', 'corrected' ) );
			return;
		}
		WP_CLI::line( (string) wp_json_encode( $report, JSON_UNESCAPED_SLASHES ) );
	}

	/**
	 * A JSON object given on the command line, or WP_CLI::error naming the option.
	 *
	 * @param string $json   The text.
	 * @param string $option The option's name.
	 */
	private static function json_object( string $json, string $option ): array {
		$value = json_decode( $json, true );
		if ( ! is_array( $value ) || ! str_starts_with( ltrim( $json ), '{' ) ) {
			/* translators: %s: option name */
			WP_CLI::error( sprintf( __( '--%s must be a JSON object.', 'omnistock' ), $option ) );
		}
		return $value;
	}
}
