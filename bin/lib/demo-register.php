<?php
/**
 * bin/demo's register: connects the local Square-speaking register (tests/providers/square.php,
 * started by bin/demo on OMNISTOCK_DEMO_REGISTER_URL) to Store Mitte, maps five products to its
 * items, gives it our numbers (its first sight), and points its webhooks at the shop.
 *
 *   OMNISTOCK_WP_DIR=<site> OMNISTOCK_DEMO_REGISTER_URL=http://127.0.0.1:<port> php -d extension=omnistock bin/lib/demo-register.php
 *
 * @package Omnistock
 */

use Omnistock\Plugin;

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';

const DEMO_TOKEN    = 'demo-register-token';
const DEMO_SECRET   = 'demo-register-signature-key';
const DEMO_LOCATION = 'L-MITTE';

$register = rtrim( (string) getenv( 'OMNISTOCK_DEMO_REGISTER_URL' ), '/' );
wp_set_current_user( 1 );

/**
 * A REST request as the administrator; its data (exits on an error).
 */
function demo_rest( string $method, string $route, array $body = array() ): array {
	$request = new WP_REST_Request( $method, '/omnistock/v1' . $route );
	if ( $body ) {
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body( (string) wp_json_encode( (object) $body ) );
	}
	$answer = rest_do_request( $request );
	if ( $answer->get_status() >= 300 ) {
		fwrite( STDERR, "$method $route: " . $answer->get_status() . ' ' . wp_json_encode( $answer->get_data() ) . "\n" );
		exit( 1 );
	}
	return (array) json_decode( (string) wp_json_encode( $answer->get_data() ), true );
}

/**
 * A control request to the register.
 */
function demo_register( string $url, string $path, array $body ): void {
	$answer = wp_remote_post( $url . $path, array( 'body' => (string) wp_json_encode( (object) $body ), 'headers' => array( 'Content-Type' => 'application/json' ), 'timeout' => 20 ) );
	if ( is_wp_error( $answer ) || 200 !== wp_remote_retrieve_response_code( $answer ) ) {
		fwrite( STDERR, "register $path failed\n" );
		exit( 1 );
	}
}

$mitte = current( array_filter( Plugin::locations()->all(), static fn( $l ) => 'Store Mitte' === $l['name'] ) );
if ( ! $mitte ) {
	fwrite( STDERR, "no Store Mitte (bin/lib/demo-seed.php)\n" );
	exit( 1 );
}
$mitte = (int) $mitte['id'];

$made = demo_rest(
	'POST',
	'/connections',
	array(
		'provider'       => 'square',
		'name'           => 'Register at Store Mitte (local demo)',
		'api_base'       => $register,
		'credentials'    => array( 'access_token' => DEMO_TOKEN ),
		'webhook_secret' => DEMO_SECRET,
	)
);
$id = (int) $made['id'];
demo_register( $register, '/_fake/config', array( 'token' => DEMO_TOKEN, 'secret' => DEMO_SECRET, 'webhook_url' => $made['webhook_url'], 'keep' => 200 ) );

$items = array();
foreach ( array( 'DEMO-001', 'DEMO-002', 'DEMO-003', 'DEMO-004', 'DEMO-005' ) as $sku ) {
	$product = wc_get_product_id_by_sku( $sku );
	if ( ! $product ) {
		continue;
	}
	$item           = 'SQV-' . $sku;
	$items[ $item ] = $product;
	$available      = max( 0, Plugin::inventory()->sellable_at( array( $product ), $mitte )[ $product ] );
	demo_register( $register, '/_fake/stock', array( 'item' => $item, 'location' => DEMO_LOCATION, 'quantity' => $available, 'sku' => $sku, 'name' => get_the_title( $product ), 'location_name' => 'Store Mitte' ) );
}
demo_rest( 'PUT', "/connections/$id/locations", array( DEMO_LOCATION => $mitte ) );
demo_rest( 'PUT', "/connections/$id/items", $items );
// Its first sight: the register is told our number for each mapped item.
foreach ( $items as $product ) {
	Plugin::outbox()->touch( $id, $product, $mitte );
}
Plugin::sync()->run( $id );
printf( "a Square-speaking register connected to Store Mitte (connection %d), %d items mapped\n", $id, count( $items ) );
