<?php
/**
 * bin/demo's shop: three locations (a warehouse that ships, a pickup store that also ships online
 * orders from its shelves, and a curbside store), products (simple and variable) with stock spread
 * over them, a shop manager, a cashier, one paid pickup order waiting at Store Mitte, one paid
 * online order to ship from Store Mitte (in the terminal's Shipments), a "Returns (Mitte)" location
 * that is not sold from and one completed online order (shipped from the warehouse) for a return
 * at the counter.
 * Run with OMNISTOCK_WP_DIR set, on the site bin/lib/wordpress.sh made.
 *
 * @package Omnistock
 */

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';
add_filter( 'pre_wp_mail', '__return_true' );

use Omnistock\Plugin;

$locations = Plugin::locations();
$existing  = $locations->all();
$warehouse = $existing[0]['id']; // The default location activation made: it ships online.
$locations->update(
	$warehouse,
	array(
		'name'         => 'Warehouse',
		'ships_online' => true,
		'priority'     => 0,
	)
);
$mitte     = $locations->create(
	array(
		'name'          => 'Store Mitte',
		'address'       => "Rosenthaler Str. 1\n10119 Berlin",
		'country'       => 'DE',
		'postcode'      => '10119',
		'city'          => 'Berlin',
		'ships_online'  => true, // Ship from store: its shelves fill online orders too (Shipments).
		'offers_pickup' => true,
		'opening_hours' => 'Mon-Sat 10:00-20:00',
		'pickup_hours'  => 2,
		'priority'      => 1,
	)
)['id'];
$kreuzberg = $locations->create(
	array(
		'name'            => 'Store Kreuzberg',
		'address'         => "Oranienstr. 2\n10997 Berlin",
		'country'         => 'DE',
		'postcode'        => '10997',
		'city'            => 'Berlin',
		'ships_online'    => false,
		'offers_pickup'   => true,
		'offers_curbside' => true,
		'opening_hours'   => 'Mon-Fri 9:00-19:00, Sat 10:00-16:00',
		'pickup_hours'    => 4,
		'priority'        => 2,
	)
)['id'];
Plugin::inventory()->reload_location_ids();

mt_srand( 7 );
$events = array();
$count  = static function ( int $product ) use ( &$events, $warehouse, $mitte, $kreuzberg ): void {
	foreach ( array( $warehouse => mt_rand( 0, 40 ), $mitte => mt_rand( 0, 8 ), $kreuzberg => mt_rand( 0, 8 ) ) as $location => $qty ) {
		$events[] = array(
			'id'       => "demo:count:$product:$location",
			'kind'     => 'count',
			'product'  => $product,
			'location' => $location,
			'qty'      => $qty,
			'at'       => (int) ( microtime( true ) * 1000 ),
			'reason'   => 'demo stock',
		);
	}
};
$names = array( 'Mug', 'Teapot', 'Notebook', 'Pencil set', 'Tote bag', 'Candle', 'Coasters', 'Poster', 'Water bottle', 'Lunch box', 'Desk lamp', 'Plant pot', 'Cutting board', 'Apron', 'Tea towel', 'Espresso cups', 'Journal', 'Card game', 'Puzzle', 'Scarf', 'Beanie', 'Socks', 'Umbrella', 'Backpack' );
foreach ( $names as $i => $name ) {
	$product = new WC_Product_Simple();
	$product->set_name( $name );
	$product->set_sku( sprintf( 'DEMO-%03d', $i + 1 ) );
	$product->set_regular_price( (string) ( 5 + 3 * $i ) );
	$product->set_manage_stock( true );
	$product->set_stock_quantity( 0 );
	$product->save();
	$count( $product->get_id() );
}
foreach ( array( 'T-shirt', 'Hoodie', 'Sneakers' ) as $i => $name ) {
	$attribute = new WC_Product_Attribute();
	$attribute->set_name( 'Size' );
	$attribute->set_options( array( 'S', 'M', 'L' ) );
	$attribute->set_visible( true );
	$attribute->set_variation( true );
	$parent = new WC_Product_Variable();
	$parent->set_name( $name );
	$parent->set_sku( sprintf( 'DEMO-V%02d', $i + 1 ) );
	$parent->set_attributes( array( $attribute ) );
	$parent->save();
	foreach ( array( 'S', 'M', 'L' ) as $size ) {
		$variation = new WC_Product_Variation();
		$variation->set_parent_id( $parent->get_id() );
		$variation->set_attributes( array( 'size' => $size ) );
		$variation->set_regular_price( (string) ( 25 + 10 * $i ) );
		$variation->set_manage_stock( true );
		$variation->set_stock_quantity( 0 );
		$variation->save();
		$count( $variation->get_id() );
	}
	WC_Product_Variable::sync( $parent->get_id() );
}
Plugin::inventory()->record( $events, array( 'source' => 'omnistock' ) );

// A German shop: prices include 19 % VAT, charged at the stores' own address.
update_option( 'blogname', 'Omnistock demo shop' );
update_option( 'woocommerce_calc_taxes', 'yes' );
update_option( 'woocommerce_prices_include_tax', 'yes' );
update_option( 'woocommerce_tax_display_shop', 'incl' );
update_option( 'woocommerce_tax_display_cart', 'incl' );
WC_Tax::_insert_tax_rate(
	array(
		'tax_rate_country'  => 'DE',
		'tax_rate'          => '19.0000',
		'tax_rate_name'     => 'MwSt.',
		'tax_rate_priority' => 1,
		'tax_rate_compound' => 0,
		'tax_rate_shipping' => 1,
		'tax_rate_order'    => 0,
		'tax_rate_class'    => '',
	)
);

// The Cashier role (omnistock_cashier) is the installer's (Omnistock\Pos\Role).
foreach ( array( 'manager' => 'shop_manager', 'cashier' => 'omnistock_cashier' ) as $login => $role ) {
	wp_insert_user(
		array(
			'user_login' => $login,
			'user_pass'  => "$login-password",
			'user_email' => "$login@example.org",
			'role'       => $role,
		)
	);
}
// The cashier works at the two stores (staff act only for their locations): the terminal and its Pickups.
Plugin::staff()->assign( get_user_by( 'login', 'cashier' )->ID, array( $mitte, $kreuzberg ) );

// One pickup order waiting at Store Mitte, as a shopper's checkout leaves it: paid, the line at the store.
$wanted = null;
foreach ( $events as $event ) {
	if ( $event['location'] === $mitte && $event['qty'] > 0 && 'simple' === WC_Product_Factory::get_product_type( $event['product'] ) ) {
		$wanted = wc_get_product( $event['product'] );
		break;
	}
}
if ( $wanted ) {
	$order = wc_create_order();
	$order->set_billing_first_name( 'Ada' );
	$order->set_billing_last_name( 'Lovelace' );
	$order->set_billing_email( 'ada@example.org' );
	$order->set_billing_phone( '+49 30 1234567' );
	$order->set_billing_country( 'DE' );
	$line = $order->get_item( $order->add_product( $wanted, 1 ) );
	$line->update_meta_data( Omnistock\Meta::LINE_LOCATION, $mitte );
	$line->save();
	$order->update_meta_data( Omnistock\Meta::PICKUP_LOCATION, $mitte );
	$order->calculate_totals();
	$order->set_payment_method( 'bacs' );
	$order->save();
	$order->payment_complete();
}
// One online order to ship from Store Mitte, as checkout and payment leave it when routing sends it
// there: paid, the line committed at the store; its product's bin shows on the pick list.
$to_ship = null;
foreach ( $events as $event ) {
	if ( $event['location'] === $mitte && $event['qty'] >= 3 && 'simple' === WC_Product_Factory::get_product_type( $event['product'] ) && ( ! $wanted || $wanted->get_id() !== $event['product'] ) ) {
		$to_ship = wc_get_product( $event['product'] );
		break;
	}
}
if ( $to_ship ) {
	$to_ship->update_meta_data( Omnistock\Meta::BIN, 'A-03-2' );
	$to_ship->save();
	$order = wc_create_order();
	$order->set_billing_first_name( 'Grace' );
	$order->set_billing_last_name( 'Hopper' );
	$order->set_billing_email( 'grace@example.org' );
	$order->set_billing_country( 'DE' );
	$order->set_shipping_first_name( 'Grace' );
	$order->set_shipping_last_name( 'Hopper' );
	$order->set_shipping_address_1( 'Torstr. 5' );
	$order->set_shipping_postcode( '10119' );
	$order->set_shipping_city( 'Berlin' );
	$order->set_shipping_country( 'DE' );
	$line = $order->get_item( $order->add_product( $to_ship, 1 ) );
	$line->update_meta_data( Omnistock\Meta::LINE_LOCATION, $mitte );
	$line->save();
	$order->calculate_totals();
	$order->set_payment_method( 'bacs' );
	$order->save();
	$order->payment_complete();
}

// Returns at the counter: a location for inspection that is not sold from, and an online order
// shipped from the warehouse (held at checkout, paid, completed: Omnistock's order life cycle) that
// its customer brings back to Store Mitte.
$inspection = current( array_filter( $locations->all(), static fn( $l ) => 'Returns (Mitte)' === $l['name'] ) );
if ( ! $inspection ) {
	$locations->create(
		array(
			'name'          => 'Returns (Mitte)',
			'ships_online'  => false,
			'offers_pickup' => false,
			'priority'      => 50,
		)
	);
	Plugin::inventory()->reload_location_ids();
}
$returned = null;
foreach ( $events as $event ) {
	if ( $event['location'] === $warehouse && $event['qty'] > 1 && 'simple' === WC_Product_Factory::get_product_type( $event['product'] ) ) {
		$returned = wc_get_product( $event['product'] );
		break;
	}
}
$return_order = null;
if ( $returned ) {
	$return_order = wc_create_order();
	$return_order->set_billing_first_name( 'Olga' );
	$return_order->set_billing_last_name( 'Online' );
	$return_order->set_billing_email( 'olga@example.org' );
	$return_order->set_billing_country( 'DE' );
	$return_order->set_billing_postcode( '10119' );
	$return_order->set_billing_city( 'Berlin' );
	$return_order->add_product( $returned, 2 );
	$return_order->set_payment_method( 'bacs' );
	$return_order->set_payment_method_title( 'Direct bank transfer' );
	$return_order->calculate_totals();
	$return_order->save();
	do_action( 'woocommerce_checkout_order_created', $return_order );
	wc_get_order( $return_order->get_id() )->payment_complete();
	wc_get_order( $return_order->get_id() )->update_status( 'completed', 'Demo: shipped from the warehouse.' );
}
printf( "%d locations, %d products and variations with stock, users manager and cashier, %d pickup order waiting, %d order to ship from Store Mitte\n", count( $locations->all() ), count( $events ) / 3, $wanted ? 1 : 0, $to_ship ? 1 : 0 );
if ( $return_order ) {
	printf( "an online order to return at Store Mitte: #%s (POS → Returns, type the number)\n", $return_order->get_order_number() );
}
