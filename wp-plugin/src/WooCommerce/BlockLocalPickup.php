<?php
/**
 * Adapter: the Checkout and Cart blocks' "Pickup" option, on while a location offers pickup.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\Inventory\Locations;

defined( 'ABSPATH' ) || exit;

/**
 * The Checkout block shows its Ship / Pickup choice, and lists pickup rates as one list of stores,
 * only while WooCommerce's local pickup setting (`woocommerce_pickup_location_settings`, "enabled")
 * is on. While an Omnistock location offers pickup, the blocks read it as on (only while they gather
 * their settings, so WooCommerce's settings screen and the stored option stay the owner's). The
 * shop's own Local pickup locations keep the state the owner gave them: WooCommerce's method
 * `pickup_location` reads its "enabled" as stored, whenever it reads it.
 */
final class BlockLocalPickup {

	private const OPTION = 'woocommerce_pickup_location_settings';

	/**
	 * True while our own read of the stored option must see it unchanged.
	 *
	 * @var bool
	 */
	private bool $reading_stored = false;

	/**
	 * Takes its dependency.
	 *
	 * @param Locations $locations The locations.
	 */
	public function __construct( private readonly Locations $locations ) {
	}

	/**
	 * Hooks in.
	 */
	public function register(): void {
		foreach ( array( 'checkout', 'cart' ) as $block ) {
			add_action( "woocommerce_blocks_enqueue_{$block}_block_scripts_before", array( $this, 'begin' ) );
			add_action( "woocommerce_blocks_enqueue_{$block}_block_scripts_after", array( $this, 'end' ) );
		}
		add_filter( 'woocommerce_shipping_pickup_location_option', array( $this, 'own_method_as_stored' ), 10, 2 );
	}

	/**
	 * A block gathers its settings: local pickup reads as on while a location offers pickup.
	 */
	public function begin(): void {
		if ( array_filter( $this->locations->all(), static fn( array $l ): bool => (bool) $l['offers_pickup'] ) ) {
			add_filter( 'option_' . self::OPTION, array( $this, 'enabled' ) );
			add_filter( 'default_option_' . self::OPTION, array( $this, 'enabled' ) );
		}
	}

	/**
	 * The block has its settings.
	 */
	public function end(): void {
		remove_filter( 'option_' . self::OPTION, array( $this, 'enabled' ) );
		remove_filter( 'default_option_' . self::OPTION, array( $this, 'enabled' ) );
	}

	/**
	 * The setting with "enabled" on.
	 *
	 * @param mixed $settings The stored (or default) setting.
	 * @return mixed
	 */
	public function enabled( $settings ) {
		if ( $this->reading_stored ) {
			return $settings;
		}
		return array_merge( is_array( $settings ) ? $settings : array(), array( 'enabled' => 'yes' ) );
	}

	/**
	 * WooCommerce's own local pickup method (`pickup_location`) reads "enabled" as the owner stored
	 * it, so it offers its locations, and counts as a shipping method, only as before.
	 *
	 * @param mixed  $value The option's value as WooCommerce read it.
	 * @param string $key   The option's key.
	 * @return mixed
	 */
	public function own_method_as_stored( $value, $key ) {
		if ( 'enabled' !== $key ) {
			return $value;
		}
		$this->reading_stored = true;
		try {
			$stored = get_option( self::OPTION, array() );
		} finally {
			$this->reading_stored = false;
		}
		return is_array( $stored ) && 'yes' === ( $stored['enabled'] ?? 'no' ) ? 'yes' : 'no';
	}
}
