<?php
/**
 * `wp omnistock doctor`.
 *
 * @package Omnistock
 */

namespace Omnistock\Cli;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\Doctor;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Tables;
use WP_CLI;
use WP_CLI\Utils;

defined( 'ABSPATH' ) || exit;

/**
 * Checks the installation and the ledger.
 */
final class DoctorCommand {

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 * @param Database  $db        The database.
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Database $db ) {
	}

	/**
	 * Extension and library versions, holds backend and segment use, tables, drift between the
	 * levels and the fold of the ledger. Exits 1 when something is wrong.
	 *
	 * ## OPTIONS
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
	public function __invoke( array $args, array $assoc_args ): void {
		$report = ( new Doctor( $this->db, new Tables( $this->db->wpdb ), $this->inventory->backend() ) )->report();
		Utils\format_items( $assoc_args['format'], $report, array( 'check', 'status', 'detail' ) );
		if ( Doctor::has_error( $report ) ) {
			WP_CLI::error( 'Omnistock doctor found problems (status "error" above).' );
		}
	}
}
