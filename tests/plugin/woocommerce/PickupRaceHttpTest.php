<?php
/**
 * The last unit at Store Mitte, wanted at the same moment by a walk-in sale at its POS and by a
 * Store API checkout that chose to pick up there (issue 15), over real HTTP against the site
 * served by `php -S` with several workers, 20 rounds: each time exactly one of them gets it; the
 * cashier is refused before paying (409 omnistock_pos_short), the shopper at checkout with
 * WooCommerce's out-of-stock error and no paid order; no level goes below zero and the levels are
 * the fold of the ledger.
 *
 * The product also has units at the Warehouse (it is in stock online and can be put in the cart),
 * so a shopper who loses the race must be refused, not silently shipped from the Warehouse.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

require_once __DIR__ . '/lib/PosTestCase.php';
require_once __DIR__ . '/lib/StoreApiClient.php';
require_once __DIR__ . '/lib/PosHttp.php';

use Omnistock\Meta;
use Omnistock\Plugin;
use Omnistock\WooCommerce\OrderStock;

/**
 * @group concurrency
 */
final class PickupRaceHttpTest extends PosTestCase {

	private const ROUNDS = 20;

	private const OUT_OF_STOCK = array( 'woocommerce_product_not_enough_stock', 'woocommerce_product_out_of_stock', 'woocommerce_rest_product_out_of_stock' );

	private const ADDRESS = array(
		'first_name' => 'Race',
		'last_name'  => 'Pickup',
		'address_1'  => 'Str. 1',
		'city'       => 'Berlin',
		'postcode'   => '10115',
		'country'    => 'DE',
		'state'      => 'DE-BE',
		'email'      => 'race-pickup@example.org',
	);

	protected function setUp(): void {
		parent::setUp();
		Plugin::locations()->update( $this->loc[2], array( 'name' => 'Store Mitte' ) );
		// A shop that also ships: the shopper who loses could be moved to the flat rate and shipped
		// from the Warehouse instead; that must not happen.
		$zone = new \WC_Shipping_Zone( 0 );
		$zone->add_shipping_method( 'flat_rate' );
		\WC_Cache_Helper::get_transient_version( 'shipping', true );
		delete_transient( 'wc_shipping_method_count' );
	}

	protected function tearDown(): void {
		$zone = new \WC_Shipping_Zone( 0 );
		foreach ( array_keys( $zone->get_shipping_methods() ) as $instance ) {
			$zone->delete_shipping_method( $instance );
		}
		\WC_Cache_Helper::get_transient_version( 'shipping', true );
		delete_transient( 'wc_shipping_method_count' );
		parent::tearDown();
	}

	/**
	 * A curl handle for a REST route on the served site (body only, JSON in).
	 *
	 * @param array<string> $headers Extra headers.
	 */
	private static function handle( int $port, string $route, string $cookie, array $headers, array $body ) {
		$ch = curl_init( "http://127.0.0.1:$port/?rest_route=$route" );
		curl_setopt_array(
			$ch,
			array(
				CURLOPT_CUSTOMREQUEST  => 'POST',
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_HTTPHEADER     => array_merge( array( 'Content-Type: application/json' ), $headers ),
				CURLOPT_COOKIE         => $cookie,
				CURLOPT_TIMEOUT        => 120,
				CURLOPT_POSTFIELDS     => wp_json_encode( $body ),
			)
		);
		return $ch;
	}

	/**
	 * Orders that took payment (or are being paid) with a line of $product, whatever their channel.
	 *
	 * @return list<int>
	 */
	private function paid_orders_of( int $product ): array {
		wp_cache_flush();
		$out = array();
		foreach ( wc_get_orders( array( 'limit' => -1, 'status' => array( 'processing', 'on-hold', 'completed' ) ) ) as $order ) {
			foreach ( $order->get_items() as $item ) {
				if ( (int) $item->get_product_id() === $product ) {
					$out[] = $order->get_id();
				}
			}
		}
		return $out;
	}

	/**
	 * The product's ledger rows after the setup's counts: kind, location, qty, event id.
	 *
	 * @return list<array{kind:string, location_id:string, qty:string, event_id:string}>
	 */
	private function moves_of( int $product ): array {
		global $wpdb;
		return $wpdb->get_results( $wpdb->prepare( "SELECT kind, location_id, qty, event_id FROM {$wpdb->prefix}omnistock_ledger WHERE product_id = %d AND kind <> 'count' ORDER BY seq", $product ), ARRAY_A );
	}

	/**
	 * What the failure message needs: the shopper's order (its shipping, lines' locations, pickup
	 * store) and the product's cells.
	 */
	private function what_happened( \WC_Product $product, array $checkout ): string {
		wp_cache_flush();
		$order = isset( $checkout['body']['order_id'] ) ? wc_get_order( (int) $checkout['body']['order_id'] ) : null;
		return wp_json_encode(
			array(
				'order'    => $order ? array(
					'status'   => $order->get_status(),
					'shipping' => array_map( static fn( $s ) => $s->get_method_id() . ':' . $s->get_instance_id(), array_values( $order->get_shipping_methods() ) ),
					'pickup'   => $order->get_meta( Meta::PICKUP_LOCATION ),
					'lines_at' => array_map( static fn( $i ) => $i->get_meta( OrderStock::LOCATION ), array_values( $order->get_items() ) ),
					'state'    => $order->get_meta( OrderStock::STATE ),
				) : null,
				'cells'    => Plugin::inventory()->stock( $product->get_id() )['locations'],
				'ledger'   => $this->moves_of( $product->get_id() ),
			)
		);
	}

	public function test_the_last_unit_race_between_the_pos_and_a_pickup_checkout(): void {
		$mitte   = $this->loc[2];
		$rate    = "omnistock_pickup:$mitte";
		$cashier = $this->as_role( 'omnistock_cashier' );
		Plugin::staff()->assign( $cashier, array( $mitte ) ); // A cashier of Store Mitte only.
		$auth   = PosHttp::login( $cashier );
		$port   = (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 );
		$client = new StoreApiClient( $port, 4 );
		$won    = array(
			'pos'      => 0,
			'checkout' => 0,
		);
		$refused_with = array();
		try {
			for ( $round = 0; $round < self::ROUNDS; $round++ ) {
				$step    = "round $round";
				$product = $this->simple( 3 ); // 3 at the Warehouse (ships online).
				$this->count_at( $product->get_id(), $mitte, 1 ); // The last unit at Store Mitte.

				$shopper = $client->shopper_with( $product->get_id(), 1 );
				$client->request(
					'POST',
					'/wc/store/v1/cart/update-customer',
					$shopper,
					array(
						'billing_address'  => self::ADDRESS,
						'shipping_address' => self::ADDRESS,
					)
				);
				$selected = $client->request(
					'POST',
					'/wc/store/v1/cart/select-shipping-rate',
					$shopper,
					array(
						'package_id' => 0,
						'rate_id'    => $rate,
					)
				);
				$this->assertSame( 200, $selected['status'], "$step: select-shipping-rate " . wp_json_encode( $selected['body'] ) );
				$offered = array_column( $selected['body']['shipping_rates'][0]['shipping_rates'] ?? array(), 'selected', 'rate_id' );
				$this->assertTrue( $offered[ $rate ] ?? false, "$step: Store Mitte offered and chosen: " . wp_json_encode( $offered ) );
				$this->assertArrayHasKey( 'flat_rate:' . current( array_keys( ( new \WC_Shipping_Zone( 0 ) )->get_shipping_methods() ) ), $offered, "$step: the flat rate is offered beside it" );

				$sale     = $this->sale_body( array( array( $product, 1 ) ), '10.00', array( 'location' => $mitte ) );
				$handles  = array(
					'pos'      => self::handle( $port, '/omnistock/v1/pos/sales', $auth['cookie'], array( 'X-WP-Nonce: ' . $auth['nonce'] ), $sale ),
					'checkout' => self::handle(
						$port,
						'/wc/store/v1/checkout',
						$shopper['cookie'],
						array( 'Nonce: ' . $shopper['nonce'] ),
						array(
							'billing_address'  => self::ADDRESS,
							'shipping_address' => self::ADDRESS,
							'payment_method'   => 'cod',
						)
					),
				);
				if ( $round % 2 ) {
					$handles = array_reverse( $handles, true ); // Either one goes out first.
				}
				$answers = StoreApiClient::all_at_once(
					$handles,
					static fn( $ch, string $raw ) => array(
						'status' => (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE ),
						'body'   => json_decode( $raw, true ),
					)
				);
				$pos      = $answers['pos'];
				$checkout = $answers['checkout'];
				$said     = wp_json_encode( array( $pos['status'], $pos['body']['code'] ?? null, $checkout['status'], $checkout['body']['code'] ?? null ) );
				$pos_won  = 201 === $pos['status'];
				$shop_won = 200 === $checkout['status'];
				$this->assertTrue( $pos_won xor $shop_won, "$step: exactly one of them gets the unit, answered $said; " . $this->what_happened( $product, $checkout ) );

				wp_cache_flush();
				$paid = $this->paid_orders_of( $product->get_id() );
				if ( $pos_won ) {
					++$won['pos'];
					$this->assertContains( $checkout['body']['code'] ?? null, self::OUT_OF_STOCK, "$step: the shopper gets WooCommerce's out-of-stock error: " . wp_json_encode( $checkout['body'] ) );
					$this->assertStringContainsString( $product->get_name(), html_entity_decode( (string) ( $checkout['body']['message'] ?? '' ) ), "$step: the error names the product" );
					$refused_with[] = (string) $checkout['body']['code'];
					$this->assertSame( $this->orders_of_sale( $sale['id'] ), $paid, "$step: the POS order is the only paid one" );
					$this->assertCount( 1, $paid );
					$cell = $this->cell( $product->get_id(), $mitte );
					$this->assertSame( array( 0, 0, 0, 0 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ), "$step: sold at the counter" );
					$this->assertSame(
						array(
							array(
								'kind'        => 'adjust',
								'location_id' => (string) $mitte,
								'qty'         => '-1',
								'event_id'    => "pos:{$sale['id']}:{$product->get_id()}:$mitte",
							),
						),
						$this->moves_of( $product->get_id() ),
						"$step: the ledger has the sale and nothing else"
					);
				} else {
					++$won['checkout'];
					$this->assertSame( 409, $pos['status'], "$step: the cashier is refused before paying: " . wp_json_encode( $pos['body'] ) );
					$this->assertSame( 'omnistock_pos_short', $pos['body']['code'] ?? null );
					$this->assertSame(
						array(
							array(
								'product'    => $product->get_id(),
								'wanted'     => 1,
								'stock_here' => 0,
							),
						),
						$pos['body']['data']['short'] ?? null,
						"$step: the line that is short"
					);
					$refused_with[] = 'omnistock_pos_short';
					$this->assertSame( array(), $this->orders_of_sale( $sale['id'] ), "$step: no POS order" );
					$this->assertSame( array( (int) $checkout['body']['order_id'] ), $paid, "$step: the pickup order is the only paid one" );
					$order = wc_get_order( $paid[0] );
					$this->assertSame( (string) $mitte, (string) $order->get_meta( Meta::PICKUP_LOCATION ), "$step: a pickup order at Store Mitte" );
					$this->assertSame( (string) $mitte, (string) current( $order->get_items() )->get_meta( OrderStock::LOCATION ) );
					$this->assertSame( 'committed', $this->state( $order ) );
					$cell = $this->cell( $product->get_id(), $mitte );
					$this->assertSame( array( 1, 1, 0, 0 ), array( $cell['on_hand'], $cell['committed'], $cell['held'], $cell['sellable'] ), "$step: committed at Store Mitte" );
					$moves = $this->moves_of( $product->get_id() );
					$this->assertSame( array( 'commit', (string) $mitte, '1' ), array( $moves[0]['kind'] ?? null, $moves[0]['location_id'] ?? null, $moves[0]['qty'] ?? null ), "$step: the ledger has the commitment at Store Mitte: " . wp_json_encode( $moves ) );
					$this->assertCount( 1, $moves, "$step: and nothing else" );
				}
				$warehouse = $this->cell( $product->get_id(), $this->loc[0] );
				$this->assertSame( array( 3, 0, 0, 3 ), array( $warehouse['on_hand'], $warehouse['committed'], $warehouse['held'], $warehouse['sellable'] ), "$step: nothing taken from the Warehouse" );
				foreach ( Plugin::inventory()->stock( $product->get_id() )['locations'] as $row ) {
					$this->assertGreaterThanOrEqual( 0, $row['sellable'], "$step: never below zero at location {$row['location']}" );
				}
				$this->assertShopAgrees( $product, $step );
			}
		} finally {
			$client->stop();
		}
		fwrite( STDERR, sprintf( "pickup race: %d rounds, the POS won %d, the pickup checkout %d; refusals %s\n", self::ROUNDS, $won['pos'], $won['checkout'], wp_json_encode( array_count_values( $refused_with ) ) ) );
	}
}
