<?php
/**
 * Names of the plugin's tables, with this site's prefix.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * One place that knows every table's name and the schema's version (the installer upgrades to it, the doctor checks it).
 */
final class Tables {

	public const SCHEMA_VERSION = '11'; // 4: the POS sales' token, fingerprint and at_ms; 5: the hold claims table; 6: the locations' pickup fields; 7: the locations' transfer_days; 8: the shipments table (ship from store); 9: the locations' latitude, longitude and shipping_zones, and the postcodes table (routing); 10: the POS returns table (and the late-return capability); 11: external POS connections (connections, their location and item maps, the webhook inbox, each mapped cell's external view, the outbox's cell columns).
	public const VERSION_OPTION = 'omnistock_schema_version';

	/**
	 * Name of the locations table, with the prefix.
	 *
	 * @var string
	 */
	public readonly string $locations;
	/**
	 * Name of the levels table, with the prefix.
	 *
	 * @var string
	 */
	public readonly string $levels;
	/**
	 * Name of the ledger table, with the prefix.
	 *
	 * @var string
	 */
	public readonly string $ledger;
	/**
	 * Name of the holds table, with the prefix.
	 *
	 * @var string
	 */
	public readonly string $holds;
	/**
	 * Name of the hold claims table (who made a live hold, for the checkout caps), with the prefix.
	 *
	 * @var string
	 */
	public readonly string $hold_claims;
	/**
	 * Name of the outbox table, with the prefix.
	 *
	 * @var string
	 */
	public readonly string $outbox;
	/**
	 * Name of the shipments table (an order's units to ship from one location: Fulfilment\Shipments), with the prefix.
	 *
	 * @var string
	 */
	public readonly string $shipments;
	/**
	 * Name of the postcodes table (country, postcode => coordinates, for routing by distance), with the prefix.
	 *
	 * @var string
	 */
	public readonly string $postcodes;
	/**
	 * Name of the POS sales' claims table, with the prefix.
	 *
	 * @var string
	 */
	public readonly string $pos_sales;
	/**
	 * Name of the POS drawer sessions table, with the prefix.
	 *
	 * @var string
	 */
	public readonly string $pos_sessions;
	/**
	 * Name of the POS drawer movements table, with the prefix.
	 *
	 * @var string
	 */
	public readonly string $pos_movements;
	/**
	 * Name of the POS returns' claims table, with the prefix.
	 *
	 * @var string
	 */
	public readonly string $pos_returns;

	/**
	 * Name of the external POS connections table (Connectors\Connections), with the prefix.
	 *
	 * @var string
	 */
	public readonly string $connections;
	/**
	 * Name of the connections' location map (their location id => ours), with the prefix.
	 *
	 * @var string
	 */
	public readonly string $connection_locations;
	/**
	 * Name of the connections' item map (their catalogue item id => our product or variation), with the prefix.
	 *
	 * @var string
	 */
	public readonly string $connection_items;
	/**
	 * Name of the webhook inbox (one row per verified delivery, unique on the provider's event id), with the prefix.
	 *
	 * @var string
	 */
	public readonly string $inbox;
	/**
	 * Name of the external cells table (what each connection's register last showed for a mapped cell), with the prefix.
	 *
	 * @var string
	 */
	public readonly string $external_cells;

	/**
	 * Prefixes the names with this site's table prefix.
	 *
	 * @param \wpdb $wpdb The WordPress database.
	 */
	public function __construct( \wpdb $wpdb ) {
		$this->locations = $wpdb->prefix . 'omnistock_locations';
		$this->levels    = $wpdb->prefix . 'omnistock_levels';
		$this->ledger    = $wpdb->prefix . 'omnistock_ledger';
		$this->holds     = $wpdb->prefix . 'omnistock_holds';
		$this->outbox    = $wpdb->prefix . 'omnistock_outbox';

		$this->hold_claims = $wpdb->prefix . 'omnistock_hold_claims';
		$this->shipments   = $wpdb->prefix . 'omnistock_shipments';
		$this->postcodes   = $wpdb->prefix . 'omnistock_postcodes';

		$this->pos_sales     = $wpdb->prefix . 'omnistock_pos_sales';
		$this->pos_sessions  = $wpdb->prefix . 'omnistock_pos_sessions';
		$this->pos_movements = $wpdb->prefix . 'omnistock_pos_movements';
		$this->pos_returns   = $wpdb->prefix . 'omnistock_pos_returns';

		$this->connections          = $wpdb->prefix . 'omnistock_connections';
		$this->connection_locations = $wpdb->prefix . 'omnistock_connection_locations';
		$this->connection_items     = $wpdb->prefix . 'omnistock_connection_items';
		$this->inbox                = $wpdb->prefix . 'omnistock_inbox';
		$this->external_cells       = $wpdb->prefix . 'omnistock_external_cells';
	}

	/**
	 * Every inventory table (doctor checks them; uninstall drops them).
	 *
	 * @return list<string>
	 */
	public function all(): array {
		return array( $this->locations, $this->levels, $this->ledger, $this->holds, $this->outbox, $this->hold_claims, $this->shipments, $this->postcodes );
	}

	/**
	 * Every connector table (uninstall drops them).
	 *
	 * @return list<string>
	 */
	public function connectors(): array {
		return array( $this->connections, $this->connection_locations, $this->connection_items, $this->inbox, $this->external_cells );
	}

	/**
	 * Every POS table (uninstall drops them).
	 *
	 * @return list<string>
	 */
	public function pos(): array {
		return array( $this->pos_sales, $this->pos_sessions, $this->pos_movements, $this->pos_returns );
	}
}
