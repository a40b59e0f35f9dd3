<?php
/**
 * Adapter: availability per pickup store on the product page and in the Store API's product.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Automattic\WooCommerce\StoreApi\Schemas\V1\ProductSchema;
use Omnistock\Pickup\Availability;

defined( 'ABSPATH' ) || exit;

/**
 * The Store API's product gets extensions.omnistock.pickup (the locations list of GET /availability);
 * the product page says, per pickup location, "In stock at Store Mitte — pick up today", "Only 2 left
 * at Store Mitte — …" (LOW units or fewer) or "Store Mitte: Not available here". A store whose
 * pickup_hours are at most TODAY_HOURS has an order ready the same day ("pick up today"); one that
 * needs longer says "ready in about N hours". A variable product's lines follow the chosen
 * variation (WooCommerce's found_variation event asks GET /availability for it).
 */
final class ProductAvailability {

	/** At most this many sellable units read "Only N left". */
	public const LOW = 3;

	/** A store that prepares an order in at most this many hours has it ready today. */
	public const TODAY_HOURS = 4;

	private const HANDLE = 'omnistock-pickup-availability';

	/**
	 * Takes its dependency.
	 *
	 * @param Availability $availability Availability per pickup location.
	 */
	public function __construct( private readonly Availability $availability ) {
	}

	/**
	 * Products WooCommerce read in this request whose pickup lines are not fetched yet (id => true).
	 *
	 * @var array<int, true>
	 */
	private array $pending = array();

	/**
	 * Pickup lines fetched in this request, by product id (emptied when stock changes).
	 *
	 * @var array<int, list<array<string, int|string|bool>>>
	 */
	private array $fetched = array();

	/**
	 * The Store API's extensions.omnistock.pickup of a product. A product list (GET
	 * /wc/store/v1/products) reads all its products before it asks their extension data, so the
	 * first product asked fetches the lines of every product read meanwhile: one query per page,
	 * not one per product.
	 *
	 * @param int $product Product id.
	 * @return list<array<string, int|string|bool>>
	 */
	public function pickup_of( int $product ): array {
		if ( ! array_key_exists( $product, $this->fetched ) ) {
			$batch         = array_slice( array_keys( array( $product => true ) + $this->pending ), 0, Availability::MAX_PRODUCTS );
			$this->pending = array_diff_key( $this->pending, array_flip( $batch ) );
			$this->fetched = $this->availability->locations_of_many( $batch ) + $this->fetched;
		}
		return $this->fetched[ $product ] ?? array();
	}

	/**
	 * Hooks in the Store API data and the product page.
	 */
	public function register(): void {
		$store_api = function (): void {
			if ( function_exists( 'woocommerce_store_api_register_endpoint_data' ) ) {
				woocommerce_store_api_register_endpoint_data(
					array(
						'endpoint'        => ProductSchema::IDENTIFIER,
						'namespace'       => 'omnistock',
						'data_callback'   => fn( $product ): array => array( 'pickup' => $product instanceof \WC_Product ? $this->pickup_of( $product->get_id() ) : array() ),
						'schema_callback' => array( self::class, 'schema' ),
						'schema_type'     => ARRAY_A,
					)
				);
			}
		};
		if ( did_action( 'woocommerce_blocks_loaded' ) ) {
			$store_api();
		} else {
			add_action( 'woocommerce_blocks_loaded', $store_api );
		}
		add_action(
			'woocommerce_product_read',
			function ( $id ): void {
				if ( count( $this->pending ) < Availability::MAX_PRODUCTS ) {
					$this->pending[ (int) $id ] = true;
				}
			}
		);
		foreach ( array( 'omnistock_products_changed', 'omnistock_locations_changed' ) as $changed ) {
			add_action(
				$changed,
				function (): void {
					$this->fetched = array();
				}
			);
		}
		// Fires in the classic single-product template and in the block theme's Add to Cart form block,
		// which renders the same template.
		add_action( 'woocommerce_after_add_to_cart_form', array( $this, 'render' ) );
	}

	/**
	 * The schema of extensions.omnistock.
	 */
	public static function schema(): array {
		return array(
			'pickup' => array(
				'description' => __( 'Per pickup location: its sellable units of this product and whether one unit can be picked up there now.', 'omnistock' ),
				'type'        => 'array',
				'context'     => array( 'view', 'edit' ),
				'readonly'    => true,
				'items'       => array(
					'type'       => 'object',
					'properties' => array(
						'location'     => array( 'type' => 'integer' ),
						'name'         => array( 'type' => 'string' ),
						'address'      => array( 'type' => 'string' ),
						'curbside'     => array( 'type' => 'boolean' ),
						'sellable'     => array( 'type' => 'integer' ),
						'available'    => array( 'type' => 'boolean' ),
						'pickup_hours' => array( 'type' => 'integer' ),
					),
				),
			),
		);
	}

	/**
	 * The lines under the add-to-cart form (woocommerce_after_add_to_cart_form).
	 */
	public function render(): void {
		global $product;
		if ( ! $product instanceof \WC_Product ) {
			return;
		}
		$variable = $product->is_type( 'variable' );
		$lines    = $variable ? array() : $this->availability->locations_of( $product->get_id() );
		if ( ! $variable && ! $lines ) {
			return; // No location offers pickup.
		}
		if ( $variable ) {
			$this->enqueue();
		}
		echo '<div class="omnistock-pickup" data-product="' . esc_attr( (string) $product->get_id() ) . '">';
		echo '<p class="omnistock-pickup__title"><strong>' . esc_html__( 'Pick up in store', 'omnistock' ) . '</strong></p>';
		echo '<ul class="omnistock-pickup__list">';
		if ( $variable ) {
			echo '<li class="omnistock-pickup__hint">' . esc_html__( 'Choose an option to see where it can be picked up.', 'omnistock' ) . '</li>';
		}
		foreach ( $lines as $line ) {
			printf( '<li class="omnistock-pickup__line omnistock-pickup__line--%s">%s</li>', esc_attr( self::state( $line ) ), esc_html( self::line( $line ) ) );
		}
		echo '</ul></div>';
	}

	/**
	 * "in", "low" or "none".
	 *
	 * @param array{sellable:int} $line A location of the availability list.
	 */
	public static function state( array $line ): string {
		if ( $line['sellable'] < 1 ) {
			return 'none';
		}
		return $line['sellable'] <= self::LOW ? 'low' : 'in';
	}

	/**
	 * What the product page says of one pickup location.
	 *
	 * @param array{name:string, sellable:int, pickup_hours:int} $line A location of the availability list.
	 */
	public static function line( array $line ): string {
		$strings = self::strings();
		$name    = (string) $line['name'];
		$hours   = (int) $line['pickup_hours'];
		$when    = $hours <= self::TODAY_HOURS ? $strings['today'] : sprintf( $strings['hours'], $hours );
		return match ( self::state( $line ) ) {
			'none' => sprintf( $strings['none'], $name ),
			'low'  => sprintf( $strings['low'], (int) $line['sellable'], $name, $when ),
			default => sprintf( $strings['in'], $name, $when ),
		};
	}

	/**
	 * The translated strings, shared with the script.
	 *
	 * @return array<string, string>
	 */
	private static function strings(): array {
		return array(
			/* translators: 1: store name, 2: when ("pick up today") */
			'in'    => __( 'In stock at %1$s — %2$s', 'omnistock' ),
			/* translators: 1: units left, 2: store name, 3: when ("pick up today") */
			'low'   => __( 'Only %1$d left at %2$s — %3$s', 'omnistock' ),
			/* translators: %s: store name */
			'none'  => __( '%s: Not available here', 'omnistock' ),
			'today' => __( 'pick up today', 'omnistock' ),
			/* translators: %d: hours */
			'hours' => __( 'ready in about %d hours', 'omnistock' ),
		);
	}

	/**
	 * The script that follows the chosen variation.
	 */
	private function enqueue(): void {
		$file = dirname( OMNISTOCK_PLUGIN_FILE ) . '/assets/pickup/availability.js';
		wp_enqueue_script( self::HANDLE, plugins_url( 'assets/pickup/availability.js', OMNISTOCK_PLUGIN_FILE ), array( 'jquery' ), (string) filemtime( $file ), true );
		wp_localize_script(
			self::HANDLE,
			'omnistockPickup',
			array(
				'url'     => rest_url( 'omnistock/v1/availability' ),
				'strings' => self::strings(),
				'low'     => self::LOW,
				'today'   => self::TODAY_HOURS,
				'choose'  => __( 'Choose an option to see where it can be picked up.', 'omnistock' ),
				'failed'  => __( 'Store availability could not be loaded.', 'omnistock' ),
			)
		);
	}
}
