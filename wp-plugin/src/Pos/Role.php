<?php
/**
 * The Cashier role: sells at the POS terminal, sees stock, changes nothing else.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

use Omnistock\Capabilities;

defined( 'ABSPATH' ) || exit;

/**
 * Made by the installer; a cashier gives no discounts (omnistock_pos_discount is for managers).
 */
final class Role {

	public const NAME = 'omnistock_cashier';

	/**
	 * The role's capabilities.
	 *
	 * @return array<string, bool>
	 */
	public static function capabilities(): array {
		return array(
			'read'                => true,
			Capabilities::VIEW    => true,
			Capabilities::USE_POS => true,
		);
	}

	/**
	 * Creates the role, or brings an existing one to exactly these capabilities' grants.
	 */
	public static function ensure(): void {
		$role = get_role( self::NAME );
		if ( ! $role ) {
			add_role( self::NAME, __( 'Cashier', 'omnistock' ), self::capabilities() );
			return;
		}
		foreach ( self::capabilities() as $capability => $grant ) {
			if ( empty( $role->capabilities[ $capability ] ) ) {
				$role->add_cap( $capability, $grant );
			}
		}
	}

	/**
	 * Removes the role (uninstall with erase).
	 */
	public static function remove(): void {
		remove_role( self::NAME );
	}
}
