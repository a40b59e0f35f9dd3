<?php
/**
 * The batches the SIGKILL test's worker records, and that the test replays afterwards: one
 * definition, so the replay is always the same events the worker was killed in the middle of.
 *
 * @package Omnistock
 */

/**
 * Batch $i of worker $w: +2 at the source, then a transfer of 1 to $to.
 *
 * @param int $w  Worker number.
 * @param int $i  Batch number.
 * @param int $p  Product.
 * @param int $l  Source location.
 * @param int $to Destination location.
 * @return array<int, array<string, int|string>>
 */
function omnistock_test_batch( int $w, int $i, int $p, int $l, int $to ): array {
	$at = 1000000 + $w * 100000 + $i;
	return array(
		array(
			'id'       => "rec:$w:$i:in",
			'kind'     => 'adjust',
			'product'  => $p,
			'location' => $l,
			'qty'      => 2,
			'at'       => $at,
		),
		array(
			'id'       => "rec:$w:$i:move",
			'kind'     => 'transfer',
			'product'  => $p,
			'location' => $l,
			'to'       => $to,
			'qty'      => 1,
			'at'       => $at,
		),
	);
}
