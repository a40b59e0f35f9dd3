<?php
/**
 * Locations screen: list, add, edit.
 *
 * @package Omnistock
 */

namespace Omnistock\Admin;

use Omnistock\Capabilities;
use Omnistock\Inventory\HoldsBackendFactory;
use Omnistock\Inventory\Locations;

defined( 'ABSPATH' ) || exit;

/**
 * Name, address, ships online, pickup, curbside, default safety stock, priority.
 */
final class LocationsScreen {

	public const SLUG     = 'omnistock-locations';
	public const ACTION   = 'omnistock_location_save';
	public const SETTINGS = 'omnistock_settings_save';

	/**
	 * Takes its dependencies.
	 *
	 * @param Locations $locations Locations.
	 */
	public function __construct( private readonly Locations $locations ) {
	}

	/**
	 * Draws the screen.
	 */
	public function render(): void {
		if ( ! current_user_can( Capabilities::MANAGE ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage locations.', 'omnistock' ), '', array( 'response' => 403 ) );
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- choosing what to show.
		$editing = isset( $_GET['edit'] ) ? $this->locations->get( absint( $_GET['edit'] ) ) : null;
		echo '<div class="wrap"><h1>' . esc_html__( 'Locations', 'omnistock' ) . '</h1>';
		Form::notice();
		echo '<table class="widefat striped omnistock-locations"><thead><tr>';
		foreach ( array( __( 'ID', 'omnistock' ), __( 'Name', 'omnistock' ), __( 'Address', 'omnistock' ), __( 'Ships online', 'omnistock' ), __( 'Pickup', 'omnistock' ), __( 'Curbside', 'omnistock' ), __( 'Safety stock', 'omnistock' ), __( 'Priority', 'omnistock' ), '' ) as $heading ) {
			echo '<th>' . esc_html( $heading ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		foreach ( $this->locations->all() as $l ) {
			$edit = add_query_arg(
				array(
					'page' => self::SLUG,
					'edit' => $l['id'],
				),
				admin_url( 'admin.php' )
			);
			printf(
				'<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td><a href="%s">%s</a></td></tr>',
				(int) $l['id'],
				esc_html( $l['name'] ),
				nl2br( esc_html( $l['address'] ) ),
				esc_html( self::yes_no( $l['ships_online'] ) ),
				esc_html( self::yes_no( $l['offers_pickup'] ) ),
				esc_html( self::yes_no( $l['offers_curbside'] ) ),
				(int) $l['safety_default'],
				(int) $l['priority'],
				esc_url( $edit ),
				esc_html__( 'Edit', 'omnistock' )
			);
		}
		echo '</tbody></table>';
		$this->form( $editing );
		$this->settings();
		echo '</div>';
	}

	/**
	 * The add / edit form.
	 *
	 * @param array|null $l Location being edited, or null to add one.
	 */
	private function form( ?array $l ): void {
		$l = $l ?? array(
			'id'                => 0,
			'name'              => '',
			'address'           => '',
			'country'           => '',
			'state'             => '',
			'postcode'          => '',
			'city'              => '',
			'ships_online'      => true,
			'offers_pickup'     => false,
			'offers_curbside'   => false,
			'safety_default'    => 0,
			'priority'          => 10,
			'opening_hours'     => '',
			'pickup_hours'      => Locations::PICKUP_HOURS,
			'hold_days'         => Locations::HOLD_DAYS,
			'accepts_transfers' => false,
			'transfer_days'     => Locations::TRANSFER_DAYS,
			'latitude'          => null,
			'longitude'         => null,
			'shipping_zones'    => array(),
		);
		echo '<h2>' . esc_html( $l['id'] ? __( 'Edit location', 'omnistock' ) : __( 'Add location', 'omnistock' ) ) . '</h2>';
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		wp_nonce_field( self::ACTION );
		echo '<input type="hidden" name="action" value="' . esc_attr( self::ACTION ) . '">';
		echo '<input type="hidden" name="id" value="' . (int) $l['id'] . '">';
		echo '<table class="form-table">';
		printf( '<tr><th><label for="omnistock-name">%s</label></th><td><input id="omnistock-name" name="name" class="regular-text" required value="%s"></td></tr>', esc_html__( 'Name', 'omnistock' ), esc_attr( $l['name'] ) );
		printf( '<tr><th><label for="omnistock-address">%s</label></th><td><textarea id="omnistock-address" name="address" rows="3" class="large-text">%s</textarea></td></tr>', esc_html__( 'Address', 'omnistock' ), esc_textarea( $l['address'] ) );
		// The structured address WooCommerce's tax rates match on (POS sales are taxed here).
		foreach ( array(
			'country'  => __( 'Country code (tax address; empty: the shop\'s base address)', 'omnistock' ),
			'state'    => __( 'State / county code', 'omnistock' ),
			'postcode' => __( 'Postcode', 'omnistock' ),
			'city'     => __( 'City', 'omnistock' ),
		) as $field => $label ) {
			printf( '<tr><th><label for="omnistock-%1$s">%2$s</label></th><td><input id="omnistock-%1$s" name="%1$s" class="regular-text" value="%3$s"></td></tr>', esc_attr( $field ), esc_html( $label ), esc_attr( $l[ $field ] ) );
		}
		foreach ( array(
			'ships_online'      => __( 'Ships online orders', 'omnistock' ),
			'offers_pickup'     => __( 'Offers pickup', 'omnistock' ),
			'offers_curbside'   => __( 'Offers curbside pickup', 'omnistock' ),
			'accepts_transfers' => __( 'Pickup orders may be filled with units sent from another location', 'omnistock' ),
		) as $flag => $label ) {
			printf( '<tr><th>%s</th><td><input type="checkbox" name="%s" value="1" %s></td></tr>', esc_html( $label ), esc_attr( $flag ), checked( $l[ $flag ], true, false ) );
		}
		printf( '<tr><th><label for="omnistock-safety">%s</label></th><td><input id="omnistock-safety" type="number" min="0" name="safety_default" value="%d"></td></tr>', esc_html__( 'Default safety stock', 'omnistock' ), (int) $l['safety_default'] );
		printf( '<tr><th><label for="omnistock-priority">%s</label></th><td><input id="omnistock-priority" type="number" name="priority" value="%d"></td></tr>', esc_html__( 'Priority (lower first)', 'omnistock' ), (int) $l['priority'] );
		printf( '<tr><th><label for="omnistock-opening-hours">%s</label></th><td><textarea id="omnistock-opening-hours" name="opening_hours" rows="3" class="large-text">%s</textarea></td></tr>', esc_html__( 'Opening hours (shown to pickup customers)', 'omnistock' ), esc_textarea( $l['opening_hours'] ) );
		printf( '<tr><th><label for="omnistock-pickup-hours">%s</label></th><td><input id="omnistock-pickup-hours" type="number" min="0" name="pickup_hours" value="%d"></td></tr>', esc_html__( 'Hours to prepare a pickup order', 'omnistock' ), (int) $l['pickup_hours'] );
		printf( '<tr><th><label for="omnistock-hold-days">%s</label></th><td><input id="omnistock-hold-days" type="number" min="1" name="hold_days" value="%d"></td></tr>', esc_html__( 'Days a ready pickup order waits', 'omnistock' ), (int) $l['hold_days'] );
		printf( '<tr><th><label for="omnistock-transfer-days">%s</label></th><td><input id="omnistock-transfer-days" type="number" min="1" name="transfer_days" value="%d"></td></tr>', esc_html__( 'Days units sent from another location take to arrive', 'omnistock' ), (int) $l['transfer_days'] );
		// Routing of online orders: where the location is, and which shipping zones it serves.
		foreach ( array(
			'latitude'  => __( 'Latitude (degrees north; empty: unknown)', 'omnistock' ),
			'longitude' => __( 'Longitude (degrees east; empty: unknown)', 'omnistock' ),
		) as $field => $label ) {
			$degrees = null === $l[ $field ] ? '' : (string) $l[ $field ];
			printf( '<tr><th><label for="omnistock-%1$s">%2$s</label></th><td><input id="omnistock-%1$s" name="%1$s" inputmode="decimal" value="%3$s"></td></tr>', esc_attr( $field ), esc_html( $label ), esc_attr( $degrees ) );
		}
		echo '<tr><th>' . esc_html__( 'Ships only to these shipping zones (none ticked: every zone)', 'omnistock' ) . '</th><td><input type="hidden" name="shipping_zones_shown" value="1">';
		$zones = self::shipping_zones();
		if ( null === $zones ) {
			printf( '<input name="shipping_zones" value="%s" class="regular-text"> <span class="description">%s</span>', esc_attr( implode( ',', $l['shipping_zones'] ) ), esc_html__( 'zone ids, separated by commas', 'omnistock' ) );
		} else {
			foreach ( $zones as $zone_id => $zone_name ) {
				printf( '<label><input type="checkbox" name="shipping_zones[]" value="%d" %s> %s</label><br>', (int) $zone_id, checked( in_array( (int) $zone_id, $l['shipping_zones'], true ), true, false ), esc_html( $zone_name ) );
			}
		}
		echo '</td></tr>';
		echo '</table>';
		submit_button( $l['id'] ? __( 'Save location', 'omnistock' ) : __( 'Add location', 'omnistock' ) );
		echo '</form>';
	}

	/**
	 * The shop's shipping zones (id => name, "everywhere else" as 0), or null without WooCommerce.
	 *
	 * @return array<int, string>|null
	 */
	private static function shipping_zones(): ?array {
		if ( ! class_exists( \WC_Shipping_Zones::class ) ) {
			return null;
		}
		$zones = array();
		foreach ( \WC_Shipping_Zones::get_zones() as $zone ) {
			$zones[ (int) $zone['id'] ] = (string) $zone['zone_name'];
		}
		$zones[0] = __( 'Locations not covered by your other zones', 'omnistock' );
		return $zones;
	}

	/**
	 * The settings form: holds backend, how old a POS sale may be dated, erase data on uninstall.
	 */
	private function settings(): void {
		$backend = HoldsBackendFactory::configured();
		echo '<h2>' . esc_html__( 'Settings', 'omnistock' ) . '</h2>';
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" class="omnistock-settings">';
		wp_nonce_field( self::SETTINGS );
		echo '<input type="hidden" name="action" value="' . esc_attr( self::SETTINGS ) . '">';
		echo '<table class="form-table"><tr><th>' . esc_html__( 'Holds backend', 'omnistock' ) . '</th><td>';
		if ( defined( 'OMNISTOCK_HOLDS_BACKEND' ) ) {
			/* translators: %s: backend name */
			echo '<p>' . esc_html( sprintf( __( '%s (set by OMNISTOCK_HOLDS_BACKEND in wp-config.php)', 'omnistock' ), $backend ) ) . '</p>';
		} else {
			printf( '<label><input type="radio" name="holds_backend" value="shm" %s> %s</label><br>', checked( $backend, 'shm', false ), esc_html__( 'Shared memory (one web host: fastest)', 'omnistock' ) );
			printf( '<label><input type="radio" name="holds_backend" value="database" %s> %s</label>', checked( $backend, 'database', false ), esc_html__( 'Database (several web hosts share this shop)', 'omnistock' ) );
		}
		echo '</td></tr><tr><th><label for="omnistock-pos-sale-window">' . esc_html__( 'POS sale times', 'omnistock' ) . '</label></th><td>';
		printf(
			'<input type="number" id="omnistock-pos-sale-window" name="pos_sale_window" min="1" max="8760" step="1" value="%s" class="small-text"> %s',
			esc_attr( (string) get_option( \Omnistock\Pos\Sales::WINDOW_OPTION, \Omnistock\Pos\Sales::WINDOW_HOURS ) ),
			esc_html__( 'hours: how long ago a terminal may date a sale (an offline sale arrives late); older is refused', 'omnistock' )
		);
		echo '</td></tr><tr><th>' . esc_html__( 'Online orders', 'omnistock' ) . '</th><td>';
		printf( '<label><input type="checkbox" name="allow_splits" value="yes" %s> %s</label>', checked( \Omnistock\Inventory\Router::splits_allowed(), true, false ), esc_html__( 'A line may be split across locations when no single location has all its units', 'omnistock' ) );
		echo '</td></tr><tr><th>' . esc_html__( 'Uninstall', 'omnistock' ) . '</th><td>';
		printf( '<label><input type="checkbox" name="erase_data" value="yes" %s> %s</label>', checked( get_option( 'omnistock_erase_data_on_uninstall', 'no' ), 'yes', false ), esc_html__( 'Erase locations, stock and the ledger when the plugin is deleted', 'omnistock' ) );
		echo '</td></tr></table>';
		submit_button( __( 'Save settings', 'omnistock' ) );
		echo '</form>';
	}

	/**
	 * Saves the settings form (admin-post.php).
	 */
	public function handle_settings(): void {
		Form::check_post( Capabilities::MANAGE, self::SETTINGS );
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- checked by Form::check_post().
		$backend = sanitize_key( wp_unslash( $_POST['holds_backend'] ?? '' ) );
		$erase   = isset( $_POST['erase_data'] ) && 'yes' === $_POST['erase_data'];
		$splits  = isset( $_POST['allow_splits'] ) && 'yes' === $_POST['allow_splits'];
		$window  = isset( $_POST['pos_sale_window'] ) ? absint( wp_unslash( $_POST['pos_sale_window'] ) ) : 0;
		// phpcs:enable
		if ( $window >= 1 && $window <= 8760 ) {
			update_option( \Omnistock\Pos\Sales::WINDOW_OPTION, $window );
		}
		if ( in_array( $backend, array( 'shm', 'database' ), true ) ) {
			update_option( HoldsBackendFactory::OPTION, $backend );
		}
		update_option( 'omnistock_erase_data_on_uninstall', $erase ? 'yes' : 'no' );
		update_option( \Omnistock\Inventory\Router::SPLITS_OPTION, $splits ? 'yes' : 'no' );
		Form::back( self::SLUG, __( 'Settings saved.', 'omnistock' ) );
	}

	/**
	 * "yes" or "no", translated.
	 *
	 * @param bool $flag The flag.
	 */
	private static function yes_no( bool $flag ): string {
		return $flag ? __( 'yes', 'omnistock' ) : __( 'no', 'omnistock' );
	}

	/**
	 * Saves the form (admin-post.php).
	 */
	public function handle(): void {
		Form::check_post( Capabilities::MANAGE, self::ACTION );
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- checked by Form::check_post().
		$fields = array(
			'name'              => sanitize_text_field( wp_unslash( $_POST['name'] ?? '' ) ),
			'address'           => sanitize_textarea_field( wp_unslash( $_POST['address'] ?? '' ) ),
			'country'           => sanitize_text_field( wp_unslash( $_POST['country'] ?? '' ) ),
			'state'             => sanitize_text_field( wp_unslash( $_POST['state'] ?? '' ) ),
			'postcode'          => sanitize_text_field( wp_unslash( $_POST['postcode'] ?? '' ) ),
			'city'              => sanitize_text_field( wp_unslash( $_POST['city'] ?? '' ) ),
			'ships_online'      => ! empty( $_POST['ships_online'] ),
			'offers_pickup'     => ! empty( $_POST['offers_pickup'] ),
			'offers_curbside'   => ! empty( $_POST['offers_curbside'] ),
			'safety_default'    => sanitize_text_field( wp_unslash( $_POST['safety_default'] ?? '0' ) ),
			'priority'          => sanitize_text_field( wp_unslash( $_POST['priority'] ?? '10' ) ),
			'opening_hours'     => sanitize_textarea_field( wp_unslash( $_POST['opening_hours'] ?? '' ) ),
			'pickup_hours'      => sanitize_text_field( wp_unslash( $_POST['pickup_hours'] ?? (string) Locations::PICKUP_HOURS ) ),
			'hold_days'         => sanitize_text_field( wp_unslash( $_POST['hold_days'] ?? (string) Locations::HOLD_DAYS ) ),
			'accepts_transfers' => ! empty( $_POST['accepts_transfers'] ),
			'transfer_days'     => sanitize_text_field( wp_unslash( $_POST['transfer_days'] ?? (string) Locations::TRANSFER_DAYS ) ),
			'latitude'          => sanitize_text_field( wp_unslash( $_POST['latitude'] ?? '' ) ),
			'longitude'         => sanitize_text_field( wp_unslash( $_POST['longitude'] ?? '' ) ),
		);
		if ( isset( $_POST['shipping_zones_shown'] ) ) {
			$zones                    = wp_unslash( $_POST['shipping_zones'] ?? '' ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- each id is checked by Locations.
			$fields['shipping_zones'] = is_array( $zones ) ? array_map( 'sanitize_text_field', $zones ) : sanitize_text_field( (string) $zones );
		}
		$id = absint( $_POST['id'] ?? 0 );
		// phpcs:enable
		try {
			$location = $id ? $this->locations->update( $id, $fields ) : $this->locations->create( $fields );
		} catch ( \Omnistock\Error $e ) {
			Form::failed( self::SLUG, $e );
		}
		/* translators: %s: location name */
		Form::back( self::SLUG, sprintf( __( 'Saved location %s.', 'omnistock' ), $location['name'] ?? '' ) );
	}
}
