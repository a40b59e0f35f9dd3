<?php
/**
 * Adapter: the curbside "I'm here" page, ?omnistock_arrived=<order id>&key=<order key> on the home URL.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\Pickup\Pickups;
use Omnistock\Rest\Routes;

defined( 'ABSPATH' ) || exit;

/**
 * No login, no rewrite rule: the order key in the link proves the shopper. A small form says where
 * they parked and posts it to POST /omnistock/v1/pickups/<id>/arrived.
 */
final class CurbsidePage {

	public const QUERY_VAR = 'omnistock_arrived';

	/**
	 * Hooks in.
	 *
	 * @param Pickups $pickups The pickup service.
	 */
	public static function register( Pickups $pickups ): void {
		add_action( 'template_redirect', static fn() => self::maybe_render( $pickups ) );
	}

	/**
	 * The link of an order's page.
	 *
	 * @param \WC_Order $order Order.
	 */
	public static function url( \WC_Order $order ): string {
		return add_query_arg(
			array(
				self::QUERY_VAR => $order->get_id(),
				'key'           => $order->get_order_key(),
			),
			home_url( '/' )
		);
	}

	/**
	 * Renders the page when asked for.
	 *
	 * @param Pickups $pickups The pickup service.
	 */
	private static function maybe_render( Pickups $pickups ): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- a public page; the order key is the proof.
		if ( ! isset( $_GET[ self::QUERY_VAR ] ) ) {
			return;
		}
		$id  = absint( wp_unslash( $_GET[ self::QUERY_VAR ] ) );
		$key = isset( $_GET['key'] ) ? sanitize_text_field( wp_unslash( $_GET['key'] ) ) : '';
		// phpcs:enable
		$order = $id ? wc_get_order( $id ) : false;
		$valid = $order instanceof \WC_Order && Pickups::is_pickup( $order ) && '' !== $key && hash_equals( (string) $order->get_order_key(), $key );
		nocache_headers();
		status_header( $valid ? 200 : 403 );
		header( 'Content-Type: text/html; charset=utf-8' );
		echo self::html( $valid ? $order : null, $key ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped in html().
		exit;
	}

	/**
	 * The page.
	 *
	 * @param \WC_Order|null $order The order, or null for a link that is not valid.
	 * @param string         $key   The order key.
	 */
	public static function html( ?\WC_Order $order, string $key ): string {
		$title = __( "I'm here", 'omnistock' );
		$body  = '<p>' . esc_html__( 'This link is not valid for this order.', 'omnistock' ) . '</p>';
		if ( $order ) {
			$action = rest_url( Routes::NAMESPACE . '/pickups/' . $order->get_id() . '/arrived' );
			/* translators: %s: order number */
			$body  = '<p>' . esc_html( sprintf( __( 'Order #%s: tell the store you are here, and where you parked.', 'omnistock' ), $order->get_order_number() ) ) . '</p>';
			$body .= '<form id="omnistock-arrived" method="post" action="' . esc_url( $action ) . '">'
				. '<input type="hidden" name="key" value="' . esc_attr( $key ) . '">'
				. '<label for="omnistock-note">' . esc_html__( 'Where did you park? (bay, car)', 'omnistock' ) . '</label><br>'
				. '<input id="omnistock-note" name="note" maxlength="200" style="font-size:1.2em;width:100%;max-width:24em"><br><br>'
				. '<button type="submit" style="font-size:1.2em">' . esc_html( $title ) . '</button></form>'
				. '<p id="omnistock-arrived-done" hidden>' . esc_html__( 'Thank you: the store has been told and will bring your order out.', 'omnistock' ) . '</p>'
				. '<script>document.getElementById("omnistock-arrived").addEventListener("submit",function(e){e.preventDefault();var f=e.target;'
				. 'fetch(f.action,{method:"POST",headers:{"Content-Type":"application/json"},body:JSON.stringify({key:f.key.value,note:f.note.value})})'
				. '.then(function(r){if(r.ok){f.hidden=true;document.getElementById("omnistock-arrived-done").hidden=false;}else{r.json().then(function(j){alert(j.message);});}});});</script>';
		}
		return '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">'
			. '<title>' . esc_html( $title ) . '</title></head><body style="font-family:sans-serif;padding:1em">'
			. '<h1>' . esc_html( $title ) . '</h1>' . $body . '</body></html>';
	}
}
