<?php
/**
 * Shopper arrived (plain text). Override it as yourtheme/woocommerce/emails/plain/omnistock-pickup-arrived.php.
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
/* translators: 1: order number, 2: customer name */
echo esc_html( sprintf( __( 'The shopper of order #%1$s (%2$s) has arrived.', 'omnistock' ), $order->get_order_number(), $order->get_formatted_billing_full_name() ) ) . "\n";
/* translators: %s: where they parked */
echo esc_html( sprintf( __( 'Where: %s', 'omnistock' ), $extra['note'] ) ) . "\n";
echo "\n" . esc_html( $store['name'] ) . "\n" . esc_html( $store['address'] ) . "\n";
if ( '' !== (string) $store['opening_hours'] ) {
	echo esc_html__( 'Opening hours:', 'omnistock' ) . ' ' . esc_html( $store['opening_hours'] ) . "\n";
}
if ( $additional_content ) {
	echo "\n" . esc_html( wp_strip_all_tags( wptexturize( $additional_content ) ) ) . "\n";
}
echo "\n" . wp_kses_post( apply_filters( 'woocommerce_email_footer_text', get_option( 'woocommerce_email_footer_text' ) ) );
