<?php
/**
 * The admin notice that says some changes could not be delivered to a register for a day.
 *
 * @package Omnistock
 */

namespace Omnistock\Admin;

use Omnistock\Capabilities;
use Omnistock\Connectors\Connections;
use Omnistock\Connectors\Outbox;

defined( 'ABSPATH' ) || exit;

/**
 * On every admin screen, for those who manage Omnistock, while any dead letter exists: how many,
 * for which connection, and a button that puts them all back (they are pushed again at once).
 */
final class DeadLetterNotice {

	public const ACTION = 'omnistock_retry_dead_letters';

	/**
	 * Takes its dependencies.
	 *
	 * @param Outbox      $outbox      The outbox.
	 * @param Connections $connections Connections.
	 */
	public function __construct( private readonly Outbox $outbox, private readonly Connections $connections ) {
	}

	/**
	 * Hooks in.
	 */
	public function register(): void {
		add_action( 'admin_notices', array( $this, 'render' ) );
		add_action( 'admin_post_' . self::ACTION, array( $this, 'handle' ) );
	}

	/**
	 * The notice (nothing without connections, without the capability, or without dead letters).
	 */
	public function render(): void {
		if ( ! Connections::any() || ! current_user_can( Capabilities::MANAGE ) ) {
			return;
		}
		$counts = $this->outbox->dead_counts();
		if ( ! $counts ) {
			return;
		}
		$names = array();
		foreach ( $this->connections->all() as $connection ) {
			$names[ $connection['id'] ] = $connection['name'];
		}
		echo '<div class="notice notice-error"><p>';
		foreach ( $counts as $id => $n ) {
			printf(
				/* translators: 1: number of changes, 2: connection name */
				esc_html( _n( '%1$d stock change could not be delivered to %2$s for a day.', '%1$d stock changes could not be delivered to %2$s for a day.', $n, 'omnistock' ) ) . ' ',
				(int) $n,
				esc_html( $names[ $id ] ?? '#' . $id )
			);
		}
		echo '</p><form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '"><p>';
		echo '<input type="hidden" name="action" value="' . esc_attr( self::ACTION ) . '">';
		wp_nonce_field( self::ACTION );
		echo '<button type="submit" class="button">' . esc_html__( 'Retry them now', 'omnistock' ) . '</button>';
		echo '</p></form></div>';
	}

	/**
	 * The button: every dead letter back to pending; the connections are kicked at the request's end.
	 */
	public function handle(): void {
		Form::check_post( Capabilities::MANAGE, self::ACTION );
		$this->outbox->retry_all();
		wp_safe_redirect( wp_get_referer() ? wp_get_referer() : admin_url() );
		exit;
	}
}
