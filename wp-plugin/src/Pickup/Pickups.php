<?php
/**
 * A pickup order's life: new, preparing, ready, collected, cancelled; arrivals, reassignment, no-shows.
 *
 * @package Omnistock
 */

namespace Omnistock\Pickup;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;
use Omnistock\Meta;
use Omnistock\Refusal;
use Omnistock\Refused;
use Omnistock\WooCommerce\OrderStock;
use Omnistock\WooCommerce\OrderStockState;

defined( 'ABSPATH' ) || exit;

/**
 * The one owner of Meta::PICKUP_STATUS. Every change is order meta plus one order note naming who
 * did it, written through the order object (HPOS on and off). A change to the status the order is
 * already in changes nothing (no second note, no second e-mail); any other change the state machine
 * does not allow is 409 omnistock_pickup_bad_transition. The units move through OrderStock: a
 * collected order is completed (OrderStock fulfils its commitment), a cancelled one cancelled or
 * refunded (OrderStock takes the commitment back). The e-mails are asked for by actions
 * (omnistock_pickup_ready, _reminder, _cancelled, _arrived) that the WooCommerce adapter answers.
 */
final class Pickups {

	/** The hourly no-show sweep's hook (Action Scheduler, or WP-Cron without it). */
	public const SWEEP_HOOK = 'omnistock_pickup_sweep';
	/** The shop's choice for a cancelled paid pickup: cancel (default) or refund. */
	public const NO_SHOW_OPTION = 'omnistock_pickup_no_show';
	/** A ready order not collected is reminded after this long. */
	public const REMIND_AFTER_MS = 86400000;
	/** At most this many orders in one list. */
	public const MAX_LIST = 200;

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 * @param Locations $locations Locations.
	 * @param Database  $db        The database (the per-order lock).
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Locations $locations, private readonly Database $db ) {
	}

	/**
	 * Runs $work with the order's lock held (a named database lock, so every web host agrees): two
	 * taps on "ready" at once make one code and one e-mail. Load the order inside $work.
	 *
	 * @template T
	 * @param int           $id   Order id.
	 * @param callable(): T $work What to do.
	 * @return T
	 * @throws \Omnistock\Unavailable When the lock cannot be had within 10 s.
	 */
	public function locked( int $id, callable $work ): mixed {
		return $this->db->locked( 'omnistock_pickup_' . get_current_blog_id() . '_' . $id, $work );
	}

	/**
	 * Hooks in: after OrderStock has committed a paid order (priority 10), a pickup order enters `new`.
	 */
	public function register(): void {
		add_action( 'woocommerce_order_status_processing', array( $this, 'paid' ), 20, 2 );
		add_action( 'woocommerce_payment_complete', array( $this, 'paid' ), 20 );
		add_action( self::SWEEP_HOOK, fn() => $this->sweep( Database::now_ms() ) );
		// Without HPOS, wc_get_orders() takes no meta_query: it goes to WP_Query under a name of ours.
		add_filter(
			'woocommerce_order_data_store_cpt_get_orders_query',
			static function ( $args, $vars ) {
				if ( is_array( $args ) && ! empty( $vars['omnistock_meta_query'] ) ) {
					$args['meta_query'] = $vars['omnistock_meta_query']; // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_query -- the pickup lists.
				}
				return $args;
			},
			10,
			2
		);
	}

	/**
	 * Orders by their meta, HPOS on or off.
	 *
	 * @param array $meta_query A meta_query.
	 * @param array $args       More of wc_get_orders()'s arguments.
	 * @return list<\WC_Order>
	 */
	private static function orders( array $meta_query, array $args ): array {
		$hpos = class_exists( \Automattic\WooCommerce\Utilities\OrderUtil::class ) && \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled();
		$args = $args + array( 'type' => 'shop_order' ) + ( $hpos ? array( 'meta_query' => $meta_query ) : array( 'omnistock_meta_query' => $meta_query ) ); // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_query -- by the two pickup keys.
		return array_values( array_filter( wc_get_orders( $args ), static fn( $o ) => $o instanceof \WC_Order ) );
	}

	/**
	 * A paid order with a pickup location whose units are committed becomes `new` (once).
	 *
	 * @param int|\WC_Order $order_id Order or its id.
	 * @param mixed         $order    The order, when the hook passes it.
	 */
	public function paid( $order_id, $order = null ): void {
		$order = $order instanceof \WC_Order ? $order : wc_get_order( $order_id );
		if ( ! $order instanceof \WC_Order || ! self::is_pickup( $order ) || null !== self::status( $order ) ) {
			return;
		}
		if ( OrderStockState::Committed !== OrderStock::state( $order ) && array() !== OrderStock::lines( $order ) ) {
			return; // Short: on hold for the shop manager, not the desk's yet.
		}
		$order->update_meta_data( Meta::PICKUP_STATUS, PickupStatus::New->value );
		$order->add_order_note( __( 'Pickup: new, waiting for the store to prepare it.', 'omnistock' ) );
		$order->save_meta_data();
	}

	/**
	 * Whether the order is a pickup order.
	 *
	 * @param \WC_Order $order Order.
	 */
	public static function is_pickup( \WC_Order $order ): bool {
		return (int) $order->get_meta( Meta::PICKUP_LOCATION ) > 0;
	}

	/**
	 * The order's pickup status, or null before it is paid.
	 *
	 * @param \WC_Order $order Order.
	 */
	public static function status( \WC_Order $order ): ?PickupStatus {
		return PickupStatus::tryFrom( (string) $order->get_meta( Meta::PICKUP_STATUS ) );
	}

	/**
	 * The pickup location of an order.
	 *
	 * @param \WC_Order $order Order.
	 */
	public static function location_of( \WC_Order $order ): int {
		return (int) $order->get_meta( Meta::PICKUP_LOCATION );
	}

	/**
	 * A pickup order by id.
	 *
	 * @param int $id Order id.
	 * @throws Refused Not found (omnistock_pickup_not_found).
	 */
	public function get( int $id ): \WC_Order {
		$order = $id > 0 ? wc_get_order( $id ) : false;
		if ( ! $order instanceof \WC_Order || ! self::is_pickup( $order ) ) {
			throw new Refused( 'omnistock_pickup_not_found', __( 'No such pickup order.', 'omnistock' ), Refusal::NotFound );
		}
		return $order;
	}

	/**
	 * The store's orders in these statuses, oldest first.
	 *
	 * @param int            $location Location id.
	 * @param PickupStatus[] $statuses Statuses.
	 * @return list<array>
	 */
	public function list( int $location, array $statuses ): array {
		$orders = self::orders(
			array(
				array(
					'key'   => Meta::PICKUP_LOCATION,
					'value' => (string) $location,
				),
				array(
					'key'     => Meta::PICKUP_STATUS,
					'value'   => array_map( static fn( PickupStatus $s ) => $s->value, $statuses ),
					'compare' => 'IN',
				),
			),
			array(
				'limit'   => self::MAX_LIST,
				'orderby' => 'date',
				'order'   => 'ASC',
			)
		);
		return array_map( array( $this, 'pickup' ), $orders );
	}

	/**
	 * The store is preparing the order.
	 *
	 * @param \WC_Order $order Order.
	 */
	public function preparing( \WC_Order $order ): array {
		if ( $this->move( $order, PickupStatus::Preparing ) ) {
			$order->add_order_note( __( 'Pickup: the store is preparing it.', 'omnistock' ), 0, true );
			$order->save();
		}
		return $this->pickup( $order );
	}

	/**
	 * The order is on the shelf: a code is made (kept hashed) and sent only in the shopper's e-mail.
	 * An order whose units are sent from another location is ready only once they are received.
	 *
	 * @param \WC_Order $order Order.
	 * @throws Refused Conflict while the units are on their way (omnistock_pickup_not_received).
	 */
	public function ready( \WC_Order $order ): array {
		if ( PickupStatus::Ready !== self::status( $order ) && self::awaits_transfer( $order ) ) {
			throw new Refused( 'omnistock_pickup_not_received', __( 'The units sent from another location have not been received here yet: mark them received first.', 'omnistock' ), Refusal::Conflict );
		}
		if ( $this->move( $order, PickupStatus::Ready ) ) {
			$code = PickupCode::make();
			$order->update_meta_data( Meta::PICKUP_CODE, PickupCode::hash( $order->get_id(), $code ) );
			$order->update_meta_data( Meta::PICKUP_READY_AT, (string) Database::now_ms() );
			$order->add_order_note( __( 'Pickup: ready for pickup; the shopper was sent the pickup code.', 'omnistock' ), 0, true );
			$order->save();
			self::schedule_sweep();
			/**
			 * The "Ready for pickup" e-mail: the only place the code goes.
			 *
			 * @param \WC_Order $order    Order.
			 * @param array     $location The pickup location.
			 * @param string    $code     The pickup code.
			 */
			do_action( 'omnistock_pickup_ready', $order, $this->store( $order ), $code );
		}
		return $this->pickup( $order );
	}

	/**
	 * The units sent from the order's source reached its store: in one transaction the ledger records
	 * the transfer (source → store) and the commitment moves with the units; the lines name the store,
	 * and only now may the order become ready. Received twice is one transfer, one note.
	 *
	 * @param \WC_Order $order Order.
	 * @throws Refused Conflict: no transfer to wait for (omnistock_pickup_no_transfer), or an order no longer waiting (must_be_open).
	 */
	public function received( \WC_Order $order ): array {
		$source = self::source_of( $order );
		if ( null === $source ) {
			throw new Refused( 'omnistock_pickup_no_transfer', __( 'This pickup order waits for no units from another location.', 'omnistock' ), Refusal::Conflict );
		}
		if ( ! self::awaits_transfer( $order ) ) {
			return $this->pickup( $order );
		}
		self::must_be_open( $order );
		$store = self::location_of( $order );
		$this->inventory->transfer_committed(
			OrderStock::key( $order ),
			$source,
			$store,
			array(
				'source'    => 'woocommerce',
				'actor'     => (string) get_current_user_id(),
				'reference' => 'order:' . $order->get_id(),
			)
		);
		foreach ( OrderStock::lines( $order ) as list( , , , $item ) ) {
			if ( (int) $item->get_meta( Meta::LINE_LOCATION ) === $source ) {
				$item->update_meta_data( Meta::LINE_LOCATION, (string) $store );
				$item->save_meta_data();
			}
		}
		$order->update_meta_data( Meta::PICKUP_RECEIVED_AT, (string) Database::now_ms() );
		$from = $this->locations->get( $source );
		$here = $this->locations->get( $store );
		/* translators: 1: the location the units came from, 2: the store */
		$order->add_order_note( sprintf( __( 'Pickup: the units sent from %1$s were received at %2$s (a transfer in the ledger); the order can be made ready.', 'omnistock' ), $from ? $from['name'] : '#' . $source, $here ? $here['name'] : '#' . $store ), 0, true );
		$order->save();
		return $this->pickup( $order );
	}

	/**
	 * The location a pickup order's missing units are sent from, or null when its store has them all.
	 *
	 * @param \WC_Order $order Order.
	 */
	public static function source_of( \WC_Order $order ): ?int {
		$source = (int) $order->get_meta( Meta::PICKUP_SOURCE );
		return $source > 0 ? $source : null;
	}

	/**
	 * Whether the order still waits for units sent from its source.
	 *
	 * @param \WC_Order $order Order.
	 */
	public static function awaits_transfer( \WC_Order $order ): bool {
		return null !== self::source_of( $order ) && '' === (string) $order->get_meta( Meta::PICKUP_RECEIVED_AT );
	}

	/**
	 * Handed over, with the shopper's code: the order is completed, so OrderStock fulfils it (the
	 * units leave the store's on_hand, once). A wrong code changes nothing.
	 *
	 * @param \WC_Order $order Order.
	 * @param string    $code  What the shopper showed.
	 * @throws Refused Conflict (omnistock_pickup_wrong_code).
	 */
	public function collected( \WC_Order $order, string $code ): array {
		if ( PickupStatus::Collected === self::status( $order ) ) {
			return $this->pickup( $order );
		}
		$this->allowed( $order, PickupStatus::Collected );
		if ( ! PickupCode::matches( $order->get_id(), (string) $order->get_meta( Meta::PICKUP_CODE ), $code ) ) {
			throw new Refused( 'omnistock_pickup_wrong_code', __( 'That is not the pickup code of this order.', 'omnistock' ), Refusal::Conflict );
		}
		$order->update_meta_data( Meta::PICKUP_STATUS, PickupStatus::Collected->value );
		$order->update_meta_data( Meta::PICKUP_COLLECTED_AT, (string) Database::now_ms() );
		$order->update_status( 'completed', __( 'Pickup: handed over to the shopper with the pickup code.', 'omnistock' ), true );
		return $this->pickup( $order );
	}

	/**
	 * Cancelled by staff (or as a no-show): the order is cancelled, or refunded when it is paid and the
	 * shop says so (option omnistock_pickup_no_show = refund); the units go back on sale.
	 *
	 * @param \WC_Order $order  Order.
	 * @param string    $reason Why, for the notes and the shopper's e-mail.
	 * @param bool      $manual A person did it (the note names them).
	 */
	public function cancel( \WC_Order $order, string $reason, bool $manual = true ): array {
		if ( ! $this->move( $order, PickupStatus::Cancelled ) ) {
			return $this->pickup( $order );
		}
		$order->update_meta_data( Meta::PICKUP_CANCEL_REASON, $reason );
		/* translators: %s: the reason */
		$note = sprintf( __( 'Pickup: cancelled (%s).', 'omnistock' ), $reason );
		if ( 'refund' === get_option( self::NO_SHOW_OPTION, 'cancel' ) && $order->is_paid() && (float) $order->get_remaining_refund_amount() > 0 ) {
			$order->add_order_note( $note, 0, $manual );
			$order->save();
			$this->refund( $order, $reason );
		} else {
			$order->update_status( 'cancelled', $note, $manual );
		}
		do_action( 'omnistock_pickup_cancelled', wc_get_order( $order->get_id() ), $this->store( $order ), $reason );
		return $this->pickup( wc_get_order( $order->get_id() ) );
	}

	/**
	 * Refunds the whole order with restock (OrderStock then takes the commitment back); through the
	 * gateway when it can refund, by hand otherwise (the note says so).
	 *
	 * @param \WC_Order $order  Order.
	 * @param string    $reason Why.
	 */
	private function refund( \WC_Order $order, string $reason ): void {
		$lines = array();
		foreach ( $order->get_items() as $item_id => $item ) {
			if ( ! $item instanceof \WC_Order_Item_Product ) {
				continue;
			}
			$lines[ $item_id ] = array(
				'qty'          => $item->get_quantity(),
				'refund_total' => $item->get_total(),
				'refund_tax'   => $item->get_taxes()['total'] ?? array(),
			);
		}
		$gateway = WC()->payment_gateways() ? ( WC()->payment_gateways()->payment_gateways()[ $order->get_payment_method() ] ?? null ) : null;
		$refund  = wc_create_refund(
			array(
				'order_id'       => $order->get_id(),
				'amount'         => $order->get_remaining_refund_amount(),
				'reason'         => $reason,
				'line_items'     => $lines,
				'restock_items'  => true,
				'refund_payment' => $gateway instanceof \WC_Payment_Gateway && $gateway->supports( 'refunds' ),
			)
		);
		if ( is_wp_error( $refund ) ) {
			/* translators: %s: the error */
			$order->add_order_note( sprintf( __( 'Pickup: the refund failed (%s); the order is cancelled instead.', 'omnistock' ), $refund->get_error_message() ) );
			$order->update_status( 'cancelled' );
		}
	}

	/**
	 * The shopper says "I'm here" (the order key proves it): the store is told at once.
	 *
	 * @param \WC_Order $order Order.
	 * @param string    $key   The order key.
	 * @param string    $note  Where they parked.
	 * @throws Refused Forbidden (omnistock_pickup_wrong_key); Conflict for an order no longer waiting (must_be_open).
	 */
	public function arrived( \WC_Order $order, string $key, string $note ): array {
		if ( '' === $key || ! hash_equals( (string) $order->get_order_key(), $key ) ) {
			throw new Refused( 'omnistock_pickup_wrong_key', __( 'This link is not valid for this order.', 'omnistock' ), Refusal::Forbidden );
		}
		self::must_be_open( $order );
		$note    = trim( mb_substr( sanitize_text_field( $note ), 0, 200 ) );
		$arrived = $order->get_meta( Meta::PICKUP_ARRIVED );
		if ( is_array( $arrived ) && ( $arrived['note'] ?? null ) === $note ) {
			return $this->pickup( $order, false );
		}
		$order->update_meta_data(
			Meta::PICKUP_ARRIVED,
			array(
				'at'   => Database::now_ms(),
				'note' => $note,
			)
		);
		/* translators: %s: where the shopper parked */
		$order->add_order_note( sprintf( __( 'Pickup: the shopper has arrived: %s', 'omnistock' ), '' === $note ? '—' : $note ) );
		$order->save();
		do_action( 'omnistock_pickup_arrived', $order, $this->store( $order ), $note );
		return $this->pickup( $order, false );
	}

	/**
	 * Moves the order to another pickup store with the stock: the commitment moves all or nothing
	 * (committed there first, refused with nothing changed when it lacks the units, then taken back
	 * here), the lines and the order name the new store, and it starts again as `new` there.
	 *
	 * @param \WC_Order $order  Order.
	 * @param int       $target Location id.
	 * @throws \Omnistock\BadInput Naming `location` when it is no pickup location.
	 * @throws Refused Conflict when the store lacks the units (omnistock_pickup_no_stock), or for an order no longer waiting (must_be_open).
	 */
	public function reassign( \WC_Order $order, int $target ): array {
		self::must_be_open( $order );
		$from     = self::location_of( $order );
		$location = $this->locations->get( $target );
		if ( null === $location || empty( $location['offers_pickup'] ) ) {
			throw new \Omnistock\BadInput( 'location', __( 'no such pickup location', 'omnistock' ), null, 'rest_invalid_param' );
		}
		if ( $target === $from ) {
			return $this->pickup( $order );
		}
		$key       = OrderStock::key( $order );
		$committed = $this->inventory->committed( $key );
		$tag       = 'reassign-' . wp_generate_uuid4();
		$context   = array(
			'source'    => 'woocommerce',
			'actor'     => (string) get_current_user_id(),
			'reference' => 'order:' . $order->get_id(),
		);
		// One transaction: committed there only if that store has every unit, released here with it.
		$there = $this->inventory->move_committed( $key, $committed, $target, $tag, $context );
		if ( ! $there['ok'] ) {
			throw new Refused( 'omnistock_pickup_no_stock', __( 'That store does not have the units of this order.', 'omnistock' ), Refusal::Conflict, array( 'short' => $there['short'] ) );
		}
		foreach ( OrderStock::lines( $order ) as list( , , , $item ) ) {
			$item->update_meta_data( Meta::LINE_LOCATION, (string) $target );
			$item->save_meta_data();
		}
		$order->update_meta_data( Meta::PICKUP_LOCATION, (string) $target );
		$order->update_meta_data( Meta::PICKUP_STATUS, PickupStatus::New->value );
		$order->delete_meta_data( Meta::PICKUP_SOURCE ); // Its units are committed at the new store: no transfer to wait for.
		$order->delete_meta_data( Meta::PICKUP_RECEIVED_AT );
		$order->delete_meta_data( Meta::PICKUP_CODE );
		$order->delete_meta_data( Meta::PICKUP_READY_AT );
		$order->delete_meta_data( Meta::PICKUP_REMINDED );
		$old = $this->locations->get( $from );
		/* translators: 1: old store, 2: new store */
		$order->add_order_note( sprintf( __( 'Pickup: moved from %1$s to %2$s with its units; it waits there to be prepared.', 'omnistock' ), $old ? $old['name'] : '#' . $from, $location['name'] ), 0, true );
		$order->save();
		return $this->pickup( $order );
	}

	/**
	 * The no-show sweep: a ready order not collected is reminded once after a day, and cancelled
	 * (or refunded, as the shop says) after its store's hold_days. Returns [reminded, cancelled] ids.
	 *
	 * @param int $now_ms The time to judge by, milliseconds.
	 * @return array{reminded: list<int>, cancelled: list<int>}
	 */
	public function sweep( int $now_ms ): array {
		$done   = array(
			'reminded'  => array(),
			'cancelled' => array(),
		);
		$orders = self::orders(
			array(
				array(
					'key'   => Meta::PICKUP_STATUS,
					'value' => PickupStatus::Ready->value,
				),
			),
			array( 'limit' => -1 )
		);
		foreach ( $orders as $listed ) {
			$id   = $listed->get_id();
			$what = $this->locked( $id, fn() => $this->sweep_one( $id, $now_ms ) ); // A handover at the same moment wins or waits.
			if ( null !== $what ) {
				$done[ $what ][] = $id;
			}
		}
		return $done;
	}

	/**
	 * The sweep of one order, its lock held: 'reminded', 'cancelled' or null.
	 *
	 * @param int $id     Order id.
	 * @param int $now_ms The time to judge by.
	 */
	private function sweep_one( int $id, int $now_ms ): ?string {
		$order = wc_get_order( $id );
		if ( ! $order instanceof \WC_Order || PickupStatus::Ready !== self::status( $order ) ) {
			return null;
		}
		$ready_at = (int) $order->get_meta( Meta::PICKUP_READY_AT );
		$store    = $this->locations->get( self::location_of( $order ) );
		$days     = max( 1, (int) ( $store['hold_days'] ?? Locations::HOLD_DAYS ) );
		if ( $now_ms - $ready_at >= $days * 86400000 ) {
			/* translators: %d: days */
			$this->cancel( $order, sprintf( _n( 'not collected within %d day', 'not collected within %d days', $days, 'omnistock' ), $days ), false );
			return 'cancelled';
		}
		if ( $now_ms - $ready_at >= self::REMIND_AFTER_MS && '' === (string) $order->get_meta( Meta::PICKUP_REMINDED ) ) {
			$order->update_meta_data( Meta::PICKUP_REMINDED, (string) $now_ms );
			$order->add_order_note( __( 'Pickup: not collected yet; the shopper was reminded.', 'omnistock' ) );
			$order->save();
			do_action( 'omnistock_pickup_reminder', $order, $this->store( $order ) );
			return 'reminded';
		}
		return null;
	}

	/**
	 * Schedules the hourly sweep once: Action Scheduler (bundled with WooCommerce), else WP-Cron.
	 */
	public static function schedule_sweep(): void {
		if ( function_exists( 'as_has_scheduled_action' ) && function_exists( 'as_schedule_recurring_action' ) && self::action_scheduler_ready() ) {
			if ( ! as_has_scheduled_action( self::SWEEP_HOOK ) ) {
				as_schedule_recurring_action( time() + HOUR_IN_SECONDS, HOUR_IN_SECONDS, self::SWEEP_HOOK, array(), 'omnistock' );
			}
		} elseif ( ! wp_next_scheduled( self::SWEEP_HOOK ) ) {
			wp_schedule_event( time() + HOUR_IN_SECONDS, 'hourly', self::SWEEP_HOOK );
		}
	}

	/**
	 * Whether Action Scheduler can take actions now (3.6+ says so with an action; 3.5, in WooCommerce 7.7, by a method).
	 */
	private static function action_scheduler_ready(): bool {
		if ( did_action( 'action_scheduler_init' ) ) {
			return true;
		}
		return class_exists( \ActionScheduler::class ) && \ActionScheduler::is_initialized();
	}

	/**
	 * The pickup object of the REST contract; never the code.
	 *
	 * @param \WC_Order $order Order.
	 * @param bool      $staff With the fields only staff see (the shopper's contact, the cancel reason).
	 */
	public function pickup( \WC_Order $order, bool $staff = true ): array {
		$store = $this->locations->get( self::location_of( $order ) );
		$items = array();
		foreach ( $order->get_items() as $item ) {
			if ( $item instanceof \WC_Order_Item_Product ) {
				$product = $item->get_product();
				$items[] = array(
					'product' => (int) ( $item->get_variation_id() ? $item->get_variation_id() : $item->get_product_id() ),
					'name'    => $item->get_name(),
					'sku'     => $product ? (string) $product->get_sku() : '',
					'qty'     => (int) $item->get_quantity(),
				);
			}
		}
		$arrived = $order->get_meta( Meta::PICKUP_ARRIVED );
		$ms      = static fn( $v ) => '' === (string) $v ? null : (int) $v;
		$created = $order->get_date_created();
		$pickup  = array(
			'order'         => $order->get_id(),
			'number'        => (string) $order->get_order_number(),
			'status'        => self::status( $order )?->value,
			'location'      => self::location_of( $order ),
			'curbside'      => ! empty( $store['offers_curbside'] ),
			'customer'      => array(
				'name'  => trim( $order->get_billing_first_name() . ' ' . $order->get_billing_last_name() ),
				'email' => (string) $order->get_billing_email(),
				'phone' => (string) $order->get_billing_phone(),
			),
			'items'         => $items,
			'total'         => (string) $order->get_total(),
			'currency'      => (string) $order->get_currency(),
			'created_at'    => $created ? $created->getTimestamp() * 1000 : null,
			'ready_at'      => $ms( $order->get_meta( Meta::PICKUP_READY_AT ) ),
			'arrived'       => is_array( $arrived ) ? array(
				'at'   => (int) ( $arrived['at'] ?? 0 ),
				'note' => (string) ( $arrived['note'] ?? '' ),
			) : null,
			'collected_at'  => $ms( $order->get_meta( Meta::PICKUP_COLLECTED_AT ) ),
			'transfer'      => $this->transfer( $order ),
			'cancel_reason' => (string) $order->get_meta( Meta::PICKUP_CANCEL_REASON ),
		);
		if ( ! $staff ) {
			unset( $pickup['customer'], $pickup['cancel_reason'] );
		}
		return $pickup;
	}

	/**
	 * The pickup object's `transfer`: where the units are sent from and when they were received, or null.
	 *
	 * @param \WC_Order $order Order.
	 * @return array{from: int, name: string, received_at: int|null}|null
	 */
	private function transfer( \WC_Order $order ): ?array {
		$source = self::source_of( $order );
		if ( null === $source ) {
			return null;
		}
		$from     = $this->locations->get( $source );
		$received = (string) $order->get_meta( Meta::PICKUP_RECEIVED_AT );
		return array(
			'from'        => $source,
			'name'        => $from ? (string) $from['name'] : '#' . $source,
			'received_at' => '' === $received ? null : (int) $received,
		);
	}

	/**
	 * The order's pickup location (for the e-mails).
	 *
	 * @param \WC_Order $order Order.
	 */
	private function store( \WC_Order $order ): array {
		return $this->locations->get( self::location_of( $order ) ) ?? array(
			'id'              => self::location_of( $order ),
			'name'            => '',
			'address'         => '',
			'opening_hours'   => '',
			'offers_curbside' => false,
		);
	}

	/**
	 * Sets the status when the machine allows it; false when the order is already there (a no-op).
	 *
	 * @param \WC_Order    $order Order.
	 * @param PickupStatus $to    The next status.
	 */
	private function move( \WC_Order $order, PickupStatus $to ): bool {
		if ( self::status( $order ) === $to ) {
			return false;
		}
		$this->allowed( $order, $to );
		$order->update_meta_data( Meta::PICKUP_STATUS, $to->value );
		return true;
	}

	/**
	 * Refuses a change the machine does not allow.
	 *
	 * @param \WC_Order    $order Order.
	 * @param PickupStatus $to    The next status.
	 * @throws Refused Conflict (omnistock_pickup_bad_transition).
	 */
	private function allowed( \WC_Order $order, PickupStatus $to ): void {
		$from = self::status( $order );
		if ( null === $from || ! $from->may_become( $to ) ) {
			throw self::bad_transition( $from, $to );
		}
	}

	/**
	 * Refuses an order that no longer waits for its shopper (collected, cancelled) or is not paid yet.
	 *
	 * @param \WC_Order $order Order.
	 * @throws Refused Conflict (omnistock_pickup_bad_transition).
	 */
	private static function must_be_open( \WC_Order $order ): void {
		$status = self::status( $order );
		if ( null === $status || ! $status->is_open() ) {
			throw self::bad_transition( $status, null );
		}
	}

	/**
	 * The 409 of a change not allowed.
	 *
	 * @param PickupStatus|null $from Where it is (null: not a paid pickup order yet).
	 * @param PickupStatus|null $to   Where it was asked to go.
	 */
	private static function bad_transition( ?PickupStatus $from, ?PickupStatus $to ): Refused {
		return new Refused(
			'omnistock_pickup_bad_transition',
			/* translators: 1: the current status, 2: the status asked for */
			sprintf( __( 'A pickup order that is %1$s cannot become %2$s.', 'omnistock' ), null === $from ? 'unpaid' : $from->value, null === $to ? 'arrived' : $to->value ),
			Refusal::Conflict,
			array(
				'from' => $from?->value,
				'to'   => $to?->value,
			)
		);
	}
}
