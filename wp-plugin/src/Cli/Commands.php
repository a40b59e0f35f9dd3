<?php
/**
 * Registers `wp omnistock ...` (only loaded under WP-CLI).
 *
 * @package Omnistock
 */

namespace Omnistock\Cli;

use Omnistock\Connectors\Connections;
use Omnistock\Connectors\Health;
use Omnistock\Connectors\Sync;
use Omnistock\Inventory\Database;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;
use Omnistock\Inventory\Postcodes;
use Omnistock\Inventory\Tables;
use Omnistock\Pos\Staff;

defined( 'ABSPATH' ) || exit;

/**
 * Commands: location list|create|update, stock show|count|adjust|transfer, ledger tail, doctor, staff get|set, postcodes import|count, connection add|list|get|delete|locations|items.
 */
final class Commands {

	/**
	 * Adds the commands.
	 *
	 * @param Inventory   $inventory The inventory service.
	 * @param Locations   $locations Locations.
	 * @param Database    $db        The database.
	 * @param Staff       $staff       Who may act for which location.
	 * @param Connections $connections External POS connections.
	 * @param Health      $health      Their health.
	 * @param Sync|null   $sync        The sync runner (`wp omnistock connection reconcile`).
	 */
	public static function register( Inventory $inventory, Locations $locations, Database $db, Staff $staff, Connections $connections, Health $health, ?Sync $sync = null ): void {
		\WP_CLI::add_command( 'omnistock location', new LocationCommand( $locations ) );
		\WP_CLI::add_command( 'omnistock stock', new StockCommand( $inventory ) );
		\WP_CLI::add_command( 'omnistock ledger', new LedgerCommand( $inventory ) );
		\WP_CLI::add_command( 'omnistock doctor', new DoctorCommand( $inventory, $db ) );
		\WP_CLI::add_command( 'omnistock staff', new StaffCommand( $staff ) );
		\WP_CLI::add_command( 'omnistock connection', new ConnectionCommand( $connections, $health, $sync ) );
		\WP_CLI::add_command( 'omnistock postcodes', new PostcodesCommand( new Postcodes( $db, new Tables( $db->wpdb ) ) ) );
	}
}
