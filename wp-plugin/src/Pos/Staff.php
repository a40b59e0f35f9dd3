<?php
/**
 * Staff and stores: the locations a user may act for at the POS.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

use Omnistock\Capabilities;
use Omnistock\Inventory\Locations;
use Omnistock\Meta;
use Omnistock\Refusal;

defined( 'ABSPATH' ) || exit;

/**
 * The one rule every POS route asks: users who manage Omnistock (administrators and shop managers)
 * act for every location; anyone else only for the locations assigned to them (user meta
 * Meta::STAFF_LOCATIONS), and for none while nothing is assigned.
 */
final class Staff {

	/**
	 * Whether a user is staff rather than a customer: they can use the POS, see the inventory or edit posts.
	 *
	 * @param int $id User id.
	 */
	public static function is_account( int $id ): bool {
		foreach ( array( Capabilities::USE_POS, Capabilities::VIEW, Capabilities::MANAGE, 'edit_posts' ) as $capability ) {
			if ( user_can( $id, $capability ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Takes its dependencies.
	 *
	 * @param Locations $locations Locations.
	 */
	public function __construct( private readonly Locations $locations ) {
	}

	/**
	 * Whether the user acts for every location, assigned or not (the manage capability).
	 *
	 * @param int $user User id.
	 */
	public static function acts_everywhere( int $user ): bool {
		return $user > 0 && user_can( $user, Capabilities::MANAGE );
	}

	/**
	 * The locations assigned to the user that still exist, ascending.
	 *
	 * @param int $user User id.
	 * @return list<int>
	 */
	public function assigned( int $user ): array {
		$stored = get_user_meta( $user, Meta::STAFF_LOCATIONS, true );
		if ( ! is_array( $stored ) ) {
			return array();
		}
		return array_values( array_intersect( $this->every_location(), array_map( 'intval', $stored ) ) );
	}

	/**
	 * The locations the user may act for, ascending.
	 *
	 * @param int $user User id.
	 * @return list<int>
	 */
	public function locations_of( int $user ): array {
		return self::acts_everywhere( $user ) ? $this->every_location() : $this->assigned( $user );
	}

	/**
	 * Whether the user may act for the location.
	 *
	 * @param int $user     User id.
	 * @param int $location Location id.
	 */
	public function may_act_for( int $user, int $location ): bool {
		// Managers act for every location, also one deleted since (its old sales keep its id).
		return self::acts_everywhere( $user ) || in_array( $location, $this->assigned( $user ), true );
	}

	/**
	 * Refuses (403) a user acting for a location that is not theirs.
	 *
	 * @param int $user     User id.
	 * @param int $location Location id.
	 * @throws PosError Forbidden (omnistock_pos_not_your_location).
	 */
	public function check( int $user, int $location ): void {
		if ( ! $this->may_act_for( $user, $location ) ) {
			throw new PosError(
				'omnistock_pos_not_your_location',
				__( 'Sorry, you may not act for this location. Ask a shop manager to assign it to you.', 'omnistock' ),
				Refusal::Forbidden,
				array( 'location' => $location )
			);
		}
	}

	/**
	 * Assigns exactly these locations to the user (an empty list: none).
	 *
	 * @param int   $user      User id (the caller has checked that it exists).
	 * @param mixed $locations A list of location ids, or "1,2" (WP-CLI, forms); "" for none.
	 * @return list<int> The assigned ids, ascending.
	 * @throws PosError Naming `locations` (PosError::field, a BadInput) for anything but existing location ids.
	 */
	public function assign( int $user, mixed $locations ): array {
		if ( is_string( $locations ) ) {
			$locations = '' === trim( $locations ) ? array() : explode( ',', $locations );
		}
		if ( ! is_array( $locations ) || ! array_is_list( $locations ) ) {
			throw PosError::field( 'locations', __( 'must be a list of location ids', 'omnistock' ) );
		}
		$known = $this->every_location();
		$ids   = array();
		foreach ( $locations as $value ) {
			$id = is_int( $value ) ? $value : ( is_string( $value ) && preg_match( '/^\s*[1-9]\d{0,18}\s*$/', $value ) ? (int) $value : 0 );
			if ( ! in_array( $id, $known, true ) ) {
				/* translators: %s: the value given */
				throw PosError::field( 'locations', sprintf( __( 'no such location: %s', 'omnistock' ), is_scalar( $value ) ? (string) $value : gettype( $value ) ) );
			}
			$ids[ $id ] = $id;
		}
		ksort( $ids );
		$ids = array_values( $ids );
		update_user_meta( $user, Meta::STAFF_LOCATIONS, $ids );
		return $ids;
	}

	/**
	 * Every location id, ascending.
	 *
	 * @return list<int>
	 */
	public function every_location(): array {
		$ids = array_map( static fn( array $l ): int => (int) $l['id'], $this->locations->all() );
		sort( $ids );
		return $ids;
	}
}
