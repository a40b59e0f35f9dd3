<?php
/**
 * Receipts of POS sales: printable HTML for 80 mm thermal printers and A4, and by e-mail.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

use Omnistock\Capabilities;
use Omnistock\Inventory\Locations;
use Omnistock\Unavailable;

defined( 'ABSPATH' ) || exit;

/**
 * The printable page is served by admin-post.php (action `omnistock_receipt`), capability- and
 * nonce-checked; the e-mail goes through WooCommerce's mailer.
 */
final class Receipts {

	public const ACTION  = 'omnistock_receipt';
	public const FORMATS = array( '80mm', 'a4' );

	/**
	 * Takes its dependencies.
	 *
	 * @param Locations $locations Locations.
	 * @param Staff     $staff     Who may act for which location.
	 */
	public function __construct( private readonly Locations $locations, private readonly Staff $staff ) {
	}

	/**
	 * The receipt page of an order for the current user (its nonce is theirs).
	 *
	 * @param int    $order_id Order id.
	 * @param string $format   "80mm" or "a4".
	 * @throws \InvalidArgumentException Another format.
	 */
	public static function url( int $order_id, string $format = '80mm' ): string {
		if ( ! in_array( $format, self::FORMATS, true ) ) {
			throw new \InvalidArgumentException( 'Receipts::url(): $format must be "80mm" or "a4"' );
		}
		return add_query_arg(
			array(
				'action'   => self::ACTION,
				'order'    => $order_id,
				'format'   => $format,
				'_wpnonce' => wp_create_nonce( self::nonce_action( $order_id ) ),
			),
			admin_url( 'admin-post.php' )
		);
	}

	/**
	 * The nonce action of an order's receipt.
	 *
	 * @param int $order_id Order id.
	 */
	public static function nonce_action( int $order_id ): string {
		return self::ACTION . '_' . $order_id;
	}

	/**
	 * Hooks the page in (admin-post.php); logged-out visitors are sent to the login screen.
	 */
	public function register(): void {
		add_action( 'admin_post_' . self::ACTION, array( $this, 'handle' ) );
		add_action( 'admin_post_nopriv_' . self::ACTION, 'auth_redirect' );
	}

	/**
	 * Serves the page: capability, then nonce, then the order.
	 */
	public function handle(): void {
		echo $this->page(); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built escaped by document().
		exit;
	}

	/**
	 * The page for the request, or wp_die() with 403 (no capability, bad nonce, another location's sale), 400 or 404.
	 */
	public function page(): string {
		if ( ! current_user_can( Capabilities::USE_POS ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to print receipts.', 'omnistock' ), '', array( 'response' => 403 ) );
		}
		$order_id = isset( $_GET['order'] ) ? absint( $_GET['order'] ) : 0; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- checked next, with this id.
		check_admin_referer( self::nonce_action( $order_id ) );
		$format = isset( $_GET['format'] ) ? sanitize_key( wp_unslash( $_GET['format'] ) ) : '80mm';
		if ( ! in_array( $format, self::FORMATS, true ) ) {
			wp_die( esc_html__( 'Unknown receipt format.', 'omnistock' ), '', array( 'response' => 400 ) );
		}
		$order = self::pos_order( $order_id );
		if ( ! $order ) {
			wp_die( esc_html__( 'No such POS sale.', 'omnistock' ), '', array( 'response' => 404 ) );
		}
		if ( ! $this->staff->may_act_for( get_current_user_id(), (int) $order->get_meta( Drawer::LOCATION_META ) ) ) {
			wp_die( esc_html__( 'Sorry, this sale was made at a location that is not yours.', 'omnistock' ), '', array( 'response' => 403 ) );
		}
		nocache_headers();
		if ( ! headers_sent() ) {
			header( 'Content-Type: text/html; charset=utf-8' );
		}
		return $this->document( $order, $format );
	}

	/**
	 * A POS order, or null (other orders have no POS receipt).
	 *
	 * @param int $order_id Order id.
	 */
	public static function pos_order( int $order_id ): ?\WC_Order {
		$order = $order_id > 0 ? wc_get_order( $order_id ) : false;
		return $order instanceof \WC_Order && Drawer::CREATED_VIA === $order->get_created_via() ? $order : null;
	}

	/**
	 * The whole printable page.
	 *
	 * @param \WC_Order $order  A POS order.
	 * @param string    $format "80mm" or "a4".
	 */
	public function document( \WC_Order $order, string $format ): string {
		$narrow = '80mm' === $format;
		$css    = $narrow
			? '@page{size:80mm auto;margin:0}body{width:72mm;margin:0 auto;padding:4mm 0;font:12px/1.35 "DejaVu Sans Mono",monospace}'
			: '@page{size:A4;margin:15mm}body{max-width:180mm;margin:0 auto;font:11pt/1.4 "DejaVu Sans",Arial,sans-serif}';
		$css   .= 'table{width:100%;border-collapse:collapse}td,th{padding:1px 0;vertical-align:top;text-align:left}'
			. '.num{text-align:right;white-space:nowrap}.total td{font-weight:bold;border-top:1px solid #000}'
			. '.shop,.location{margin:0 0 2mm}h1{font-size:1.3em;margin:0 0 1mm}.meta{margin:2mm 0}.thanks{text-align:center;margin-top:3mm}'
			. 'hr{border:0;border-top:1px dashed #000}.actions{text-align:center;margin:4mm}'
			. '@media print{.actions{display:none}body{padding:0}}';
		return '<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
			/* translators: %s: order number */
			. '<title>' . esc_html( sprintf( __( 'Receipt %s', 'omnistock' ), $order->get_order_number() ) ) . '</title>'
			. '<style>' . $css . '</style></head><body class="receipt receipt-' . esc_attr( $format ) . '">'
			. '<div class="actions"><button type="button" onclick="window.print()">' . esc_html__( 'Print', 'omnistock' ) . '</button></div>'
			. $this->body( $order )
			. '</body></html>';
	}

	/**
	 * The receipt itself (also the e-mail's content): shop and location, lines, discounts, taxes,
	 * total, payments, change, refunds, and the order number's barcode.
	 *
	 * @param \WC_Order $order A POS order.
	 */
	public function body( \WC_Order $order ): string {
		$decimals = MinorUnits::decimals();
		$currency = array( 'currency' => $order->get_currency() );
		$price    = static fn( $amount ) => wc_price( $amount, $currency );
		$money    = static fn( int $minor ) => wc_price( (float) MinorUnits::format( $minor, $decimals ), $currency );
		$row      = static fn( string $label, string $amount, string $class = '' ) => '<tr' . ( $class ? ' class="' . esc_attr( $class ) . '"' : '' ) . '><td>' . esc_html( $label ) . '</td><td class="num" style="text-align:right;white-space:nowrap">' . wp_kses_post( $amount ) . '</td></tr>';

		$location = $this->locations->get( (int) $order->get_meta( Drawer::LOCATION_META ) );
		$html     = '<div class="shop"><h1>' . esc_html( get_bloginfo( 'name' ) ) . '</h1>' . nl2br( esc_html( self::shop_address() ) ) . '</div>';
		if ( $location ) {
			$html .= '<div class="location"><strong>' . esc_html( $location['name'] ) . '</strong><br>' . nl2br( esc_html( $location['address'] ) ) . '</div>';
		}
		$cashier = get_userdata( (int) $order->get_meta( \Omnistock\Meta::POS_CASHIER ) );
		$date    = $order->get_date_created();
		$html   .= '<div class="meta">'
			/* translators: %s: order number */
			. esc_html( sprintf( __( 'Receipt #%s', 'omnistock' ), $order->get_order_number() ) ) . '<br>'
			. esc_html( $date ? wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $date->getTimestamp() ) : '' )
			/* translators: %s: cashier's name */
			. ( $cashier ? '<br>' . esc_html( sprintf( __( 'Cashier: %s', 'omnistock' ), $cashier->display_name ) ) : '' )
			. '</div><hr>';

		$html .= '<table class="lines" width="100%" style="width:100%"><tbody>';
		foreach ( $order->get_items() as $item ) {
			if ( ! $item instanceof \WC_Order_Item_Product ) {
				continue;
			}
			$qty     = (int) $item->get_quantity();
			$off     = SaleDiscounts::line( $item, $decimals );
			$amount  = MinorUnits::stored( $item->get_subtotal( 'edit' ), $decimals ) + $off;
			$product = $item->get_product();
			$sku     = $product ? $product->get_sku() : '';
			$html   .= '<tr class="line"><td>' . esc_html( $item->get_name() ) . ( $sku ? '<br><small>' . esc_html( $sku ) . '</small>' : '' )
				. '<br>' . esc_html( $qty . ' × ' ) . wp_kses_post( $price( $qty > 0 ? $amount / $qty / 10 ** $decimals : 0 ) )
				. '</td><td class="num" style="text-align:right;white-space:nowrap">' . wp_kses_post( $money( $amount ) ) . '</td></tr>';
			if ( $off > 0 ) {
				$html .= $row( __( 'Discount', 'omnistock' ), $money( -$off ), 'line-discount' );
			}
		}
		$html    .= '</tbody></table><hr><table class="totals" width="100%" style="width:100%"><tbody>';
		$html    .= $row( __( 'Subtotal', 'omnistock' ), $price( $order->get_subtotal() ) );
		$discount = MinorUnits::stored( $order->get_discount_total( 'edit' ), $decimals );
		if ( $discount > 0 ) {
			$codes = $order->get_coupon_codes();
			$label = $codes ? sprintf(
				/* translators: %s: coupon codes */
				__( 'Coupon (%s)', 'omnistock' ),
				implode( ', ', $codes )
			) : __( 'Coupons', 'omnistock' );
			$html .= $row( $label, $money( -$discount ), 'discount' );
		}
		foreach ( $order->get_fees() as $fee ) {
			$html .= $row( $fee->get_name(), $money( MinorUnits::stored( $fee->get_total( 'edit' ), $decimals ) ), 'fee' );
		}
		foreach ( $order->get_tax_totals() as $tax ) {
			$html .= $row( (string) $tax->label, $price( $tax->amount ), 'tax' );
		}
		$html .= $row( __( 'Total', 'omnistock' ), $price( $order->get_total() ), 'total' );
		$html .= '</tbody></table><hr><table class="payments" width="100%" style="width:100%"><tbody>';

		$paid  = SalePayments::of( $order, $decimals );
		$names = array(
			'cash'  => __( 'Cash', 'omnistock' ),
			'card'  => __( 'Card', 'omnistock' ),
			'other' => __( 'Other', 'omnistock' ),
		);
		foreach ( $paid['payments'] as $payment ) {
			$label = $names[ $payment['method'] ] ?? $payment['method'];
			if ( '' !== $payment['reference'] ) {
				$label .= ' (' . $payment['reference'] . ')';
			}
			$amount = 'cash' === $payment['method'] ? ( $payment['tendered'] ?? $payment['amount'] ) : $payment['amount'];
			$html  .= $row( $label, $money( $amount ), 'payment payment-' . $payment['method'] );
		}
		if ( $paid['tendered'] > 0 ) {
			$html .= $row( __( 'Change', 'omnistock' ), $money( $paid['change'] ), 'change' );
		}
		$html .= '</tbody></table>';

		$refunds = $order->get_refunds();
		if ( $refunds ) {
			$html .= '<hr><table class="refunds" width="100%" style="width:100%"><tbody>';
			foreach ( $refunds as $refund ) {
				$when  = $refund->get_date_created();
				$label = __( 'Refunded', 'omnistock' ) . ( $when ? ' ' . wp_date( get_option( 'date_format' ), $when->getTimestamp() ) : '' );
				$html .= $row( $label, $money( -MinorUnits::stored( $refund->get_amount( 'edit' ), $decimals ) ), 'refund' );
			}
			$html .= '</tbody></table>';
		}
		// The order number as a barcode: scanned at the counter, it finds the order for a return.
		$number = (string) $order->get_order_number();
		if ( preg_match( '/^\d{1,20}$/', $number ) ) {
			$html .= '<div class="barcode" style="text-align:center;margin-top:3mm">' . Barcode::svg( $number ) . '<br><small>' . esc_html( $number ) . '</small></div>';
		}
		return '<div class="omnistock-receipt">' . $html . '<p class="thanks">' . esc_html__( 'Thank you!', 'omnistock' ) . '</p></div>';
	}

	/**
	 * Sends the receipt through WooCommerce's mailer.
	 *
	 * @param \WC_Order   $order A POS order.
	 * @param string|null $to    Address, or null for the order's customer e-mail.
	 * @return string The address it was sent to.
	 * @throws InvalidInput No usable address.
	 * @throws Unavailable The mailer failed.
	 */
	public function email( \WC_Order $order, ?string $to ): string {
		$to = null === $to || '' === $to ? (string) $order->get_billing_email() : $to;
		if ( '' === $to ) {
			throw new InvalidInput( 'email', __( 'This sale has no customer e-mail; give email.', 'omnistock' ) );
		}
		if ( ! is_email( $to ) ) {
			throw new InvalidInput( 'email', __( 'email is not a valid e-mail address.', 'omnistock' ) );
		}
		$mailer = WC()->mailer();
		/* translators: 1: shop name, 2: order number */
		$subject = sprintf( __( 'Your receipt from %1$s (#%2$s)', 'omnistock' ), wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES ), $order->get_order_number() );
		$message = $mailer->wrap_message( __( 'Your receipt', 'omnistock' ), $this->body( $order ) );
		if ( ! $mailer->send( $to, $subject, $message, "Content-Type: text/html\r\n" ) ) {
			throw new Unavailable( 'omnistock_pos_mail_failed', __( 'The receipt could not be sent.', 'omnistock' ), true );
		}
		/* translators: %s: e-mail address */
		$order->add_order_note( sprintf( __( 'POS receipt e-mailed to %s.', 'omnistock' ), $to ) );
		return $to;
	}

	/**
	 * The shop's address from WooCommerce's settings, one part a line.
	 */
	private static function shop_address(): string {
		$countries = WC()->countries;
		$parts     = array(
			$countries->get_base_address(),
			$countries->get_base_address_2(),
			trim( $countries->get_base_postcode() . ' ' . $countries->get_base_city() ),
			$countries->countries[ $countries->get_base_country() ] ?? $countries->get_base_country(),
		);
		return implode( "\n", array_filter( $parts, static fn( $part ) => '' !== trim( (string) $part ) ) );
	}
}
