<?php
/**
 * What every benchmark under tests/bench/ shares.
 *
 * @package Omnistock
 */

/**
 * The median of some measurements (the mean of the middle two for an even count).
 *
 * @param list<int|float> $xs Measurements.
 */
function bench_median( array $xs ): float {
	sort( $xs );
	$n = count( $xs );
	return (float) ( $n % 2 ? $xs[ intdiv( $n, 2 ) ] : ( $xs[ $n / 2 - 1 ] + $xs[ $n / 2 ] ) / 2 );
}
