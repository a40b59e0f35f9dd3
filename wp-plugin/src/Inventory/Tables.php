<?php
/**
 * Names of the plugin's tables, with this site's prefix.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * One place that knows the table names.
 */
final class Tables {

	public readonly string $locations;
	public readonly string $levels;
	public readonly string $ledger;
	public readonly string $holds;
	public readonly string $outbox;

	/**
	 * @param \wpdb $wpdb The WordPress database.
	 */
	public function __construct( \wpdb $wpdb ) {
		$this->locations = $wpdb->prefix . 'omnistock_locations';
		$this->levels    = $wpdb->prefix . 'omnistock_levels';
		$this->ledger    = $wpdb->prefix . 'omnistock_ledger';
		$this->holds     = $wpdb->prefix . 'omnistock_holds';
		$this->outbox    = $wpdb->prefix . 'omnistock_outbox';
	}

	/**
	 * Every table, for the installer, doctor and uninstall.
	 *
	 * @return list<string>
	 */
	public function all(): array {
		return array( $this->locations, $this->levels, $this->ledger, $this->holds, $this->outbox );
	}
}
