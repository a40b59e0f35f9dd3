<?php
/**
 * The pickup rates fit WooCommerce's own local pickup (issue 15): WooCommerce knows the method
 * `omnistock_pickup` as a local-pickup one without it counting as a shipping method of the shop; the
 * Checkout and Cart blocks read local pickup as on while a location offers pickup, and only while
 * they gather their settings; WooCommerce's own Local pickup keeps the state the owner stored. The
 * Checkout block's list itself is in tests/browser/pickup-flow.test.mjs.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

use Automattic\WooCommerce\Blocks\Shipping\PickupLocation;
use Omnistock\Plugin;
use Omnistock\WooCommerce\PickupRates;

final class PickupBlockTest extends WcTestCase {

	private const OPTION = 'woocommerce_pickup_location_settings';

	/** @var mixed */
	private $stored;

	protected function setUp(): void {
		parent::setUp();
		$this->stored = get_option( self::OPTION, null );
		WC()->shipping()->unregister_shipping_methods();
	}

	protected function tearDown(): void {
		if ( null === $this->stored ) {
			delete_option( self::OPTION );
		} else {
			update_option( self::OPTION, $this->stored );
		}
		WC()->shipping()->unregister_shipping_methods();
		parent::tearDown();
	}

	/** The option as a block reads it while it gathers its settings (Checkout, or Cart). */
	private function as_the_block_reads_it( string $block = 'checkout' ): array {
		do_action( "woocommerce_blocks_enqueue_{$block}_block_scripts_before" );
		try {
			$settings  = get_option( self::OPTION, array() );
			$own       = class_exists( PickupLocation::class ) ? new PickupLocation() : null;
			$available = $own ? $own->is_available( array() ) : null;
		} finally {
			do_action( "woocommerce_blocks_enqueue_{$block}_block_scripts_after" );
		}
		return array(
			'enabled'       => is_array( $settings ) ? ( $settings['enabled'] ?? 'no' ) : 'no',
			'title'         => is_array( $settings ) ? ( $settings['title'] ?? null ) : null,
			'own_available' => $available,
		);
	}

	public function test_woocommerce_knows_the_rates_as_local_pickup_and_the_block_does_not_count_the_method(): void {
		$methods = WC()->shipping()->get_shipping_methods();
		$this->assertArrayHasKey( PickupRates::METHOD, $methods );
		$method = $methods[ PickupRates::METHOD ];
		$this->assertTrue( $method->supports( 'local-pickup' ) );
		$this->assertFalse( $method->supports( 'shipping-zones' ), 'in no zone' );
		$this->assertFalse( $method->has_settings(), 'no settings screen of its own' );
		$this->assertSame( 'yes', $method->enabled, 'enabled while a location offers pickup' );
		$this->assertContains( PickupRates::METHOD, apply_filters( 'woocommerce_local_pickup_methods', array( 'local_pickup' ) ) );
		if ( class_exists( \Automattic\WooCommerce\StoreApi\Utilities\LocalPickupUtils::class ) ) {
			$this->assertContains( PickupRates::METHOD, \Automattic\WooCommerce\StoreApi\Utilities\LocalPickupUtils::get_local_pickup_method_ids() );
		}
		global $wpdb;
		$others = count( array_filter( $methods, static fn( $m ) => PickupRates::METHOD !== $m->id && 'yes' === $m->enabled && ! $m->supports( 'shipping-zones' ) ) )
			+ (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_shipping_zone_methods WHERE is_enabled = 1" );
		\WC_Cache_Helper::get_transient_version( 'shipping', true );
		delete_transient( 'wc_shipping_method_count' );
		$this->assertSame( $others + 1, wc_get_shipping_method_count( true, true ), 'WooCommerce counts it, so it asks a cart for rates even with no zone method' );
		if ( method_exists( \Automattic\WooCommerce\Blocks\Utils\CartCheckoutUtils::class, 'shipping_methods_exist' ) ) { // WooCommerce 8+.
			$this->assertSame( $others > 0, \Automattic\WooCommerce\Blocks\Utils\CartCheckoutUtils::shipping_methods_exist(), 'the blocks do not count it among the shop\'s shipping methods (as their own Local pickup)' );
		}
	}

	public function test_the_blocks_read_local_pickup_on_while_a_location_offers_pickup(): void {
		update_option(
			self::OPTION,
			array(
				'enabled' => 'no',
				'title'   => 'Collect',
				'cost'    => '',
			)
		);
		foreach ( array( 'checkout', 'cart' ) as $block ) {
			$read = $this->as_the_block_reads_it( $block );
			$this->assertSame( 'yes', $read['enabled'], "the $block block sees local pickup on" );
			$this->assertSame( 'Collect', $read['title'], "the owner's other settings stay ($block)" );
			if ( null !== $read['own_available'] ) {
				$this->assertFalse( $read['own_available'], "WooCommerce's own Local pickup stays off, as stored ($block)" );
			}
		}
		$this->assertSame( 'no', get_option( self::OPTION )['enabled'], 'outside the blocks: as stored' );

		delete_option( self::OPTION );
		$this->assertSame( 'yes', $this->as_the_block_reads_it()['enabled'], 'nothing stored: on all the same' );
		$this->assertFalse( get_option( self::OPTION, false ), 'and nothing written' );

		Plugin::locations()->update( $this->loc[2], array( 'offers_pickup' => false ) );
		$this->assertSame( 'no', $this->as_the_block_reads_it()['enabled'], 'no location offers pickup: as stored' );
	}

	public function test_the_owners_own_local_pickup_keeps_its_state(): void {
		update_option(
			self::OPTION,
			array(
				'enabled' => 'yes',
				'title'   => 'Pickup',
				'cost'    => '',
			)
		);
		$read = $this->as_the_block_reads_it();
		$this->assertSame( 'yes', $read['enabled'] );
		if ( null !== $read['own_available'] ) {
			$this->assertTrue( $read['own_available'], "the owner's Local pickup, on, stays on" );
		}
		if ( class_exists( PickupLocation::class ) ) {
			$this->assertTrue( ( new PickupLocation() )->is_available( array() ), 'outside the blocks too' );
		}
	}

	public function test_the_rate_names_the_address_once(): void {
		$location = array(
			'address'  => "Rosenthaler Str. 1\n10119 Berlin",
			'postcode' => '10119',
			'city'     => 'Berlin',
		);
		$this->assertSame( 'Rosenthaler Str. 1, 10119 Berlin', PickupRates::address( $location ), 'typed with postcode and city' );
		$this->assertSame( 'Oranienstr. 25, 10999 Berlin', PickupRates::address( array( 'address' => 'Oranienstr. 25', 'postcode' => '10999', 'city' => 'Berlin' ) ) );
		$this->assertSame( '10999 Berlin', PickupRates::address( array( 'address' => '', 'postcode' => '10999', 'city' => 'Berlin' ) ) );
		$this->assertSame( 'Hof 2', PickupRates::address( array( 'address' => " Hof 2 \r\n", 'postcode' => '', 'city' => '' ) ) );
	}
}
