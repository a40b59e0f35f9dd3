<?php
/**
 * Adapter: reads the shop's store address and managed stock (WooCommerce's options and product meta).
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

defined( 'ABSPATH' ) || exit;

/**
 * Reads only options and post meta, so it works whether WooCommerce is loaded or not.
 */
final class ManagedStock {

	/**
	 * Takes its dependencies.
	 *
	 * @param \wpdb $wpdb The WordPress database.
	 */
	public function __construct( private readonly \wpdb $wpdb ) {
	}

	/**
	 * The default location's name.
	 */
	public function store_name(): string {
		$city = (string) get_option( 'woocommerce_store_city', '' );
		return '' !== $city ? sprintf( /* translators: %s: city */ __( 'Store (%s)', 'omnistock' ), $city ) : __( 'Store', 'omnistock' );
	}

	/**
	 * WooCommerce's store address, one line per part; empty when the shop has none.
	 */
	public function store_address(): string {
		$parts = array();
		foreach ( array( 'woocommerce_store_address', 'woocommerce_store_address_2', 'woocommerce_store_postcode', 'woocommerce_store_city', 'woocommerce_default_country' ) as $option ) {
			$value = trim( (string) get_option( $option, '' ) );
			if ( '' !== $value ) {
				$parts[] = $value;
			}
		}
		return implode( "\n", $parts );
	}

	/**
	 * Stock of every product and variation whose stock WooCommerce manages: id => units.
	 *
	 * @return array<int, int>
	 */
	public function managed(): array {
		$wpdb = $this->wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- one read at activation; no cache wanted.
		$rows = $wpdb->get_results(
			$wpdb->prepare(
				"SELECT p.ID, s.meta_value AS stock FROM {$wpdb->posts} p
				JOIN {$wpdb->postmeta} m ON m.post_id = p.ID AND m.meta_key = %s AND m.meta_value = %s
				JOIN {$wpdb->postmeta} s ON s.post_id = p.ID AND s.meta_key = %s
				WHERE p.post_type IN (%s, %s) AND p.post_status <> %s",
				'_manage_stock',
				'yes',
				'_stock',
				'product',
				'product_variation',
				'trash'
			),
			ARRAY_A
		);
		$out  = array();
		foreach ( (array) $rows as $row ) {
			$out[ (int) $row['ID'] ] = (int) round( (float) $row['stock'] );
		}
		return $out;
	}
}
