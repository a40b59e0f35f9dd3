<?php
/**
 * A shipment has shipped (HTML). Override it as yourtheme/woocommerce/emails/omnistock-shipment-shipped.php.
 *
 * @package Omnistock
 * @var WC_Order $order
 * @var array    $store
 * @var array    $extra The shipment object (items, carrier, tracking).
 * @var string   $email_heading
 * @var string   $additional_content
 * @var WC_Email $email
 */

defined( 'ABSPATH' ) || exit;

do_action( 'woocommerce_email_header', $email_heading, $email );
?>
<p><?php /* translators: %s: order number */ printf( esc_html__( 'These items of your order #%s are on their way:', 'omnistock' ), esc_html( $order->get_order_number() ) ); ?></p>
<ul>
<?php foreach ( $extra['items'] as $omnistock_item ) : ?>
	<li><?php echo esc_html( $omnistock_item['qty'] . ' × ' . $omnistock_item['name'] ); ?></li>
<?php endforeach; ?>
</ul>
<p><strong><?php /* translators: 1: carrier, 2: tracking number */ printf( esc_html__( 'Carrier: %1$s, tracking number: %2$s', 'omnistock' ), esc_html( $extra['carrier'] ), esc_html( $extra['tracking'] ) ); ?></strong></p>
<?php
if ( $additional_content ) {
	echo wp_kses_post( wpautop( wptexturize( $additional_content ) ) );
}
do_action( 'woocommerce_email_footer', $email );
