<?php
/**
 * The wp-admin menu: Omnistock → Stock, Locations.
 *
 * @package Omnistock
 */

namespace Omnistock\Admin;

use Omnistock\Capabilities;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;

defined( 'ABSPATH' ) || exit;

/**
 * Registers the screens and their form handlers (admin-post.php, nonce-checked).
 */
final class Menu {

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 * @param Locations $locations Locations.
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Locations $locations ) {
	}

	/**
	 * Hooks in.
	 */
	public function register(): void {
		$stock     = new StockScreen( $this->inventory, $this->locations );
		$locations = new LocationsScreen( $this->locations );
		add_action(
			'admin_menu',
			static function () use ( $stock, $locations ): void {
				add_menu_page( __( 'Omnistock', 'omnistock' ), __( 'Omnistock', 'omnistock' ), Capabilities::VIEW, StockScreen::SLUG, array( $stock, 'render' ), 'dashicons-store', 56 );
				add_submenu_page( StockScreen::SLUG, __( 'Stock', 'omnistock' ), __( 'Stock', 'omnistock' ), Capabilities::VIEW, StockScreen::SLUG, array( $stock, 'render' ) );
				add_submenu_page( StockScreen::SLUG, __( 'Locations', 'omnistock' ), __( 'Locations', 'omnistock' ), Capabilities::MANAGE, LocationsScreen::SLUG, array( $locations, 'render' ) );
			}
		);
		add_action( 'admin_post_' . StockScreen::ACTION, array( $stock, 'handle' ) );
		add_action( 'admin_post_' . LocationsScreen::ACTION, array( $locations, 'handle' ) );
		add_action( 'admin_post_' . LocationsScreen::SETTINGS, array( $locations, 'handle_settings' ) );
	}

	/**
	 * Stops a form post that lacks the capability or a valid nonce.
	 *
	 * @param string $capability Capability.
	 * @param string $action     Nonce action.
	 */
	public static function check_post( string $capability, string $action ): void {
		if ( ! current_user_can( $capability ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to change the inventory.', 'omnistock' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( $action );
	}

	/**
	 * Redirects back to a screen with a message.
	 *
	 * @param string $slug    Page slug.
	 * @param string $message Message.
	 * @param bool   $error   Whether it is an error.
	 * @param array  $args    More query arguments.
	 */
	public static function back( string $slug, string $message, bool $error = false, array $args = array() ): never {
		wp_safe_redirect(
			add_query_arg(
				array_merge(
					array(
						'page'              => $slug,
						'omnistock_message' => $message,
						'omnistock_error'   => $error ? '1' : '0',
					),
					$args
				),
				admin_url( 'admin.php' )
			)
		);
		exit;
	}

	/**
	 * Prints the message a redirect carried.
	 */
	public static function notice(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- display only.
		if ( empty( $_GET['omnistock_message'] ) ) {
			return;
		}
		$message = sanitize_text_field( wp_unslash( $_GET['omnistock_message'] ) );
		$class   = ! empty( $_GET['omnistock_error'] ) && '1' === $_GET['omnistock_error'] ? 'notice-error' : 'notice-success';
		// phpcs:enable
		printf( '<div class="notice %s"><p>%s</p></div>', esc_attr( $class ), esc_html( $message ) );
	}
}
