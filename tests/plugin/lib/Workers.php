<?php
/**
 * Starts worker processes (tests/plugin/workers/worker.php) and collects their JSON lines.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

/**
 * Each child loads WordPress, says "ready", and starts when the go file appears, so that they
 * really race.
 */
final class Workers {

	/** @var list<array{proc: resource, out: resource, pid: int, lines: list<array>, buffer: string}> */
	private array $children = array();
	private string $go_file;

	private string $segment;

	public function __construct( private readonly string $backend, ?string $segment = null ) {
		$this->segment = $segment ?? TestCase::segment();
		$this->go_file = sys_get_temp_dir() . '/omnistock-go-' . getmypid() . '-' . uniqid();
	}

	/**
	 * Starts one child.
	 *
	 * @return int Its index.
	 */
	public function start( string $op, array $args ): int {
		$cmd  = array( PHP_BINARY, '-d', 'extension=' . getenv( 'OMNISTOCK_EXTENSION' ), __DIR__ . '/../workers/worker.php', $this->backend, $this->segment, $this->go_file, $op, json_encode( $args ) );
		$proc = proc_open( $cmd, array( 1 => array( 'pipe', 'w' ), 2 => array( 'file', getenv( 'OMNISTOCK_WORKER_LOG' ) ?: '/dev/null', 'a' ) ), $pipes );
		stream_set_blocking( $pipes[1], false );
		$this->children[] = array(
			'proc'   => $proc,
			'out'    => $pipes[1],
			'pid'    => proc_get_status( $proc )['pid'],
			'lines'  => array(),
			'buffer' => '',
		);
		return count( $this->children ) - 1;
	}

	/**
	 * Waits until every child is ready, then lets them all go at once.
	 */
	public function go( float $timeout = 60.0 ): void {
		$this->wait_for( fn() => array_reduce( array_keys( $this->children ), fn( bool $all, int $i ) => $all && $this->has( $i, 'ready' ), true ), $timeout, 'children ready' );
		touch( $this->go_file );
	}

	/**
	 * Reads whatever the children printed.
	 */
	public function poll(): void {
		foreach ( $this->children as &$child ) {
			if ( null === $child['out'] ) {
				continue;
			}
			$chunk = stream_get_contents( $child['out'] );
			if ( false !== $chunk && '' !== $chunk ) {
				$child['buffer'] .= $chunk;
				while ( false !== ( $nl = strpos( $child['buffer'], "\n" ) ) ) {
					$line              = substr( $child['buffer'], 0, $nl );
					$child['buffer']   = substr( $child['buffer'], $nl + 1 );
					$decoded           = json_decode( $line, true );
					$child['lines'][]  = is_array( $decoded ) ? $decoded : array( 'noise' => $line );
				}
			}
		}
	}

	/**
	 * Whether child $i printed a line with key $key.
	 */
	public function has( int $i, string $key ): bool {
		$this->poll();
		foreach ( $this->children[ $i ]['lines'] as $line ) {
			if ( array_key_exists( $key, $line ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Lines of child $i that have $key.
	 *
	 * @return list<array>
	 */
	public function lines( int $i, string $key ): array {
		$this->poll();
		return array_values( array_filter( $this->children[ $i ]['lines'], static fn( array $l ) => array_key_exists( $key, $l ) ) );
	}

	/**
	 * Waits for a condition.
	 */
	public function wait_for( callable $condition, float $timeout, string $what ): void {
		$until = microtime( true ) + $timeout;
		while ( ! $condition() ) {
			if ( microtime( true ) > $until ) {
				throw new \RuntimeException( "timed out waiting for $what" );
			}
			usleep( 2000 );
		}
	}

	/**
	 * SIGKILL to child $i.
	 */
	public function kill( int $i ): void {
		posix_kill( $this->children[ $i ]['pid'], SIGKILL );
	}

	/**
	 * Waits for every child to exit; returns their exit codes.
	 *
	 * @return list<int>
	 */
	public function finish( float $timeout = 120.0 ): array {
		$codes = array();
		foreach ( $this->children as $i => $child ) {
			$until = microtime( true ) + $timeout;
			do {
				$this->poll();
				$status = proc_get_status( $child['proc'] );
				if ( ! $status['running'] ) {
					$codes[ $i ] = $status['signaled'] ? -$status['termsig'] : $status['exitcode'];
					break;
				}
				usleep( 5000 );
			} while ( microtime( true ) < $until );
			if ( ! isset( $codes[ $i ] ) ) {
				posix_kill( $child['pid'], SIGKILL );
				$codes[ $i ] = -999;
			}
		}
		$this->poll();
		foreach ( $this->children as &$child ) {
			fclose( $child['out'] );
			proc_close( $child['proc'] );
			$child['out'] = null;
		}
		@unlink( $this->go_file );
		return $codes;
	}
}
