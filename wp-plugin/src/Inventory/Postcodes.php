<?php
/**
 * The shop's postcode table: where an address is when no geocoding plugin says.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * Rows of (country, postcode, latitude, longitude) the shop imports (WP-CLI `wp omnistock postcodes
 * import <file>`), e.g. the centroids of its country's postcodes; routing reads a shipping address's
 * coordinates from here. Postcodes are kept as the shop writes them, upper-cased, spaces removed.
 */
final class Postcodes {

	/** Rows written per INSERT. */
	private const BATCH = 500;

	/**
	 * Takes its dependencies.
	 *
	 * @param Database $db     The database.
	 * @param Tables   $tables Table names.
	 */
	public function __construct( private readonly Database $db, private readonly Tables $tables ) {
	}

	/**
	 * A postcode as stored: upper case, no spaces or dashes ("SW1A 1AA" → "SW1A1AA").
	 *
	 * @param string $postcode As written.
	 */
	public static function normal( string $postcode ): string {
		return strtoupper( (string) preg_replace( '/[\s\-]+/', '', $postcode ) );
	}

	/**
	 * The coordinates of a postcode, or null when the table does not have it.
	 *
	 * @param string $country  Two-letter country code.
	 * @param string $postcode Postcode as written.
	 * @return array{0: float, 1: float}|null [latitude, longitude].
	 */
	public function find( string $country, string $postcode ): ?array {
		$postcode = self::normal( $postcode );
		if ( '' === $postcode ) {
			return null;
		}
		$rows = $this->db->rows( $this->db->prepare( "SELECT latitude, longitude FROM {$this->tables->postcodes} WHERE country = %s AND postcode = %s", strtoupper( $country ), $postcode ) );
		return $rows ? array( (float) $rows[0]['latitude'], (float) $rows[0]['longitude'] ) : null;
	}

	/**
	 * Checks every row, then writes them all (a postcode imported again takes the new coordinates);
	 * a bad row changes nothing and is named by its number (1-based, as a file's lines).
	 *
	 * @param array<int, array> $rows [country, postcode, latitude, longitude] each.
	 * @return int Rows written.
	 * @throws InvalidEvent Naming rows[<n>].<field>.
	 */
	public function import( array $rows ): int {
		$checked = array();
		$n       = 0;
		foreach ( $rows as $row ) {
			++$n;
			$row = array_values( (array) $row );
			if ( count( $row ) < 4 ) {
				throw new InvalidEvent( "rows[$n]", __( 'must be country, postcode, latitude, longitude', 'omnistock' ) );
			}
			$country  = strtoupper( trim( (string) $row[0] ) );
			$postcode = self::normal( (string) $row[1] );
			if ( ! preg_match( '/^[A-Z]{2}$/', $country ) ) {
				throw new InvalidEvent( "rows[$n].country", __( 'must be a two-letter ISO 3166 country code', 'omnistock' ) );
			}
			if ( '' === $postcode || strlen( $postcode ) > 20 ) {
				throw new InvalidEvent( "rows[$n].postcode", __( 'must be a postcode of at most 20 characters', 'omnistock' ) );
			}
			foreach ( array(
				2 => 'latitude',
				3 => 'longitude',
			) as $i => $field ) {
				$value = trim( (string) $row[ $i ] );
				$limit = 2 === $i ? 90 : 180;
				if ( ! is_numeric( $value ) || abs( (float) $value ) > $limit ) {
					/* translators: %d: 90 or 180 */
					throw new InvalidEvent( "rows[$n].$field", sprintf( __( 'must be a number of degrees between -%1$d and %1$d', 'omnistock' ), $limit ) );
				}
			}
			$checked[ "$country:$postcode" ] = array( $country, $postcode, (float) $row[2], (float) $row[3] );
		}
		$t = $this->tables;
		$this->db->transaction(
			function () use ( $checked, $t ): void {
				foreach ( array_chunk( array_values( $checked ), self::BATCH ) as $batch ) {
					$values = array();
					foreach ( $batch as list( $country, $postcode, $lat, $lng ) ) {
						$values[] = $this->db->prepare( '(%s, %s, %s, %s)', $country, $postcode, sprintf( '%.6F', $lat ), sprintf( '%.6F', $lng ) );
					}
					$this->db->statement( "INSERT INTO {$t->postcodes} (country, postcode, latitude, longitude) VALUES " . implode( ', ', $values ) . ' ON DUPLICATE KEY UPDATE latitude = VALUES(latitude), longitude = VALUES(longitude)' );
				}
			}
		);
		return count( $checked );
	}

	/**
	 * How many postcodes the table has.
	 */
	public function count(): int {
		return (int) $this->db->value( "SELECT COUNT(*) FROM {$this->tables->postcodes}" );
	}
}
