<?php
/**
 * `wp omnistock stock`.
 *
 * @package Omnistock
 */

namespace Omnistock\Cli;

use Omnistock\Inventory\Inventory;
use WP_CLI;
use WP_CLI\Utils;

defined( 'ABSPATH' ) || exit;

/**
 * Shows stock; records counts, adjustments and transfers (events of source "cli").
 */
final class StockCommand {

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 */
	public function __construct( private readonly Inventory $inventory ) {
	}

	/**
	 * Shows a product's stock per location and its online total.
	 *
	 * ## OPTIONS
	 *
	 * <product>
	 * : Product id.
	 *
	 * [--format=<format>]
	 * : table, json, csv or yaml.
	 * ---
	 * default: table
	 * ---
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function show( array $args, array $assoc_args ): void {
		$stock = $this->inventory->stock( (int) $args[0] );
		if ( 'json' === $assoc_args['format'] ) {
			WP_CLI::line( (string) wp_json_encode( $stock ) );
			return;
		}
		Utils\format_items( $assoc_args['format'], $stock['locations'], array( 'location', 'name', 'on_hand', 'committed', 'safety', 'held', 'sellable' ) );
		if ( 'table' === $assoc_args['format'] ) {
			WP_CLI::line( sprintf( 'Online: %d', $stock['online'] ) );
		}
	}

	/**
	 * Records a physical count: on_hand := qty as of --at.
	 *
	 * ## OPTIONS
	 *
	 * <product>
	 * : Product id.
	 *
	 * <location>
	 * : Location id.
	 *
	 * <qty>
	 * : Units counted.
	 *
	 * [--at=<ms>]
	 * : When it was counted, milliseconds since the epoch (default: now).
	 *
	 * [--id=<id>]
	 * : Event id, to make a retry idempotent (default: a new one).
	 *
	 * [--reason=<reason>]
	 * : Why.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function count( array $args, array $assoc_args ): void {
		$this->record( 'count', (int) $args[0], $args[1], $args[2], $assoc_args );
	}

	/**
	 * Records an adjustment of on_hand (receipt +n, damage -n, ...).
	 *
	 * ## OPTIONS
	 *
	 * <product>
	 * : Product id.
	 *
	 * <location>
	 * : Location id.
	 *
	 * <delta>
	 * : Units, signed.
	 *
	 * [--at=<ms>]
	 * : When it happened, milliseconds since the epoch (default: now).
	 *
	 * [--id=<id>]
	 * : Event id, to make a retry idempotent (default: a new one).
	 *
	 * [--reason=<reason>]
	 * : Why.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function adjust( array $args, array $assoc_args ): void {
		$this->record( 'adjust', (int) $args[0], $args[1], $args[2], $assoc_args );
	}

	/**
	 * Moves units from one location to another.
	 *
	 * ## OPTIONS
	 *
	 * <product>
	 * : Product id.
	 *
	 * <from>
	 * : Location id units leave.
	 *
	 * <to>
	 * : Location id units arrive at.
	 *
	 * <qty>
	 * : Units.
	 *
	 * [--at=<ms>]
	 * : When, milliseconds since the epoch (default: now).
	 *
	 * [--id=<id>]
	 * : Event id, to make a retry idempotent (default: a new one).
	 *
	 * [--reason=<reason>]
	 * : Why.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function transfer( array $args, array $assoc_args ): void {
		$this->record( 'transfer', (int) $args[0], $args[1], $args[3], $assoc_args + array( 'to' => $args[2] ) );
	}

	/**
	 * Records one event through the inventory service.
	 *
	 * @param string $kind       Kind.
	 * @param int    $product    Product id.
	 * @param string $location   Location id.
	 * @param string $qty        Quantity.
	 * @param array  $assoc_args Options.
	 */
	private function record( string $kind, int $product, string $location, string $qty, array $assoc_args ): void {
		$event = array(
			'id'       => $assoc_args['id'] ?? 'cli:' . wp_generate_uuid4(),
			'kind'     => $kind,
			'product'  => $product,
			'location' => $location,
			'qty'      => $qty,
			'at'       => $assoc_args['at'] ?? null,
			'reason'   => $assoc_args['reason'] ?? '',
		);
		if ( isset( $assoc_args['to'] ) ) {
			$event['to'] = $assoc_args['to'];
		}
		$user   = wp_get_current_user();
		$result = Guard::run(
			fn() => $this->inventory->record(
				array( $event ),
				array(
					'source' => 'cli',
					'actor'  => $user->exists() ? $user->user_login : 'wp-cli',
				)
			)
		);
		if ( $result['conflicts'] ) {
			WP_CLI::error( sprintf( 'Event %s was recorded before with other content; nothing changed.', $event['id'] ) );
		}
		if ( $result['duplicates'] ) {
			WP_CLI::success( sprintf( 'Event %s was already recorded; nothing changed.', $event['id'] ) );
			return;
		}
		foreach ( $result['oversold'] as $cell ) {
			WP_CLI::warning( sprintf( 'Oversold: product %d at location %d has %d sellable.', $cell['product'], $cell['location'], $cell['sellable'] ) );
		}
		WP_CLI::success( sprintf( 'Recorded %s %s.', $kind, $event['id'] ) );
	}
}
