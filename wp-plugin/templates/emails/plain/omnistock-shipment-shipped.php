<?php
/**
 * A shipment has shipped (plain text). Override it as yourtheme/woocommerce/emails/plain/omnistock-shipment-shipped.php.
 *
 * @package Omnistock
 * @var WC_Order $order
 * @var array    $store
 * @var array    $extra The shipment object (items, carrier, tracking).
 * @var string   $email_heading
 * @var string   $additional_content
 */

defined( 'ABSPATH' ) || exit;

echo esc_html( wp_strip_all_tags( $email_heading ) ) . "\n\n";
/* translators: %s: order number */
printf( esc_html__( 'These items of your order #%s are on their way:', 'omnistock' ), esc_html( $order->get_order_number() ) );
echo "\n";
foreach ( $extra['items'] as $omnistock_item ) {
	echo esc_html( '- ' . $omnistock_item['qty'] . ' × ' . $omnistock_item['name'] ) . "\n";
}
echo "\n";
/* translators: 1: carrier, 2: tracking number */
printf( esc_html__( 'Carrier: %1$s, tracking number: %2$s', 'omnistock' ), esc_html( $extra['carrier'] ), esc_html( $extra['tracking'] ) );
echo "\n\n";
if ( $additional_content ) {
	echo esc_html( wp_strip_all_tags( wptexturize( $additional_content ) ) ) . "\n\n";
}
echo wp_kses_post( apply_filters( 'woocommerce_email_footer_text', get_option( 'woocommerce_email_footer_text' ) ) );
