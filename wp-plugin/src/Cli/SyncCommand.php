<?php
/**
 * `wp omnistock sync`.
 *
 * @package Omnistock
 */

namespace Omnistock\Cli;

use Omnistock\Connectors\Connections;
use Omnistock\Connectors\Sync;
use WP_CLI;

defined( 'ABSPATH' ) || exit;

/**
 * Runs the connections' sync (inbox, outbox, reconciliation): once, or in a loop for a system cron
 * or a supervisor.
 */
final class SyncCommand {

	/**
	 * Takes its dependencies.
	 *
	 * @param Sync        $sync        The sync runner.
	 * @param Connections $connections Connections.
	 */
	public function __construct( private readonly Sync $sync, private readonly Connections $connections ) {
	}

	/**
	 * Adds the command.
	 *
	 * @param Sync        $sync        The sync runner.
	 * @param Connections $connections Connections.
	 */
	public static function register( Sync $sync, Connections $connections ): void {
		WP_CLI::add_command( 'omnistock sync', new self( $sync, $connections ) );
	}

	/**
	 * Runs one connection or every active one, and prints each report (JSON, one line each).
	 *
	 * ## OPTIONS
	 *
	 * [--connection=<id>]
	 * : Only this connection.
	 *
	 * [--loop]
	 * : Run again and again, until stopped.
	 *
	 * [--interval=<seconds>]
	 * : With --loop, the pause between runs (default 1; decimals allowed).
	 *
	 * ## EXAMPLES
	 *
	 *     wp omnistock sync run
	 *     wp omnistock sync run --connection=2 --loop --interval=0.5
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function run( array $args, array $assoc_args ): void {
		unset( $args );
		$only     = isset( $assoc_args['connection'] ) ? (int) $assoc_args['connection'] : null;
		$loop     = ! empty( $assoc_args['loop'] );
		$interval = max( 0.05, (float) ( $assoc_args['interval'] ?? 1 ) );
		if ( null !== $only && $only <= 0 ) {
			WP_CLI::error( __( '--connection must be a connection id', 'omnistock' ) );
		}
		do {
			$ids = null === $only ? $this->connections->active_ids() : array( $only );
			foreach ( $ids as $id ) {
				$report = Guard::run( fn() => $this->sync->run( $id, true ) );
				WP_CLI::line( (string) wp_json_encode( $report ) );
			}
			if ( $loop ) {
				usleep( (int) ( $interval * 1000000 ) );
			}
		} while ( $loop );
		if ( null === $only && ! $ids ) {
			WP_CLI::line( __( 'No active connection.', 'omnistock' ) );
		}
	}
}
