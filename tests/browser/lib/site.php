<?php
/**
 * What the browser tests read from (and, for the catalogue, write to) the site, server side:
 *   php site.php sale UUID            orders carrying that sale uuid, the first one's details, its ledger rows
 *   php site.php stock PRODUCT LOC    on_hand and sellable at LOC, the online figure, _stock as stored
 *   php site.php pos-orders           every POS order: id, sale uuid
 *   php site.php wc-total JSON        WooCommerce's own totals for {lines:[{product,qty}], coupons:[...], email?},
 *                                     an ordinary order billed to the store's address (DE 10119 Berlin)
 *   php site.php generate N           N more published simple products (bulk SQL), for the search timing
 *   php site.php order ID             an order's details (status, created_via, lines and their locations)
 *   php site.php checkout-page        the shop's checkout page: its address and whether it holds the Checkout block
 *   php site.php locale LOGIN [LOCALE] sets (or, without LOCALE, clears) that user's own language
 *   php site.php pickup-order PRODUCT LOC QTY  a paid pickup order at LOC, as a pickup checkout leaves it: id, key
 *   php site.php transfer-order PRODUCT STORE SOURCE QTY  a paid pickup order at STORE whose units are
 *                                     held and committed at SOURCE, as a transfer checkout leaves it: id, key
 *   php site.php ship-order PRODUCT LOC QTY [BIN]  a paid online order that ships, its line committed at LOC
 *                                     (the product's bin set to BIN when given): id
 *   php site.php cashier-at LOGIN LOC  a cashier (password LOGIN-password) who works at LOC only: id
 *   php site.php pickup-shop          the pickup flow's shop (once): a DE shipping zone with a flat rate (so
 *                                     WooCommerce asks for rates), Store Mitte curbside with opening hours, a
 *                                     second pickup store (Store Kreuzberg, 24 hours to prepare, ships nothing),
 *                                     a variable apron (sizes S, M, L) counted at both and a tote (3 at Store
 *                                     Mitte only): ids, permalinks
 *   php site.php classic-checkout-page a page holding [woocommerce_checkout] (the shop's own on 7.7): its address
 *   php site.php order-ledger ID       the ledger rows of an order's stock (its key's commit, fulfil, release rows)
 *   php site.php ship-order PRODUCT QTY a paid order shipping to Berlin, held at checkout where the router
 *                                     sends it, then committed: id, its edit screen's URL, its line's item id and location
 *   php site.php online-order PRODUCT QTY [CUSTOMER]  a completed online order (held at checkout, paid, fulfilled through
 *                                     Omnistock's order life cycle), billed to Olga Online (with CUSTOMER's
 *                                     account and e-mail address if given): id, number, item ids
 *   php site.php not-sold-location NAME  a location that is not sold from (neither ships online nor offers
 *                                     pickup), made once: id
 *   php site.php return UUID           a return at the counter: its claim row, its refund's amount and meta, its ledger rows
 *   php site.php counted-product NAME SKU LOC QTY  a new simple product with that SKU, QTY counted at LOC: id
 *   php site.php ledger-of PRODUCT LOC the ledger rows of a cell (kind, qty, source, reason)
 * Prints JSON. Run with OMNISTOCK_WP_DIR set.
 *
 * @package Omnistock
 */

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';
add_filter( 'pre_wp_mail', '__return_true' );

use Omnistock\Plugin;

$command = $argv[1] ?? '';
$out     = null;
switch ( $command ) {
	case 'sale':
		$ids = wc_get_orders(
			array(
				'limit'      => -1,
				'return'     => 'ids',
				'meta_key'   => '_omnistock_pos_sale', // phpcs:ignore WordPress.DB.SlowDBQuery
				'meta_value' => $argv[2], // phpcs:ignore WordPress.DB.SlowDBQuery
			)
		);
		$out = array(
			'orders' => array_map( 'intval', $ids ),
			'order'  => $ids ? order_details( wc_get_order( $ids[0] ) ) : null,
			'ledger' => $GLOBALS['wpdb']->get_results(
				$GLOBALS['wpdb']->prepare(
					"SELECT event_id, kind, product_id, location_id, qty, at, source, reason FROM {$GLOBALS['wpdb']->prefix}omnistock_ledger WHERE event_id LIKE %s ORDER BY seq",
					'pos:' . $GLOBALS['wpdb']->esc_like( $argv[2] ) . '%'
				),
				ARRAY_A
			),
		);
		break;
	case 'counted-product':
		$product = new WC_Product_Simple();
		$product->set_name( $argv[2] );
		$product->set_sku( $argv[3] );
		$product->set_regular_price( '5.00' );
		$product->set_manage_stock( true );
		$product->set_stock_quantity( 0 );
		$product->save();
		Plugin::inventory()->record(
			array(
				array(
					'id'       => 'browser:count:' . $product->get_id() . ':' . (int) $argv[4],
					'kind'     => 'count',
					'product'  => $product->get_id(),
					'location' => (int) $argv[4],
					'qty'      => (int) $argv[5],
				),
			),
			array( 'source' => 'omnistock' )
		);
		$out = array( 'id' => $product->get_id() );
		break;
	case 'ledger-of':
		$out = $GLOBALS['wpdb']->get_results(
			$GLOBALS['wpdb']->prepare(
				"SELECT event_id, kind, qty, source, reason FROM {$GLOBALS['wpdb']->prefix}omnistock_ledger WHERE product_id = %d AND location_id = %d ORDER BY seq",
				(int) $argv[2],
				(int) $argv[3]
			),
			ARRAY_A
		);
		break;
	case 'stock':
		$stock = Plugin::inventory()->stock( (int) $argv[2] );
		$cell  = current( array_filter( $stock['locations'], static fn( $c ) => (int) $c['location'] === (int) $argv[3] ) );
		$out   = array(
			'on_hand'  => $cell['on_hand'],
			'sellable' => $cell['sellable'],
			'online'   => $stock['online'],
			'wc_stock' => $GLOBALS['wpdb']->get_var( $GLOBALS['wpdb']->prepare( "SELECT meta_value FROM {$GLOBALS['wpdb']->postmeta} WHERE post_id = %d AND meta_key = '_stock'", (int) $argv[2] ) ),
		);
		break;
	case 'pos-orders':
		$out = array_map(
			static fn( $order ) => array(
				'id'   => $order->get_id(),
				'sale' => $order->get_meta( '_omnistock_pos_sale' ),
			),
			wc_get_orders(
				array(
					'limit'       => -1,
					'created_via' => 'omnistock-pos',
				)
			)
		);
		break;
	case 'wc-total':
		$cart  = json_decode( $argv[2], true );
		$order = wc_create_order();
		foreach ( $cart['lines'] as $line ) {
			$order->add_product( wc_get_product( (int) $line['product'] ), (int) $line['qty'] );
		}
		$order->set_billing_country( 'DE' );
		$order->set_billing_postcode( '10119' );
		$order->set_billing_city( 'Berlin' );
		$order->set_billing_email( $cart['email'] ?? '' );
		$order->calculate_totals();
		foreach ( $cart['coupons'] ?? array() as $code ) {
			$applied = $order->apply_coupon( $code );
			if ( is_wp_error( $applied ) ) {
				fwrite( STDERR, $applied->get_error_message() . "\n" );
				exit( 1 );
			}
		}
		$out = array(
			'subtotal' => wc_format_decimal( $order->get_subtotal(), wc_get_price_decimals() ),
			'discount' => wc_format_decimal( $order->get_discount_total(), wc_get_price_decimals() ),
			'tax'      => wc_format_decimal( $order->get_total_tax(), wc_get_price_decimals() ),
			'total'    => wc_format_decimal( $order->get_total(), wc_get_price_decimals() ),
		);
		$order->delete( true );
		break;
	case 'generate':
		$out = generate( (int) $argv[2] );
		break;
	case 'order':
		$order = wc_get_order( (int) $argv[2] );
		$out   = $order ? order_details( $order ) + array( 'payment_method' => $order->get_payment_method() ) : null;
		break;
	case 'checkout-page':
		$page = get_post( wc_get_page_id( 'checkout' ) );
		$out  = array(
			'url'   => $page ? get_permalink( $page ) : null,
			'block' => $page && has_block( 'woocommerce/checkout', $page ),
		);
		break;
	case 'pickup-order':
		$order = wc_create_order();
		$order->set_billing_first_name( 'Ada' );
		$order->set_billing_last_name( 'Lovelace' );
		$order->set_billing_email( 'ada@example.org' );
		$order->set_billing_country( 'DE' );
		$line = $order->get_item( $order->add_product( wc_get_product( (int) $argv[2] ), (int) ( $argv[4] ?? 1 ) ) );
		$line->update_meta_data( Omnistock\Meta::LINE_LOCATION, (int) $argv[3] );
		$line->save();
		$order->update_meta_data( Omnistock\Meta::PICKUP_LOCATION, (int) $argv[3] );
		$order->calculate_totals();
		$order->save();
		$order->payment_complete();
		$out = array(
			'id'  => $order->get_id(),
			'key' => $order->get_order_key(),
		);
		break;
	case 'transfer-order':
		$order = wc_create_order();
		$order->set_billing_first_name( 'Grace' );
		$order->set_billing_last_name( 'Hopper' );
		$order->set_billing_email( 'grace@example.org' );
		$order->set_billing_country( 'DE' );
		$line = $order->get_item( $order->add_product( wc_get_product( (int) $argv[2] ), (int) ( $argv[5] ?? 1 ) ) );
		$line->update_meta_data( Omnistock\Meta::LINE_LOCATION, (int) $argv[4] );
		$line->save();
		$order->update_meta_data( Omnistock\Meta::PICKUP_LOCATION, (int) $argv[3] );
		$order->update_meta_data( Omnistock\Meta::PICKUP_SOURCE, (int) $argv[4] );
		$order->calculate_totals();
		$order->save();
		$order->payment_complete();
		$out = array(
			'id'  => $order->get_id(),
			'key' => $order->get_order_key(),
		);
		break;
	case 'ship-order':
		// An online order that ships, paid, its line committed at the location given (as checkout routes it).
		$product = wc_get_product( (int) $argv[2] );
		if ( isset( $argv[5] ) ) {
			$product->update_meta_data( Omnistock\Meta::BIN, $argv[5] );
			$product->save();
		}
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
		$line = $order->get_item( $order->add_product( $product, (int) ( $argv[4] ?? 1 ) ) );
		$line->update_meta_data( Omnistock\Meta::LINE_LOCATION, (int) $argv[3] );
		$line->save();
		$order->calculate_totals();
		$order->save();
		$order->payment_complete();
		$out = array( 'id' => $order->get_id() );
		break;
	case 'routed-order':
		// An online order placed as classic checkout places it: routed and held by the rules, then paid.
		$order = wc_create_order();
		$order->set_billing_first_name( 'Hedy' );
		$order->set_billing_last_name( 'Lamarr' );
		$order->set_billing_email( 'hedy@example.org' );
		foreach ( array( 'billing', 'shipping' ) as $kind ) {
			$order->{"set_{$kind}_country"}( 'DE' );
			$order->{"set_{$kind}_postcode"}( '10115' );
			$order->{"set_{$kind}_city"}( 'Berlin' );
			$order->{"set_{$kind}_address_1"}( 'Invalidenstr. 1' );
		}
		$item_id = $order->add_product( wc_get_product( (int) $argv[2] ), (int) ( $argv[3] ?? 1 ) );
		$order->set_payment_method( 'bacs' );
		$order->calculate_totals();
		$order->save();
		do_action( 'woocommerce_checkout_order_created', $order ); // What classic checkout does: the hold at the routed location.
		wc_get_order( $order->get_id() )->payment_complete();
		$out = array(
			'id'       => $order->get_id(),
			'edit'     => Automattic\WooCommerce\Utilities\OrderUtil::get_order_admin_edit_url( $order->get_id() ),
			'item'     => $item_id,
			'location' => (int) wc_get_order( $order->get_id() )->get_item( $item_id )->get_meta( Omnistock\Meta::LINE_LOCATION ),
		);
		break;
	case 'cashier-at':
		$user = get_user_by( 'login', $argv[2] );
		$id   = $user ? $user->ID : wp_insert_user(
			array(
				'user_login' => $argv[2],
				'user_pass'  => $argv[2] . '-password',
				'user_email' => $argv[2] . '@example.org',
				'role'       => 'omnistock_cashier',
			)
		);
		Plugin::staff()->assign( $id, array( (int) $argv[3] ) );
		$out = array( 'id' => $id );
		break;
	case 'pickup-shop':
		$out = pickup_shop();
		break;
	case 'classic-checkout-page':
		$page = get_post( wc_get_page_id( 'checkout' ) );
		if ( ! $page || ! has_shortcode( $page->post_content, 'woocommerce_checkout' ) ) {
			$found = get_posts(
				array(
					'post_type' => 'page',
					'name'      => 'classic-checkout',
				)
			);
			$page  = $found ? $found[0] : get_post(
				wp_insert_post(
					array(
						'post_type'    => 'page',
						'post_status'  => 'publish',
						'post_name'    => 'classic-checkout',
						'post_title'   => 'Classic checkout',
						'post_content' => '<!-- wp:shortcode -->[woocommerce_checkout]<!-- /wp:shortcode -->',
					)
				)
			);
		}
		$out = array( 'url' => get_permalink( $page ) );
		break;
	case 'order-ledger':
		$order = wc_get_order( (int) $argv[2] );
		$out   = $GLOBALS['wpdb']->get_results(
			$GLOBALS['wpdb']->prepare(
				"SELECT event_id, kind, product_id, location_id, qty, reason FROM {$GLOBALS['wpdb']->prefix}omnistock_ledger WHERE event_id LIKE %s ORDER BY seq",
				'%:' . $GLOBALS['wpdb']->esc_like( Omnistock\WooCommerce\OrderStock::key( $order ) ) . ':%'
			),
			ARRAY_A
		);
		break;
	case 'online-order':
		$order = wc_create_order();
		$order->set_billing_first_name( 'Olga' );
		$order->set_billing_last_name( 'Online' );
		$order->set_billing_email( 'olga@example.org' );
		$order->set_billing_country( 'DE' );
		if ( ! empty( $argv[4] ) ) {
			$order->set_customer_id( (int) $argv[4] );
			$order->set_billing_email( ( new WC_Customer( (int) $argv[4] ) )->get_email() );
		}
		$order->add_product( wc_get_product( (int) $argv[2] ), (int) ( $argv[3] ?? 1 ) );
		$order->set_payment_method( 'cod' );
		$order->set_payment_method_title( 'Cash on delivery' );
		$order->calculate_totals();
		$order->save();
		do_action( 'woocommerce_checkout_order_created', $order );
		wc_get_order( $order->get_id() )->payment_complete();
		wc_get_order( $order->get_id() )->update_status( 'completed' );
		$order = wc_get_order( $order->get_id() );
		$out   = array(
			'id'     => $order->get_id(),
			'number' => (string) $order->get_order_number(),
			'items'  => array_keys( $order->get_items() ),
			'state'  => $order->get_meta( Omnistock\Meta::ORDER_STATE ),
		);
		break;
	case 'not-sold-location':
		$found = array_values( array_filter( Plugin::locations()->all(), static fn( $l ) => $l['name'] === $argv[2] ) );
		$out   = array(
			'id' => $found ? $found[0]['id'] : Plugin::locations()->create(
				array(
					'name'          => $argv[2],
					'ships_online'  => false,
					'offers_pickup' => false,
					'priority'      => 50,
				)
			)['id'],
		);
		Plugin::inventory()->reload_location_ids();
		break;
	case 'return':
		$row    = $GLOBALS['wpdb']->get_row( $GLOBALS['wpdb']->prepare( 'SELECT uuid, status, order_id, location_id, refund_id, method, amount FROM ' . Omnistock\Pos\Returns::table() . ' WHERE uuid = %s', $argv[2] ), ARRAY_A );
		$refund = $row ? wc_get_order( (int) $row['refund_id'] ) : null;
		$out    = array(
			'row'    => $row,
			'refund' => $refund ? array(
				'amount' => wc_format_decimal( $refund->get_amount(), wc_get_price_decimals() ),
				'method' => $refund->get_meta( Omnistock\Meta::POS_REFUND_METHOD ),
				'return' => $refund->get_meta( Omnistock\Meta::POS_RETURN ),
			) : null,
			'ledger' => $GLOBALS['wpdb']->get_results(
				$GLOBALS['wpdb']->prepare(
					"SELECT event_id, kind, product_id, location_id, qty, reason FROM {$GLOBALS['wpdb']->prefix}omnistock_ledger WHERE event_id LIKE %s ORDER BY seq",
					'return:' . $GLOBALS['wpdb']->esc_like( $argv[2] ) . ':%'
				),
				ARRAY_A
			),
		);
		break;
	case 'locale':
		$user = get_user_by( 'login', $argv[2] );
		update_user_meta( $user->ID, 'locale', $argv[3] ?? '' );
		$out = array( 'locale' => get_user_locale( $user->ID ) );
		break;
	default:
		fwrite( STDERR, "usage: site.php sale UUID | stock PRODUCT LOCATION | pos-orders | wc-total JSON | generate N | order ID | checkout-page | locale LOGIN [LOCALE] | pickup-order PRODUCT LOC QTY | cashier-at LOGIN LOC | pickup-shop | classic-checkout-page | order-ledger ID\n" );
		exit( 2 );
}
echo wp_json_encode( $out ), "\n";

/**
 * What the tests compare of an order.
 *
 * @param WC_Order $order The order.
 */
function order_details( WC_Order $order ): array {
	return array(
		'id'          => $order->get_id(),
		'status'      => $order->get_status(),
		'created_via' => $order->get_created_via(),
		'customer'    => $order->get_customer_id(),
		'total'       => $order->get_total(),
		'tax'         => $order->get_total_tax(),
		'discount'    => $order->get_discount_total(),
		'coupons'     => $order->get_coupon_codes(),
		'location'    => $order->get_meta( '_omnistock_location' ),
		'pickup'      => $order->get_meta( Omnistock\Meta::PICKUP_LOCATION ),
		'pickup_at'   => $order->get_meta( Omnistock\Meta::PICKUP_STATUS ),
		'shipping'    => array_values( array_map( static fn( $s ) => $s->get_method_id() . ':' . $s->get_instance_id(), $order->get_shipping_methods() ) ),
		'cashier'     => $order->get_meta( '_omnistock_cashier' ),
		'payments'    => json_decode( (string) $order->get_meta( '_omnistock_payments' ), true ),
		'session'     => $order->get_meta( '_omnistock_session' ),
		'items'       => array_values(
			array_map(
				static fn( $item ) => array(
					'product'  => $item->get_variation_id() ? $item->get_variation_id() : $item->get_product_id(),
					'qty'      => $item->get_quantity(),
					'total'    => $item->get_total(),
					'location' => $item->get_meta( '_omnistock_location' ),
				),
				$order->get_items()
			)
		),
	);
}

/**
 * N published simple products in a few multi-row INSERTs (wc_get_products/save() would take minutes):
 * posts, the meta the catalogue reads, product_type "simple", WooCommerce's lookup table.
 *
 * @param int $n How many.
 */
function generate( int $n ): array {
	global $wpdb;
	$started = microtime( true );
	$simple  = (int) get_term_by( 'slug', 'simple', 'product_type' )->term_taxonomy_id;
	$words   = array( 'Linen', 'Oak', 'Copper', 'Wool', 'Glass', 'Stone', 'Cotton', 'Brass', 'Maple', 'Clay', 'Silk', 'Steel' );
	$things  = array( 'bowl', 'chair', 'lamp', 'towel', 'vase', 'basket', 'tray', 'shelf', 'blanket', 'jug', 'clock', 'stool', 'frame', 'box' );
	$now     = current_time( 'mysql' );
	$now_gmt = current_time( 'mysql', true );
	$first   = (int) $wpdb->get_var( "SELECT COALESCE(MAX(ID), 0) + 1 FROM {$wpdb->posts}" );
	mt_srand( 42 );
	foreach ( array_chunk( range( 0, $n - 1 ), 1000 ) as $chunk ) {
		$posts  = array();
		$meta   = array();
		$terms  = array();
		$lookup = array();
		foreach ( $chunk as $i ) {
			$id       = $first + $i;
			$name     = $words[ mt_rand( 0, count( $words ) - 1 ) ] . ' ' . $things[ mt_rand( 0, count( $things ) - 1 ) ] . ' ' . sprintf( '%05d', $i + 1 );
			$sku      = sprintf( 'GEN-%05d', $i + 1 );
			$barcode  = sprintf( '29%011d', $i + 1 );
			$price    = sprintf( '%d.%02d', mt_rand( 1, 200 ), mt_rand( 0, 99 ) );
			$posts[]  = $wpdb->prepare( "(%d, 1, %s, %s, '', %s, '', 'publish', 'closed', 'closed', '', %s, '', '', %s, %s, '', 0, '', 0, 'product', '', 0)", $id, $now, $now_gmt, $name, sanitize_title( $name ), $now, $now_gmt );
			$terms[]  = $wpdb->prepare( '(%d, %d, 0)', $id, $simple );
			$lookup[] = $wpdb->prepare( "(%d, %s, 0, 0, %f, %f, 0, NULL, 'instock', 0, 0, 0, 'taxable', '')", $id, $sku, $price, $price );
			foreach ( array( '_sku' => $sku, '_price' => $price, '_regular_price' => $price, '_manage_stock' => 'no', '_stock_status' => 'instock', '_tax_status' => 'taxable', '_tax_class' => '', '_omnistock_barcode' => $barcode, '_visibility' => 'visible' ) as $key => $value ) {
				$meta[] = $wpdb->prepare( '(%d, %s, %s)', $id, $key, $value );
			}
		}
		// phpcs:disable WordPress.DB.PreparedSQL.NotPrepared -- every row above is prepared.
		$wpdb->query( "INSERT INTO {$wpdb->posts} (ID, post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status, comment_status, ping_status, post_password, post_name, to_ping, pinged, post_modified, post_modified_gmt, post_content_filtered, post_parent, guid, menu_order, post_type, post_mime_type, comment_count) VALUES " . implode( ',', $posts ) );
		$wpdb->query( "INSERT INTO {$wpdb->postmeta} (post_id, meta_key, meta_value) VALUES " . implode( ',', $meta ) );
		$wpdb->query( "INSERT INTO {$wpdb->term_relationships} (object_id, term_taxonomy_id, term_order) VALUES " . implode( ',', $terms ) );
		$wpdb->query( "INSERT INTO {$wpdb->wc_product_meta_lookup} (product_id, sku, virtual, downloadable, min_price, max_price, onsale, stock_quantity, stock_status, rating_count, average_rating, total_sales, tax_status, tax_class) VALUES " . implode( ',', $lookup ) );
		// phpcs:enable
	}
	$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->term_taxonomy} SET count = count + %d WHERE term_taxonomy_id = %d", $n, $simple ) );
	wp_cache_flush();
	wc_delete_product_transients();
	return array(
		'generated' => $n,
		'first'     => $first,
		'seconds'   => round( microtime( true ) - $started, 2 ),
	);
}

/**
 * The pickup flow's shop, made once (a second call answers the same): see the usage above.
 */
function pickup_shop(): array {
	$made = get_option( 'omnistock_browser_pickup_shop' );
	if ( is_array( $made ) ) {
		return $made;
	}
	$zone = new WC_Shipping_Zone();
	$zone->set_zone_name( 'Germany' );
	$zone->add_location( 'DE', 'country' );
	$zone->save();
	$instance = $zone->add_shipping_method( 'flat_rate' );
	update_option(
		'woocommerce_flat_rate_' . $instance . '_settings',
		array(
			'title'      => 'Parcel',
			'cost'       => '4.90',
			'tax_status' => 'taxable',
		)
	);
	WC_Cache_Helper::get_transient_version( 'shipping', true );

	$locations = Plugin::locations();
	$mitte     = (int) current( array_filter( $locations->all(), static fn( $l ) => 'Store Mitte' === $l['name'] ) )['id'];
	$locations->update(
		$mitte,
		array(
			'offers_curbside' => true,
			'opening_hours'   => 'Mon–Sat 10:00–20:00',
		)
	);
	$kreuzberg = (int) $locations->create(
		array(
			'name'          => 'Store Kreuzberg',
			'address'       => 'Oranienstr. 25',
			'country'       => 'DE',
			'postcode'      => '10999',
			'city'          => 'Berlin',
			'ships_online'  => false,
			'offers_pickup' => true,
			'pickup_hours'  => 24,
			'priority'      => 5,
		)
	)['id'];
	Plugin::inventory()->reload_location_ids();

	$attribute = new WC_Product_Attribute();
	$attribute->set_name( 'Size' );
	$attribute->set_options( array( 'S', 'M', 'L' ) );
	$attribute->set_visible( true );
	$attribute->set_variation( true );
	$apron = new WC_Product_Variable();
	$apron->set_name( 'Linen apron' );
	$apron->set_sku( 'BR-APRON' );
	$apron->set_attributes( array( $attribute ) );
	$apron->save();
	// Size => units at Store Mitte, at Store Kreuzberg.
	$counts     = array(
		'S' => array( 6, 2 ),
		'M' => array( 2, 0 ),
		'L' => array( 0, 0 ),
	);
	$variations = array();
	$events     = array();
	foreach ( $counts as $size => list( $at_mitte, $at_kreuzberg ) ) {
		$variation = new WC_Product_Variation();
		$variation->set_parent_id( $apron->get_id() );
		$variation->set_attributes( array( 'size' => $size ) );
		$variation->set_sku( 'BR-APRON-' . $size );
		$variation->set_regular_price( '29.00' );
		$variation->set_manage_stock( true );
		$variation->set_stock_quantity( 0 );
		$variation->save();
		$variations[ $size ] = $variation->get_id();
		foreach ( array( $mitte => $at_mitte, $kreuzberg => $at_kreuzberg ) as $location => $qty ) {
			$events[] = array(
				'id'       => 'seed:count:' . $variation->get_id() . ":$location",
				'kind'     => 'count',
				'product'  => $variation->get_id(),
				'location' => $location,
				'qty'      => $qty,
				'at'       => (int) ( microtime( true ) * 1000 ) - 60000,
				'reason'   => 'browser test stock',
			);
		}
	}
	Plugin::inventory()->record( $events, array( 'source' => 'omnistock' ) );
	WC_Product_Variable::sync( $apron->get_id() );

	$tote = new WC_Product_Simple();
	$tote->set_name( 'Canvas tote' );
	$tote->set_sku( 'BR-TOTE' );
	$tote->set_regular_price( '14.00' );
	$tote->set_manage_stock( true );
	$tote->set_stock_quantity( 0 );
	$tote->save();
	Plugin::inventory()->record(
		array(
			array(
				'id'       => 'seed:count:' . $tote->get_id() . ":$mitte",
				'kind'     => 'count',
				'product'  => $tote->get_id(),
				'location' => $mitte,
				'qty'      => 3,
				'at'       => (int) ( microtime( true ) * 1000 ) - 60000,
				'reason'   => 'browser test stock',
			),
		),
		array( 'source' => 'omnistock' )
	);

	$made = array(
		'zone'      => $zone->get_id(),
		'mitte'     => $mitte,
		'kreuzberg' => $kreuzberg,
		'apron'     => array(
			'id'         => $apron->get_id(),
			'url'        => get_permalink( $apron->get_id() ),
			'variations' => $variations,
		),
		'tote'      => array(
			'id'  => $tote->get_id(),
			'url' => get_permalink( $tote->get_id() ),
		),
	);
	update_option( 'omnistock_browser_pickup_shop', $made, false );
	return $made;
}
