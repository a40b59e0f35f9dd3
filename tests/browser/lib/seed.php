<?php
/**
 * The browser tests' shop: taxes (19 % standard, 0 % "Zero rate"), two coupons, a store that also
 * ships online (so a sale there moves the online number), products with barcodes and counted stock,
 * a cashier, a subscriber and a customer. Prints what the tests need as JSON.
 * Run with OMNISTOCK_WP_DIR set, on the site bin/lib/wordpress.sh made (WooCommerce active).
 *
 * @package Omnistock
 */

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';
add_filter( 'pre_wp_mail', '__return_true' );

use Omnistock\Plugin;

// The shop's pages as WooCommerce installs them (8.3+: the Cart and Checkout blocks on them): the
// checkout test buys through the Checkout block page. Cash on delivery is on (tests/plugin/install.php).
if ( ! get_post( wc_get_page_id( 'checkout' ) ) ) {
	WC_Install::create_pages();
}
update_option( 'woocommerce_calc_taxes', 'yes' );
update_option( 'woocommerce_prices_include_tax', 'no' );
// Taxes by the customer's address: a POS order has none of its own, so a taxed quote shows the
// location's tax address was used (the shop's base address is the same country, DE).
update_option( 'woocommerce_tax_based_on', 'billing' );
update_option( 'woocommerce_tax_round_at_subtotal', 'no' );
update_option( 'woocommerce_store_address', 'Rosenthaler Str. 1' );
update_option( 'woocommerce_store_postcode', '10119' );
// The Store API shows a product's remaining units only at or under the low-stock amount: always, here.
update_option( 'woocommerce_notify_low_stock_amount', 100000 );
WC_Tax::create_tax_class( 'Zero rate' );
WC_Tax::_insert_tax_rate(
	array(
		'tax_rate_country'  => 'DE',
		'tax_rate'          => '19.0000',
		'tax_rate_name'     => 'MwSt',
		'tax_rate_priority' => 1,
		'tax_rate_shipping' => 1,
		'tax_rate_order'    => 0,
		'tax_rate_class'    => '',
	)
);
WC_Tax::_insert_tax_rate(
	array(
		'tax_rate_country'  => 'DE',
		'tax_rate'          => '0.0000',
		'tax_rate_name'     => 'Zero',
		'tax_rate_priority' => 1,
		'tax_rate_shipping' => 0,
		'tax_rate_order'    => 0,
		'tax_rate_class'    => 'zero-rate',
	)
);

foreach ( array( 'TENOFF' => array( 'percent', '10' ), 'FIVE' => array( 'fixed_cart', '5' ) ) as $code => list( $type, $amount ) ) {
	$coupon = new WC_Coupon();
	$coupon->set_code( $code );
	$coupon->set_discount_type( $type );
	$coupon->set_amount( $amount );
	$coupon->save();
}

$locations = Plugin::locations();
$warehouse = $locations->all()[0]['id'];
$locations->update( $warehouse, array( 'name' => 'Warehouse' ) );
$store = $locations->create(
	array(
		'name'          => 'Store Mitte',
		'address'       => "Rosenthaler Str. 1\n10119 Berlin",
		'country'       => 'DE',
		'postcode'      => '10119',
		'city'          => 'Berlin',
		'ships_online'  => true,
		'offers_pickup' => true,
		'priority'      => 1,
	)
)['id'];
Plugin::inventory()->reload_location_ids();

$products = array();
$events   = array();
$specs    = array(
	// key => name, sku, barcode, price, tax class, units at the store, at the warehouse.
	'mug'      => array( 'Enamel mug', 'BR-MUG', '4006381333931', '12.50', '', 10, 5 ),
	'teapot'   => array( 'Cast iron teapot', 'BR-TEA', '4006381333948', '39.90', '', 4, 2 ),
	'notebook' => array( 'Dotted notebook', 'BR-NOTE', '4006381333955', '7.95', '', 20, 0 ),
	'candle'   => array( 'Beeswax candle', 'BR-CAN', '4006381333962', '9.00', 'zero-rate', 12, 3 ),
	'poster'   => array( 'City poster', 'BR-POS', '4006381333979', '15.00', 'zero-rate', 8, 0 ),
	'last'     => array( 'Last one scarf', 'BR-SCARF', '4006381333986', '25.00', '', 1, 0 ),
);
foreach ( $specs as $key => list( $name, $sku, $barcode, $price, $class, $here, $there ) ) {
	$product = new WC_Product_Simple();
	$product->set_name( $name );
	$product->set_sku( $sku );
	$product->set_regular_price( $price );
	$product->set_tax_class( $class );
	$product->set_manage_stock( true );
	$product->set_stock_quantity( 0 );
	$product->update_meta_data( '_omnistock_barcode', $barcode );
	$product->save();
	$id               = $product->get_id();
	$products[ $key ] = array(
		'id'      => $id,
		'name'    => $name,
		'sku'     => $sku,
		'barcode' => $barcode,
		'price'   => $price,
	);
	foreach ( array( $store => $here, $warehouse => $there ) as $location => $qty ) {
		$events[] = array(
			'id'       => "seed:count:$id:$location",
			'kind'     => 'count',
			'product'  => $id,
			'location' => $location,
			'qty'      => $qty,
			'at'       => (int) ( microtime( true ) * 1000 ) - 60000,
			'reason'   => 'browser test stock',
		);
	}
}
Plugin::inventory()->record( $events, array( 'source' => 'omnistock' ) );

if ( ! get_role( 'omnistock_cashier' ) ) {
	// Until the installer makes the role (issue 8, branch pos-api), the same role by hand.
	add_role(
		'omnistock_cashier',
		'Cashier',
		array(
			'read'                     => true,
			'omnistock_view_inventory' => true,
			'omnistock_use_pos'        => true,
		)
	);
}
foreach ( array( 'administrator', 'shop_manager' ) as $role_name ) {
	$role = get_role( $role_name );
	if ( $role && ! $role->has_cap( 'omnistock_use_pos' ) ) {
		$role->add_cap( 'omnistock_use_pos' );
		$role->add_cap( 'omnistock_pos_discount' );
	}
}
$users = array();
foreach ( array( 'cashier' => 'omnistock_cashier', 'subscriber' => 'subscriber' ) as $login => $role ) {
	$users[ $login ] = wp_insert_user(
		array(
			'user_login' => $login,
			'user_pass'  => "$login-password",
			'user_email' => "$login@example.org",
			'role'       => $role,
		)
	);
}
// The cashier works at both locations (staff act only for their stores), and is trusted with the
// override the sold-out test uses (omnistock_pos_override is not the Cashier role's by default).
Plugin::staff()->assign( $users['cashier'], array( $warehouse, $store ) );
( new WP_User( $users['cashier'] ) )->add_cap( 'omnistock_pos_override' );
$customer = new WC_Customer();
$customer->set_email( 'erika@example.org' );
$customer->set_username( 'erika' );
$customer->set_password( 'erika-password' );
$customer->set_first_name( 'Erika' );
$customer->set_last_name( 'Mustermann' );
$customer->set_billing_first_name( 'Erika' );
$customer->set_billing_last_name( 'Mustermann' );
$customer->set_billing_email( 'erika@example.org' );
$customer->set_billing_phone( '+49 30 1234567' );
$customer->save();

echo wp_json_encode(
	array(
		'store'     => $store,
		'warehouse' => $warehouse,
		'products'  => $products,
		'customer'  => array(
			'id'    => $customer->get_id(),
			'email' => 'erika@example.org',
			'phone' => '+49 30 1234567',
		),
		'users'     => $users,
	)
), "\n";
