<?php
/**
 * The plugin's capabilities and who has them.
 *
 * @package Omnistock
 */

namespace Omnistock;

defined( 'ABSPATH' ) || exit;

/**
 * View stock; manage inventory (locations, counts, adjustments, transfers, events).
 */
final class Capabilities {

	public const VIEW   = 'omnistock_view_inventory';
	public const MANAGE = 'omnistock_manage_inventory';

	/**
	 * Grants both to administrators and WooCommerce's shop managers (installer).
	 */
	public static function grant(): void {
		foreach ( array( 'administrator', 'shop_manager' ) as $role_name ) {
			$role = get_role( $role_name );
			if ( $role ) {
				$role->add_cap( self::VIEW );
				$role->add_cap( self::MANAGE );
			}
		}
	}
}
