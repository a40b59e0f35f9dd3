<?php
/**
 * `wp omnistock staff`.
 *
 * @package Omnistock
 */

namespace Omnistock\Cli;

use Omnistock\Pos\PosError;
use Omnistock\Pos\Staff;
use WP_CLI;

defined( 'ABSPATH' ) || exit;

/**
 * Shows and sets the locations a user may act for at the POS.
 */
final class StaffCommand {

	/**
	 * Takes its dependencies.
	 *
	 * @param Staff $staff Who may act for which location.
	 */
	public function __construct( private readonly Staff $staff ) {
	}

	/**
	 * Assigns exactly these locations to a user (`--locations=` for none).
	 *
	 * ## OPTIONS
	 *
	 * <user>
	 * : User id, login or e-mail.
	 *
	 * --locations=<ids>
	 * : Comma-separated location ids.
	 *
	 * ## EXAMPLES
	 *
	 *     wp omnistock staff set carla --locations=1,2
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function set( array $args, array $assoc_args ): void {
		$user = self::user( (string) $args[0] );
		try {
			$ids = $this->staff->assign( $user->ID, (string) ( $assoc_args['locations'] ?? '' ) );
		} catch ( PosError $e ) {
			WP_CLI::error( $e->getMessage() );
		}
		/* translators: 1: user login, 2: location ids */
		WP_CLI::success( sprintf( __( '%1$s may act for locations: %2$s', 'omnistock' ), $user->user_login, $ids ? implode( ',', $ids ) : __( 'none', 'omnistock' ) ) );
	}

	/**
	 * Shows the locations assigned to a user and those they may act for.
	 *
	 * ## OPTIONS
	 *
	 * <user>
	 * : User id, login or e-mail.
	 *
	 * [--format=<format>]
	 * : table or json.
	 * ---
	 * default: table
	 * ---
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function get( array $args, array $assoc_args ): void {
		$user = self::user( (string) $args[0] );
		$item = array(
			'id'            => $user->ID,
			'user'          => $user->user_login,
			'locations'     => $this->staff->assigned( $user->ID ),
			'all_locations' => Staff::acts_everywhere( $user->ID ),
			'may_act_for'   => $this->staff->locations_of( $user->ID ),
		);
		if ( 'json' === ( $assoc_args['format'] ?? 'table' ) ) {
			WP_CLI::line( (string) wp_json_encode( $item ) );
			return;
		}
		$item['locations']     = implode( ',', $item['locations'] );
		$item['may_act_for']   = implode( ',', $item['may_act_for'] );
		$item['all_locations'] = $item['all_locations'] ? 'yes' : 'no';
		\WP_CLI\Utils\format_items( 'table', array( $item ), array_keys( $item ) );
	}

	/**
	 * The user named by id, login or e-mail, or WP_CLI::error.
	 *
	 * @param string $name The argument.
	 */
	private static function user( string $name ): \WP_User {
		$user = ctype_digit( $name ) ? get_user_by( 'id', (int) $name ) : ( get_user_by( 'login', $name ) ? get_user_by( 'login', $name ) : get_user_by( 'email', $name ) );
		if ( ! $user ) {
			/* translators: %s: what was given */
			WP_CLI::error( sprintf( __( 'No such user: %s', 'omnistock' ), $name ) );
		}
		return $user;
	}
}
