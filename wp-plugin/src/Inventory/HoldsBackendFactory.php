<?php
/**
 * Chooses the holds backend from the settings.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

use Omnistock\Requirements;

defined( 'ABSPATH' ) || exit;

/**
 * The constant OMNISTOCK_HOLDS_BACKEND (wp-config.php) wins over the option omnistock_holds_backend.
 * Default: shm, when the extension has it.
 */
final class HoldsBackendFactory {

	public const OPTION = 'omnistock_holds_backend';

	/**
	 * The backend the settings ask for.
	 *
	 * @param Database $db     The database.
	 * @param Tables   $tables Table names.
	 */
	public static function from_settings( Database $db, Tables $tables ): HoldsBackend {
		return self::create( self::configured(), $db, $tables );
	}

	/**
	 * "shm" or "database", as configured (before any fallback).
	 */
	public static function configured(): string {
		$name = defined( 'OMNISTOCK_HOLDS_BACKEND' ) ? (string) OMNISTOCK_HOLDS_BACKEND : (string) get_option( self::OPTION, 'shm' );
		return in_array( $name, array( 'shm', 'database' ), true ) ? $name : 'shm';
	}

	/**
	 * A backend by name. shm without Omnistock\Holds, or in a thread-safe (ZTS) PHP where it is not
	 * safe, falls back to database (Requirements::shm_holds_fallback() says why: doctor, admin notice).
	 *
	 * @param string   $name   "shm" or "database".
	 * @param Database $db     The database (the same instance Inventory uses: it tracks the transaction).
	 * @param Tables   $tables Table names.
	 * @param string   $segment The shared-memory segment's name (default: this site's).
	 */
	public static function create( string $name, Database $db, Tables $tables, string $segment = '' ): HoldsBackend {
		if ( 'shm' === $name && Requirements::has_shm_holds() ) {
			return new ShmHolds( new \Omnistock\Holds( '' !== $segment ? $segment : ShmHolds::segment_name( $db->wpdb ) ), $db, $tables );
		}
		return new DatabaseHolds( $db, $tables );
	}
}
