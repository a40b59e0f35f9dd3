<?php
/**
 * The sync runner: one connection's inbox, outbox and reconciliation, one process at a time.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\Tables;
use Omnistock\Unavailable;

defined( 'ABSPATH' ) || exit;

/**
 * Each run (run()) holds the connection's named lock `omnistock_sync_<id>` (waiting 0 s: when another process
 * runs the connection, it answers "busy"); under it the inbox becomes events, the outbox is pushed,
 * and the deferred webhooks go again. After releasing the lock it looks once more for due work and
 * runs again if there is, so a kick that found the lock taken is not lost.
 *
 * What starts it: kick() (a stock change of this request, a webhook just stored) sends a request
 * to the site itself that it does not wait for (POST .../connections/<id>/sync/kick with an HMAC
 * token; over http a raw socket write of a few hundred bytes, which every web server, `php -S` with
 * several workers included, serves in another worker); a recurring job every minute (Action
 * Scheduler, else WP-Cron) runs every active connection and, every 5 minutes, reconciles it; and
 * `wp omnistock sync run --loop` for a system cron.
 */
final class Sync {

	public const LOCK_PREFIX = 'omnistock_sync_';

	/** The recurring job (every minute). */
	public const TICK_HOOK = 'omnistock_connectors_tick';

	/** Reconciliation runs at most this often per connection (ms). */
	public const RECONCILE_EVERY_MS = 300000;

	/** How often a connection with cells waiting for the register's first count is read for it (ms). */
	public const BASELINE_RECONCILE_MS = 30000;

	/** A kick's token is good this long (s). */
	public const KICK_TTL = 300;

	/** WP-Cron's schedule of the tick, when Action Scheduler is not there. */
	public const CRON_SCHEDULE = 'omnistock_every_minute';

	/**
	 * Connections to kick at the end of this request.
	 *
	 * @var array<int, true>
	 */
	private array $kicks = array();

	/**
	 * Takes its dependencies.
	 *
	 * @param Database      $db          The database.
	 * @param Tables        $tables      Table names.
	 * @param Connections   $connections Connections.
	 * @param Outbox        $outbox      The outbox.
	 * @param \Closure|null $inbox       function( Connection ): array — turns the inbox into events (Connectors\Inbox::process), or null.
	 * @param \Closure|null $reconcile   function( Connection ): array — reconciles (Connectors\Reconciler::reconcile), or null.
	 * @param \Closure|null $provider    function( Connection ): Provider — default Providers::get( $connection->provider ).
	 */
	public function __construct(
		private readonly Database $db,
		private readonly Tables $tables,
		private readonly Connections $connections,
		private readonly Outbox $outbox,
		private readonly ?\Closure $inbox = null,
		private readonly ?\Closure $reconcile = null,
		private readonly ?\Closure $provider = null
	) {
	}

	/**
	 * Schedules the tick once while some connection exists: Action Scheduler (bundled with
	 * WooCommerce), else WP-Cron. Checked once per request from an autoloaded option.
	 */
	public static function schedule(): void {
		if ( ! Connections::any() ) {
			return;
		}
		$action_scheduler = function_exists( 'as_has_scheduled_action' ) && function_exists( 'as_schedule_recurring_action' ) && ( did_action( 'action_scheduler_init' ) || ( class_exists( \ActionScheduler::class ) && \ActionScheduler::is_initialized() ) );
		$how              = $action_scheduler ? 'as' : 'cron';
		if ( get_option( 'omnistock_sync_scheduled' ) === $how ) {
			return;
		}
		if ( $action_scheduler ) {
			if ( ! as_has_scheduled_action( self::TICK_HOOK ) ) {
				as_schedule_recurring_action( time() + MINUTE_IN_SECONDS, MINUTE_IN_SECONDS, self::TICK_HOOK, array(), 'omnistock' );
			}
			wp_clear_scheduled_hook( self::TICK_HOOK );
		} elseif ( ! wp_next_scheduled( self::TICK_HOOK ) ) {
			wp_schedule_event( time() + MINUTE_IN_SECONDS, self::CRON_SCHEDULE, self::TICK_HOOK );
		}
		update_option( 'omnistock_sync_scheduled', $how, true );
	}

	/**
	 * Stops the tick (deactivation).
	 */
	public static function unschedule(): void {
		wp_clear_scheduled_hook( self::TICK_HOOK );
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( self::TICK_HOOK );
		}
		delete_option( 'omnistock_sync_scheduled' );
	}

	/**
	 * The recurring job: every active connection, reconciled when its last one is 5 minutes old.
	 *
	 * @return array<int, array> Reports by connection id.
	 */
	public function tick(): array {
		$out = array();
		foreach ( $this->connections->active_ids() as $id ) {
			$out[ $id ] = $this->run( $id, true );
		}
		return $out;
	}

	/**
	 * Runs a connection: inbox, outbox, the deferred inbox again, and reconciliation when asked and due.
	 *
	 * @param int  $id        Connection id.
	 * @param bool $reconcile Also reconcile, when the last reconciliation is older than 5 minutes.
	 * @param bool $force     With $reconcile: reconcile whenever the last one was (on demand).
	 * @return array{connection: int, status: string, inbox: ?array, pushed: int, acknowledged: int, failed: int, dead: int, done: int, deferred: int, remaining: int, reconciled: ?array}
	 * @throws Unavailable When the work failed for a reason other than the lock being taken (and
	 *                     \Omnistock\Refused, NotFound, when there is no such connection).
	 */
	public function run( int $id, bool $reconcile = false, bool $force = false ): array {
		$connection = $this->connections->get( $id );
		$report     = array(
			'connection'   => $id,
			'status'       => 'ran',
			'inbox'        => null,
			'pushed'       => 0,
			'acknowledged' => 0,
			'failed'       => 0,
			'dead'         => 0,
			'done'         => 0,
			'deferred'     => 0,
			'remaining'    => 0,
			'reconciled'   => null,
		);
		if ( 'active' !== $connection->status ) {
			$report['status'] = 'paused';
			return $report;
		}
		$provider = $this->provider ? ( $this->provider )( $connection ) : Providers::get( $connection->provider );
		/**
		 * How long one run may go on pushing (seconds).
		 *
		 * @param int $seconds Default 20.
		 */
		$deadline = microtime( true ) + (float) apply_filters( 'omnistock_sync_budget_seconds', 20 );
		for ( $pass = 0; $pass < 10; $pass++ ) {
			try {
				$this->db->locked(
					self::LOCK_PREFIX . $id,
					function () use ( $connection, $provider, $reconcile, $force, $deadline, &$report ): void {
						$this->work( $connection, $provider, $reconcile, $force, $deadline, $report );
					},
					0,
					'omnistock_sync_busy',
					__( 'This connection is being synchronised by another process.', 'omnistock' )
				);
			} catch ( Unavailable $e ) {
				if ( 'omnistock_sync_busy' !== $e->error_code() ) {
					throw $e;
				}
				if ( 0 === $pass ) {
					$report['status'] = 'busy';
				}
				break;
			}
			$reconcile = false;
			// Look again, lock released: a kick that found it taken left its work to us.
			$more = $this->outbox->has_due( $id ) || $this->inbox_new( $id );
			if ( ! $more ) {
				break;
			}
			if ( microtime( true ) >= $deadline || 9 === $pass ) {
				$this->queue_kick( $id ); // Work is left and this run stops: another request takes it.
				break;
			}
		}
		$report['remaining'] = $this->outbox->health( $id )['depth'];
		return $report;
	}

	/**
	 * Reconciles a connection now (on demand: the screen, REST, WP-CLI), under its lock as every run:
	 * the inbox first, then the register's counts against ours, then the corrections pushed.
	 *
	 * @param int $id Connection id.
	 * @return array{connection: int, status: string, read: int, cells: list<array>, sync: array} The
	 *         reconciliation's report (per cell: register, ours, drift, corrected) and the run's.
	 * @throws Unavailable When another process is running the connection (omnistock_sync_busy),
	 *                     reconciliation is not wired in, or the register cannot be read; \Omnistock\Refused
	 *                     (NotFound) when there is no such connection.
	 */
	public function reconcile( int $id ): array {
		if ( ! $this->reconcile ) {
			throw new Unavailable( 'omnistock_reconcile_unavailable', __( 'Reconciliation is not available on this site.', 'omnistock' ) );
		}
		$report = $this->run( $id, true, true );
		if ( 'busy' === $report['status'] ) {
			throw new Unavailable( 'omnistock_sync_busy', __( 'This connection is being synchronised by another process. Try again in a moment.', 'omnistock' ) );
		}
		$reconciled = $report['reconciled'] ?? array(
			'read'  => 0,
			'cells' => array(),
		);
		unset( $report['reconciled'] );
		return array(
			'connection' => $id,
			'status'     => $report['status'],
			'read'       => (int) ( $reconciled['read'] ?? 0 ),
			'cells'      => array_values( (array) ( $reconciled['cells'] ?? array() ) ),
			'sync'       => $report,
		);
	}

	/**
	 * The work under the lock: passes until nothing is due (waiting for work due within 1.5 s, as
	 * after a short Retry-After) or the time is up.
	 *
	 * @param Connection $connection The connection.
	 * @param Provider   $provider   Its provider.
	 * @param bool       $reconcile  Reconcile when due.
	 * @param bool       $force      Reconcile even when not due.
	 * @param float      $deadline   microtime() to stop at.
	 * @param array      $report     The report, moved.
	 */
	private function work( Connection $connection, Provider $provider, bool $reconcile, bool $force, float $deadline, array &$report ): void {
		$this->process_inbox( $connection, $report );
		if ( $reconcile && $this->reconcile && ( $force || $this->reconcile_due( $connection->id ) ) ) {
			$report['reconciled'] = ( $this->reconcile )( $connection );
		}
		do {
			$drained = $this->outbox->drain( $connection, $provider );
			foreach ( $drained as $name => $n ) {
				$report[ $name ] += $n;
			}
			if ( $this->reconcile && null === $report['reconciled'] && $this->outbox->awaits_baseline( $connection->id ) && $this->reconcile_due( $connection->id, self::BASELINE_RECONCILE_MS ) ) {
				// Where the register is the system of record, our number waits for its first count: read it now.
				$report['reconciled'] = ( $this->reconcile )( $connection );
			}
			if ( $drained['pushed'] > 0 ) {
				$this->process_inbox( $connection, $report ); // Webhooks deferred while the pushes were in flight.
			}
			if ( $this->outbox->has_due( $connection->id ) ) {
				continue;
			}
			$next = $this->outbox->next_due_at( $connection->id );
			$wait = null === $next ? null : $next - Database::now_ms();
			if ( null === $wait || $wait > 1500 || microtime( true ) + $wait / 1000 >= $deadline ) {
				break;
			}
			usleep( max( 0, $wait ) * 1000 + 1000 );
		} while ( microtime( true ) < $deadline );
	}

	/**
	 * Turns the connection's inbox into events, when the inbox is wired in.
	 *
	 * @param Connection $connection The connection.
	 * @param array      $report     The report, moved.
	 */
	private function process_inbox( Connection $connection, array &$report ): void {
		if ( ! $this->inbox ) {
			return;
		}
		$stats = ( $this->inbox )( $connection );
		if ( ! is_array( $stats ) ) {
			return;
		}
		$report['inbox'] ??= array();
		foreach ( $stats as $name => $n ) {
			$report['inbox'][ $name ] = ( $report['inbox'][ $name ] ?? 0 ) + (int) $n;
		}
	}

	/**
	 * Whether the connection's inbox has deliveries not processed yet.
	 *
	 * @param int $id Connection id.
	 */
	private function inbox_new( int $id ): bool {
		return $this->inbox && null !== $this->db->value( $this->db->prepare( "SELECT id FROM {$this->tables->inbox} WHERE connection_id = %d AND status = 'new' LIMIT 1", $id ) );
	}

	/**
	 * Whether the connection's last reconciliation is older than $every.
	 *
	 * @param int $id    Connection id.
	 * @param int $every Milliseconds (default RECONCILE_EVERY_MS).
	 */
	private function reconcile_due( int $id, int $every = self::RECONCILE_EVERY_MS ): bool {
		$last = (int) $this->db->value( $this->db->prepare( "SELECT last_reconcile_at FROM {$this->tables->connections} WHERE id = %d", $id ) );
		return Database::now_ms() - $last >= $every;
	}

	/**
	 * Notes a connection to kick when this request ends (omnistock_connector_kick).
	 *
	 * @param int|string $id Connection id.
	 */
	public function queue_kick( $id ): void {
		$id = (int) $id;
		if ( $id > 0 ) {
			$this->kicks[ $id ] = true;
		}
	}

	/**
	 * Kicks the connections noted in this request.
	 */
	public function send_kicks(): void {
		$kicks       = array_keys( $this->kicks );
		$this->kicks = array();
		foreach ( $kicks as $id ) {
			// A run of the connection holds its lock: it looks for new work after releasing it
			// (run()), so this request's inbox or outbox rows, committed now, are seen there. A kick
			// would only cost the site a request that answers "busy" (most kicks, under load).
			if ( null !== $this->db->value( $this->db->prepare( 'SELECT IS_USED_LOCK(%s)', self::LOCK_PREFIX . $id ) ) ) {
				continue;
			}
			$this->kick( $id );
		}
	}

	/**
	 * Asks the site to run a connection now, in another request that this one does not wait for.
	 *
	 * @param int $id Connection id.
	 * @return bool Whether the request went out.
	 */
	public function kick( int $id ): bool {
		$url   = rest_url( 'omnistock/v1/connections/' . $id . '/sync/kick' );
		$ts    = time();
		$body  = (string) wp_json_encode(
			array(
				'ts'    => $ts,
				'token' => self::token( $id, $ts ),
			)
		);
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) ) {
			return false;
		}
		if ( 'http' !== ( $parts['scheme'] ?? '' ) ) {
			// TLS: WordPress's own non-blocking request, as spawn_cron() sends.
			$sent = wp_remote_post(
				$url,
				array(
					'blocking'  => false,
					'timeout'   => 0.05,
					'headers'   => array( 'Content-Type' => 'application/json' ),
					'body'      => $body,
					'sslverify' => (bool) apply_filters( 'https_local_ssl_verify', false ),
				)
			);
			return ! is_wp_error( $sent );
		}
		$port   = (int) ( $parts['port'] ?? 80 );
		$target = ( $parts['path'] ?? '/' ) . ( isset( $parts['query'] ) ? '?' . $parts['query'] : '' );
		$errno  = 0;
		$error  = '';
		$socket = @stream_socket_client( 'tcp://' . $parts['host'] . ':' . $port, $errno, $error, 1.0 ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- a site that does not answer itself: the recurring job runs the connection.
		if ( false === $socket ) {
			return false;
		}
		$request = "POST $target HTTP/1.1\r\nHost: {$parts['host']}:$port\r\nContent-Type: application/json\r\nContent-Length: " . strlen( $body ) . "\r\nConnection: close\r\n\r\n" . $body;
		// The whole request is in the server's buffer when the write returns; its answer is not read.
		$written = fwrite( $socket, $request ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fwrite -- a socket.
		fclose( $socket ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- a socket.
		return strlen( $request ) === $written;
	}

	/**
	 * The kick token of a connection at a time.
	 *
	 * @param int $id Connection id.
	 * @param int $ts Unix time.
	 */
	public static function token( int $id, int $ts ): string {
		return hash_hmac( 'sha256', "omnistock-sync-kick|$id|$ts", wp_salt( 'nonce' ) );
	}

	/**
	 * Whether a kick's token is ours and recent.
	 *
	 * @param int    $id    Connection id.
	 * @param int    $ts    Its time.
	 * @param string $token Its token.
	 */
	public static function verify( int $id, int $ts, string $token ): bool {
		return abs( time() - $ts ) <= self::KICK_TTL && hash_equals( self::token( $id, $ts ), $token );
	}
}
