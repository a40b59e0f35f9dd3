<?php
/**
 * A PHP stand-in for the extension's Omnistock\Holds and Omnistock\CellLock (issue 3), following
 * the API of that issue, so that the plugin's shm adapter (ShmHolds) can be tested across
 * processes before the extension has the real thing. Loaded only when the real classes are
 * missing and OMNISTOCK_FAKE_HOLDS=1. Slow (a file and flock() instead of shared memory) but with
 * the same semantics: cell locks in canonical order, all-or-nothing holds replaced by key,
 * unknown bases, expiry, and cells of a dead lock holder becoming unknown.
 *
 * @package Omnistock
 */

namespace Omnistock;

if ( class_exists( Holds::class, false ) ) {
	return;
}

final class LockTimeout extends Exception {
}

final class Holds {

	private string $dir;

	public function __construct( string $name ) {
		if ( ! preg_match( '/^[A-Za-z0-9_.-]{1,64}$/', $name ) ) {
			throw new \ValueError( 'Omnistock\Holds::__construct(): Argument #1 ($name) must match [A-Za-z0-9_.-]{1,64}' );
		}
		$this->dir = sys_get_temp_dir() . '/omnistock-fake-holds-' . $name;
		if ( ! is_dir( $this->dir ) ) {
			@mkdir( $this->dir, 0700 );
		}
	}

	/** Runs $fn on the state under the segment lock; writes it back when $fn returns true as 2nd element. */
	public function with_state( callable $fn ): mixed {
		$h = fopen( $this->dir . '/state', 'c+' );
		flock( $h, LOCK_EX );
		$raw   = stream_get_contents( $h );
		$state = $raw ? unserialize( $raw ) : array(
			'bases'  => array(),
			'holds'  => array(),
			'owners' => array(),
		);
		$now   = microtime( true );
		foreach ( $state['holds'] as $key => $hold ) {
			if ( $hold['expires'] <= $now ) {
				unset( $state['holds'][ $key ] );
			}
		}
		[$result, $write] = $fn( $state );
		if ( $write ) {
			ftruncate( $h, 0 );
			rewind( $h );
			fwrite( $h, serialize( $state ) );
			fflush( $h );
		}
		flock( $h, LOCK_UN );
		fclose( $h );
		return $result;
	}

	public static function cell( int|string $p, int|string $l ): string {
		return $p . ':' . $l;
	}

	public function lock( array $cells, int $timeoutMs = 2000 ): CellLock {
		$keys = array();
		foreach ( $cells as $c ) {
			$keys[ self::cell( $c[0], $c[1] ) ] = array( (int) $c[0], (int) $c[1] );
		}
		uasort( $keys, static fn( $a, $b ) => $a <=> $b );
		$handles = array();
		$until   = microtime( true ) + $timeoutMs / 1000;
		foreach ( $keys as $key => $c ) {
			$h = fopen( $this->dir . '/cell-' . str_replace( ':', '-', $key ) . '.lock', 'c' );
			while ( ! flock( $h, LOCK_EX | LOCK_NB ) ) {
				if ( microtime( true ) > $until ) {
					foreach ( $handles as $held ) {
						flock( $held, LOCK_UN );
						fclose( $held );
					}
					throw new LockTimeout( 'cell lock timeout' );
				}
				usleep( 200 );
			}
			$handles[ $key ] = $h;
		}
		// A lock whose previous owner died: what it guarded is unknown again.
		$pid = getmypid();
		$this->with_state(
			static function ( array &$s ) use ( $keys, $pid ) {
				foreach ( array_keys( $keys ) as $key ) {
					$owner = $s['owners'][ $key ] ?? 0;
					if ( $owner && $owner !== $pid && ! posix_kill( $owner, 0 ) ) {
						$s['bases'][ $key ] = null;
					}
					$s['owners'][ $key ] = $pid;
				}
				return array( null, true );
			}
		);
		return new CellLock( $this, $handles );
	}

	public function hold( string $key, array $lines, int $ttlSeconds ): array {
		return $this->with_state(
			static function ( array &$s ) use ( $key, $lines, $ttlSeconds ) {
				$wanted = array();
				foreach ( $lines as $line ) {
					$c            = self::cell( $line[0], $line[1] );
					$wanted[ $c ] = ( $wanted[ $c ] ?? 0 ) + (int) $line[2];
				}
				$short   = array();
				$unknown = array();
				foreach ( $wanted as $c => $qty ) {
					[$p, $l] = array_map( 'intval', explode( ':', $c ) );
					$base    = $s['bases'][ $c ] ?? null;
					if ( null === $base ) {
						$unknown[] = array( 'product' => $p, 'location' => $l );
						continue;
					}
					$held = 0;
					foreach ( $s['holds'] as $k => $h ) {
						if ( $k !== $key ) {
							$held += $h['lines'][ $c ] ?? 0;
						}
					}
					if ( $qty > $base - $held ) {
						$short[] = array( 'product' => $p, 'location' => $l, 'wanted' => $qty, 'sellable' => $base - $held );
					}
				}
				if ( $short || $unknown ) {
					return array( array( 'ok' => false, 'short' => $short, 'unknown' => $unknown ), false );
				}
				$s['holds'][ $key ] = array( 'expires' => microtime( true ) + $ttlSeconds, 'lines' => $wanted );
				return array( array( 'ok' => true, 'short' => array(), 'unknown' => array() ), true );
			}
		);
	}

	public function release( string $key ): int {
		return $this->with_state(
			static function ( array &$s ) use ( $key ) {
				$units = array_sum( $s['holds'][ $key ]['lines'] ?? array() );
				unset( $s['holds'][ $key ] );
				return array( $units, true );
			}
		);
	}

	public function extend( string $key, int $ttlSeconds ): bool {
		return $this->with_state(
			static function ( array &$s ) use ( $key, $ttlSeconds ) {
				if ( ! isset( $s['holds'][ $key ] ) ) {
					return array( false, false );
				}
				$s['holds'][ $key ]['expires'] = microtime( true ) + $ttlSeconds;
				return array( true, true );
			}
		);
	}

	public function sellable( int|string $product, int|string $location ): ?int {
		$c    = self::cell( $product, $location );
		$base = $this->with_state( static fn( array &$s ) => array( $s['bases'][ $c ] ?? null, false ) );
		return null === $base ? null : $base - $this->held( $product, $location );
	}

	public function held( int|string $product, int|string $location ): int {
		$c = self::cell( $product, $location );
		return $this->with_state(
			static function ( array &$s ) use ( $c ) {
				$held = 0;
				foreach ( $s['holds'] as $h ) {
					$held += $h['lines'][ $c ] ?? 0;
				}
				return array( $held, false );
			}
		);
	}

	public function stats(): array {
		return $this->with_state( static fn( array &$s ) => array( array( 'cells' => count( $s['bases'] ), 'holds' => count( $s['holds'] ), 'implementation' => 'PHP stand-in (tests)' ), false ) );
	}

	public function check(): array {
		return array();
	}
}

final class CellLock {

	public function __construct( private Holds $holds, private array $handles ) {
	}

	public function setSellable( int|string $product, int|string $location, int $base ): void {
		$c = Holds::cell( $product, $location );
		$this->holds->with_state(
			static function ( array &$s ) use ( $c, $base ) {
				$s['bases'][ $c ] = $base;
				return array( null, true );
			}
		);
	}

	public function forget( int|string $product, int|string $location ): void {
		$c = Holds::cell( $product, $location );
		$this->holds->with_state(
			static function ( array &$s ) use ( $c ) {
				$s['bases'][ $c ] = null;
				return array( null, true );
			}
		);
	}

	public function settle( string $key ): int {
		return $this->holds->release( $key );
	}

	public function release(): void {
		if ( ! $this->handles ) {
			return;
		}
		$keys = array_keys( $this->handles );
		$this->holds->with_state(
			static function ( array &$s ) use ( $keys ) {
				foreach ( $keys as $k ) {
					unset( $s['owners'][ $k ] );
				}
				return array( null, true );
			}
		);
		foreach ( $this->handles as $h ) {
			flock( $h, LOCK_UN );
			fclose( $h );
		}
		$this->handles = array();
	}

	public function __destruct() {
		$this->release();
	}
}
