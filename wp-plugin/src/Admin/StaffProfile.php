<?php
/**
 * The user profile screen's "POS locations" fields.
 *
 * @package Omnistock
 */

namespace Omnistock\Admin;

use Omnistock\Capabilities;
use Omnistock\Inventory\Locations;
use Omnistock\Pos\PosError;
use Omnistock\Pos\Staff;

defined( 'ABSPATH' ) || exit;

/**
 * Shown to users who manage Omnistock, on the profile of a user with POS access; saved with its
 * own nonce and the manage capability.
 */
final class StaffProfile {

	private const FIELD = 'omnistock_staff_locations';
	private const NONCE = 'omnistock_staff_nonce';

	/**
	 * Takes its dependencies.
	 *
	 * @param Staff     $staff     Who may act for which location.
	 * @param Locations $locations Locations.
	 */
	public function __construct( private readonly Staff $staff, private readonly Locations $locations ) {
	}

	/**
	 * Hooks the fields into the profile screens (own profile and another user's).
	 */
	public function register(): void {
		add_action( 'show_user_profile', array( $this, 'fields' ) );
		add_action( 'edit_user_profile', array( $this, 'fields' ) );
		add_action( 'personal_options_update', array( $this, 'save' ) );
		add_action( 'edit_user_profile_update', array( $this, 'save' ) );
	}

	/**
	 * The nonce action of a user's fields.
	 *
	 * @param int $user_id User id.
	 */
	public static function nonce_action( int $user_id ): string {
		return 'omnistock_staff_' . $user_id;
	}

	/**
	 * Prints the fields.
	 *
	 * @param \WP_User $user The profile's user.
	 */
	public function fields( \WP_User $user ): void {
		if ( ! current_user_can( Capabilities::MANAGE ) || ! user_can( $user, Capabilities::USE_POS ) ) {
			return;
		}
		$assigned = $this->staff->assigned( $user->ID );
		echo '<h2>' . esc_html__( 'Omnistock POS', 'omnistock' ) . '</h2><table class="form-table" role="presentation"><tr><th scope="row">'
			. esc_html__( 'POS locations', 'omnistock' ) . '</th><td><fieldset>';
		wp_nonce_field( self::nonce_action( $user->ID ), self::NONCE );
		echo '<input type="hidden" name="' . esc_attr( self::FIELD ) . '_present" value="1">';
		foreach ( $this->locations->all() as $location ) {
			printf(
				'<label><input type="checkbox" name="%1$s[]" value="%2$d"%3$s> %4$s</label><br>',
				esc_attr( self::FIELD ),
				(int) $location['id'],
				checked( in_array( (int) $location['id'], $assigned, true ), true, false ),
				esc_html( $location['name'] )
			);
		}
		$help = Staff::acts_everywhere( $user->ID )
			? __( 'This user manages Omnistock and acts for every location, ticked or not.', 'omnistock' )
			: __( 'The POS terminal acts only for the ticked locations; with none ticked, for none.', 'omnistock' );
		echo '<p class="description">' . esc_html( $help ) . '</p></fieldset></td></tr></table>';
	}

	/**
	 * Saves the fields (nonce, then capability); a forged location id stops with 400.
	 *
	 * @param int $user_id The profile's user.
	 */
	public function save( int $user_id ): void {
		if ( ! isset( $_POST[ self::FIELD . '_present' ] ) ) {
			return; // The fields were not shown (no POS access, or the editor does not manage Omnistock).
		}
		check_admin_referer( self::nonce_action( $user_id ), self::NONCE );
		if ( ! current_user_can( Capabilities::MANAGE ) || ! current_user_can( 'edit_user', $user_id ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to assign staff to locations.', 'omnistock' ), '', array( 'response' => 403 ) );
		}
		$ids = isset( $_POST[ self::FIELD ] ) && is_array( $_POST[ self::FIELD ] ) ? array_map( 'sanitize_text_field', wp_unslash( $_POST[ self::FIELD ] ) ) : array();
		try {
			$this->staff->assign( $user_id, array_values( $ids ) );
		} catch ( PosError $e ) {
			wp_die( esc_html( $e->getMessage() ), '', array( 'response' => 400 ) );
		}
	}
}
