<?php
/**
 * Ready for pickup (HTML). Override it as yourtheme/woocommerce/emails/omnistock-pickup-ready.php.
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
<p><?php /* translators: %s: order number */ printf( esc_html__( 'Your order #%s is ready for pickup at:', 'omnistock' ), esc_html( $order->get_order_number() ) ); ?></p>
<p><strong><?php echo esc_html( $store['name'] ); ?></strong><br><?php echo nl2br( esc_html( $store['address'] ) ); ?></p>
<?php if ( '' !== (string) $store['opening_hours'] ) : ?>
<p><?php esc_html_e( 'Opening hours:', 'omnistock' ); ?> <?php echo nl2br( esc_html( $store['opening_hours'] ) ); ?></p>
<?php endif; ?>
<p><strong><?php /* translators: %s: the pickup code */ printf( esc_html__( 'Pickup code: %s', 'omnistock' ), esc_html( $extra['code'] ) ); ?></strong></p>
<?php if ( ! empty( $extra['arrived_url'] ) ) : ?>
<p><?php esc_html_e( 'Curbside: when you are outside, tell us where you parked and we bring it out.', 'omnistock' ); ?> <a href="<?php echo esc_url( $extra['arrived_url'] ); ?>"><?php esc_html_e( "I'm here", 'omnistock' ); ?></a></p>
<?php endif; ?>
<?php
if ( $additional_content ) {
	echo wp_kses_post( wpautop( wptexturize( $additional_content ) ) );
}
do_action( 'woocommerce_email_footer', $email );
