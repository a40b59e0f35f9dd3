<?php
/**
 * Health report: extension and libraries, holds backend, tables, drift of levels from the ledger.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

use Omnistock\Requirements;

defined( 'ABSPATH' ) || exit;

/**
 * What `wp omnistock doctor` prints.
 */
final class Doctor {

	/**
	 * Takes its dependencies.
	 *
	 * @param Database     $db     The database.
	 * @param Tables       $tables Table names.
	 * @param HoldsBackend $holds  The backend in use.
	 */
	public function __construct( private readonly Database $db, private readonly Tables $tables, private readonly HoldsBackend $holds ) {
	}

	/**
	 * The report: a list of [check, status, detail]; status is ok, warning or error.
	 *
	 * @return list<array{check:string, status:string, detail:string}>
	 */
	public function report(): array {
		$out   = array();
		$info  = self::extension_info();
		$out[] = self::row( 'extension', null === Requirements::problem() ? 'ok' : 'error', 'omnistock ' . phpversion( 'omnistock' ) . ' (needs ' . Requirements::MIN_EXTENSION_VERSION . ')' );
		foreach ( array( 'libsodium library version', 'libcurl library version', 'libcurl TLS backend' ) as $name ) {
			if ( isset( $info[ $name ] ) ) {
				$out[] = self::row( $name, 'ok', $info[ $name ] );
			}
		}
		$out[] = $this->backend_row();
		$stats = $this->holds->stats();
		if ( isset( $stats['cells_capacity'], $stats['bytes_total'] ) && $stats['cells_capacity'] > 0 ) {
			// The segment holds a fixed number of cells: a catalog that outgrows it cannot change stock.
			$use   = $stats['cells'] / $stats['cells_capacity'];
			$out[] = self::row(
				'holds segment use',
				$use > 0.9 ? 'warning' : 'ok',
				sprintf( '%d of %d cells, %d of %d bytes%s', $stats['cells'], $stats['cells_capacity'], $stats['bytes_used'] ?? 0, $stats['bytes_total'], $use > 0.9 ? '; raise omnistock.holds_size and recreate the segment' : '' )
			);
		}
		foreach ( $stats as $name => $value ) {
			if ( 'backend' !== $name ) {
				$out[] = self::row( "holds $name", 'problems' === $name && $value ? 'error' : 'ok', (string) $value );
			}
		}
		$out[] = self::row( 'schema', get_option( Tables::VERSION_OPTION ) === Tables::SCHEMA_VERSION ? 'ok' : 'error', 'version ' . get_option( Tables::VERSION_OPTION, 'none' ) . ' (code ' . Tables::SCHEMA_VERSION . ')' );
		foreach ( $this->tables->all() as $table ) {
			$exists = $this->db->value( $this->db->prepare( 'SHOW TABLES LIKE %s', $table ) ) === $table;
			$rows   = $exists ? (int) $this->db->value( "SELECT COUNT(*) FROM $table" ) : 0;
			$out[]  = self::row( "table $table", $exists ? 'ok' : 'error', $exists ? "$rows rows" : 'missing' );
		}
		$drift = ( new LedgerFold( $this->db, $this->tables ) )->drift();
		$out[] = self::row(
			'drift',
			$drift['drift'] ? 'error' : 'ok',
			$drift['drift']
				? count( $drift['drift'] ) . ' cells differ from the fold of the ledger: ' . wp_json_encode( array_slice( $drift['drift'], 0, 10 ) )
				: "none: {$drift['cells']} cells equal the fold of {$drift['events']} ledger events"
		);
		return $out;
	}

	/**
	 * Which holds backend is active, and why.
	 */
	private function backend_row(): array {
		$configured = HoldsBackendFactory::configured();
		$active     = $this->holds->name();
		if ( 'shm' === $active ) {
			return self::row( 'holds backend', 'ok', 'shm: holds and cell locks in shared memory on this host (microseconds, no database round trip per hold). Use "database" only when several web hosts serve this shop.' );
		}
		$fallback = Requirements::shm_holds_fallback( $configured );
		if ( null !== $fallback ) {
			return self::row( 'holds backend', 'warning', $fallback );
		}
		return self::row( 'holds backend', 'ok', 'database (configured): needed when several web hosts serve this shop. A single host should use shm: holds in shared memory take microseconds, not a database transaction each.' );
	}

	/**
	 * The extension's phpinfo() rows.
	 *
	 * @return array<string, string>
	 */
	public static function extension_info(): array {
		if ( ! extension_loaded( 'omnistock' ) ) {
			return array();
		}
		ob_start();
		( new \ReflectionExtension( 'omnistock' ) )->info();
		$text = (string) ob_get_clean();
		$info = array();
		foreach ( preg_split( '/\R/', wp_strip_all_tags( str_replace( '</td><td', '</td> => <td', $text ) ) ) as $line ) {
			$parts = explode( ' => ', $line, 2 );
			if ( 2 === count( $parts ) ) {
				$info[ trim( $parts[0] ) ] = trim( explode( ' => ', $parts[1] )[0] );
			}
		}
		return $info;
	}

	/**
	 * Whether the report has an error.
	 *
	 * @param array $report The report.
	 */
	public static function has_error( array $report ): bool {
		return in_array( 'error', array_column( $report, 'status' ), true );
	}

	/**
	 * One report row.
	 *
	 * @param string $check  What was checked.
	 * @param string $status ok, warning or error.
	 * @param string $detail What was found.
	 */
	private static function row( string $check, string $status, string $detail ): array {
		return array(
			'check'  => $check,
			'status' => $status,
			'detail' => $detail,
		);
	}
}
