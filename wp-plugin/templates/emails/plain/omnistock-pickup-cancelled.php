<?php
/**
 * Pickup cancelled (plain text). Override it as yourtheme/woocommerce/emails/plain/omnistock-pickup-cancelled.php.
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
/* translators: 1: order number, 2: reason */
echo esc_html( sprintf( __( 'Your pickup order #%1$s was cancelled: %2$s.', 'omnistock' ), $order->get_order_number(), $extra['reason'] ) ) . "\n";
echo "\n" . esc_html( $store['name'] ) . "\n" . esc_html( $store['address'] ) . "\n";
if ( '' !== (string) $store['opening_hours'] ) {
	echo esc_html__( 'Opening hours:', 'omnistock' ) . ' ' . esc_html( $store['opening_hours'] ) . "\n";
}
if ( $additional_content ) {
	echo "\n" . esc_html( wp_strip_all_tags( wptexturize( $additional_content ) ) ) . "\n";
}
echo "\n" . wp_kses_post( apply_filters( 'woocommerce_email_footer_text', get_option( 'woocommerce_email_footer_text' ) ) );
