<?php
/**
 * Plugin Name:          Omnistock
 * Description:          One inventory pool for the shop, the store's POS and external POS systems: per-location stock, an append-only event ledger and holds that never sell a unit twice.
 * Version:              0.1.0
 * Author:               Omnistock
 * License:              MIT
 * Text Domain:          omnistock
 * Domain Path:          /languages
 * Requires at least:    6.1
 * Tested up to:         6.8
 * Requires PHP:         8.2
 * Requires Plugins:     woocommerce
 * WC requires at least: 7.7
 * WC tested up to:      10.2
 *
 * @package Omnistock
 */

defined( 'ABSPATH' ) || exit;

define( 'OMNISTOCK_PLUGIN_FILE', __FILE__ );
define( 'OMNISTOCK_PLUGIN_VERSION', '0.1.0' );

require_once __DIR__ . '/src/Autoloader.php';
Omnistock\Autoloader::register( __DIR__ . '/src' );

// WooCommerce asks every plugin whether it supports its custom order tables; we store nothing in orders.
add_action(
	'before_woocommerce_init',
	static function () {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', __FILE__, true );
		}
	}
);

register_activation_hook( __FILE__, array( Omnistock\Plugin::class, 'activate' ) );
register_deactivation_hook( __FILE__, array( Omnistock\Plugin::class, 'deactivate' ) );

Omnistock\Plugin::boot();
