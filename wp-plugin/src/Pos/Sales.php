<?php
/**
 * POS sales: a completed WooCommerce order and the units leaving the terminal's location, once
 * per sale id however often (and however concurrently) the terminal sends it.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

use Omnistock\BadInput;
use Omnistock\Capabilities;
use Omnistock\Inventory\Database;
use Omnistock\Inventory\Inventory;
use Omnistock\Refusal;
use Omnistock\Refused;
use Omnistock\Unavailable;
use Omnistock\WooCommerce\OrderStock;

defined( 'ABSPATH' ) || exit;

/**
 * The sale id (a UUID made by the terminal) is first claimed in the table omnistock_pos_sales
 * (primary key): of two identical requests one claims it and sells, the other waits for its
 * answer. The claim stores the request's fingerprint: the same id with another body is 422, never
 * the first sale's answer. A claim whose owner died (no answer after STALE_MS) is taken over with
 * a new owner token and the sale resumed at the time recorded with the claim: its order is reused
 * and its ledger events are idempotent (ids pos:<uuid>:<product>:<location>). Only the token's
 * holder may name the order or finish the sale, so a slow first owner cannot make a second order.
 */
final class Sales {

	public const SALE     = \Omnistock\Meta::POS_SALE;
	public const CASHIER  = \Omnistock\Meta::POS_CASHIER;
	public const PAYMENTS = \Omnistock\Meta::POS_PAYMENTS;
	public const CHANGE   = \Omnistock\Meta::POS_CHANGE;
	public const SESSION  = \Omnistock\Meta::POS_SESSION;

	private const STALE_MS = 120000;
	private const WAIT_MS  = 20000;

	/** The default of how old a sale's `at` may be (the option omnistock_pos_sale_window_hours). */
	public const WINDOW_HOURS  = 72;
	public const WINDOW_OPTION = 'omnistock_pos_sale_window_hours';

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 * @param Quote     $quote     The cart builder (the same code path as the quote).
	 * @param Database  $db        The database.
	 * @param Drawer    $drawer    Drawer sessions (a sale names the open one).
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Quote $quote, private readonly Database $db, private readonly Drawer $drawer ) {
	}

	/**
	 * The claims table.
	 */
	public static function table(): string {
		return ( new \Omnistock\Inventory\Tables( $GLOBALS['wpdb'] ) )->pos_sales;
	}

	/**
	 * POST /pos/sales.
	 *
	 * @param array $body Request body.
	 * @return array{id:string, order:int, number:string, totals:array, change:string, receipt_url:string, created:bool}
	 * @throws PosError A bad field (PosError::field, a BadInput).
	 * @throws BadInput A bad field of the cart or the payments.
	 * @throws Refused A forbidden discount, short stock, payments short of the total.
	 * @throws \Throwable A failure half-way (the next attempt resumes the sale), or Unavailable when busy.
	 */
	public function sell( array $body ): array {
		$uuid = is_string( $body['id'] ?? null ) ? strtolower( trim( $body['id'] ) ) : '';
		if ( ! wp_is_uuid( $uuid ) ) {
			throw PosError::field( 'id', __( 'must be a UUID made by the terminal', 'omnistock' ) );
		}
		$fingerprint = self::fingerprint( $body );
		$known       = $this->claim_row( $uuid );
		if ( null !== $known ) {
			self::same_request( $known, $fingerprint );
			if ( 'done' === $known['status'] ) {
				return self::repeated( (string) $known['response'] );
			}
		}
		$cart     = $this->quote->cart( $body );
		$payments = self::payments( $body['payments'] ?? null );
		$override = isset( $body['override'] ) ? filter_var( $body['override'], FILTER_VALIDATE_BOOLEAN, FILTER_NULL_ON_FAILURE ) : false;
		if ( null === $override ) {
			throw PosError::field( 'override', __( 'must be true or false', 'omnistock' ) );
		}
		if ( $override && ! current_user_can( Capabilities::POS_OVERRIDE ) ) {
			throw new PosError( 'omnistock_pos_override_forbidden', __( 'Sorry, you may not sell beyond the recorded stock (override). Ask a shop manager.', 'omnistock' ), Refusal::Forbidden );
		}
		$session   = isset( $body['session'] ) ? Input::integer( $body['session'], 'session', 1, PHP_INT_MAX ) : 0;
		$opened_at = null;
		if ( $session ) {
			// Open or already closed (a sale made offline during the session arrives after its close),
			// but a session of this sale's location.
			$drawer = $this->drawer->get( $session );
			if ( null === $drawer || $drawer['location'] !== (int) $cart['location']['id'] ) {
				throw PosError::field( 'session', __( 'must be a drawer session of the sale\'s location', 'omnistock' ) );
			}
			$opened_at = 1000 * (int) strtotime( $drawer['opened_at'] );
		}
		// A resumed sale keeps the time its first request was given (a later retry may lie outside the window).
		$at = null !== $known && (int) $known['at_ms'] > 0 ? (int) $known['at_ms'] : self::at( $body['at'] ?? null, $opened_at );

		$claim = $this->claim( $uuid, $fingerprint, $at );
		if ( isset( $claim['answer'] ) ) {
			return $claim['answer']; // Another request made this sale meanwhile.
		}
		$at    = $claim['at'];
		$token = $claim['token'];
		$claim = $claim['order'];
		/**
		 * Fires when this request has claimed the sale id, before the order is made.
		 *
		 * @param string $uuid     Sale id.
		 * @param int    $order_id Order of a resumed sale, or 0.
		 */
		do_action( 'omnistock_pos_sale_claimed', $uuid, $claim );
		try {
			return $this->complete( $uuid, $token, $claim, $cart, $payments, $at, $override, $session ) ?? $this->await( $uuid );
		} catch ( BadInput | Refused $e ) {
			// Refused (short, underpaid, coupon): nothing was sold and the order is gone.
			$this->db->statement( $this->db->prepare( 'DELETE FROM ' . self::table() . " WHERE uuid = %s AND status = 'pending' AND token = %s", $uuid, $token ) );
			throw $e;
		} catch ( \Throwable $e ) {
			// Failed half-way: the next attempt resumes at once with the same order (the units' events are idempotent).
			$this->db->statement( $this->db->prepare( 'UPDATE ' . self::table() . " SET claimed_at = 0 WHERE uuid = %s AND status = 'pending' AND token = %s", $uuid, $token ) );
			throw $e;
		}
	}

	/**
	 * Makes the sale under a claim: order, units, completion, stored answer.
	 *
	 * @param string $uuid     Sale id.
	 * @param string $token    This request's claim token.
	 * @param int    $order_id Order of a resumed claim, or 0.
	 * @param array  $cart     Quote::cart().
	 * @param array  $payments self::payments().
	 * @param int    $at       Milliseconds.
	 * @param bool   $override Sell what is not sellable.
	 * @param int    $session  Drawer session, or 0.
	 * @return array|null The answer, or null when another request took the claim over meanwhile.
	 * @throws BadInput When card payments exceed the total.
	 * @throws Refused When payments do not cover the total or stock is short.
	 */
	private function complete( string $uuid, string $token, int $order_id, array $cart, array $payments, int $at, bool $override, int $session ): ?array {
		$order = $order_id ? wc_get_order( $order_id ) : false;
		if ( ! $order instanceof \WC_Order ) {
			$order = $this->quote->build( $cart );
			// Only the claim's owner names its order: one that lost the claim while building drops its own.
			if ( 1 !== $this->db->statement( $this->db->prepare( 'UPDATE ' . self::table() . " SET order_id = %d WHERE uuid = %s AND token = %s AND status = 'pending'", $order->get_id(), $uuid, $token ) ) ) {
				Quote::discard( $order );
				return null;
			}
		}
		try {
			$change = self::change( $payments, Money::cents( $order->get_total() ) );
			$order->update_meta_data( self::SALE, $uuid );
			$order->update_meta_data( self::CASHIER, (string) get_current_user_id() );
			$order->update_meta_data( self::PAYMENTS, wp_json_encode( $payments ) );
			$order->update_meta_data( self::CHANGE, Money::from_cents( $change ) );
			if ( $session ) {
				$order->update_meta_data( self::SESSION, (string) $session );
			}
			// The units leave below, at once: Omnistock's order life cycle must not commit or fulfil them again.
			OrderStock::sold_at_once( $order );
			$order->save();
			$oversold = $this->take_stock( $uuid, $order, $cart, $at, $override );
		} catch ( BadInput | Refused $e ) {
			Quote::discard( $order );
			throw $e;
		}

		$methods = array_values( array_unique( array_column( $payments, 'method' ) ) );
		$order->set_payment_method( 1 === count( $methods ) ? 'omnistock_pos_' . $methods[0] : 'omnistock_pos_split' );
		$order->set_payment_method_title( 1 === count( $methods ) ? ( 'cash' === $methods[0] ? __( 'Cash (POS)', 'omnistock' ) : __( 'Card (POS)', 'omnistock' ) ) : __( 'Split payment (POS)', 'omnistock' ) );
		$order->set_status( 'completed', __( 'POS sale.', 'omnistock' ) );
		$seconds = intdiv( $at, 1000 );
		$order->set_date_created( $seconds );
		$order->set_date_paid( $seconds );
		$order->set_date_completed( $seconds );
		$order->save();

		$answer = array(
			'id'          => $uuid,
			'order'       => $order->get_id(),
			'number'      => (string) $order->get_order_number(),
			'totals'      => array_intersect_key( $this->quote->totals( $order, $cart ), array_flip( array( 'subtotal', 'discount', 'tax', 'total' ) ) ),
			'change'      => Money::from_cents( $change ),
			'receipt_url' => self::receipt_url( $order->get_id() ),
			'oversold'    => $oversold,
			'created'     => true,
		);
		// A new owner resumed this same order meanwhile: its answer is this one.
		$this->db->statement( $this->db->prepare( 'UPDATE ' . self::table() . " SET status = 'done', response = %s WHERE uuid = %s AND token = %s AND status = 'pending'", wp_json_encode( $answer ), $uuid, $token ) );
		return $answer;
	}

	/**
	 * The sale's units leave the location (ledger events pos:<uuid>:…, at the sale's time). Short
	 * stock refuses the sale unless overridden; an override records reason pos-override.
	 *
	 * @param string    $uuid     Sale id.
	 * @param \WC_Order $order    The order.
	 * @param array     $cart     Quote::cart().
	 * @param int       $at       Milliseconds.
	 * @param bool      $override Sell what is not sellable.
	 * @return list<array{product:int, wanted:int, stock_here:int}> Lines sold beyond the stock (override).
	 * @throws PosError When stock is short (omnistock_pos_short).
	 */
	private function take_stock( string $uuid, \WC_Order $order, array $cart, int $at, bool $override ): array {
		$lines = Quote::stock_lines( $cart );
		if ( ! $lines ) {
			return array();
		}
		$context = array(
			'source'    => 'pos',
			'actor'     => (string) get_current_user_id(),
			'reference' => 'order:' . $order->get_id(),
		);
		$result  = $this->inventory->sell( "pos:$uuid", $lines, $context + array( 'reason' => 'sale' ), $at );
		if ( $result['ok'] ) {
			return array();
		}
		$short = $this->short( $cart, $result['short'] );
		if ( ! $override ) {
			throw new PosError(
				'omnistock_pos_short',
				__( 'Not enough stock at this location for some lines. Sell anyway only if the units are in hand (override).', 'omnistock' ),
				Refusal::Conflict,
				array( 'short' => $short )
			);
		}
		$this->inventory->sell( "pos:$uuid", $lines, $context + array( 'reason' => 'pos-override' ), $at, true );
		$user = wp_get_current_user();
		/* translators: 1: the user's display name, 2: the user's id */
		$order->add_order_note( sprintf( __( 'Omnistock: sold at the POS beyond the recorded stock (override by %1$s, user %2$d); the oversell shows at the location.', 'omnistock' ), $user->display_name, $user->ID ) );
		return $short;
	}

	/**
	 * The refused lines in the API's terms (the line's product, wanted, sellable here).
	 *
	 * @param array $cart    Quote::cart().
	 * @param array $refused Inventory::sell()'s short list.
	 * @return list<array{product:int, wanted:int, stock_here:int}>
	 */
	private function short( array $cart, array $refused ): array {
		$by = array();
		foreach ( $refused as $s ) {
			$by[ (int) $s['product'] ] = $s;
		}
		$out = array();
		foreach ( $cart['lines'] as $line ) {
			$managed = $line['product']->managing_stock() ? (int) $line['product']->get_stock_managed_by_id() : 0;
			if ( isset( $by[ $managed ] ) ) {
				$out[] = array(
					'product'    => $line['product']->get_id(),
					'wanted'     => (int) $by[ $managed ]['wanted'],
					'stock_here' => (int) $by[ $managed ]['sellable'],
				);
			}
		}
		return $out;
	}

	/**
	 * Claims the sale id with a new owner token. Returns the order to resume (0 for a new claim),
	 * the token and the sale's time as recorded with the claim; or the answer of the request that
	 * made the sale meanwhile.
	 *
	 * @param string $uuid        Sale id.
	 * @param string $fingerprint self::fingerprint() of the request.
	 * @param int    $at          The sale's time, for a new claim.
	 * @return array{answer: array}|array{order: int, token: string, at: int}
	 * @throws Refused When the id was claimed for another body (reused).
	 * @throws Unavailable When another request holds the claim for too long.
	 */
	private function claim( string $uuid, string $fingerprint, int $at ): array {
		$table = self::table();
		$token = bin2hex( random_bytes( 16 ) );
		$until = Database::now_ms() + self::WAIT_MS;
		/**
		 * After how many milliseconds without an answer a sale's claim is taken to be dead.
		 *
		 * @param int $stale_ms Milliseconds (default 120000).
		 */
		$stale = (int) apply_filters( 'omnistock_pos_claim_stale_ms', self::STALE_MS );
		do {
			$now = Database::now_ms();
			if ( 1 === $this->db->statement( $this->db->prepare( "INSERT IGNORE INTO $table (uuid, status, order_id, claimed_at, token, fingerprint, at_ms) VALUES (%s, 'pending', 0, %d, %s, %s, %d)", $uuid, $now, $token, $fingerprint, $at ) ) ) {
				return array(
					'order' => 0,
					'token' => $token,
					'at'    => $at,
				);
			}
			$row = $this->claim_row( $uuid );
			if ( null !== $row ) {
				self::same_request( $row, $fingerprint );
			}
			if ( $row && 'done' === $row['status'] ) {
				return array( 'answer' => self::repeated( (string) $row['response'] ) );
			}
			if ( $row && (int) $row['claimed_at'] < $now - $stale
				&& 1 === $this->db->statement( $this->db->prepare( "UPDATE $table SET claimed_at = %d, token = %s WHERE uuid = %s AND status = 'pending' AND claimed_at = %d AND token = %s", $now, $token, $uuid, (int) $row['claimed_at'], (string) $row['token'] ) ) ) {
				// Its owner died (or is too slow: its token no longer finishes anything): resume.
				return array(
					'order' => (int) $row['order_id'],
					'token' => $token,
					'at'    => (int) $row['at_ms'] > 0 ? (int) $row['at_ms'] : $at,
				);
			}
			usleep( 50000 );
		} while ( Database::now_ms() < $until );
		throw self::busy();
	}

	/**
	 * The answer of the request that took this sale's claim over, once it has it.
	 *
	 * @param string $uuid Sale id.
	 * @throws Unavailable When it takes too long.
	 */
	private function await( string $uuid ): array {
		$until = Database::now_ms() + self::WAIT_MS;
		do {
			$row = $this->claim_row( $uuid );
			if ( $row && 'done' === $row['status'] ) {
				return self::repeated( (string) $row['response'] );
			}
			usleep( 50000 );
		} while ( Database::now_ms() < $until );
		throw self::busy();
	}

	/**
	 * 503: another request is making this sale.
	 */
	private static function busy(): Unavailable {
		return new Unavailable( 'omnistock_pos_busy', __( 'This sale is being recorded by another request; try again.', 'omnistock' ) );
	}

	/**
	 * The sale id's claim, or null.
	 *
	 * @param string $uuid Sale id.
	 * @return array{status:string, order_id:string, claimed_at:string, token:string, fingerprint:string, at_ms:string, response:?string}|null
	 */
	private function claim_row( string $uuid ): ?array {
		$rows = $this->db->rows( $this->db->prepare( 'SELECT status, order_id, claimed_at, token, fingerprint, at_ms, response FROM ' . self::table() . ' WHERE uuid = %s', $uuid ) );
		return $rows ? $rows[0] : null;
	}

	/**
	 * The same sale id is the same request, or a mistake (the IETF Idempotency-Key draft's 422).
	 *
	 * @param array  $row         self::claim_row().
	 * @param string $fingerprint This request's.
	 * @throws PosError Reused, naming `id`, when the id was used for another body.
	 */
	private static function same_request( array $row, string $fingerprint ): void {
		// A claim made before fingerprints were stored has none: it is taken as this request's.
		if ( '' !== (string) $row['fingerprint'] && ! hash_equals( (string) $row['fingerprint'], $fingerprint ) ) {
			throw new PosError(
				'omnistock_pos_id_reused',
				__( 'This sale id was already used for a different sale; a new sale needs a new id.', 'omnistock' ),
				Refusal::Reused,
				array( 'params' => array( 'id' => __( 'already used for a different sale', 'omnistock' ) ) )
			);
		}
	}

	/**
	 * The request's fingerprint: sha256 of its canonical JSON (object keys sorted, at every level).
	 *
	 * @param array $body Request body.
	 */
	public static function fingerprint( array $body ): string {
		return hash( 'sha256', (string) wp_json_encode( self::canonical( $body ) ) );
	}

	/**
	 * A value with its objects' keys sorted.
	 *
	 * @param mixed $value Value.
	 */
	private static function canonical( mixed $value ): mixed {
		if ( ! is_array( $value ) ) {
			return $value;
		}
		if ( ! array_is_list( $value ) ) {
			ksort( $value, SORT_STRING );
		}
		return array_map( array( self::class, 'canonical' ), $value );
	}

	/**
	 * A stored answer, as the answer to a repeated request.
	 *
	 * @param string $json Stored answer.
	 */
	private static function repeated( string $json ): array {
		$answer            = json_decode( $json, true );
		$answer['created'] = false;
		return $answer;
	}

	/**
	 * Checks the payments: a non-empty list of {method: cash|card, amount, tendered?, reference?}.
	 *
	 * @param mixed $payments Input.
	 * @return list<array{method:string, amount:string, tendered?:string, reference?:string}>
	 * @throws PosError Naming the bad field.
	 */
	public static function payments( mixed $payments ): array {
		if ( ! is_array( $payments ) || ! array_is_list( $payments ) || ! $payments || count( $payments ) > 20 ) {
			throw PosError::field( 'payments', __( 'must be a list of 1 to 20 payments', 'omnistock' ) );
		}
		$out = array();
		foreach ( $payments as $i => $p ) {
			if ( ! is_array( $p ) || ! in_array( $p['method'] ?? null, array( 'cash', 'card' ), true ) ) {
				throw PosError::field( "payments[$i].method", __( 'must be "cash" or "card"', 'omnistock' ) );
			}
			$amount = Money::parse( $p['amount'] ?? null );
			if ( null === $amount ) {
				throw PosError::field( "payments[$i].amount", __( 'must be an amount such as "12.50"', 'omnistock' ) );
			}
			$payment = array(
				'method' => $p['method'],
				'amount' => $amount,
			);
			if ( 'cash' === $p['method'] && isset( $p['tendered'] ) ) {
				$tendered = Money::parse( $p['tendered'] );
				if ( null === $tendered || Money::cents( $tendered ) < Money::cents( $amount ) ) {
					throw PosError::field( "payments[$i].tendered", __( 'must be an amount at least the payment\'s amount', 'omnistock' ) );
				}
				$payment['tendered'] = $tendered;
			}
			if ( 'card' === $p['method'] && isset( $p['reference'] ) ) {
				if ( ! is_string( $p['reference'] ) || mb_strlen( $p['reference'] ) > 191 ) {
					throw PosError::field( "payments[$i].reference", __( 'must be a text of at most 191 characters', 'omnistock' ) );
				}
				$payment['reference'] = sanitize_text_field( $p['reference'] );
			}
			$out[] = $payment;
		}
		return $out;
	}

	/**
	 * The change in cents: cash handed over beyond the cash due (the total less the card payments).
	 *
	 * @param array $payments self::payments().
	 * @param int   $total    Order total in cents.
	 * @throws PosError When the payments do not cover the total, or cards pay more than it.
	 */
	public static function change( array $payments, int $total ): int {
		$card = 0;
		$cash = 0;
		foreach ( $payments as $p ) {
			if ( 'card' === $p['method'] ) {
				$card += Money::cents( $p['amount'] );
			} else {
				$cash += Money::cents( $p['tendered'] ?? $p['amount'] );
			}
		}
		if ( $card > $total ) {
			throw PosError::field( 'payments', __( 'card payments exceed the total', 'omnistock' ) );
		}
		$tender = MoneyRules::tender( $total, $card, $cash );
		if ( $tender['short'] > 0 ) {
			/* translators: 1: paid, 2: total */
			throw new PosError( 'omnistock_pos_underpaid', sprintf( __( 'The payments (%1$s) do not cover the total (%2$s).', 'omnistock' ), Money::from_cents( $card + $cash ), Money::from_cents( $total ) ), Refusal::Rule, array( 'params' => array( 'payments' => 'do not cover the total' ) ) );
		}
		return $tender['change'];
	}

	/**
	 * When the sale happened: ms since the epoch or ISO 8601; absent means now. Honoured only
	 * within the shop's window: not before the drawer session it names, not older than the
	 * window's hours (option omnistock_pos_sale_window_hours, filter omnistock_pos_sale_window,
	 * default 72), not more than 5 minutes ahead. A sale dated earlier would be absorbed by a later
	 * count (and so never lower the stock).
	 *
	 * @param mixed    $at        Input.
	 * @param int|null $opened_at When the sale's drawer session opened (ms), if it names one.
	 * @throws PosError When it is not a time, or lies outside the window.
	 */
	public static function at( mixed $at, ?int $opened_at = null ): int {
		$now = Database::now_ms();
		if ( null === $at ) {
			return $now;
		}
		$ms = null;
		if ( is_int( $at ) || ( is_string( $at ) && preg_match( '/^\d{10,15}$/', $at ) ) ) {
			$ms = (int) $at;
		} elseif ( is_string( $at ) ) {
			try {
				$time = new \DateTimeImmutable( $at, new \DateTimeZone( 'UTC' ) );
				$ms   = (int) $time->format( 'U' ) * 1000 + (int) $time->format( 'v' );
			} catch ( \Exception $e ) {
				$ms = null;
			}
		}
		if ( null === $ms || $ms < 946684800000 || $ms > $now + \Omnistock\Inventory\EventValidator::MAX_AHEAD_MS ) {
			throw PosError::field( 'at', __( 'must be the time of the sale: milliseconds since the epoch or ISO 8601, not in the future', 'omnistock' ) );
		}
		/**
		 * How many hours old a POS sale's `at` may be (an offline terminal's sales arrive late).
		 *
		 * @param float $hours The option omnistock_pos_sale_window_hours, or 72.
		 */
		$hours = (float) apply_filters( 'omnistock_pos_sale_window', (float) get_option( self::WINDOW_OPTION, self::WINDOW_HOURS ) );
		if ( $ms < $now - (int) ( $hours * HOUR_IN_SECONDS * 1000 ) ) {
			/* translators: %s: hours */
			throw PosError::field( 'at', sprintf( __( 'must be within the last %s hours', 'omnistock' ), (string) $hours ) );
		}
		// The terminal's clock may run a little behind the server's.
		if ( null !== $opened_at && $ms < $opened_at - \Omnistock\Inventory\EventValidator::MAX_AHEAD_MS ) {
			throw PosError::field( 'at', __( 'must not be before the drawer session of the sale opened', 'omnistock' ) );
		}
		return $ms;
	}

	/**
	 * The printable receipt's URL (80 mm).
	 *
	 * @param int $order_id Order id.
	 */
	private static function receipt_url( int $order_id ): string {
		return Receipts::url( $order_id, '80mm' );
	}
}
