<?php
/**
 * Benchmark of the sync gap (issue 17): the test shop served by `php -S` with several workers, a
 * fake Square and a fake Shopify (tests/providers/) connected and mapped to the same PRODUCTS at
 * the same two stores (store A ships online, store B offers pickup). For SECONDS: register sales
 * through the fakes' /_fake/sale (each signs and sends its webhook to our hooks URL) at RATE per
 * second in all (half each), mixed with web checkouts (Store API) and POS sales (Inventory, as the
 * POS route records them). For each change, the time until
 *   (a) the Store API shows it (products?include=…, polled every POLL_MS), and
 *   (b) the OTHER provider has received it (each fake logs every count change with its ms:
 *       tests/providers/lib/Fake.php's `log`),
 * as p50, p99 and max; then lost and doubled units against the ledger (final numbers everywhere).
 * Beside it the anchor: the WooCommerce–Square plugin polls, hourly by default, 15 minutes at best.
 *
 * Needs the WooCommerce test shop; run it through bin/lib/wordpress.sh:
 *   OMNISTOCK_WOOCOMMERCE=/path/to/woocommerce OMNISTOCK_TOP=$PWD OMNISTOCK_WC_HTTP_PORT=… OMNISTOCK_FAKE_PORT_BASE=… \
 *     bash -c '. bin/lib/common.sh; . bin/lib/wordpress.sh; woocommerce_bench "$(build_extension)" tests/bench/sync-gap.php'
 * Env: OMNISTOCK_BENCH_SECONDS (60), OMNISTOCK_BENCH_RATE (webhooks per second from both, 50),
 * OMNISTOCK_BENCH_WEB (checkouts per second, 1), OMNISTOCK_BENCH_POS (POS sales per second, 1),
 * OMNISTOCK_BENCH_WORKERS (the shop's php -S workers, 8), OMNISTOCK_BENCH_POLL_MS (250).
 *
 * @package Omnistock
 */

use Omnistock\Inventory\Tables;
use Omnistock\Plugin;
use Omnistock\Tests\WooCommerce\FakeProvider;
use Omnistock\Tests\WooCommerce\StoreApiClient;

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require getenv( 'OMNISTOCK_WP_DIR' ) . '/wp-load.php';
require_once dirname( __DIR__ ) . '/plugin/woocommerce/lib/FakeProvider.php';
require_once dirname( __DIR__ ) . '/plugin/woocommerce/lib/StoreApiClient.php';
add_filter( 'pre_wp_mail', '__return_true' );

const PRODUCTS = 20;
const STOCK    = 1000; // At each store.
define( 'POLL_MS', (int) ( getenv( 'OMNISTOCK_BENCH_POLL_MS' ) ?: 250 ) ); // Each poll is a request of the shop: it costs a worker.

$seconds = (float) ( getenv( 'OMNISTOCK_BENCH_SECONDS' ) ?: 60 );
$rate    = (float) ( getenv( 'OMNISTOCK_BENCH_RATE' ) ?: 50 );
$web     = (float) ( false !== getenv( 'OMNISTOCK_BENCH_WEB' ) ? getenv( 'OMNISTOCK_BENCH_WEB' ) : 1 );
$pos     = (float) ( false !== getenv( 'OMNISTOCK_BENCH_POS' ) ? getenv( 'OMNISTOCK_BENCH_POS' ) : 1 );
$workers = (int) ( getenv( 'OMNISTOCK_BENCH_WORKERS' ) ?: 8 );
$port    = (int) ( getenv( 'OMNISTOCK_WC_HTTP_PORT' ) ?: 23380 );
$home    = home_url();
if ( ! str_contains( $home, ':' . $port ) ) {
	fwrite( STDERR, "the site's URL $home is not on port $port: set OMNISTOCK_WP_URL (woocommerce_bench does)\n" );
	exit( 1 );
}

function ms(): int {
	return (int) floor( microtime( true ) * 1000 );
}

function say( string $line ): void {
	fwrite( STDERR, gmdate( 'H:i:s' ) . " $line\n" );
}

function quantiles( array $v ): array {
	if ( ! $v ) {
		return array( 'n' => 0, 'p50' => null, 'p99' => null, 'max' => null );
	}
	sort( $v );
	$at = static fn( float $q ) => $v[ min( count( $v ) - 1, (int) ceil( $q * count( $v ) ) - 1 ) ];
	return array( 'n' => count( $v ), 'p50' => $at( 0.5 ), 'p99' => $at( 0.99 ), 'max' => end( $v ) );
}

function rest( string $method, string $route, array $body = array() ): array {
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

// ---- The shop: two stores, PRODUCTS products with STOCK at each. ----
global $wpdb;
$tables = new Tables( $wpdb );
foreach ( array_merge( $tables->all(), $tables->connectors() ) as $table ) {
	Plugin::database()->statement( "DELETE FROM $table" );
}
wp_set_current_user( 1 );
update_option( 'woocommerce_stock_format', '' );
update_option( 'woocommerce_enable_guest_checkout', 'yes' );
update_option( 'woocommerce_cod_settings', array( 'enabled' => 'yes' ) );
$locations = Plugin::locations();
$store_a   = $locations->create( array( 'name' => 'Store A', 'ships_online' => true, 'priority' => 0 ) )['id'];
$store_b   = $locations->create( array( 'name' => 'Store B', 'ships_online' => false, 'offers_pickup' => true, 'priority' => 1 ) )['id'];
Plugin::inventory()->reload_location_ids();
$products = array();
$events   = array();
for ( $i = 0; $i < PRODUCTS; $i++ ) {
	$product = new WC_Product_Simple();
	$product->set_name( "Gap $i" );
	$product->set_sku( 'GAP-' . $i . '-' . wp_generate_password( 4, false ) );
	$product->set_regular_price( '10' );
	$product->set_manage_stock( true );
	$product->save();
	$products[ $i ] = $product->get_id();
	foreach ( array( $store_a, $store_b ) as $loc ) {
		$events[] = array( 'id' => "gap-seed-$i-$loc-" . ms(), 'kind' => 'count', 'product' => $products[ $i ], 'location' => $loc, 'qty' => STOCK, 'at' => ms() );
	}
}
Plugin::inventory()->record( $events, array( 'source' => 'bench' ) );

// ---- The site over HTTP and the two registers. ----
$site   = new StoreApiClient( $port, $workers );
// Enough workers that a register is never what waits: each sale holds one until our route answers.
$square = FakeProvider::start( 'square', FakeProvider::port( 0 ), null, 16 );
$shop   = FakeProvider::start( 'shopify', FakeProvider::port( 1 ), null, 16 );
$fakes  = array(
	'square'  => array( 'fake' => $square, 'secret' => 'square-signature-key-bench', 'token' => 'sq-bench', 'loc' => array( $store_a => 'SQ-A', $store_b => 'SQ-B' ) ),
	'shopify' => array( 'fake' => $shop, 'secret' => 'shopify-client-secret-bench', 'token' => 'shpat-bench', 'loc' => array( $store_a => '7001', $store_b => '7002' ) ),
);
$cleanup = static function () use ( $site, $square, $shop ): void {
	$site->stop();
	$square->stop();
	$shop->stop();
};
register_shutdown_function( $cleanup );

$item = static fn( string $p, int $i ): string => 'square' === $p ? 'SQV-' . $i : (string) ( 5000 + $i );
foreach ( $fakes as $name => &$f ) {
	$made    = rest(
		'POST',
		'/connections',
		array(
			'provider'       => $name,
			'name'           => ucfirst( $name ),
			'api_base'       => $f['fake']->url(),
			'credentials'    => array( 'access_token' => $f['token'] ),
			'webhook_secret' => $f['secret'],
		)
	);
	$f['id'] = (int) $made['id'];
	$f['fake']->config( array( 'token' => $f['token'], 'secret' => $f['secret'], 'webhook_url' => $made['webhook_url'], 'keep' => 200 ) );
	rest( 'PUT', "/connections/{$f['id']}/locations", array_flip( $f['loc'] ) );
	$map = array();
	foreach ( $products as $i => $pid ) {
		$map[ $item( $name, $i ) ] = $pid;
		foreach ( $f['loc'] as $ext ) {
			$f['fake']->stock( $item( $name, $i ), $ext, STOCK, '', "Gap $i" );
		}
	}
	rest( 'PUT', "/connections/{$f['id']}/items", $map );
}
unset( $f );

// Carts for the web checkouts, filled before the clock starts.
$checkouts = (int) ceil( $web * $seconds );
say( "filling $checkouts carts" );
$shoppers = array();
for ( $i = 0; $i < $checkouts; $i++ ) {
	$shoppers[] = array( 'p' => $i % PRODUCTS ) + $site->shopper_with( $products[ $i % PRODUCTS ], 1 );
}

// First sight: each register gets our number (its baseline), and its echoes settle.
foreach ( $fakes as $f ) {
	foreach ( $products as $pid ) {
		foreach ( array_keys( $f['loc'] ) as $loc ) {
			Plugin::outbox()->touch( $f['id'], $pid, $loc );
		}
	}
	Plugin::sync()->run( $f['id'] );
}
sleep( 3 );
foreach ( $fakes as $f ) {
	Plugin::sync()->run( $f['id'] );
}
$initial_shown = null;
$initial_prov  = array();
foreach ( $fakes as $name => $f ) {
	$initial_prov[ $name ] = $f['fake']->counts();
	$f['fake']->config( array( 'log' => true ) );
}

/** Store API: shown stock by product id. */
$store_url = "http://127.0.0.1:$port/?rest_route=/wc/store/v1/products&per_page=100&include=" . implode( ',', $products );
$parse     = static function ( string $raw ) use ( $products ): ?array {
	$list = json_decode( $raw, true );
	if ( ! is_array( $list ) ) {
		return null;
	}
	$out = array();
	foreach ( $list as $row ) {
		$text               = (string) ( $row['stock_availability']['text'] ?? '' );
		$out[ $row['id'] ] = preg_match( '/[\d,.]+/', $text, $m ) ? (int) preg_replace( '/\D/', '', $m[0] ) : 0;
	}
	return count( $out ) === count( $products ) ? $out : null;
};
$initial_shown = $parse( (string) file_get_contents( $store_url ) );
if ( null === $initial_shown ) {
	fwrite( STDERR, "the Store API did not list the products\n" );
	exit( 1 );
}

// What one request of the shop costs here (WordPress and WooCommerce booted for it), idle.
$cost = array();
foreach ( array( 'store' => $store_url, 'hook' => $fakes['square']['fake']->url() ) as $what => $url ) {
	for ( $i = 0; $i < 5; $i++ ) {
		$t0 = microtime( true );
		'store' === $what ? file_get_contents( $store_url ) : wp_remote_post( home_url( '/wp-json/omnistock/v1/hooks/' . $fakes['square']['id'] ), array( 'body' => '{}', 'headers' => array( 'Content-Type' => 'application/json' ) ) );
		$cost[ $what ][] = (int) round( ( microtime( true ) - $t0 ) * 1000 );
	}
}

// ---- The run. ----
$plan = array();
$n    = (int) round( $rate * $seconds );
for ( $i = 0; $i < $n; $i++ ) {
	$plan[] = array( $i / $rate, 0 === $i % 2 ? 'square' : 'shopify' );
}
for ( $i = 0; $i < $checkouts; $i++ ) {
	$plan[] = array( ( $i + 0.5 ) / $web, 'web' );
}
for ( $i = 0, $m = (int) ceil( $pos * $seconds ); $i < $m; $i++ ) {
	$plan[] = array( ( $i + 0.25 ) / $pos, 'pos' );
}
usort( $plan, static fn( $x, $y ) => $x[0] <=> $y[0] );
mt_srand( 17 );

$address = array( 'first_name' => 'Gap', 'last_name' => 'Buyer', 'address_1' => 'Str. 1', 'city' => 'Berlin', 'postcode' => '10115', 'country' => 'DE', 'state' => 'DE-BE', 'email' => 'gap@example.org' );
$changes = array(); // {origin, p, loc, t (ms), ok}
$polls   = array(); // [ms, shown by product]
$poll_ms = array(); // How long each poll took.
$hook_ms = array(); // How long each register sale took (its webhook answered by our route included).
$multi   = curl_multi_init();
$pending = array(); // curl id => [kind, change index]
$post    = static function ( string $url, string $body, array $headers = array(), string $cookie = '' ) {
	$ch = curl_init( $url );
	curl_setopt_array( $ch, array( CURLOPT_POST => true, CURLOPT_POSTFIELDS => $body, CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 30, CURLOPT_HTTPHEADER => array_merge( array( 'Content-Type: application/json' ), $headers ), CURLOPT_COOKIE => $cookie ) );
	return $ch;
};
$poll_in_flight = false;
$next_poll      = 0;
$start          = microtime( true );
$end_plan       = $start + $seconds;
$settle_until   = null;
$k              = 0;
$shopper_i      = 0;
$late           = 0.0;
say( sprintf( 'running %.0f s: %.0f webhooks/s from both, %.1f checkouts/s, %.1f POS sales/s', $seconds, $rate, $web, $pos ) );
while ( true ) {
	$now = microtime( true );
	while ( $k < count( $plan ) && $start + $plan[ $k ][0] <= $now ) {
		list( $due, $origin ) = $plan[ $k++ ];
		$late                 = max( $late, $now - $start - $due );
		if ( 'web' === $origin ) {
			$shopper = $shoppers[ $shopper_i++ ];
			$ch      = $post( "http://127.0.0.1:$port/?rest_route=/wc/store/v1/checkout", (string) wp_json_encode( array( 'billing_address' => $address, 'shipping_address' => $address, 'payment_method' => 'cod' ) ), array( 'Nonce: ' . $shopper['nonce'] ), $shopper['cookie'] );
			$changes[] = array( 'origin' => 'web', 'p' => $shopper['p'], 'loc' => $store_a, 't' => null, 'ok' => false );
		} elseif ( 'pos' === $origin ) {
			$p   = mt_rand( 0, PRODUCTS - 1 );
			$loc = mt_rand( 0, 1 ) ? $store_a : $store_b;
			$t   = ms();
			Plugin::inventory()->record( array( array( 'id' => 'gap-pos-' . $k . '-' . $t, 'kind' => 'adjust', 'product' => $products[ $p ], 'location' => $loc, 'qty' => -1, 'reason' => 'sale', 'at' => $t ) ), array( 'source' => 'pos' ) );
			Plugin::outbox()->kick_written();
			Plugin::sync()->send_kicks();
			$changes[] = array( 'origin' => 'pos', 'p' => $p, 'loc' => $loc, 't' => $t, 'ok' => true );
			continue;
		} else {
			$p         = mt_rand( 0, PRODUCTS - 1 );
			$loc       = mt_rand( 0, 1 ) ? $store_a : $store_b;
			$ch        = $post( $fakes[ $origin ]['fake']->url() . '/_fake/sale', (string) wp_json_encode( array( 'item' => $item( $origin, $p ), 'location' => $fakes[ $origin ]['loc'][ $loc ], 'qty' => 1 ) ) );
			$changes[] = array( 'origin' => $origin, 'p' => $p, 'loc' => $loc, 't' => null, 'ok' => false, 'sent' => ms() );
		}
		curl_multi_add_handle( $multi, $ch );
		$pending[ (int) $ch ] = array( $origin, count( $changes ) - 1 );
	}
	if ( ! $poll_in_flight && $now * 1000 >= $next_poll && ( null === $settle_until || $now < $settle_until ) ) {
		$ch = curl_init( $store_url );
		curl_setopt_array( $ch, array( CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 60 ) );
		curl_multi_add_handle( $multi, $ch );
		$pending[ (int) $ch ] = array( 'poll', ms() ); // Its start.
		$poll_in_flight       = true;
		$next_poll            = $now * 1000 + POLL_MS;
	}
	curl_multi_exec( $multi, $running );
	while ( $done = curl_multi_info_read( $multi ) ) {
		$ch                  = $done['handle'];
		list( $kind, $which ) = $pending[ (int) $ch ];
		unset( $pending[ (int) $ch ] );
		$raw    = (string) curl_multi_getcontent( $ch );
		$status = (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE );
		if ( 'poll' === $kind ) {
			$shown = 200 === $status ? $parse( $raw ) : null;
			if ( $shown ) {
				$polls[] = array( ms(), $shown ); // Answered: what it shows is at least as new as its start.
				$poll_ms[] = ms() - $which;
			}
			$poll_in_flight = false;
		} elseif ( 'web' === $kind ) {
			$changes[ $which ]['t']  = ms();
			$changes[ $which ]['ok'] = 200 === $status;
			if ( 200 !== $status ) {
				say( "checkout answered $status: " . substr( $raw, 0, 200 ) );
			}
		} else {
			$answer                  = json_decode( $raw, true );
			$hook_ms[]               = ms() - $changes[ $which ]['sent'];
			$changes[ $which ]['ok'] = 200 === $status && 200 === ( $answer['deliveries'][0]['status'] ?? 0 );
			if ( ! $changes[ $which ]['ok'] ) {
				say( "$kind sale: $status " . substr( $raw, 0, 300 ) );
			}
		}
		curl_multi_remove_handle( $multi, $ch );
		curl_close( $ch );
	}
	if ( $k >= count( $plan ) && ! array_filter( $pending, static fn( $x ) => 'poll' !== $x[0] ) ) {
		if ( null === $settle_until ) {
			$offered = microtime( true ) - $start;
			say( sprintf( 'offered in %.1f s (latest start %.0f ms behind plan); settling', $offered, $late * 1000 ) );
			$settle_until = microtime( true ) + 120;
			$quiet_since  = null;
		}
		if ( microtime( true ) >= ( $next_quiet_check ?? 0 ) ) {
			// Settled: nothing pending in either outbox or inbox, no webhook queued at a register, for 3 s.
			$next_quiet_check = microtime( true ) + 0.5;
			$busy             = (int) Plugin::database()->value( "SELECT COUNT(*) FROM {$tables->outbox} WHERE status = 'pending'" ) + (int) Plugin::database()->value( "SELECT COUNT(*) FROM {$tables->inbox} WHERE status IN ('new', 'deferred')" );
			foreach ( $fakes as $f ) {
				$busy += count( json_decode( (string) file_get_contents( $f['fake']->state . '/state.json' ), true )['queue'] ?? array() );
			}
			$quiet_since = $busy ? null : ( $quiet_since ?? microtime( true ) );
			if ( null !== $quiet_since && microtime( true ) - $quiet_since >= 3 ) {
				$settle_until = microtime( true );
			}
		}
		if ( microtime( true ) >= $settle_until && ! $poll_in_flight ) {
			break;
		}
	}
	curl_multi_select( $multi, 0.005 );
}
curl_multi_close( $multi );

// A checkout whose answer timed out may have been placed all the same (the shop finishes the
// request): the orders placed say which were made (at their creation time, whole seconds).
$p_of   = array_flip( $products );
$placed = array();
foreach ( wc_get_orders( array( 'limit' => -1, 'billing_email' => $address['email'], 'date_created' => '>=' . (int) floor( $start ) ) ) as $order ) {
	foreach ( $order->get_items() as $line ) {
		if ( isset( $p_of[ $line->get_product_id() ] ) ) {
			$placed[ $p_of[ $line->get_product_id() ] ][] = (int) ( $order->get_date_created()?->getTimestamp() ?? 0 ) * 1000;
		}
	}
}
$web_late = 0;
foreach ( $placed as $p => $times ) {
	$answered = count( array_filter( $changes, static fn( $c ) => 'web' === $c['origin'] && $c['p'] === $p && $c['ok'] ) );
	foreach ( $changes as &$c ) {
		if ( $answered >= count( $times ) ) {
			break;
		}
		if ( 'web' === $c['origin'] && $c['p'] === $p && ! $c['ok'] ) {
			$c['ok'] = true;
			$c['t']  = max( $times );
			++$answered;
			++$web_late;
		}
	}
	unset( $c );
}

// ---- The registers' timelines: "<ms> <sale|api> <item> <location> <qty>". ----
$register_late   = count( array_filter( $changes, static fn( $c ) => isset( $c['sent'] ) && ! $c['ok'] ) );
$register_failed = 0;
$register_asked  = count( array_filter( $changes, static fn( $c ) => isset( $c['sent'] ) ) );
$timeline = array();
foreach ( $fakes as $name => $f ) {
	$item_to_p = array();
	foreach ( $products as $i => $pid ) {
		$item_to_p[ $item( $name, $i ) ] = $i;
	}
	$loc_to_ours = array_flip( $f['loc'] );
	$sales       = array();
	foreach ( file( $f['fake']->state . '/counts.log', FILE_IGNORE_NEW_LINES ) ?: array() as $line ) {
		list( $at, $kind, $it, $lo, $qty ) = explode( ' ', $line );
		$cell                              = $item_to_p[ $it ] . ':' . $loc_to_ours[ $lo ];
		$timeline[ $name ][ $cell ][]      = array( (int) $at, $kind, (int) $qty );
		if ( 'sale' === $kind ) {
			$sales[ $cell ][] = (int) $at;
		}
	}
	// The register's sales are what its log says it sold (a sale whose answer timed out was made
	// all the same), each at the register's own time (when its count moved).
	$changes = array_values( array_filter( $changes, static fn( $c ) => $c['origin'] !== $name ) );
	foreach ( $sales as $cell => $times ) {
		list( $p, $loc ) = array_map( 'intval', explode( ':', $cell ) );
		foreach ( $times as $t ) {
			$changes[] = array( 'origin' => $name, 'p' => $p, 'loc' => $loc, 't' => $t, 'ok' => true );
		}
	}
}
$ok              = array_values( array_filter( $changes, static fn( $c ) => $c['ok'] && null !== $c['t'] ) );
$register_failed = $register_asked - count( array_filter( $ok, static fn( $c ) => 'square' === $c['origin'] || 'shopify' === $c['origin'] ) );

// (a) Store API: the k-th change of a product (by time) is shown once the shown number is k units lower.
$gap_a  = array();
$unseen = array( 'a' => 0, 'b' => 0 );
$by_p   = array();
foreach ( $ok as $c ) {
	$by_p[ $c['p'] ][] = $c['t'];
}
foreach ( $by_p as $p => $times ) {
	sort( $times );
	$pid = $products[ $p ];
	foreach ( $times as $rank => $t ) {
		$seen = null;
		foreach ( $polls as list( $at, $shown ) ) {
			if ( $initial_shown[ $pid ] - $shown[ $pid ] >= $rank + 1 ) {
				$seen = $at;
				break;
			}
		}
		null === $seen ? $unseen['a']++ : $gap_a[] = max( 0, $seen - $t );
	}
}

// (b) The other register: foreign units received by it at a cell = initial - its count - its own sales so far.
$gap_b = array();
foreach ( $fakes as $name => $f ) {
	$foreign = array();
	foreach ( $ok as $c ) {
		if ( $c['origin'] !== $name ) {
			$foreign[ $c['p'] . ':' . $c['loc'] ][] = $c['t'];
		}
	}
	foreach ( $foreign as $cell => $times ) {
		sort( $times );
		list( $p, $loc ) = explode( ':', $cell );
		$initial         = $initial_prov[ $name ][ $item( $name, (int) $p ) . "\n" . $f['loc'][ (int) $loc ] ]['qty'];
		$received        = array(); // [ms, foreign units]
		$own             = 0;
		foreach ( $timeline[ $name ][ $cell ] ?? array() as list( $at, $kind, $qty ) ) {
			'sale' === $kind ? $own++ : $received[] = array( $at, $initial - $qty - $own );
		}
		foreach ( $times as $rank => $t ) {
			$seen = null;
			foreach ( $received as list( $at, $units ) ) {
				if ( $units >= $rank + 1 ) {
					$seen = $at;
					break;
				}
			}
			null === $seen ? $unseen['b']++ : $gap_b[] = max( 0, $seen - $t ); // A checkout's push can land before its answer.
		}
	}
}

// ---- Lost and doubled: the ledger, our cells, the Store API and both registers against what was sold. ----
wp_cache_flush();
$sold = array();
foreach ( $ok as $c ) {
	$sold[ $c['p'] . ':' . $c['loc'] ] = ( $sold[ $c['p'] . ':' . $c['loc'] ] ?? 0 ) + 1;
}
$lost    = 0;
$doubled = 0;
$wrong   = array();
$counts  = array();
foreach ( $fakes as $name => $f ) {
	$counts[ $name ] = $f['fake']->counts();
}
$final_shown = $parse( (string) file_get_contents( $store_url ) );
foreach ( $products as $i => $pid ) {
	$shown_expected = 0;
	foreach ( array( $store_a, $store_b ) as $loc ) {
		$available = max( 0, Plugin::inventory()->sellable_at( array( $pid ), $loc )[ $pid ] );
		$expected  = STOCK - ( $sold[ "$i:$loc" ] ?? 0 );
		$diff      = $available - $expected;
		$lost     += max( 0, $diff );
		$doubled  += max( 0, -$diff );
		$shown_expected += $expected;
		foreach ( $fakes as $name => $f ) {
			$theirs = $counts[ $name ][ $item( $name, $i ) . "\n" . $f['loc'][ $loc ] ]['qty'] ?? null;
			if ( $theirs !== $expected ) {
				$wrong[] = "$name $i@$loc: $theirs, not $expected";
			}
		}
	}
	if ( ( $final_shown[ $pid ] ?? null ) !== $shown_expected ) {
		$wrong[] = "Store API $i: " . ( $final_shown[ $pid ] ?? 'null' ) . ", not $shown_expected";
	}
}
// The ledger's external sales per connection against the sales each register made.
$ledger = array();
foreach ( $fakes as $name => $f ) {
	$ledger[ $name ] = -(int) Plugin::database()->value( Plugin::database()->prepare( "SELECT COALESCE(SUM(qty), 0) FROM {$tables->ledger} WHERE source = %s AND kind = 'adjust'", $name ) );
	$made            = count( array_filter( $ok, static fn( $c ) => $c['origin'] === $name ) );
	if ( $ledger[ $name ] !== $made ) {
		$wrong[] = "ledger: $name sales {$ledger[ $name ]}, the register made $made";
	}
}

$a = quantiles( $gap_a );
$b = quantiles( $gap_b );
$anchor_best = 15 * 60 * 1000;
$by_origin   = array_count_values( array_column( $ok, 'origin' ) );
$failed      = count( $changes ) - count( $ok ) + $register_failed;
say( sprintf( 'settled %.1f s after the last change was offered', microtime( true ) - $start - $offered ) );
printf( "\nSync gap, %.0f s: %d changes (%s), %d failed to be made (%d register sales and %d checkouts answered late but made); %d shop workers; %s\n", $seconds, count( $ok ), implode( ', ', array_map( static fn( $o, $n ) => "$n $o", array_keys( $by_origin ), $by_origin ) ), $failed, $register_late, $web_late, $workers, php_uname( 'n' ) );
printf( "%-38s %8s %8s %8s %8s %s\n", '', 'n', 'p50 ms', 'p99 ms', 'max ms', 'not seen' );
printf( "%-38s %8d %8s %8s %8s %d\n", '(a) change -> Store API shows it', $a['n'], $a['p50'], $a['p99'], $a['max'], $unseen['a'] );
printf( "%-38s %8d %8s %8s %8s %d\n", '(b) change -> the other register has it', $b['n'], $b['p50'], $b['p99'], $b['max'], $unseen['b'] );
printf( "%-38s %8s %8s %8s\n", 'WooCommerce-Square (polling)', '', '15 min', '60 min' );
foreach ( array( 'a' => $a, 'b' => $b ) as $name => $q ) {
	if ( $q['p99'] ) {
		printf( "(%s) p99 is %s x shorter than a 15-minute poll (%s x than 60 minutes)\n", $name, number_format( $anchor_best / max( 1, $q['p99'] ) ), number_format( 4 * $anchor_best / max( 1, $q['p99'] ) ) );
	}
}
printf( "lost units %d, doubled units %d; final numbers that disagree: %d%s\n", $lost, $doubled, count( $wrong ), $wrong ? ' (' . implode( '; ', array_merge( array_filter( $wrong, static fn( $w ) => str_starts_with( $w, 'ledger' ) ), array_slice( $wrong, 0, 6 ) ) ) . ')' : '' );
// Changes of ours a register applied more than once (the same key twice in its applied.log).
$twice = array();
foreach ( $fakes as $name => $f ) {
	$keys           = array_count_values( file( $f['fake']->state . '/applied.log', FILE_IGNORE_NEW_LINES ) ?: array() );
	$twice[ $name ] = count( array_filter( $keys, static fn( int $n ): bool => $n > 1 ) );
}
printf( "changes of ours applied more than once: %s\n", wp_json_encode( $twice ) );
$kinds = Plugin::database()->rows( "SELECT source, kind, reason, COUNT(*) AS n, SUM(qty) AS qty FROM {$tables->ledger} WHERE source IN ('square', 'shopify', 'pos') GROUP BY source, kind, reason" );
printf( "ledger: %s\n", wp_json_encode( $kinds ) );
printf( "poll every %d ms (%d polls); plan ran late by up to %.0f ms\n", POLL_MS, count( $polls ), $late * 1000 );

printf( "one request of the shop, idle: a Store API products page %s ms, an unsigned webhook (401) %s ms (medians of 5)\n", quantiles( $cost['store'] )['p50'], quantiles( $cost['hook'] )['p50'] );
// Where the time goes: a Store API poll, a register sale (its webhook answered), a delivery's wait in
// the inbox (received -> processed), and what is left behind.
$q = quantiles( $poll_ms );
printf( "a Store API poll took p50 %s ms, max %s ms\n", $q['p50'], $q['max'] );
$q = quantiles( $hook_ms );
printf( "a register sale (its signed webhook answered by /hooks) took p50 %s ms, p99 %s ms, max %s ms\n", $q['p50'], $q['p99'], $q['max'] );
foreach ( $fakes as $name => $f ) {
	$rows = Plugin::database()->rows( Plugin::database()->prepare( "SELECT status, received_at, processed_at FROM {$tables->inbox} WHERE connection_id = %d AND received_at >= %d", $f['id'], (int) ( $start * 1000 ) ) );
	$wait = array();
	foreach ( $rows as $row ) {
		if ( (int) $row['processed_at'] > 0 ) {
			$wait[] = (int) $row['processed_at'] - (int) $row['received_at'];
		}
	}
	$q = quantiles( $wait );
	printf( "%s inbox: %s; received -> processed p50 %s ms, p99 %s ms, max %s ms\n", $name, wp_json_encode( array_count_values( array_column( $rows, 'status' ) ) ), $q['p50'], $q['p99'], $q['max'] );
	$left = Plugin::database()->rows( Plugin::database()->prepare( "SELECT status, COUNT(*) AS n, MAX(attempts) AS attempts, MAX(last_error) AS error FROM {$tables->outbox} WHERE connector = %d AND status <> 'done' GROUP BY status", $f['id'] ) );
	printf( "%s outbox rows not done: %s\n", $name, wp_json_encode( $left ) );
}
