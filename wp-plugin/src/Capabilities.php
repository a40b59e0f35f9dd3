<?php
/**
 * The plugin's capabilities and who has them.
 *
 * @package Omnistock
 */

namespace Omnistock;

defined( 'ABSPATH' ) || exit;

/**
 * View stock; manage inventory (locations, counts, adjustments, transfers, events); use the POS
 * terminal; give discounts at the POS; sell beyond the recorded stock at the POS (override); take a
 * return past the shop's return window.
 */
final class Capabilities {

	public const VIEW         = 'omnistock_view_inventory';
	public const MANAGE       = 'omnistock_manage_inventory';
	public const USE_POS      = 'omnistock_use_pos';
	public const POS_DISCOUNT = 'omnistock_pos_discount';
	public const POS_OVERRIDE = 'omnistock_pos_override';
	/** Take a return at the POS past the shop's return window (a manager's). */
	public const POS_LATE_RETURN = 'omnistock_pos_late_return';

	/**
	 * Grants them to administrators and WooCommerce's shop managers (installer; it makes the Cashier role beside).
	 */
	public static function grant(): void {
		foreach ( array( 'administrator', 'shop_manager' ) as $role_name ) {
			$role = get_role( $role_name );
			if ( $role ) {
				foreach ( array( self::VIEW, self::MANAGE, self::USE_POS, self::POS_DISCOUNT, self::POS_OVERRIDE, self::POS_LATE_RETURN ) as $capability ) {
					$role->add_cap( $capability );
				}
			}
		}
	}
}
