<?php
/**
 * Adapter: a product's bin or shelf, a field of the product's Inventory tab.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\Meta;

defined( 'ABSPATH' ) || exit;

/**
 * An optional label (e.g. "A-03-2") saved in the product meta Meta::BIN, through the product object
 * (WooCommerce's own nonce and capability checks of the product screen apply); the shipments' pick
 * lists show it.
 */
final class ProductBin {

	/**
	 * Hooks in.
	 */
	public static function register(): void {
		add_action( 'woocommerce_product_options_inventory_product_data', array( self::class, 'field' ) );
		add_action( 'woocommerce_admin_process_product_object', array( self::class, 'save' ) );
	}

	/**
	 * The field.
	 */
	public static function field(): void {
		woocommerce_wp_text_input(
			array(
				'id'          => 'omnistock_bin',
				'value'       => (string) get_post_meta( (int) get_the_ID(), Meta::BIN, true ),
				'label'       => __( 'Bin or shelf', 'omnistock' ),
				'desc_tip'    => true,
				'description' => __( 'Where the product sits in the stores (e.g. A-03-2): shown on the pick lists of shipments.', 'omnistock' ),
			)
		);
	}

	/**
	 * Saves it with the product (WooCommerce checked the nonce before this action).
	 *
	 * @param \WC_Product $product Product.
	 */
	public static function save( $product ): void {
		if ( ! $product instanceof \WC_Product || ! isset( $_POST['omnistock_bin'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Missing -- WooCommerce verified the product form's nonce.
			return;
		}
		$bin = mb_substr( sanitize_text_field( wp_unslash( $_POST['omnistock_bin'] ) ), 0, 64 ); // phpcs:ignore WordPress.Security.NonceVerification.Missing -- as above.
		if ( '' === $bin ) {
			$product->delete_meta_data( Meta::BIN );
		} else {
			$product->update_meta_data( Meta::BIN, $bin );
		}
	}
}
