<?php
/**
 * `wp omnistock postcodes`.
 *
 * @package Omnistock
 */

namespace Omnistock\Cli;

use Omnistock\Inventory\Postcodes;
use WP_CLI;

defined( 'ABSPATH' ) || exit;

/**
 * Imports the shop's postcode table: where a shipping address is when no geocoding plugin says
 * (routing of online orders by distance).
 */
final class PostcodesCommand {

	/** Most rows one file may have (the table is meant to be small: the postcodes the shop ships to). */
	public const MAX_ROWS = 200000;

	/**
	 * Takes its dependency.
	 *
	 * @param Postcodes $postcodes The postcode table.
	 */
	public function __construct( private readonly Postcodes $postcodes ) {
	}

	/**
	 * Imports postcodes from a CSV file: country,postcode,latitude,longitude per line (a first line
	 * naming the columns is skipped). All rows or none: a bad row is named by its line and nothing
	 * is written. A postcode imported again takes the new coordinates.
	 *
	 * ## OPTIONS
	 *
	 * <file>
	 * : The CSV file.
	 *
	 * ## EXAMPLES
	 *
	 *     wp omnistock postcodes import de-postcodes.csv
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function import( array $args, array $assoc_args ): void {
		$file = (string) $args[0];
		if ( ! is_readable( $file ) || is_dir( $file ) ) {
			WP_CLI::error( sprintf( 'Cannot read %s.', $file ) );
		}
		$csv = new \SplFileObject( $file, 'rb' );
		$csv->setFlags( \SplFileObject::READ_CSV | \SplFileObject::SKIP_EMPTY | \SplFileObject::READ_AHEAD | \SplFileObject::DROP_NEW_LINE );
		$csv->setCsvControl( ',', '"', '\\' );
		$rows = array();
		foreach ( $csv as $index => $row ) {
			$line = (int) $index + 1;
			if ( ! is_array( $row ) || array( null ) === $row ) {
				continue; // A blank line.
			}
			if ( 1 === $line && isset( $row[2] ) && ! is_numeric( trim( (string) $row[2] ) ) ) {
				continue; // The header.
			}
			if ( count( $rows ) >= self::MAX_ROWS ) {
				WP_CLI::error( sprintf( 'More than %d rows: import the postcodes you ship to, in several files if need be.', self::MAX_ROWS ) );
			}
			$rows[ $line ] = $row;
		}
		$lines   = array_keys( $rows );
		$written = Guard::run(
			function () use ( $rows, $lines ) {
				try {
					return $this->postcodes->import( array_values( $rows ) );
				} catch ( \Omnistock\BadInput $e ) {
					// rows[<n>] counts the rows read; the operator looks for the file's line.
					if ( preg_match( '/^rows\[(\d+)\]/', $e->field, $m ) ) {
						throw new \Omnistock\BadInput( 'line ' . $lines[ (int) $m[1] - 1 ] . substr( $e->field, strlen( $m[0] ) ), $e->problem );
					}
					throw $e;
				}
			}
		);
		WP_CLI::success( sprintf( 'Imported %d postcodes (%d in the table).', $written, $this->postcodes->count() ) );
	}

	/**
	 * Prints how many postcodes the table has.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function count( array $args, array $assoc_args ): void {
		WP_CLI::line( (string) $this->postcodes->count() );
	}
}
