<?php
/**
 * The POS catalogue: every sellable simple product and variation with its price, barcode and
 * stock here and online; and the barcode field on the product screen.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

use Omnistock\Inventory\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * Read in pages with a few queries (not one product object per row), so a terminal loads 10,000
 * products in seconds and searches them in the browser.
 */
final class Catalogue {

	public const BARCODE      = \Omnistock\Meta::BARCODE;
	public const MAX_PER_PAGE = 2000;

	private const META = array( '_sku', '_price', self::BARCODE, '_manage_stock', '_stock', '_tax_class', '_tax_status', '_thumbnail_id' );

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 */
	public function __construct( private readonly Inventory $inventory ) {
	}

	/**
	 * Hooks the barcode field into the product screen (inventory tab) and the variations.
	 */
	public static function register_product_field(): void {
		add_action( 'woocommerce_product_options_sku', array( self::class, 'product_field' ) );
		add_action( 'woocommerce_admin_process_product_object', array( self::class, 'save_product_field' ) );
		// The pricing row is shown for every variation (the inventory row only when it manages stock).
		add_action( 'woocommerce_variation_options_pricing', array( self::class, 'variation_field' ), 10, 3 );
		add_action( 'woocommerce_admin_process_variation_object', array( self::class, 'save_variation_field' ), 10, 2 );
	}

	/**
	 * The barcode input of a product (inventory tab, under the SKU).
	 */
	public static function product_field(): void {
		global $product_object;
		woocommerce_wp_text_input(
			array(
				'id'          => self::BARCODE,
				'value'       => $product_object instanceof \WC_Product ? (string) $product_object->get_meta( self::BARCODE ) : '',
				'label'       => __( 'Barcode (GTIN, EAN, UPC)', 'omnistock' ),
				'desc_tip'    => true,
				'description' => __( 'What the POS terminal\'s scanner reads. Empty: the SKU.', 'omnistock' ),
			)
		);
	}

	/**
	 * Saves the product's barcode (WooCommerce checked the nonce and the capability).
	 *
	 * @param \WC_Product $product The product being saved.
	 */
	public static function save_product_field( $product ): void {
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- WooCommerce verified the product form's nonce.
		if ( isset( $_POST[ self::BARCODE ] ) ) {
			$product->update_meta_data( self::BARCODE, self::clean( sanitize_text_field( wp_unslash( $_POST[ self::BARCODE ] ) ) ) ); // phpcs:ignore WordPress.Security.NonceVerification.Missing
		}
	}

	/**
	 * The barcode input of a variation.
	 *
	 * @param int      $loop      Index of the variation in the form.
	 * @param array    $data      Variation data (unused).
	 * @param \WP_Post $variation The variation's post.
	 */
	public static function variation_field( $loop, $data, $variation ): void {
		unset( $data );
		woocommerce_wp_text_input(
			array(
				'id'            => self::BARCODE . "_$loop",
				'name'          => self::BARCODE . "[$loop]",
				'value'         => (string) get_post_meta( $variation->ID, self::BARCODE, true ),
				'label'         => __( 'Barcode (GTIN, EAN, UPC)', 'omnistock' ),
				'wrapper_class' => 'form-row form-row-full',
			)
		);
	}

	/**
	 * Saves a variation's barcode.
	 *
	 * @param \WC_Product_Variation $variation The variation being saved.
	 * @param int                   $loop      Its index in the form.
	 */
	public static function save_variation_field( $variation, $loop ): void {
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- WooCommerce verified the variations form's nonce.
		if ( isset( $_POST[ self::BARCODE ][ $loop ] ) ) {
			$variation->update_meta_data( self::BARCODE, self::clean( sanitize_text_field( wp_unslash( $_POST[ self::BARCODE ][ $loop ] ) ) ) ); // phpcs:ignore WordPress.Security.NonceVerification.Missing
		}
	}

	/**
	 * A barcode as scanners type it: no spaces.
	 *
	 * @param string $barcode Typed barcode.
	 */
	private static function clean( string $barcode ): string {
		return preg_replace( '/\s+/', '', $barcode );
	}

	/**
	 * One page of the catalogue.
	 *
	 * @param int $location Location id (stock_here).
	 * @param int $page     Page, from 1.
	 * @param int $per_page Items per page, 1..MAX_PER_PAGE.
	 * @return array{items:list<array>, total:int, pages:int}
	 */
	public function page( int $location, int $page, int $per_page ): array {
		global $wpdb;
		$where = $this->where();
		$total = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->posts} p LEFT JOIN {$wpdb->posts} parent ON parent.ID = p.post_parent WHERE $where" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- no values in $where.
		$rows  = $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				"SELECT p.ID AS id, p.post_parent AS parent, p.post_title AS name FROM {$wpdb->posts} p LEFT JOIN {$wpdb->posts} parent ON parent.ID = p.post_parent WHERE $where ORDER BY p.ID LIMIT %d OFFSET %d", // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- no values in $where.
				$per_page,
				( $page - 1 ) * $per_page
			),
			ARRAY_A
		);
		return array(
			'items' => $this->items( $rows, $location ),
			'total' => $total,
			'pages' => (int) ceil( $total / $per_page ),
		);
	}

	/**
	 * Published simple products and variations of published parents that have a price.
	 */
	private function where(): string {
		global $wpdb;
		$simple = "SELECT tr.object_id FROM {$wpdb->term_relationships} tr JOIN {$wpdb->term_taxonomy} tt ON tt.term_taxonomy_id = tr.term_taxonomy_id JOIN {$wpdb->terms} t ON t.term_id = tt.term_id WHERE tt.taxonomy = 'product_type' AND t.slug = 'simple'";
		return "p.post_status = 'publish' AND ( ( p.post_type = 'product' AND p.ID IN ($simple) ) OR ( p.post_type = 'product_variation' AND parent.post_status = 'publish' ) )"
			. " AND EXISTS ( SELECT 1 FROM {$wpdb->postmeta} pm WHERE pm.post_id = p.ID AND pm.meta_key = '_price' AND pm.meta_value <> '' )";
	}

	/**
	 * Items of these product rows.
	 *
	 * @param list<array{id:string, parent:string, name:string}> $rows     Rows.
	 * @param int                                                $location Location id.
	 * @return list<array>
	 */
	private function items( array $rows, int $location ): array {
		$ids     = array_map( 'intval', array_column( $rows, 'id' ) );
		$parents = array_values( array_filter( array_unique( array_map( 'intval', array_column( $rows, 'parent' ) ) ) ) );
		$meta    = self::meta( array_merge( $ids, $parents ) );
		$managed = array();
		foreach ( $rows as $row ) {
			$managed[ (int) $row['id'] ] = self::managed_by( (int) $row['id'], (int) $row['parent'], $meta );
		}
		$here   = $this->inventory->sellable_at( array_values( array_filter( $managed ) ), $location );
		$images = array();
		$items  = array();
		foreach ( $rows as $row ) {
			$id       = (int) $row['id'];
			$parent   = (int) $row['parent'];
			$own      = $meta[ $id ] ?? array();
			$by       = $managed[ $id ];
			$image_id = (int) ( $own['_thumbnail_id'] ?? 0 ) ? (int) $own['_thumbnail_id'] : (int) ( $meta[ $parent ]['_thumbnail_id'] ?? 0 );
			if ( $image_id && ! array_key_exists( $image_id, $images ) ) {
				$url                 = wp_get_attachment_image_url( $image_id, 'thumbnail' );
				$images[ $image_id ] = false === $url ? null : $url;
			}
			$tax_class = (string) ( $own['_tax_class'] ?? '' );
			if ( $parent && 'parent' === $tax_class ) {
				$tax_class = (string) ( $meta[ $parent ]['_tax_class'] ?? '' );
			}
			$sku     = (string) ( $own['_sku'] ?? '' );
			$barcode = (string) ( $own[ self::BARCODE ] ?? '' );
			$items[] = array(
				'id'           => $id,
				'parent'       => $parent,
				'name'         => html_entity_decode( $row['name'], ENT_QUOTES, 'UTF-8' ),
				'sku'          => $sku,
				'barcode'      => '' !== $barcode ? $barcode : $sku,
				'price'        => Money::format( (string) ( $own['_price'] ?? '0' ) ),
				'tax_class'    => $tax_class,
				'stock_here'   => $by ? $here[ $by ] : null,
				'stock_online' => $by ? (int) ( $meta[ $by ]['_stock'] ?? 0 ) : null,
				'managed'      => (bool) $by,
				'image'        => $image_id ? $images[ $image_id ] : null,
			);
		}
		return $items;
	}

	/**
	 * Live stock of products at a location and online.
	 *
	 * @param int[] $products Product ids (simple products or variations).
	 * @param int   $location Location id.
	 * @return array<int, array{stock_here:int|null, stock_online:int|null}>
	 */
	public function stock( array $products, int $location ): array {
		$managed = array();
		foreach ( $products as $id ) {
			$product        = wc_get_product( $id );
			$managed[ $id ] = $product instanceof \WC_Product && $product->managing_stock() ? (int) $product->get_stock_managed_by_id() : 0;
		}
		$here = $this->inventory->sellable_at( array_values( array_filter( $managed ) ), $location );
		$meta = self::meta( array_values( array_filter( $managed ) ) );
		$out  = array();
		foreach ( $managed as $id => $by ) {
			$out[ $id ] = array(
				'stock_here'   => $by ? $here[ $by ] : null,
				'stock_online' => $by ? (int) ( $meta[ $by ]['_stock'] ?? 0 ) : null,
			);
		}
		return $out;
	}

	/**
	 * The product whose stock this one uses: itself when it manages stock, its parent when the
	 * parent does, 0 when nobody does (unmanaged: always sellable).
	 *
	 * @param int   $id     Product id.
	 * @param int   $parent Parent id (0 for a simple product).
	 * @param array $meta   self::meta().
	 */
	private static function managed_by( int $id, int $parent, array $meta ): int {
		if ( 'yes' === ( $meta[ $id ]['_manage_stock'] ?? 'no' ) ) {
			return $id;
		}
		return $parent && 'yes' === ( $meta[ $parent ]['_manage_stock'] ?? 'no' ) ? $parent : 0;
	}

	/**
	 * The catalogue's meta keys of these posts, in one query.
	 *
	 * @param int[] $ids Post ids.
	 * @return array<int, array<string, string>>
	 */
	private static function meta( array $ids ): array {
		global $wpdb;
		$out = array();
		foreach ( array_chunk( array_values( array_unique( $ids ) ), 1000 ) as $chunk ) {
			$sql = "SELECT post_id, meta_key AS k, meta_value AS v FROM {$wpdb->postmeta} WHERE post_id IN ("
				. implode( ', ', array_fill( 0, count( $chunk ), '%d' ) ) . ') AND meta_key IN ('
				. implode( ', ', array_fill( 0, count( self::META ), '%s' ) ) . ')';
			foreach ( $wpdb->get_results( $wpdb->prepare( $sql, ...array_merge( $chunk, self::META ) ), ARRAY_A ) as $row ) { // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.SlowDBQuery.slow_db_query_meta_key -- placeholders built above; meta_key is indexed.
				$out[ (int) $row['post_id'] ][ $row['k'] ] = (string) $row['v'];
			}
		}
		return $out;
	}
}
