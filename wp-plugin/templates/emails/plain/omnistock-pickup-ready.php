<?php
/**
 * Ready for pickup (plain text). Override it as yourtheme/woocommerce/emails/plain/omnistock-pickup-ready.php.
 *
 * @package Omnistock
 * @var WC_Order $order
 * @var array    $store
 * @var array    $extra
 * @var string   $email_heading
 * @var string   $additional_content
 */

defined( 'ABSPATH' ) || exit;

echo esc_html( wp_strip_all_tags( $email_heading ) ) . "\n\n";
/* translators: %s: order number */
echo esc_html( sprintf( __( 'Your order #%s is ready for pickup.', 'omnistock' ), $order->get_order_number() ) ) . "\n\n";
/* translators: %s: the pickup code */
echo esc_html( sprintf( __( 'Pickup code: %s', 'omnistock' ), $extra['code'] ) ) . "\n";
if ( ! empty( $extra['arrived_url'] ) ) {
	echo esc_html__( "Curbside: when you are outside, tell us where you parked (I'm here):", 'omnistock' ) . ' ' . esc_url_raw( $extra['arrived_url'] ) . "\n";
}
echo "\n" . esc_html( $store['name'] ) . "\n" . esc_html( $store['address'] ) . "\n";
if ( '' !== (string) $store['opening_hours'] ) {
	echo esc_html__( 'Opening hours:', 'omnistock' ) . ' ' . esc_html( $store['opening_hours'] ) . "\n";
}
if ( $additional_content ) {
	echo "\n" . esc_html( wp_strip_all_tags( wptexturize( $additional_content ) ) ) . "\n";
}
echo "\n" . wp_kses_post( apply_filters( 'woocommerce_email_footer_text', get_option( 'woocommerce_email_footer_text' ) ) );
