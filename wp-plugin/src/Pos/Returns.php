<?php
/**
 * Returns at the counter: an order — online or POS — brought back to a store, its units put back
 * on sale there, sent to a location that is not sold from, or written off, and the money refunded
 * through WooCommerce, once per return id however often the terminal sends it.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

use Omnistock\BadInput;
use Omnistock\Capabilities;
use Omnistock\Inventory\Database;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;
use Omnistock\Inventory\Sellable;
use Omnistock\Inventory\Tables;
use Omnistock\Refusal;
use Omnistock\Unavailable;
use Omnistock\WooCommerce\OrderStock;
use Omnistock\WooCommerce\OrderStockState;
use Omnistock\WooCommerce\ProductStock;

defined( 'ABSPATH' ) || exit;

/**
 * The return id (a UUID made by the terminal) is claimed in omnistock_pos_returns as a sale's id
 * is (Sales): the same id with the same body answers the stored answer, with another body 422.
 * Returns of one order are taken one at a time (a named lock per order), so two returns never
 * both refund the last unit. The refund record (wc_create_refund(), without WooCommerce's own
 * restock: the units come back here, once), the ledger events (`adjust` +qty, reason `return`,
 * ids return:<uuid>:<item>), the drawer movement, the store-credit coupon and the stored answer
 * are one transaction; the gateway's refund is the last step in it, so a refused one leaves
 * nothing behind.
 */
final class Returns {

	public const RETURN_META     = \Omnistock\Meta::POS_RETURN;
	public const LOCATION_META   = \Omnistock\Meta::POS_RETURN_LOCATION;
	public const CREDIT_META     = \Omnistock\Meta::POS_RETURN_CREDIT;
	public const METHODS         = array( 'original', 'cash', 'credit' );
	public const WINDOW_OPTION   = 'omnistock_return_window_days';
	public const WINDOW_DAYS     = 30;
	public const MAX_LINES       = 100;
	public const RECEIPT_ACTION  = 'omnistock_return_receipt';
	private const STALE_MS       = 120000;
	private const WAIT_MS        = 20000;
	private const LOCK_SECONDS   = 10;
	private const REASON_MAX_LEN = 191;

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The ledger.
	 * @param Locations $locations Locations.
	 * @param Database  $db        The database.
	 * @param Drawer    $drawer    Drawer sessions (cash refunds).
	 * @param Staff     $staff     Who may act for which location (the receipt).
	 */
	public function __construct(
		private readonly Inventory $inventory,
		private readonly Locations $locations,
		private readonly Database $db,
		private readonly Drawer $drawer,
		private readonly Staff $staff
	) {
	}

	/**
	 * The claims table.
	 */
	public static function table(): string {
		return ( new Tables( $GLOBALS['wpdb'] ) )->pos_returns;
	}

	/**
	 * Hooks the return receipt's page in (admin-post.php).
	 */
	public function register(): void {
		add_action( 'admin_post_' . self::RECEIPT_ACTION, array( $this, 'receipt' ) );
		add_action( 'admin_post_nopriv_' . self::RECEIPT_ACTION, 'auth_redirect' );
	}

	/**
	 * How many days after its purchase an order may be returned by a cashier (the option
	 * omnistock_return_window_days, filter omnistock_return_window_days; 30 by default).
	 */
	public static function window_days(): int {
		/**
		 * How many days after the purchase a return needs no manager.
		 *
		 * @param int $days The option omnistock_return_window_days, or 30.
		 */
		return max( 0, (int) apply_filters( 'omnistock_return_window_days', (int) get_option( self::WINDOW_OPTION, self::WINDOW_DAYS ) ) );
	}

	/**
	 * Orders found by their number (typed or scanned from the receipt's barcode).
	 *
	 * @param mixed $number Input.
	 * @return list<array> self::summary() of each (none or one).
	 * @throws PosError When it is not an order number (PosError::field, a BadInput).
	 */
	public function find( mixed $number ): array {
		$text = is_scalar( $number ) ? trim( (string) $number ) : '';
		$text = ltrim( $text, '#' );
		if ( ! preg_match( '/^\d{1,19}$/', $text ) ) {
			throw PosError::field( 'number', __( 'must be an order number', 'omnistock' ) );
		}
		/**
		 * The order id of an order number (a sequential-numbers plugin maps its numbers here).
		 *
		 * @param int    $order_id The number taken as the id.
		 * @param string $number   The number given.
		 */
		$id    = (int) apply_filters( 'omnistock_pos_order_id_of_number', (int) $text, $text );
		$order = $id > 0 ? wc_get_order( $id ) : false;
		if ( ! $order instanceof \WC_Order || 'shop_order' !== $order->get_type() ) {
			return array();
		}
		return array( $this->summary( $order ) );
	}

	/**
	 * One order as the return screen shows it: its lines with what may still be returned, how it
	 * was paid and how it may be refunded.
	 *
	 * @param int $order_id Order id.
	 * @throws PosError When there is no such order (not found).
	 */
	public function order( int $order_id ): array {
		$order = $order_id > 0 ? wc_get_order( $order_id ) : false;
		if ( ! $order instanceof \WC_Order || 'shop_order' !== $order->get_type() ) {
			throw new PosError( 'omnistock_pos_no_order', __( 'No such order.', 'omnistock' ), Refusal::NotFound );
		}
		return $this->summary( $order );
	}

	/**
	 * The order's summary.
	 *
	 * @param \WC_Order $order Order.
	 */
	private function summary( \WC_Order $order ): array {
		$decimals = MinorUnits::decimals();
		$lines    = array();
		foreach ( $order->get_items() as $item_id => $item ) {
			if ( ! $item instanceof \WC_Order_Item_Product ) {
				continue;
			}
			$bought   = (int) $item->get_quantity();
			$refunded = absint( $order->get_qty_refunded_for_item( $item_id ) );
			$gross    = MinorUnits::stored( $item->get_total(), $decimals ) + MinorUnits::stored( $item->get_total_tax(), $decimals );
			$lines[]  = array(
				'item'       => (int) $item_id,
				'product'    => (int) ( $item->get_variation_id() ? $item->get_variation_id() : $item->get_product_id() ),
				'name'       => $item->get_name(),
				'sku'        => $item->get_product() ? (string) $item->get_product()->get_sku() : '',
				'qty'        => $bought,
				'refunded'   => $refunded,
				'returnable' => max( 0, $bought - $refunded ),
				'unit'       => MinorUnits::format( $bought > 0 ? self::share( $gross, 1, $bought ) : 0, $decimals ),
				'total'      => MinorUnits::format( $gross, $decimals ),
			);
		}
		$paid    = $order->get_date_paid() ?? $order->get_date_created();
		$days    = self::window_days();
		$late    = $paid && $paid->getTimestamp() < time() - $days * DAY_IN_SECONDS;
		$methods = array( 'cash', 'credit' );
		if ( null !== $this->original( $order ) ) {
			array_unshift( $methods, 'original' );
		}
		$email = $order->get_billing_email();
		if ( '' === (string) $email ) {
			$methods = array_values( array_diff( $methods, array( 'credit' ) ) );
		}
		return array(
			'id'         => $order->get_id(),
			'number'     => (string) $order->get_order_number(),
			'channel'    => Drawer::CREATED_VIA === $order->get_created_via() ? 'pos' : 'online',
			'status'     => $order->get_status(),
			'date'       => $paid ? $paid->format( DATE_ATOM ) : '',
			'customer'   => trim( $order->get_formatted_billing_full_name() ),
			'email'      => (string) $email,
			'payment'    => $order->get_payment_method_title(),
			'total'      => MinorUnits::format( MinorUnits::stored( $order->get_total( 'edit' ), $decimals ), $decimals ),
			'refundable' => MinorUnits::format( MinorUnits::stored( $order->get_remaining_refund_amount(), $decimals ), $decimals ),
			'methods'    => $methods,
			'late'       => (bool) $late,
			'window'     => $days,
			'may_late'   => current_user_can( Capabilities::POS_LATE_RETURN ),
			'restock_to' => $this->not_sold_from(),
			'lines'      => $lines,
		);
	}

	/**
	 * The locations a returned unit may go to besides the store itself: those not sold from
	 * (neither shipping online nor offering pickup), such as a "returns" or "damaged" location.
	 *
	 * @return list<array{id:int, name:string}>
	 */
	private function not_sold_from(): array {
		$out = array();
		foreach ( $this->locations->all() as $location ) {
			if ( ! Sellable::counts_online( $location ) ) {
				$out[] = array(
					'id'   => (int) $location['id'],
					'name' => (string) $location['name'],
				);
			}
		}
		return $out;
	}

	/**
	 * POST /pos/returns.
	 *
	 * @param array $body Request body (the route checked `location` is the caller's).
	 * @return array The answer, with `created` (false for a repeated id).
	 * @throws PosError A bad field, named (PosError::field, a BadInput); refused: past the window without a manager, not fulfilled, the gateway refused, a reused id.
	 * @throws \Throwable A failure half-way (nothing of the return stays; the same id may be sent again), or Unavailable when another request holds the return for too long.
	 */
	public function create( array $body ): array {
		$uuid = is_string( $body['id'] ?? null ) ? strtolower( trim( $body['id'] ) ) : '';
		if ( ! wp_is_uuid( $uuid ) ) {
			throw PosError::field( 'id', __( 'must be a UUID made by the terminal', 'omnistock' ) );
		}
		$fingerprint = Sales::fingerprint( $body );
		$known       = $this->claim_row( $uuid );
		if ( null !== $known ) {
			self::same_request( $known, $fingerprint );
			if ( 'done' === $known['status'] ) {
				return self::repeated( (string) $known['response'] );
			}
		}
		$location = Input::integer( $body['location'] ?? null, 'location', 1, PHP_INT_MAX );
		$order_id = Input::integer( $body['order'] ?? null, 'order', 1, PHP_INT_MAX );
		$refund   = is_array( $body['refund'] ?? null ) ? $body['refund'] : array();
		$method   = $refund['method'] ?? null;
		if ( ! in_array( $method, self::METHODS, true ) ) {
			throw PosError::field( 'refund.method', __( 'must be "original", "cash" or "credit"', 'omnistock' ) );
		}
		$session = isset( $body['session'] ) ? Input::integer( $body['session'], 'session', 1, PHP_INT_MAX ) : 0;
		if ( $session ) {
			$drawer = $this->drawer->get( $session );
			if ( null === $drawer || $drawer['location'] !== $location ) {
				throw PosError::field( 'session', __( 'must be a drawer session of the return\'s location', 'omnistock' ) );
			}
		}
		$lines = self::lines_input( $body['lines'] ?? null );

		$claim = $this->claim( $uuid, $fingerprint );
		if ( isset( $claim['answer'] ) ) {
			return $claim['answer'];
		}
		$token = $claim['token'];
		try {
			return $this->with_order_lock( $order_id, fn() => $this->make( $uuid, $token, $order_id, $location, $lines, (string) $method, $session ) );
		} catch ( \Throwable $e ) {
			// Nothing of the return stayed (one transaction): the id is free for the same request again.
			$this->db->statement( $this->db->prepare( 'DELETE FROM ' . self::table() . " WHERE uuid = %s AND status = 'pending' AND token = %s", $uuid, $token ) );
			throw $e;
		}
	}

	/**
	 * The lines of the request, checked for their form: item, qty, restock, reason.
	 *
	 * @param mixed $lines Input.
	 * @return list<array{item:int, qty:int, restock:string|int, reason:string}>
	 * @throws PosError Naming the bad field (PosError::field, a BadInput).
	 */
	private static function lines_input( mixed $lines ): array {
		if ( ! is_array( $lines ) || ! array_is_list( $lines ) || ! $lines || count( $lines ) > self::MAX_LINES ) {
			/* translators: %d: the most lines */
			throw PosError::field( 'lines', sprintf( __( 'must be a list of 1 to %d lines', 'omnistock' ), self::MAX_LINES ) );
		}
		$out  = array();
		$seen = array();
		foreach ( $lines as $i => $line ) {
			if ( ! is_array( $line ) ) {
				throw PosError::field( "lines[$i]", __( 'must be an object', 'omnistock' ) );
			}
			$item = Input::integer( $line['item'] ?? null, "lines[$i].item", 1, PHP_INT_MAX );
			if ( isset( $seen[ $item ] ) ) {
				throw PosError::field( "lines[$i].item", __( 'is already in another line', 'omnistock' ) );
			}
			$seen[ $item ] = true;
			$qty           = Input::integer( $line['qty'] ?? null, "lines[$i].qty", 1, 100000 );
			$restock       = $line['restock'] ?? 'here';
			if ( 'here' !== $restock && 'none' !== $restock ) {
				if ( ! is_int( $restock ) && ! ( is_string( $restock ) && ctype_digit( $restock ) ) ) {
					throw PosError::field( "lines[$i].restock", __( 'must be "here", a location id or "none"', 'omnistock' ) );
				}
				$restock = (int) $restock;
			}
			$reason = $line['reason'] ?? '';
			if ( ! is_string( $reason ) || mb_strlen( $reason ) > self::REASON_MAX_LEN ) {
				/* translators: %d: most characters */
				throw PosError::field( "lines[$i].reason", sprintf( __( 'must be a text of at most %d characters', 'omnistock' ), self::REASON_MAX_LEN ) );
			}
			$reason = sanitize_text_field( $reason );
			if ( 'none' === $restock && '' === $reason ) {
				throw PosError::field( "lines[$i].reason", __( 'is needed for a unit written off (restock "none")', 'omnistock' ) );
			}
			$out[] = array(
				'item'    => $item,
				'qty'     => $qty,
				'restock' => $restock,
				'reason'  => $reason,
			);
		}
		return $out;
	}

	/**
	 * Makes the return under its claim and the order's lock.
	 *
	 * @param string $uuid     Return id.
	 * @param string $token    This request's claim token.
	 * @param int    $order_id Order id.
	 * @param int    $location Where the return is taken.
	 * @param array  $lines    self::lines_input().
	 * @param string $method   original, cash or credit.
	 * @param int    $session  Drawer session, or 0.
	 * @throws PosError A line or the method that does not fit the order (a BadInput), or refused.
	 */
	private function make( string $uuid, string $token, int $order_id, int $location, array $lines, string $method, int $session ): array {
		wp_cache_delete( $order_id, 'orders' );
		$order = wc_get_order( $order_id );
		if ( ! $order instanceof \WC_Order || 'shop_order' !== $order->get_type() ) {
			throw PosError::field( 'order', __( 'no such order', 'omnistock' ) );
		}
		if ( in_array( $order->get_status(), array( 'pending', 'failed', 'cancelled', 'checkout-draft' ), true ) ) {
			throw PosError::field( 'order', __( 'was not paid: there is nothing to return', 'omnistock' ) );
		}
		$this->window( $order );
		$decimals = MinorUnits::decimals();
		$planned  = $this->plan( $order, $location, $lines, $decimals );
		$amount   = array_sum( array_column( $planned, 'amount' ) );
		$left     = MinorUnits::stored( $order->get_remaining_refund_amount(), $decimals );
		if ( $amount > $left ) {
			/* translators: 1: the return's amount, 2: what is left to refund */
			throw new PosError( 'omnistock_pos_over_refund', sprintf( __( 'This return (%1$s) is more than is left to refund of the order (%2$s).', 'omnistock' ), MinorUnits::format( $amount, $decimals ), MinorUnits::format( $left, $decimals ) ), Refusal::Rule, array( 'params' => array( 'lines' => __( 'more than is left to refund', 'omnistock' ) ) ) );
		}
		$how = $this->how( $order, $method, $session, $amount );
		if ( $session && $how['drawer'] && $decimals !== $this->drawer->decimals( $session ) ) {
			throw PosError::field( 'session', __( 'counts in other decimals than the shop now does', 'omnistock' ) );
		}
		$restocks = array_filter( $planned, static fn( array $p ) => null !== $p['to'] && $p['stock'] > 0 );
		if ( $restocks && OrderStockState::Fulfilled !== OrderStock::state( $order ) && null !== OrderStock::state( $order ) ) {
			throw new PosError( 'omnistock_pos_return_not_fulfilled', __( 'This order\'s units have not left yet (it is not fulfilled): complete or cancel it in WooCommerce instead.', 'omnistock' ), Refusal::Conflict );
		}

		return $this->db->transaction(
			function () use ( $uuid, $token, $order, $location, $planned, $restocks, $method, $how, $amount, $session, $decimals ) {
				$user    = get_current_user_id();
				$context = array(
					'source'    => 'pos',
					'actor'     => (string) $user,
					'reference' => 'order:' . $order->get_id(),
					'reason'    => 'return',
				);
				$events  = array();
				foreach ( $restocks as $p ) {
					$events[] = array(
						'id'       => "return:$uuid:{$p['item']}",
						'kind'     => 'adjust',
						'product'  => $p['stock'],
						'location' => $p['to'],
						'qty'      => $p['qty'],
						'at'       => Database::now_ms(),
					);
				}
				if ( $events ) {
					$this->inventory->record( $events, $context );
				}
				/* translators: 1: order number, 2: the return's id */
				$note     = sprintf( __( 'Return of order #%1$s (%2$s)', 'omnistock' ), $order->get_order_number(), $uuid );
				$movement = null;
				if ( $how['drawer'] ) {
					$movement = $this->drawer->pay_refund( $session, $amount, $note, $user );
				}
				// The credit is worth what was refunded: a fixed-cart coupon comes off prices as the shop
				// enters them, so with prices without tax it is the refund's part without tax.
				$worth  = wc_prices_include_tax() ? $amount : array_sum( array_column( $planned, 'net' ) );
				$credit = 'credit' === $method ? $this->credit( $order, $uuid, $worth, $decimals ) : null;
				$reason = self::reason( $planned );
				$result = wc_create_refund(
					array(
						'order_id'         => $order->get_id(),
						'amount'           => MinorUnits::format( $amount, $decimals ),
						'reason'           => $reason,
						'line_items'       => self::refund_items( $planned, $decimals ),
						'refund_payment'   => $how['gateway'],
						'restock_items'    => false, // The units came back above, through the ledger: once.
						'omnistock_return' => $uuid,
					)
				);
				if ( is_wp_error( $result ) ) {
					throw new PosError( 'omnistock_pos_refund_failed', sprintf( /* translators: %s: WooCommerce's or the gateway's message */ __( 'The refund was refused: %s', 'omnistock' ), $result->get_error_message() ), Refusal::Rule );
				}
				$result->update_meta_data( self::RETURN_META, $uuid );
				$result->update_meta_data( self::LOCATION_META, (string) $location );
				$result->update_meta_data( Drawer::REFUND_METHOD_META, $how['stamp'] );
				$result->save();
				$order->add_order_note(
					sprintf(
						/* translators: 1: location name, 2: amount, 3: how it was refunded */
						__( 'Omnistock: returned at %1$s, %2$s refunded (%3$s).', 'omnistock' ),
						(string) ( $this->locations->get( $location )['name'] ?? $location ),
						MinorUnits::format( $amount, $decimals ),
						$how['stamp']
					)
				);
				$answer = array(
					'id'          => $uuid,
					'order'       => $order->get_id(),
					'number'      => (string) $order->get_order_number(),
					'location'    => $location,
					'refund'      => array(
						'id'     => $result->get_id(),
						'amount' => MinorUnits::format( $amount, $decimals ),
						'reason' => $reason,
					),
					'method'      => $method,
					'paid_by'     => $how['stamp'],
					'amounts'     => array(
						'subtotal' => MinorUnits::format( array_sum( array_column( $planned, 'net' ) ), $decimals ),
						'tax'      => MinorUnits::format( array_sum( array_column( $planned, 'tax' ) ), $decimals ),
						'total'    => MinorUnits::format( $amount, $decimals ),
					),
					'lines'       => array_map(
						static fn( array $p ) => array(
							'item'    => $p['item'],
							'name'    => $p['name'],
							'qty'     => $p['qty'],
							'restock' => null === $p['to'] ? 'none' : $p['to'],
							'reason'  => $p['reason'],
							'amount'  => MinorUnits::format( $p['amount'], $decimals ),
						),
						$planned
					),
					'credit'      => $credit,
					'customer'    => $order->get_customer_id() ? self::customer( $order ) : null,
					'movement'    => $movement,
					'session'     => $how['drawer'] ? $session : null,
					'receipt_url' => self::receipt_url( $uuid ),
					'created'     => true,
				);
				$done   = $this->db->statement(
					$this->db->prepare(
						'UPDATE ' . self::table() . " SET status = 'done', order_id = %d, location_id = %d, refund_id = %d, method = %s, amount = %d, decimals = %d, user_id = %d, created_at = %d, response = %s WHERE uuid = %s AND token = %s AND status = 'pending'",
						$order->get_id(),
						$location,
						$result->get_id(),
						$how['stamp'],
						$amount,
						$decimals,
						$user,
						Database::now_ms(),
						wp_json_encode( $answer ),
						$uuid,
						$token
					)
				);
				if ( 1 !== $done ) {
					throw new Unavailable( 'omnistock_pos_busy', __( 'This return is being recorded by another request; try again.', 'omnistock' ) );
				}
				return $answer;
			}
		);
	}

	/**
	 * Past the window, only a manager takes the return.
	 *
	 * @param \WC_Order $order Order.
	 * @throws PosError Forbidden.
	 */
	private function window( \WC_Order $order ): void {
		$paid = $order->get_date_paid() ?? $order->get_date_created();
		$days = self::window_days();
		if ( $paid && $paid->getTimestamp() < time() - $days * DAY_IN_SECONDS && ! current_user_can( Capabilities::POS_LATE_RETURN ) ) {
			throw new PosError(
				'omnistock_pos_return_window',
				/* translators: %d: days */
				sprintf( __( 'This order was bought more than %d days ago: a manager must take this return.', 'omnistock' ), $days ),
				Refusal::Forbidden
			);
		}
	}

	/**
	 * Each line checked against the order and priced in minor units: what may be returned, where it
	 * goes, its share of the line's total and of each tax.
	 *
	 * @param \WC_Order $order    Order.
	 * @param int       $location Where the return is taken.
	 * @param array     $lines    self::lines_input().
	 * @param int       $decimals Minor units.
	 * @return list<array{item:int, name:string, qty:int, stock:int, to:?int, reason:string, net:int, tax:int, taxes:array<int,int>, amount:int}>
	 * @throws PosError Naming the line (PosError::field, a BadInput).
	 * @throws BadInput More than may be returned (omnistock_pos_over_return), naming lines[i].qty.
	 */
	private function plan( \WC_Order $order, int $location, array $lines, int $decimals ): array {
		$items = $order->get_items();
		$out   = array();
		foreach ( $lines as $i => $line ) {
			$item = $items[ $line['item'] ] ?? null;
			if ( ! $item instanceof \WC_Order_Item_Product ) {
				throw PosError::field( "lines[$i].item", __( 'is not a product line of this order', 'omnistock' ) );
			}
			$bought     = (int) $item->get_quantity();
			$refunded   = absint( $order->get_qty_refunded_for_item( $line['item'] ) );
			$returnable = max( 0, $bought - $refunded );
			if ( $line['qty'] > $returnable ) {
				throw new BadInput(
					"lines[$i].qty",
					/* translators: 1: the line's name, 2: units that may still be returned */
					sprintf( __( 'is more than may be returned of "%1$s" (%2$d: bought less already refunded)', 'omnistock' ), $item->get_name(), $returnable ),
					null,
					'omnistock_pos_over_return'
				);
			}
			$to = null;
			if ( 'here' === $line['restock'] ) {
				$to = $location;
			} elseif ( is_int( $line['restock'] ) ) {
				$where = $this->locations->get( $line['restock'] );
				if ( null === $where ) {
					throw PosError::field( "lines[$i].restock", __( 'no such location', 'omnistock' ) );
				}
				if ( $line['restock'] !== $location && Sellable::counts_online( $where ) ) {
					throw PosError::field( "lines[$i].restock", __( 'must be "here" or a location that is not sold from (it neither ships online nor offers pickup)', 'omnistock' ) );
				}
				$to = $line['restock'];
			}
			$product = $item->get_product();
			$stock   = $product && ProductStock::managed( $product ) ? (int) $product->get_stock_managed_by_id() : 0;
			$last    = $line['qty'] === $returnable;
			$net     = self::portion( MinorUnits::stored( $item->get_total(), $decimals ), MinorUnits::stored( $order->get_total_refunded_for_item( $line['item'] ), $decimals ), $line['qty'], $bought, $last );
			$taxes   = array();
			foreach ( (array) ( $item->get_taxes()['total'] ?? array() ) as $rate => $tax ) {
				$taxes[ (int) $rate ] = self::portion( MinorUnits::stored( $tax, $decimals ), MinorUnits::stored( $order->get_tax_refunded_for_item( $line['item'], (int) $rate ), $decimals ), $line['qty'], $bought, $last );
			}
			$out[] = array(
				'item'   => $line['item'],
				'name'   => $item->get_name(),
				'qty'    => $line['qty'],
				'stock'  => $stock,
				'to'     => $to,
				'reason' => $line['reason'],
				'net'    => $net,
				'tax'    => array_sum( $taxes ),
				'taxes'  => $taxes,
				'amount' => $net + array_sum( $taxes ),
			);
		}
		return $out;
	}

	/**
	 * The share of a line's amount for $qty of its $bought units; the last units returned take
	 * what is left of it (so the shares add up to the line).
	 *
	 * @param int  $whole    The line's amount (minor units).
	 * @param int  $refunded What of it was refunded already.
	 * @param int  $qty      Units returned now.
	 * @param int  $bought   Units bought.
	 * @param bool $last     These are the last units left to return.
	 */
	private static function portion( int $whole, int $refunded, int $qty, int $bought, bool $last ): int {
		$left = max( 0, $whole - $refunded );
		return $last ? $left : min( $left, self::share( $whole, $qty, $bought ) );
	}

	/**
	 * $whole × $part / $of in integers, rounded half up.
	 *
	 * @param int $whole Amount.
	 * @param int $part  Numerator.
	 * @param int $of    Denominator (> 0).
	 */
	private static function share( int $whole, int $part, int $of ): int {
		$sign = $whole < 0 ? -1 : 1;
		return $sign * intdiv( 2 * abs( $whole ) * $part + $of, 2 * $of );
	}

	/**
	 * How the money goes back: through the gateway, from the drawer, by the card terminal or as
	 * store credit; what the refund is stamped with.
	 *
	 * @param \WC_Order $order   Order.
	 * @param string    $method  original, cash or credit.
	 * @param int       $session Drawer session, or 0.
	 * @param int       $amount  Minor units.
	 * @return array{gateway:bool, drawer:bool, stamp:string}
	 * @throws PosError When the method does not fit the order (PosError::field naming refund.method or session).
	 */
	private function how( \WC_Order $order, string $method, int $session, int $amount ): array {
		if ( 'original' === $method ) {
			$original = $this->original( $order );
			if ( null === $original ) {
				throw PosError::field( 'refund.method', __( 'this order\'s payment cannot be refunded to where it came from here: refund in cash or as store credit', 'omnistock' ) );
			}
			$method = 'cash' === $original ? 'cash' : $method;
			if ( 'card' === $original ) {
				return array(
					'gateway' => false,
					'drawer'  => false,
					'stamp'   => 'card',
				);
			}
			if ( 'gateway' === $original ) {
				return array(
					'gateway' => $amount > 0,
					'drawer'  => false,
					'stamp'   => 'original',
				);
			}
		}
		if ( 'cash' === $method ) {
			if ( ! $session ) {
				throw PosError::field( 'session', __( 'a cash refund is paid from this store\'s open drawer session: name it', 'omnistock' ) );
			}
			return array(
				'gateway' => false,
				'drawer'  => $amount > 0,
				'stamp'   => 'cash',
			);
		}
		if ( '' === (string) $order->get_billing_email() ) {
			throw PosError::field( 'refund.method', __( 'store credit needs the customer\'s e-mail address on the order', 'omnistock' ) );
		}
		return array(
			'gateway' => false,
			'drawer'  => false,
			'stamp'   => 'credit',
		);
	}

	/**
	 * Where the order's payment goes back to: "gateway" (its WooCommerce gateway refunds), "cash"
	 * or "card" (a POS sale paid by one method); null when it cannot (a gateway without refunds, a
	 * split POS payment).
	 *
	 * @param \WC_Order $order Order.
	 */
	private function original( \WC_Order $order ): ?string {
		if ( Drawer::CREATED_VIA === $order->get_created_via() ) {
			$paid    = SalePayments::of( $order, MinorUnits::decimals() );
			$methods = array_keys( array_filter( $paid['by_method'] ) );
			return 1 === count( $methods ) ? (string) $methods[0] : null;
		}
		$gateways = WC()->payment_gateways() ? WC()->payment_gateways()->payment_gateways() : array();
		$gateway  = $gateways[ $order->get_payment_method() ] ?? null;
		return $gateway instanceof \WC_Payment_Gateway && $gateway->supports( 'refunds' ) && $gateway->can_refund_order( $order ) ? 'gateway' : null;
	}

	/**
	 * Store credit: a WooCommerce coupon of the amount for the order's customer (restricted to
	 * their e-mail address, usable once). With prices entered without tax, the amount is without tax
	 * (the new sale's tax comes off with it).
	 *
	 * @param \WC_Order $order    Order.
	 * @param string    $uuid     Return id.
	 * @param int       $amount   Minor units.
	 * @param int       $decimals Minor units' decimals.
	 * @return array{code:string, amount:string, email:string}
	 */
	private function credit( \WC_Order $order, string $uuid, int $amount, int $decimals ): array {
		$code   = 'credit-' . strtolower( substr( str_replace( '-', '', $uuid ), 0, 12 ) );
		$email  = sanitize_email( (string) $order->get_billing_email() );
		$coupon = new \WC_Coupon();
		$coupon->set_code( $code );
		$coupon->set_discount_type( 'fixed_cart' );
		$coupon->set_amount( MinorUnits::format( $amount, $decimals ) );
		$coupon->set_email_restrictions( array( $email ) );
		$coupon->set_usage_limit( 1 );
		$coupon->set_individual_use( false );
		/* translators: %s: order number */
		$coupon->set_description( sprintf( __( 'Store credit for a return of order #%s', 'omnistock' ), $order->get_order_number() ) );
		$coupon->update_meta_data( self::CREDIT_META, $uuid );
		$coupon->save();
		return array(
			'code'   => $code,
			'amount' => MinorUnits::format( $amount, $decimals ),
			'email'  => $email,
		);
	}

	/**
	 * The order's customer as the POS shows one (an exchange's sale is theirs).
	 *
	 * @param \WC_Order $order An order with a customer account.
	 * @return array{id:int, name:string, email:string, phone:string}
	 */
	private static function customer( \WC_Order $order ): array {
		return array(
			'id'    => (int) $order->get_customer_id(),
			'name'  => trim( $order->get_formatted_billing_full_name() ),
			'email' => (string) $order->get_billing_email(),
			'phone' => (string) $order->get_billing_phone(),
		);
	}

	/**
	 * The line_items of wc_create_refund().
	 *
	 * @param array $planned  self::plan().
	 * @param int   $decimals Minor units.
	 * @return array<int, array{qty:int, refund_total:string, refund_tax:array<int,string>}>
	 */
	private static function refund_items( array $planned, int $decimals ): array {
		$items = array();
		foreach ( $planned as $p ) {
			$items[ $p['item'] ] = array(
				'qty'          => $p['qty'],
				'refund_total' => MinorUnits::format( $p['net'], $decimals ),
				'refund_tax'   => array_map( static fn( int $t ) => MinorUnits::format( $t, $decimals ), $p['taxes'] ),
			);
		}
		return $items;
	}

	/**
	 * The refund's reason: each line's, or "Returned at the counter".
	 *
	 * @param array $planned self::plan().
	 */
	private static function reason( array $planned ): string {
		$reasons = array_values( array_unique( array_filter( array_column( $planned, 'reason' ) ) ) );
		return $reasons ? implode( '; ', $reasons ) : __( 'Returned at the counter', 'omnistock' );
	}

	/**
	 * Runs $work holding the order's named lock (returns of one order, one at a time).
	 *
	 * @param int      $order_id Order id.
	 * @param callable $work     The work.
	 * @throws Unavailable When the lock is not had in time.
	 */
	private function with_order_lock( int $order_id, callable $work ): mixed {
		return $this->db->locked( $this->db->wpdb->prefix . 'omnistock_return_' . $order_id, $work, self::LOCK_SECONDS, 'omnistock_pos_busy', __( 'Another return of this order is being recorded; try again.', 'omnistock' ) );
	}

	/**
	 * Claims the return id with a new owner token, or answers what another request made of it.
	 *
	 * @param string $uuid        Return id.
	 * @param string $fingerprint Sales::fingerprint() of the request.
	 * @return array{answer: array}|array{token: string}
	 * @throws Unavailable When another request holds it for too long (and PosError when the id was used for another body).
	 */
	private function claim( string $uuid, string $fingerprint ): array {
		$table = self::table();
		$token = bin2hex( random_bytes( 16 ) );
		$until = Database::now_ms() + self::WAIT_MS;
		do {
			$now = Database::now_ms();
			if ( 1 === $this->db->statement( $this->db->prepare( "INSERT IGNORE INTO $table (uuid, status, claimed_at, token, fingerprint) VALUES (%s, 'pending', %d, %s, %s)", $uuid, $now, $token, $fingerprint ) ) ) {
				return array( 'token' => $token );
			}
			$row = $this->claim_row( $uuid );
			if ( null !== $row ) {
				self::same_request( $row, $fingerprint );
				if ( 'done' === $row['status'] ) {
					return array( 'answer' => self::repeated( (string) $row['response'] ) );
				}
				// Its owner died: its transaction rolled back, so the return starts afresh.
				if ( (int) $row['claimed_at'] < $now - self::STALE_MS
					&& 1 === $this->db->statement( $this->db->prepare( "UPDATE $table SET claimed_at = %d, token = %s WHERE uuid = %s AND status = 'pending' AND token = %s", $now, $token, $uuid, (string) $row['token'] ) ) ) {
					return array( 'token' => $token );
				}
			}
			usleep( 50000 );
		} while ( Database::now_ms() < $until );
		throw new Unavailable( 'omnistock_pos_busy', __( 'This return is being recorded by another request; try again.', 'omnistock' ) );
	}

	/**
	 * The return id's claim, or null.
	 *
	 * @param string $uuid Return id.
	 */
	private function claim_row( string $uuid ): ?array {
		$rows = $this->db->rows( $this->db->prepare( 'SELECT status, claimed_at, token, fingerprint, response FROM ' . self::table() . ' WHERE uuid = %s', $uuid ) );
		return $rows ? $rows[0] : null;
	}

	/**
	 * The same return id is the same request, or a mistake (422).
	 *
	 * @param array  $row         self::claim_row().
	 * @param string $fingerprint This request's.
	 * @throws PosError Reused, naming `id`.
	 */
	private static function same_request( array $row, string $fingerprint ): void {
		if ( ! hash_equals( (string) $row['fingerprint'], $fingerprint ) ) {
			throw new PosError(
				'omnistock_pos_id_reused',
				__( 'This return id was already used for a different return; a new return needs a new id.', 'omnistock' ),
				Refusal::Reused,
				array( 'params' => array( 'id' => __( 'already used for a different return', 'omnistock' ) ) )
			);
		}
	}

	/**
	 * A stored answer, as the answer to a repeated request (with a fresh receipt nonce).
	 *
	 * @param string $json Stored answer.
	 */
	private static function repeated( string $json ): array {
		$answer                = json_decode( $json, true );
		$answer['created']     = false;
		$answer['receipt_url'] = self::receipt_url( (string) $answer['id'] );
		return $answer;
	}

	/**
	 * The returns taken at a location in a time range (milliseconds), oldest first.
	 *
	 * @param int $location Location id.
	 * @param int $from     Start.
	 * @param int $to       End.
	 * @return list<array{id:string, order:int, number:string, refund:int, method:string, amount:int, decimals:int, user:int, at:int, lines:list<array>}>
	 */
	public function at_location( int $location, int $from, int $to ): array {
		$rows = $this->db->rows( $this->db->prepare( 'SELECT uuid, order_id, refund_id, method, amount, decimals, user_id, created_at, response FROM ' . self::table() . " WHERE status = 'done' AND location_id = %d AND created_at BETWEEN %d AND %d ORDER BY created_at, uuid", $location, $from, $to ) );
		return array_map(
			static function ( array $row ): array {
				$answer = json_decode( (string) $row['response'], true );
				return array(
					'id'       => (string) $row['uuid'],
					'order'    => (int) $row['order_id'],
					'number'   => (string) ( $answer['number'] ?? $row['order_id'] ),
					'refund'   => (int) $row['refund_id'],
					'method'   => (string) $row['method'],
					'amount'   => (int) $row['amount'],
					'decimals' => (int) $row['decimals'],
					'user'     => (int) $row['user_id'],
					'at'       => (int) $row['created_at'],
					'lines'    => (array) ( $answer['lines'] ?? array() ),
				);
			},
			$rows
		);
	}

	/**
	 * The printable return receipt's URL for the current user (its nonce is theirs).
	 *
	 * @param string $uuid Return id.
	 */
	public static function receipt_url( string $uuid ): string {
		return add_query_arg(
			array(
				'action'   => self::RECEIPT_ACTION,
				'return'   => $uuid,
				'_wpnonce' => wp_create_nonce( self::RECEIPT_ACTION . '_' . $uuid ),
			),
			admin_url( 'admin-post.php' )
		);
	}

	/**
	 * Serves the return receipt (admin-post.php).
	 */
	public function receipt(): void {
		echo $this->receipt_page(); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built escaped.
		exit;
	}

	/**
	 * The return receipt's page, or wp_die() with 403 (no capability, bad nonce, another location's return) or 404.
	 */
	public function receipt_page(): string {
		if ( ! current_user_can( Capabilities::USE_POS ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to print receipts.', 'omnistock' ), '', array( 'response' => 403 ) );
		}
		$uuid = isset( $_GET['return'] ) ? strtolower( sanitize_text_field( wp_unslash( $_GET['return'] ) ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- checked next, with this id.
		check_admin_referer( self::RECEIPT_ACTION . '_' . $uuid );
		$rows = wp_is_uuid( $uuid ) ? $this->db->rows( $this->db->prepare( 'SELECT location_id, response, created_at FROM ' . self::table() . " WHERE uuid = %s AND status = 'done'", $uuid ) ) : array();
		if ( ! $rows ) {
			wp_die( esc_html__( 'No such return.', 'omnistock' ), '', array( 'response' => 404 ) );
		}
		if ( ! $this->staff->may_act_for( get_current_user_id(), (int) $rows[0]['location_id'] ) ) {
			wp_die( esc_html__( 'Sorry, this return was taken at a location that is not yours.', 'omnistock' ), '', array( 'response' => 403 ) );
		}
		nocache_headers();
		if ( ! headers_sent() ) {
			header( 'Content-Type: text/html; charset=utf-8' );
		}
		return $this->receipt_document( (array) json_decode( (string) $rows[0]['response'], true ), (int) $rows[0]['created_at'] );
	}

	/**
	 * The return receipt (80 mm): shop, store, order, lines, amounts, how it was refunded.
	 *
	 * @param array $answer The return's answer.
	 * @param int   $at     When it was taken (ms).
	 */
	public function receipt_document( array $answer, int $at ): string {
		$location = $this->locations->get( (int) $answer['location'] );
		$rows     = '';
		foreach ( (array) $answer['lines'] as $line ) {
			$rows .= '<tr><td>' . esc_html( $line['qty'] . ' × ' . $line['name'] ) . '</td><td class="num">-' . esc_html( $line['amount'] ) . '</td></tr>';
		}
		$how    = array(
			'original' => __( 'Refunded to the original payment', 'omnistock' ),
			'card'     => __( 'Refunded to the card', 'omnistock' ),
			'cash'     => __( 'Refunded in cash', 'omnistock' ),
			'credit'   => __( 'Store credit', 'omnistock' ),
		);
		$credit = is_array( $answer['credit'] ?? null )
			/* translators: %s: coupon code */
			? '<p class="credit">' . esc_html( sprintf( __( 'Store credit code: %s', 'omnistock' ), $answer['credit']['code'] ) ) . '</p>'
			: '';
		return '<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
			/* translators: %s: order number */
			. '<title>' . esc_html( sprintf( __( 'Return of order %s', 'omnistock' ), $answer['number'] ) ) . '</title>'
			. '<style>@page{size:80mm auto;margin:0}body{width:72mm;margin:0 auto;padding:4mm 0;font:12px/1.35 "DejaVu Sans Mono",monospace}table{width:100%;border-collapse:collapse}.num{text-align:right;white-space:nowrap}.total td{font-weight:bold;border-top:1px solid #000}.actions{text-align:center;margin:4mm}@media print{.actions{display:none}}</style></head>'
			. '<body class="receipt return-receipt"><div class="actions"><button type="button" onclick="window.print()">' . esc_html__( 'Print', 'omnistock' ) . '</button></div>'
			. '<p class="shop">' . esc_html( get_bloginfo( 'name' ) ) . '</p>'
			. '<p class="location">' . esc_html( (string) ( $location['name'] ?? '' ) ) . '</p>'
			/* translators: %s: order number */
			. '<h1>' . esc_html( sprintf( __( 'Return — order #%s', 'omnistock' ), $answer['number'] ) ) . '</h1>'
			. '<p class="meta">' . esc_html( Drawer::time( $at ) ) . '</p>'
			. '<table>' . $rows
			. '<tr><td>' . esc_html__( 'Tax', 'omnistock' ) . '</td><td class="num">-' . esc_html( $answer['amounts']['tax'] ) . '</td></tr>'
			. '<tr class="total"><td>' . esc_html__( 'Refund', 'omnistock' ) . '</td><td class="num">-' . esc_html( $answer['amounts']['total'] ) . '</td></tr></table>'
			. '<p class="how">' . esc_html( $how[ $answer['paid_by'] ] ?? $answer['paid_by'] ) . '</p>'
			. $credit
			. '</body></html>';
	}
}
