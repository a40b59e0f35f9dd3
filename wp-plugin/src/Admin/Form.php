<?php
/**
 * The admin screens' form posts: the capability and nonce check, and the message shown after the redirect.
 *
 * @package Omnistock
 */

namespace Omnistock\Admin;

defined( 'ABSPATH' ) || exit;

/**
 * Shared by every screen that takes a form post (admin-post.php, nonce-checked).
 */
final class Form {

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
	 * Redirects back to a screen with a message. The message stays on the server (a transient of
	 * this user, for a minute) and the URL carries only its random token: a link cannot make the
	 * screen say anything.
	 *
	 * @param string $slug    Page slug.
	 * @param string $message Message.
	 * @param bool   $error   Whether it is an error.
	 * @param array  $args    More query arguments.
	 */
	public static function back( string $slug, string $message, bool $error = false, array $args = array() ): never {
		$token = wp_generate_password( 12, false );
		set_transient(
			self::notice_key( $token ),
			array(
				'message' => $message,
				'error'   => $error,
			),
			MINUTE_IN_SECONDS
		);
		wp_safe_redirect(
			add_query_arg(
				array_merge(
					array(
						'page'             => $slug,
						'omnistock_notice' => $token,
					),
					$args
				),
				admin_url( 'admin.php' )
			)
		);
		exit;
	}

	/**
	 * Redirects back to a screen with the error notice of one of the plugin's errors: its own
	 * message (a bad field names it), or, for a storage failure or the extension's, that nothing
	 * was changed.
	 *
	 * @param string                                $slug Page slug.
	 * @param \Omnistock\Error|\Omnistock\Exception $e    The error.
	 */
	public static function failed( string $slug, \Omnistock\Error|\Omnistock\Exception $e ): never {
		$internal = $e instanceof \Omnistock\Inventory\StorageError || $e instanceof \Omnistock\Exception;
		self::back( $slug, $internal ? __( 'The inventory could not be updated; nothing was changed. Try again.', 'omnistock' ) : $e->getMessage(), true );
	}

	/**
	 * Transient name of a notice of the current user.
	 *
	 * @param string $token The token the redirect carried.
	 */
	private static function notice_key( string $token ): string {
		return 'omnistock_notice_' . get_current_user_id() . '_' . $token;
	}

	/**
	 * Prints, once, the message whose token the redirect carried.
	 */
	public static function notice(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- a token that only finds this user's own message.
		if ( empty( $_GET['omnistock_notice'] ) ) {
			return;
		}
		$token = preg_replace( '/[^A-Za-z0-9]/', '', sanitize_text_field( wp_unslash( $_GET['omnistock_notice'] ) ) );
		// phpcs:enable
		$notice = get_transient( self::notice_key( $token ) );
		if ( ! is_array( $notice ) ) {
			return;
		}
		delete_transient( self::notice_key( $token ) );
		printf( '<div class="notice %s"><p>%s</p></div>', esc_attr( $notice['error'] ? 'notice-error' : 'notice-success' ), esc_html( (string) $notice['message'] ) );
	}
}
