<?php
/**
 * Adapter: the pickup e-mails as WooCommerce e-mails, sent when Pickup\Pickups asks.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\WooCommerce\Emails\PickupArrived;
use Omnistock\WooCommerce\Emails\PickupCancelled;
use Omnistock\WooCommerce\Emails\PickupReady;
use Omnistock\WooCommerce\Emails\PickupReminder;

defined( 'ABSPATH' ) || exit;

/**
 * Lists the four e-mails under WooCommerce → Settings → Emails and answers the service's actions.
 */
final class PickupEmails {

	/**
	 * Hooks in.
	 */
	public static function register(): void {
		add_filter( 'woocommerce_email_classes', array( self::class, 'classes' ) );
		add_action(
			'omnistock_pickup_ready',
			static function ( \WC_Order $order, array $store, string $code ): void {
				$extra = array( 'code' => $code );
				if ( ! empty( $store['offers_curbside'] ) ) {
					$extra['arrived_url'] = CurbsidePage::url( $order );
				}
				self::email( PickupReady::class )?->send_for( $order, $store, $extra );
			},
			10,
			3
		);
		add_action( 'omnistock_pickup_reminder', static fn( \WC_Order $order, array $store ) => self::email( PickupReminder::class )?->send_for( $order, $store ), 10, 2 );
		add_action( 'omnistock_pickup_cancelled', static fn( \WC_Order $order, array $store, string $reason ) => self::email( PickupCancelled::class )?->send_for( $order, $store, array( 'reason' => $reason ) ), 10, 3 );
		add_action(
			'omnistock_pickup_arrived',
			static function ( \WC_Order $order, array $store, string $note ): void {
				$email = self::email( PickupArrived::class );
				if ( $email ) {
					/**
					 * Who is told that a shopper arrived: the e-mail's recipient setting (the admin e-mail by default).
					 *
					 * @param string    $recipient Address(es).
					 * @param array     $store     The pickup location.
					 * @param \WC_Order $order     Order.
					 */
					$email->recipient = (string) apply_filters( 'omnistock_pickup_store_email', '' !== (string) $email->get_option( 'recipient' ) ? $email->get_option( 'recipient' ) : get_option( 'admin_email' ), $store, $order );
					$email->send_for( $order, $store, array( 'note' => $note ) );
				}
			},
			10,
			3
		);
	}

	/**
	 * The e-mail classes WooCommerce lists.
	 *
	 * @param array $emails WooCommerce's.
	 */
	public static function classes( $emails ): array {
		$emails = is_array( $emails ) ? $emails : array();
		foreach ( array( PickupReady::class, PickupReminder::class, PickupCancelled::class, PickupArrived::class ) as $class ) {
			$emails[ $class ] = new $class();
		}
		return $emails;
	}

	/**
	 * One of the e-mails, from WooCommerce's mailer (so the shop's settings apply).
	 *
	 * @param string $class Class name.
	 */
	private static function email( string $class ): ?Emails\PickupEmail {
		$email = WC()->mailer()->get_emails()[ $class ] ?? null;
		return $email instanceof Emails\PickupEmail ? $email : null;
	}
}
