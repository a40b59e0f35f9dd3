<?php
/**
 * Shopper arrived (HTML). Override it as yourtheme/woocommerce/emails/omnistock-pickup-arrived.php.
 *
 * @package Omnistock
 * @var WC_Order $order
 * @var array    $store
 * @var array    $extra
 * @var string   $email_heading
 * @var string   $additional_content
 * @var WC_Email $email
 */

defined( 'ABSPATH' ) || exit;

do_action( 'woocommerce_email_header', $email_heading, $email );
?>
<p><?php /* translators: 1: order number, 2: customer name */ printf( esc_html__( 'The shopper of order #%1$s (%2$s) has arrived.', 'omnistock' ), esc_html( $order->get_order_number() ), esc_html( $order->get_formatted_billing_full_name() ) ); ?></p>
<p><?php /* translators: %s: where they parked */ printf( esc_html__( 'Where: %s', 'omnistock' ), esc_html( $extra['note'] ) ); ?></p>
<p><?php echo esc_html( $store['name'] ); ?></p>
<?php
if ( $additional_content ) {
	echo wp_kses_post( wpautop( wptexturize( $additional_content ) ) );
}
do_action( 'woocommerce_email_footer', $email );
