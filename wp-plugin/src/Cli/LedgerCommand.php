<?php
/**
 * `wp omnistock ledger`.
 *
 * @package Omnistock
 */

namespace Omnistock\Cli;

use Omnistock\Inventory\Inventory;
use WP_CLI\Utils;

defined( 'ABSPATH' ) || exit;

/**
 * Reads the append-only ledger.
 */
final class LedgerCommand {

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 */
	public function __construct( private readonly Inventory $inventory ) {
	}

	/**
	 * Shows the latest events, newest first.
	 *
	 * ## OPTIONS
	 *
	 * [--n=<n>]
	 * : How many.
	 * ---
	 * default: 20
	 * ---
	 *
	 * [--product=<id>]
	 * : Only this product.
	 *
	 * [--location=<id>]
	 * : Only this location (as source or destination).
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
	public function tail( array $args, array $assoc_args ): void {
		$rows = $this->inventory->ledger_tail(
			(int) $assoc_args['n'],
			isset( $assoc_args['product'] ) ? (int) $assoc_args['product'] : null,
			isset( $assoc_args['location'] ) ? (int) $assoc_args['location'] : null
		);
		foreach ( $rows as &$row ) {
			$row['at']         = gmdate( 'Y-m-d H:i:s', intdiv( (int) $row['at'], 1000 ) ) . sprintf( '.%03d', (int) $row['at'] % 1000 );
			$row['arrived_at'] = gmdate( 'Y-m-d H:i:s', intdiv( (int) $row['arrived_at'], 1000 ) );
		}
		Utils\format_items( $assoc_args['format'], $rows, array( 'seq', 'event_id', 'kind', 'product_id', 'location_id', 'to_location_id', 'qty', 'at', 'arrived_at', 'source', 'reference', 'actor', 'reason' ) );
	}
}
