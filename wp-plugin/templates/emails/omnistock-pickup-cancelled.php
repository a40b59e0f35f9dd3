<?php
/**
 * Pickup cancelled (HTML). Override it as yourtheme/woocommerce/emails/omnistock-pickup-cancelled.php.
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
<p><?php /* translators: 1: order number, 2: reason */ printf( esc_html__( 'Your pickup order #%1$s was cancelled: %2$s.', 'omnistock' ), esc_html( $order->get_order_number() ), esc_html( $extra['reason'] ) ); ?></p>
<p><strong><?php echo esc_html( $store['name'] ); ?></strong><br><?php echo nl2br( esc_html( $store['address'] ) ); ?></p>
<?php if ( '' !== (string) $store['opening_hours'] ) : ?>
<p><?php esc_html_e( 'Opening hours:', 'omnistock' ); ?> <?php echo nl2br( esc_html( $store['opening_hours'] ) ); ?></p>
<?php endif; ?>
<?php
if ( $additional_content ) {
	echo wp_kses_post( wpautop( wptexturize( $additional_content ) ) );
}
do_action( 'woocommerce_email_footer', $email );
