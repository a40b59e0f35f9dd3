<?php
/**
 * Sends a fake provider's queued webhooks (the echoes of API writes), after the API answered:
 * `php deliver.php <state dir>`, started detached by Fake::run().
 *
 * @package Omnistock
 */

require __DIR__ . '/Fake.php';

use Omnistock\Tests\Providers\Fake;

$dir = $argv[1];
// One deliverer at a time keeps a fake's webhooks in the order it queued them.
$gate = fopen( "$dir/deliver.lock", 'c' );
flock( $gate, LOCK_EX );
while ( true ) {
	$next = Fake::locked(
		$dir,
		function ( array &$state ): ?array {
			$delay = (int) ( $state['config']['echo_delay_ms'] ?? 0 );
			if ( $delay > 0 ) {
				usleep( $delay * 1000 );
			}
			return $state['queue'][0] ?? null;
		}
	);
	if ( null === $next ) {
		break;
	}
	Fake::send( $dir, $next );
	// Off the queue only once sent and recorded: "queued 0" (GET /_fake/sent) means all were sent.
	Fake::locked(
		$dir,
		static function ( array &$state ): void {
			array_shift( $state['queue'] );
		}
	);
}
flock( $gate, LOCK_UN );
