<?php
/**
 * A WooCommerce payment gateway of the tests that supports refunds: process_refund() records each
 * call (and refuses when told to), as a real gateway's API would answer.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\WooCommerce;

final class ReturnsGateway extends \WC_Payment_Gateway {

	public const ID = 'omnistock_test_refunds';

	/** @var list<array{order:int, amount:string, reason:string}> The refunds asked of it. */
	public static array $refunds = array();

	/** The next process_refund() fails with this message (null: it succeeds). */
	public static ?string $refuse = null;

	public function __construct() {
		$this->id                 = self::ID;
		$this->method_title       = 'Test gateway with refunds';
		$this->title              = 'Test card';
		$this->has_fields         = false;
		$this->supports           = array( 'products', 'refunds' );
		$this->enabled            = 'yes';
		$this->method_description = 'Records refunds (tests only).';
	}

	/**
	 * Registers it with WooCommerce (the filter, then the gateways loaded again).
	 */
	public static function register(): void {
		add_filter( 'woocommerce_payment_gateways', array( self::class, 'add' ) );
		WC()->payment_gateways()->init();
		self::$refunds = array();
		self::$refuse  = null;
	}

	/**
	 * Unregisters it.
	 */
	public static function unregister(): void {
		remove_filter( 'woocommerce_payment_gateways', array( self::class, 'add' ) );
		WC()->payment_gateways()->init();
	}

	/**
	 * The woocommerce_payment_gateways filter.
	 *
	 * @param array $gateways Gateway classes.
	 */
	public static function add( $gateways ) {
		$gateways[] = self::class;
		return $gateways;
	}

	public function process_payment( $order_id ) {
		wc_get_order( $order_id )->payment_complete();
		return array( 'result' => 'success' );
	}

	public function process_refund( $order_id, $amount = null, $reason = '' ) {
		if ( null !== self::$refuse ) {
			$message      = self::$refuse;
			self::$refuse = null;
			return new \WP_Error( 'declined', $message );
		}
		self::$refunds[] = array(
			'order'  => (int) $order_id,
			'amount' => (string) $amount,
			'reason' => (string) $reason,
		);
		return true;
	}
}
