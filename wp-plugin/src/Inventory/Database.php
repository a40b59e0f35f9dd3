<?php
/**
 * Thin layer over $wpdb: statements that throw instead of returning false, and transactions that
 * retry on deadlock.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * Every statement of the plugin's stock tables goes through here.
 */
final class Database {

	private const DEADLOCK     = 1213;
	private const LOCK_WAIT    = 1205;
	private const MAX_ATTEMPTS = 5;
	/** MySQL's client error "server has gone away". */
	public const CONNECTION_LOST = 2006;
	/**
	 * Nesting depth of transaction() calls.
	 *
	 * @var int
	 */
	private int $depth = 0;
	/**
	 * What to undo outside the database when the open transaction rolls back (on_rollback()).
	 *
	 * @var list<callable(): void>
	 */
	private array $undo = array();

	/**
	 * Takes its dependencies.
	 *
	 * @param \wpdb $wpdb The WordPress database.
	 */
	public function __construct( public readonly \wpdb $wpdb ) {
	}

	/**
	 * Runs $work holding the named database lock $name (GET_LOCK: every web host on this database
	 * agrees; a lock its connection already holds is taken again): one change of one thing at a time.
	 *
	 * @template T
	 * @param string        $name    Lock name (at most 64 characters).
	 * @param callable(): T $work    What to do; read what it changes inside it.
	 * @param int           $seconds How long to wait for the lock.
	 * @param string        $code    The error code when it cannot be had.
	 * @param string|null   $message The error message (default: someone else is changing it).
	 * @return T
	 * @throws \Omnistock\Unavailable When the lock cannot be had within $seconds.
	 */
	public function locked( string $name, callable $work, int $seconds = 10, string $code = 'omnistock_busy', ?string $message = null ): mixed {
		if ( '1' !== $this->value( $this->prepare( 'SELECT GET_LOCK(%s, %d)', $name, $seconds ) ) ) {
			throw new \Omnistock\Unavailable( $code, $message ?? __( 'The order is being changed by someone else. Try again.', 'omnistock' ) );
		}
		try {
			return $work();
		} finally {
			$this->value( $this->prepare( 'SELECT RELEASE_LOCK(%s)', $name ) );
		}
	}

	/**
	 * Runs $work in a READ COMMITTED transaction; retries it whole on deadlock or lock wait timeout.
	 *
	 * @template T
	 * @param callable(): T $work Statements of the transaction; throws to roll back.
	 * @return T
	 * @throws \Throwable Whatever $work threw, after ROLLBACK.
	 * @throws StorageError When the connection was lost during the transaction (it was rolled back).
	 */
	public function transaction( callable $work ): mixed {
		if ( $this->depth > 0 ) {
			return $work();
		}
		for ( $attempt = 1; ; $attempt++ ) {
			$this->statement( 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED' );
			$this->statement( 'START TRANSACTION' );
			++$this->depth;
			$this->undo = array();
			$connection = $this->connection();
			try {
				$result = $work();
				$this->statement( 'COMMIT' );
				if ( $this->connection() !== $connection ) {
					// wpdb reconnects on "server has gone away" and sends the statement again: that
					// COMMIT committed nothing, the server rolled the transaction back with the old connection.
					throw new StorageError( 'Omnistock database error: the connection was lost during the transaction; it was rolled back.', self::CONNECTION_LOST );
				}
				$this->undo = array();
				return $result;
			} catch ( \Throwable $e ) {
				$this->wpdb->query( 'ROLLBACK' );
				$this->run_undo();
				if ( $e instanceof StorageError && in_array( $e->getCode(), array( self::DEADLOCK, self::LOCK_WAIT ), true ) && $attempt < self::MAX_ATTEMPTS ) {
					usleep( random_int( 1000, 20000 ) * $attempt );
					continue;
				}
				throw $e;
			} finally {
				--$this->depth;
			}
		}
	}

	/**
	 * Runs $work in a transaction that is always rolled back (a quote's scratch order). It is one
	 * of ours: a transaction() inside joins it instead of committing it with a START TRANSACTION.
	 *
	 * @template T
	 * @param callable(): T $work Statements whose effects must not stay.
	 * @return T
	 * @throws \LogicException Inside another transaction (its work would be rolled back too).
	 */
	public function rolled_back( callable $work ): mixed {
		if ( $this->depth > 0 ) {
			throw new \LogicException( 'A rolled-back transaction cannot run inside another one.' );
		}
		$this->statement( 'START TRANSACTION' );
		++$this->depth;
		try {
			return $work();
		} finally {
			$this->wpdb->query( 'ROLLBACK' );
			--$this->depth;
			$this->run_undo();
		}
	}

	/**
	 * Registers what to undo outside the database (shared memory) if the open transaction rolls
	 * back, whether $work threw or COMMIT failed. Runs after ROLLBACK, before a deadlock retry.
	 *
	 * @param callable(): void $undo Puts back what the transaction changed outside the database.
	 * @throws \LogicException When no transaction is open.
	 */
	public function on_rollback( callable $undo ): void {
		if ( 0 === $this->depth ) {
			throw new \LogicException( 'Omnistock: on_rollback() needs an open transaction.' );
		}
		$this->undo[] = $undo;
	}

	/**
	 * Runs the undo callbacks, newest first. One that fails does not stop the others, and the
	 * transaction's own error is what the caller sees.
	 */
	private function run_undo(): void {
		$undo       = array_reverse( $this->undo );
		$this->undo = array();
		foreach ( $undo as $callback ) {
			try {
				$callback();
			} catch ( \Throwable $e ) {
				/**
				 * Fires when undoing a rolled-back transaction's change outside the database failed.
				 *
				 * @param \Throwable $e What failed.
				 */
				do_action( 'omnistock_rollback_undo_failed', $e );
			}
		}
	}

	/**
	 * The current connection object (wpdb replaces it when it reconnects).
	 */
	private function connection(): ?object {
		$dbh = $this->wpdb->dbh; // @phpstan-ignore property.protected (wpdb::__get() makes $dbh readable.)
		return is_object( $dbh ) ? $dbh : null;
	}

	/**
	 * Whether a transaction of ours is open.
	 */
	public function in_transaction(): bool {
		return $this->depth > 0;
	}

	/**
	 * Runs a prepared statement; returns the affected rows.
	 *
	 * @param string $sql A statement with every value already passed through $wpdb->prepare.
	 */
	public function statement( string $sql ): int {
		$result = $this->wpdb->query( $sql ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- callers prepare.
		if ( false === $result ) {
			$this->fail();
		}
		return (int) $result;
	}

	/**
	 * Rows of a prepared query, as associative arrays.
	 *
	 * @param string $sql A query with every value already passed through $wpdb->prepare.
	 * @return list<array<string, string|null>>
	 */
	public function rows( string $sql ): array {
		$rows = $this->wpdb->get_results( $sql, ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- callers prepare.
		if ( '' !== $this->wpdb->last_error ) {
			$this->fail();
		}
		return is_array( $rows ) ? $rows : array();
	}

	/**
	 * First column of the first row of a prepared query.
	 *
	 * @param string $sql A query with every value already passed through $wpdb->prepare.
	 */
	public function value( string $sql ): ?string {
		$value = $this->wpdb->get_var( $sql ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- callers prepare.
		if ( '' !== $this->wpdb->last_error ) {
			$this->fail();
		}
		return null === $value ? null : (string) $value;
	}

	/**
	 * $wpdb->prepare without the variadic noise.
	 *
	 * @param string $sql    SQL with %d / %s placeholders.
	 * @param mixed  ...$args The values.
	 */
	public function prepare( string $sql, mixed ...$args ): string {
		return $args ? $this->wpdb->prepare( $sql, ...$args ) : $sql; // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- this is prepare.
	}

	/**
	 * Milliseconds since the epoch.
	 */
	public static function now_ms(): int {
		return (int) floor( microtime( true ) * 1000 );
	}

	/**
	 * Throws the last database error with its MySQL error number as the code.
	 *
	 * @throws StorageError Always.
	 */
	private function fail(): never {
		// wpdb keeps the error text but not its number, which tells a deadlock (retry) from a real error.
		$dbh   = $this->wpdb->dbh; // @phpstan-ignore property.protected (wpdb::__get() makes $dbh readable.)
		$errno = $dbh instanceof \mysqli ? mysqli_errno( $dbh ) : 0; // phpcs:ignore WordPress.DB.RestrictedFunctions.mysql_mysqli_errno
		throw new StorageError( 'Omnistock database error: ' . $this->wpdb->last_error, $errno ); // phpcs:ignore WordPress.Security.EscapeOutput.ExceptionNotEscaped -- not output.
	}
}
