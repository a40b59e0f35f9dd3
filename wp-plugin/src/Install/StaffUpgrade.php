<?php
/**
 * Staff and stores, on a shop that had POS users before: they keep every location, once.
 *
 * @package Omnistock
 */

namespace Omnistock\Install;

use Omnistock\Capabilities;
use Omnistock\Meta;
use Omnistock\Pos\Staff;

defined( 'ABSPATH' ) || exit;

/**
 * Before staff were assigned to locations every POS user acted for all of them; so that an
 * upgrade locks no cashier out, each POS user without an assignment gets every location that
 * exists at that moment. Runs once per site (the option records it); users made later start with none.
 * Separate from the schema version, so it runs on a shop whose tables are already current.
 */
final class StaffUpgrade {

	public const DONE_OPTION = 'omnistock_staff_assigned';

	/**
	 * Assigns the existing POS users, the first time only.
	 *
	 * @param Staff $staff Who may act for which location.
	 */
	public static function once( Staff $staff ): void {
		if ( get_option( self::DONE_OPTION ) ) {
			return;
		}
		update_option( self::DONE_OPTION, 1, true );
		Capabilities::grant(); // Administrators and shop managers get omnistock_pos_override, new with this.
		$users = get_users(
			array(
				'capability' => Capabilities::USE_POS,
				'fields'     => 'ID',
			)
		);
		foreach ( $users as $id ) {
			$id = (int) $id;
			if ( ! Staff::acts_everywhere( $id ) && ! metadata_exists( 'user', $id, Meta::STAFF_LOCATIONS ) ) {
				$staff->assign( $id, $staff->every_location() );
			}
		}
	}
}
