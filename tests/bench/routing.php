<?php
/**
 * Benchmark of the router (issue 16): ORDERS orders of 1–10 lines over LOCATIONS locations, each
 * decided by the shop's chain of rules (Omnistock\Inventory\Router::rank() then ::assign(): serving
 * zone, fewest shipments, nearest, priority) against today's router on main — the first location
 * by priority that covers the whole order, else each line at the first by priority that has it —
 * in the same run, over the same stock. Prints decisions per second (CPU time) and shipments per
 * order; then, on small cases (SMALL_ORDERS orders of 1–6 lines over SMALL_LOCATIONS locations),
 * both against the best possible, found by an exact solver (every set of locations, smallest
 * first).
 *
 * Only the decision is timed: the stock is in memory (what Router::plan() reads from the inventory
 * first, one stock() query per product, is the same for both and is not measured here).
 *
 *   php tests/bench/routing.php
 *
 * Fixed counts and a fixed seed; each time is the median of RUNS runs.
 *
 * @package Omnistock
 */

require_once dirname( __DIR__ ) . '/lib/bench.php';

const RUNS            = 5;
const ORDERS          = 10000;
const LOCATIONS       = 50;
const PRODUCTS        = 2000;
const SMALL_ORDERS    = 2000;
const SMALL_LOCATIONS = 10;

define( 'ABSPATH', __DIR__ . '/' );
if ( ! function_exists( '__' ) ) {
	/**
	 * WordPress's translation, for the domain classes' error messages.
	 *
	 * @param string $text Text.
	 */
	function __( string $text ): string {
		return $text;
	}
}
require_once dirname( __DIR__, 2 ) . '/wp-plugin/src/Error.php';
require_once dirname( __DIR__, 2 ) . '/wp-plugin/src/BadInput.php';
require_once dirname( __DIR__, 2 ) . '/wp-plugin/src/Inventory/InvalidEvent.php';
require_once dirname( __DIR__, 2 ) . '/wp-plugin/src/Inventory/Destination.php';
require_once dirname( __DIR__, 2 ) . '/wp-plugin/src/Inventory/Router.php';

use Omnistock\Inventory\Destination;
use Omnistock\Inventory\Router;

/**
 * A shop: locations (priority order, coordinates in Germany, no zone limits) and what each sells.
 *
 * @return array{0: list<array>, 1: array<int, array<int, int>>}
 */
function bench_shop( int $locations, float $stocked ): array {
	$rows     = array();
	$sellable = array();
	for ( $l = 1; $l <= $locations; $l++ ) {
		$rows[] = array(
			'id'             => $l,
			'ships_online'   => true,
			'shipping_zones' => array(),
			'latitude'       => 47.5 + mt_rand( 0, 5500 ) / 1000,
			'longitude'      => 6.0 + mt_rand( 0, 9000 ) / 1000,
		);
		for ( $p = 1; $p <= PRODUCTS; $p++ ) {
			if ( mt_rand() / mt_getrandmax() < $stocked ) {
				$sellable[ $l ][ $p ] = mt_rand( 1, 6 );
			}
		}
	}
	return array( $rows, $sellable );
}

/**
 * Orders of distinct products, 1–$most lines of 1–3 units, each with a destination.
 *
 * @return list<array{0: array<int, array{0:int, 1:int}>, 1: Destination}>
 */
function bench_orders( int $count, int $most ): array {
	$orders = array();
	for ( $i = 0; $i < $count; $i++ ) {
		$lines = array();
		$n     = mt_rand( 1, $most );
		$used  = array();
		while ( count( $lines ) < $n ) {
			$product = mt_rand( 1, PRODUCTS );
			if ( ! isset( $used[ $product ] ) ) {
				$used[ $product ]          = true;
				$lines[ 1000 + count( $lines ) ] = array( $product, mt_rand( 1, 3 ) );
			}
		}
		$orders[] = array( $lines, new Destination( null, 47.5 + mt_rand( 0, 5500 ) / 1000, 6.0 + mt_rand( 0, 9000 ) / 1000 ) );
	}
	return $orders;
}

/**
 * Today's router (main's Router::route()) over the same numbers: the first location by priority
 * that covers every line, else each line at the first by priority that still has it.
 *
 * @param array<int, array{0:int, 1:int}> $lines     Lines.
 * @param list<array>                     $locations Locations by priority.
 * @param array<int, array<int, int>>     $sellable  Location => product => units.
 * @return array<int, int|null>
 */
function first_by_priority( array $lines, array $locations, array $sellable ): array {
	$wanted = array();
	foreach ( $lines as list( $product, $qty ) ) {
		$wanted[ $product ] = ( $wanted[ $product ] ?? 0 ) + $qty;
	}
	foreach ( $locations as $location ) {
		$covers = true;
		foreach ( $wanted as $product => $qty ) {
			$covers = $covers && ( $sellable[ $location['id'] ][ $product ] ?? 0 ) >= $qty;
		}
		if ( $covers ) {
			return array_fill_keys( array_keys( $lines ), $location['id'] );
		}
	}
	$routes = array();
	foreach ( $lines as $line => list( $product, $qty ) ) {
		$routes[ $line ] = null;
		foreach ( $locations as $location ) {
			if ( ( $sellable[ $location['id'] ][ $product ] ?? 0 ) >= $qty ) {
				$routes[ $line ]                            = $location['id'];
				$sellable[ $location['id'] ][ $product ] -= $qty;
				break;
			}
		}
	}
	return $routes;
}

/**
 * The fewest locations that cover every line (each whole at one; lines of distinct products), by
 * trying every set of locations, smallest first; null when no set does.
 *
 * @param array<int, array{0:int, 1:int}> $lines    Lines.
 * @param list<int>                       $ids      Location ids.
 * @param array<int, array<int, int>>     $sellable Location => product => units.
 */
function exact_fewest( array $lines, array $ids, array $sellable ): ?int {
	$masks = array();
	$full  = ( 1 << count( $lines ) ) - 1;
	foreach ( $ids as $location ) {
		$mask = 0;
		$i    = 0;
		foreach ( $lines as list( $product, $qty ) ) {
			if ( ( $sellable[ $location ][ $product ] ?? 0 ) >= $qty ) {
				$mask |= 1 << $i;
			}
			++$i;
		}
		$masks[] = $mask;
	}
	$n    = count( $ids );
	$best = null;
	for ( $set = 1; $set < ( 1 << $n ); $set++ ) {
		$size = substr_count( decbin( $set ), '1' );
		if ( null !== $best && $size >= $best ) {
			continue;
		}
		$covered = 0;
		for ( $k = 0; $k < $n; $k++ ) {
			if ( $set & ( 1 << $k ) ) {
				$covered |= $masks[ $k ];
			}
		}
		if ( $covered === $full ) {
			$best = $size;
		}
	}
	return $best;
}

/**
 * The fewest locations that cover every line, for many locations: iterative deepening over the
 * locations that cover the lowest line still uncovered (complete, no budget; lines of distinct
 * products, so each location's lines are a bit mask).
 *
 * @param array<int, array{0:int, 1:int}> $lines    Lines.
 * @param list<int>                       $ids      Location ids.
 * @param array<int, array<int, int>>     $sellable Location => product => units.
 */
function exact_fewest_deep( array $lines, array $ids, array $sellable ): ?int {
	$masks = array();
	$all   = 0;
	foreach ( $ids as $location ) {
		$mask = 0;
		$i    = 0;
		foreach ( $lines as list( $product, $qty ) ) {
			if ( ( $sellable[ $location ][ $product ] ?? 0 ) >= $qty ) {
				$mask |= 1 << $i;
			}
			++$i;
		}
		if ( $mask ) {
			$masks[] = $mask;
		}
		$all |= $mask;
	}
	$full = ( 1 << count( $lines ) ) - 1;
	if ( $all !== $full ) {
		return null;
	}
	$cover = static function ( int $covered, int $k ) use ( &$cover, $masks, $full ): bool {
		if ( $covered === $full ) {
			return true;
		}
		if ( 0 === $k ) {
			return false;
		}
		$open  = $full & ~$covered;
		$first = $open & -$open;
		foreach ( $masks as $mask ) {
			if ( ( $mask & $first ) && $cover( $covered | $mask, $k - 1 ) ) {
				return true;
			}
		}
		return false;
	};
	for ( $k = 1; ; $k++ ) {
		if ( $cover( 0, $k ) ) {
			return $k;
		}
	}
}

/**
 * Shipments of a decision: the distinct locations, or null when a line is not covered.
 *
 * @param array<int, mixed> $routes Line => location, or line => [location => qty].
 */
function shipments( array $routes ): ?int {
	$at = array();
	foreach ( $routes as $route ) {
		if ( null === $route ) {
			return null;
		}
		foreach ( is_array( $route ) ? array_keys( $route ) : array( $route ) as $location ) {
			$at[ $location ] = true;
		}
	}
	return count( $at );
}

/**
 * Decides every order one way; returns [CPU seconds, the decisions].
 *
 * @param callable $decide function( lines, destination ): routes.
 * @param list     $orders Orders.
 */
function bench_time( callable $decide, array $orders ): array {
	$cpu = static function (): float {
		$u = getrusage();
		return $u['ru_utime.tv_sec'] + $u['ru_utime.tv_usec'] / 1e6 + $u['ru_stime.tv_sec'] + $u['ru_stime.tv_usec'] / 1e6;
	};
	$out   = array();
	$start = $cpu();
	foreach ( $orders as list( $lines, $to ) ) {
		$out[] = $decide( $lines, $to );
	}
	return array( $cpu() - $start, $out );
}

mt_srand( 16 );
printf( "PHP %s %s, %s, %d cores, %s\n", PHP_VERSION, PHP_ZTS ? 'ZTS' : 'NTS', php_uname( 'm' ), (int) trim( (string) shell_exec( 'nproc' ) ), function_exists( 'opcache_get_status' ) && @opcache_get_status() ? 'opcache' : 'no opcache' );

list( $locations, $sellable ) = bench_shop( LOCATIONS, 0.08 );
$orders                       = bench_orders( ORDERS, 10 );
$router                       = static fn( $lines, $to ) => Router::assign( $lines, Router::rank( $locations, array(), $to ), $sellable, false );
$today                        = static fn( $lines, $to ) => first_by_priority( $lines, $locations, $sellable );
$times                        = array(
	'router' => array(),
	'today'  => array(),
);
for ( $run = 0; $run < RUNS; $run++ ) {
	list( $t, $decided ) = bench_time( $router, $orders );
	$times['router'][]   = $t;
	list( $t, $baseline ) = bench_time( $today, $orders );
	$times['today'][]     = $t;
}
$both   = 0;
$counts = array(
	'router' => 0,
	'today'  => 0,
);
$fewer  = 0;
$more   = 0;
foreach ( $decided as $i => $routes ) {
	$a = shipments( $routes );
	$b = shipments( $baseline[ $i ] );
	if ( null === $a || null === $b ) {
		continue;
	}
	++$both;
	$counts['router'] += $a;
	$counts['today']  += $b;
	$fewer            += (int) ( $a < $b );
	$more             += (int) ( $a > $b );
}
// The best possible for the same orders (the exact search, not timed).
$best_sum = 0;
$at_best  = 0;
$best_n   = 0;
$ids_all  = array_column( $locations, 'id' );
foreach ( $orders as $i => list( $lines ) ) {
	$a = shipments( $decided[ $i ] );
	$b = shipments( $baseline[ $i ] );
	if ( null === $a || null === $b ) {
		continue;
	}
	$best      = (int) exact_fewest_deep( $lines, $ids_all, $sellable );
	$best_sum += $best;
	$at_best  += (int) ( $a === $best );
	++$best_n;
}
$router_s = bench_median( $times['router'] );
$today_s  = bench_median( $times['today'] );
printf( "\n%d orders of 1-10 lines over %d locations (median of %d runs, CPU time):\n", ORDERS, LOCATIONS, RUNS );
printf( "  router (rules):      %8.0f decisions/s  (%.3f s)\n", ORDERS / $router_s, $router_s );
printf( "  first by priority:   %8.0f decisions/s  (%.3f s)\n", ORDERS / $today_s, $today_s );
printf( "  speed, router/today: %.2fx\n", $today_s / $router_s );
printf( "  shipments per order (the %d orders both route whole): router %.3f, first by priority %.3f, ratio %.3f; router fewer in %d, more in %d\n", $both, $counts['router'] / $both, $counts['today'] / $both, $counts['router'] / $counts['today'], $fewer, $more );
printf( "  best possible (exact search, same orders): %.3f; router %.3f of best (optimal in %.1f%%), first by priority %.3f of best\n", $best_sum / $best_n, $counts['router'] / $best_sum, 100 * $at_best / $best_n, $counts['today'] / $best_sum );

// Small cases: against the best possible.
list( $small_locations, $small_sellable ) = bench_shop( SMALL_LOCATIONS, 0.35 );
$small_orders                             = bench_orders( SMALL_ORDERS, 6 );
$ids                                      = array_column( $small_locations, 'id' );
$sum                                      = array(
	'router' => 0,
	'today'  => 0,
	'best'   => 0,
);
$optimal                                  = array(
	'router' => 0,
	'today'  => 0,
);
$n                                        = 0;
foreach ( $small_orders as list( $lines, $to ) ) {
	$best = exact_fewest( $lines, $ids, $small_sellable );
	if ( null === $best ) {
		continue; // No set of locations covers it: neither router can.
	}
	$a = shipments( Router::assign( $lines, Router::rank( $small_locations, array(), $to ), $small_sellable, false ) );
	$b = shipments( first_by_priority( $lines, $small_locations, $small_sellable ) );
	if ( null === $a || null === $b ) {
		fwrite( STDERR, "an order the exact solver covers was left uncovered\n" );
		exit( 1 );
	}
	++$n;
	$sum['router']     += $a;
	$sum['today']      += $b;
	$sum['best']       += $best;
	$optimal['router'] += (int) ( $a === $best );
	$optimal['today']  += (int) ( $b === $best );
}
printf( "\n%d small orders (1-6 lines, %d locations) that some set of locations covers, against the exact solver:\n", $n, SMALL_LOCATIONS );
printf( "  shipments per order: best %.3f, router %.3f (%.3f of best, optimal in %.1f%%), first by priority %.3f (%.3f of best, optimal in %.1f%%)\n", $sum['best'] / $n, $sum['router'] / $n, $sum['router'] / $sum['best'], 100 * $optimal['router'] / $n, $sum['today'] / $n, $sum['today'] / $sum['best'], 100 * $optimal['today'] / $n );
