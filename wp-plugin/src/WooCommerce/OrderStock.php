<?php
/**
 * Adapter: a WooCommerce order's life holds, commits, fulfils and releases its units.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;
use Omnistock\Inventory\PickupSupply;
use Omnistock\Inventory\Router;
use Omnistock\Inventory\StorageError;

defined( 'ABSPATH' ) || exit;

/**
 * Checkout holds every managed line at its routed location (or the checkout fails with
 * WooCommerce's out-of-stock error); payment commits; completion fulfils; cancel and failure
 * release; a refund with restock puts units back. The order's state in Omnistock is the order
 * meta `_omnistock_state` (an OrderStockState), read and written here only: the POS asks through
 * sold_at_once() and forget(); each line's location is the item meta `_omnistock_location`.
 */
final class OrderStock {

	/** The option recording checkouts whose hold failed for another reason than stock (the admin notice reads it). */
	public const HOLD_FAILURES = 'omnistock_hold_failures';

	/** The order meta of its state; only this class reads or writes it (tests read it too). */
	public const STATE    = \Omnistock\Meta::ORDER_STATE;
	public const LOCATION = \Omnistock\Meta::LINE_LOCATION;

	/**
	 * Orders classic checkout resumed in this request (order id => true): they existed before.
	 *
	 * @var array<int, true>
	 */
	private array $resumed = array();

	/**
	 * Orders whose checkout this request refused for want of stock (order id => true).
	 *
	 * @var array<int, true>
	 */
	private array $refused = array();

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory        $inventory The inventory service.
	 * @param Router           $router    Routing.
	 * @param ProductStock     $products  Write-back of the products' stock.
	 * @param CheckoutHolds    $checkout Checkout holds under the anonymous caps.
	 * @param PickupSupply     $supply    Where a pickup order's units come from.
	 * @param Locations        $locations The locations (the pickup store).
	 * @param OrderDestination $destinations The order's address as routing reads it.
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Router $router, private readonly ProductStock $products, private readonly CheckoutHolds $checkout, private readonly PickupSupply $supply, private readonly Locations $locations, private readonly OrderDestination $destinations ) {
	}

	/**
	 * Where a line's units come from: location => units (one location unless the line was split),
	 * read from its meta; a line whose quantity changed since keeps its split, the difference taken
	 * from (or added to) its first location. Empty when the line has no location yet.
	 *
	 * @param \WC_Order_Item_Product $item Line.
	 * @param int                    $qty  Its units now.
	 * @return array<int, int>
	 */
	public static function allocation( \WC_Order_Item_Product $item, int $qty ): array {
		if ( '' === (string) $item->get_meta( self::LOCATION ) ) {
			return array();
		}
		$first = (int) $item->get_meta( self::LOCATION );
		$split = json_decode( (string) $item->get_meta( \Omnistock\Meta::LINE_SPLIT ), true );
		$at    = array();
		if ( is_array( $split ) ) {
			foreach ( $split as $location => $units ) {
				if ( (int) $location > 0 && (int) $units > 0 ) {
					$at[ (int) $location ] = (int) $units;
				}
			}
		}
		if ( ! isset( $at[ $first ] ) ) {
			return array( $first => $qty );
		}
		$more = $qty - array_sum( $at );
		if ( $more >= 0 ) {
			$at[ $first ] += $more;
			return $at;
		}
		foreach ( array_reverse( array_keys( $at ), true ) as $location ) { // Fewer units: the last locations give them up first.
			$less             = min( -$more, $at[ $location ] );
			$at[ $location ] -= $less;
			$more            += $less;
			if ( 0 === $at[ $location ] ) {
				unset( $at[ $location ] );
			}
		}
		return $at;
	}

	/**
	 * Records where a line's units come from on the line (its meta, saved).
	 *
	 * @param \WC_Order_Item_Product $item Line.
	 * @param array<int, int>        $at   Location => units, the first location first.
	 */
	public static function place( \WC_Order_Item_Product $item, array $at ): void {
		$item->update_meta_data( self::LOCATION, (string) array_key_first( $at ) );
		if ( count( $at ) > 1 ) {
			$item->update_meta_data( \Omnistock\Meta::LINE_SPLIT, (string) wp_json_encode( array_map( 'intval', $at ), JSON_FORCE_OBJECT ) );
		} else {
			$item->delete_meta_data( \Omnistock\Meta::LINE_SPLIT );
		}
		$item->save_meta_data();
	}

	/**
	 * The order's shipping address as routing reads it.
	 *
	 * @param \WC_Order $order Order.
	 */
	public function destination( \WC_Order $order ): \Omnistock\Inventory\Destination {
		return $this->destinations->of_order( $order );
	}

	/**
	 * Hooks in.
	 */
	public function register(): void {
		add_action( 'woocommerce_checkout_order_created', array( $this, 'hold_classic' ) );
		add_action( 'woocommerce_resume_order', array( $this, 'resumed' ) );
		add_action( 'woocommerce_checkout_order_exception', array( $this, 'discard_refused' ) );
		add_action( 'woocommerce_store_api_checkout_order_processed', array( $this, 'hold_store_api' ) );
		// The order object the hook passes is the one its caller saves again afterwards (HPOS writes
		// the whole row): status changes must be made on it, not on a copy.
		add_action( 'woocommerce_order_status_processing', array( $this, 'paid' ), 10, 2 );
		add_action( 'woocommerce_order_status_on-hold', array( $this, 'paid' ), 10, 2 );
		add_action( 'woocommerce_payment_complete', array( $this, 'paid' ) );
		add_action( 'woocommerce_order_status_completed', array( $this, 'completed' ) );
		add_action( 'woocommerce_order_status_cancelled', array( $this, 'cancelled' ) );
		add_action( 'woocommerce_order_status_failed', array( $this, 'cancelled' ) );
		add_action( 'woocommerce_refund_created', array( $this, 'refunded' ), 10, 2 );
		add_action( 'woocommerce_saved_order_items', array( $this, 'edited' ) );
		add_action( 'woocommerce_ajax_order_items_added', fn( $items, $order ) => $this->edited( $order ), 10, 2 );
		add_action( 'woocommerce_ajax_order_items_removed', fn( $item_id, $item, $changed, $order ) => $this->edited( $order ), 10, 4 );
	}

	/**
	 * The order's stock state, or null when Omnistock holds nothing for it.
	 *
	 * @param \WC_Order $order Order.
	 */
	public static function state( \WC_Order $order ): ?OrderStockState {
		return OrderStockState::tryFrom( (string) $order->get_meta( self::STATE ) );
	}

	/**
	 * Sets the order's stock state and saves the order's meta.
	 *
	 * @param \WC_Order       $order Order.
	 * @param OrderStockState $state State.
	 */
	private static function mark( \WC_Order $order, OrderStockState $state ): void {
		$order->update_meta_data( self::STATE, $state->value );
		$order->save_meta_data();
	}

	/**
	 * A POS sale takes its units off the shelf itself, at once: the order's life cycle must not
	 * hold, commit or fulfil them again. Set on the order object; saved with the order.
	 *
	 * @param \WC_Order $order The sale's order, not yet saved.
	 */
	public static function sold_at_once( \WC_Order $order ): void {
		$order->update_meta_data( self::STATE, OrderStockState::Fulfilled->value );
	}

	/**
	 * An order about to be discarded (a POS sale that did not happen) leaves the life cycle: its
	 * cancellation gives nothing back. Removed on the order object; saved with the order.
	 *
	 * @param \WC_Order $order Order.
	 */
	public static function forget( \WC_Order $order ): void {
		$order->delete_meta_data( self::STATE );
	}

	/**
	 * An admin edited the order's items: a held order is held again as it now is; a committed one
	 * commits the added units and takes back the removed ones, line by line at its location.
	 *
	 * @param int|\WC_Order $order Order or its id.
	 */
	public function edited( $order ): void {
		$order = $order instanceof \WC_Order ? $order : wc_get_order( $order );
		if ( ! $order instanceof \WC_Order ) {
			return;
		}
		$state = self::state( $order );
		if ( OrderStockState::Held === $state ) {
			$error = $this->hold( $order );
			if ( null !== $error ) {
				$order->add_order_note( 'Omnistock: ' . $error ); // Its previous hold was released: nothing is held now.
			}
			return;
		}
		if ( OrderStockState::Committed !== $state ) {
			return;
		}
		$lines = self::lines( $order );
		$want  = array();
		$new   = array();
		foreach ( $lines as $item_id => list( $product, $qty, , $item ) ) {
			$at = self::allocation( $item, $qty );
			if ( ! $at ) {
				$new[ $item_id ] = array( $product, $qty );
				continue;
			}
			if ( count( $at ) > 1 ) {
				self::place( $item, $at ); // Its quantity changed: the split follows.
			}
			foreach ( $at as $location => $units ) {
				$want[ "$product:$location" ] = ( $want[ "$product:$location" ] ?? 0 ) + $units;
			}
		}
		foreach ( $new ? $this->router->route( $new, array(), $this->destination( $order ) ) : array() as $item_id => $location ) {
			$location = $location ?? $this->router->default_location( $new[ $item_id ][0] );
			self::place( $lines[ $item_id ][3], array( (int) $location => $new[ $item_id ][1] ) );
			$cell          = $new[ $item_id ][0] . ':' . $location;
			$want[ $cell ] = ( $want[ $cell ] ?? 0 ) + $new[ $item_id ][1];
		}
		// Units a shipment already shipped, or a refund released, are not wanted committed again.
		foreach ( $this->inventory->spent( self::key( $order ) ) as $cell => $units ) {
			if ( isset( $want[ $cell ] ) ) {
				$want[ $cell ] = max( 0, $want[ $cell ] - $units );
			}
		}
		$more = array();
		$less = array();
		foreach ( $this->inventory->committed( self::key( $order ) ) as list( $product, $location, $qty ) ) {
			$wanted = $want[ "$product:$location" ] ?? 0;
			unset( $want[ "$product:$location" ] );
			if ( $wanted > $qty ) {
				$more[] = array( $product, $location, $wanted - $qty );
			} elseif ( $wanted < $qty ) {
				$less[] = array( $product, $location, $qty - $wanted );
			}
		}
		foreach ( array_filter( $want ) as $cell => $qty ) {
			list( $product, $location ) = array_map( 'intval', explode( ':', $cell ) );
			$more[]                     = array( $product, $location, $qty );
		}
		$tag     = 'edit-' . wp_generate_uuid4();
		$context = array(
			'source'    => 'woocommerce',
			'reference' => 'order:' . $order->get_id(),
		);
		if ( $less ) {
			$this->inventory->uncommit( self::key( $order ), $less, $tag, $context );
		}
		if ( $more && ! $this->inventory->commit( self::key( $order ), $more, $context, false, $tag )['ok'] ) {
			$order->add_order_note( __( 'Omnistock: the units added to this order are not in stock; they were not committed.', 'omnistock' ) );
			$this->products->write_back_all( array_column( $more, 0 ) ); // Refused: the shop may show more than there is.
		}
	}

	/**
	 * The hold (and commitment) key of an order.
	 *
	 * @param \WC_Order $order Order.
	 */
	public static function key( \WC_Order $order ): string {
		return 'wc-order-' . $order->get_id();
	}

	/**
	 * The order's lines whose stock Omnistock keeps: item id => [product, qty, backorders allowed, item].
	 *
	 * @param \WC_Abstract_Order $order Order.
	 * @return array<int, array{0:int, 1:int, 2:bool, 3:\WC_Order_Item_Product}>
	 */
	public static function lines( \WC_Abstract_Order $order ): array {
		$lines = array();
		foreach ( $order->get_items() as $item_id => $item ) {
			if ( ! $item instanceof \WC_Order_Item_Product ) {
				continue;
			}
			$product = $item->get_product();
			$qty     = (int) $item->get_quantity();
			if ( $qty > 0 && ProductStock::managed( $product ) ) {
				$lines[ $item_id ] = array( (int) $product->get_stock_managed_by_id(), $qty, $product->backorders_allowed(), $item );
			}
		}
		return $lines;
	}

	/**
	 * Classic checkout resumed an order from an earlier attempt (pending payment).
	 *
	 * @param int $order_id Order id.
	 */
	public function resumed( $order_id ): void {
		$this->resumed[ (int) $order_id ] = true;
	}

	/**
	 * Classic checkout: an exception becomes WooCommerce's checkout error notice.
	 *
	 * @param \WC_Order $order The order just created.
	 * @throws \Exception When a line cannot be held.
	 */
	public function hold_classic( $order ): void {
		$error = $this->hold( $order );
		if ( null !== $error ) {
			$this->refused[ $order->get_id() ] = true;
			throw new \Exception( esc_html( $error ) );
		}
	}

	/**
	 * Classic checkout saves the order before it fires the action that holds its stock; when the
	 * hold is refused, WooCommerce only reports the exception. No order is taken: the order this
	 * checkout created is deleted. An order resumed from an earlier attempt (pending payment) is
	 * the shopper's and stays, holding nothing.
	 *
	 * @param \WC_Order $order The order WooCommerce discards.
	 */
	public function discard_refused( $order ): void {
		if ( ! $order instanceof \WC_Order || ! isset( $this->refused[ $order->get_id() ] ) || isset( $this->resumed[ $order->get_id() ] ) ) {
			return;
		}
		unset( $this->refused[ $order->get_id() ] );
		$order->delete( true );
	}

	/**
	 * Store API (block) checkout: a RouteException becomes the API's error answer.
	 *
	 * @param \WC_Order $order The order about to be paid.
	 * @throws \Automattic\WooCommerce\StoreApi\Exceptions\RouteException When a line cannot be held.
	 */
	public function hold_store_api( $order ): void {
		$error = $this->hold( $order );
		if ( null !== $error ) {
			throw new \Automattic\WooCommerce\StoreApi\Exceptions\RouteException( 'woocommerce_product_not_enough_stock', esc_html( $error ), 403 );
		}
	}

	/**
	 * Holds every managed line at its routed location for the shop's hold minutes, all or none.
	 * Lines of products that allow backorders are routed but not held.
	 *
	 * @param \WC_Order $order Order.
	 * @return string|null WooCommerce's out-of-stock message, or null when held.
	 */
	public function hold( \WC_Order $order ): ?string {
		$lines = self::lines( $order );
		if ( ! $lines ) {
			return null;
		}
		$key = self::key( $order );
		$this->checkout->release( $key, array_column( $lines, 0 ) ); // A checkout submitted again routes afresh.
		$ttl     = max( 60, 60 * (int) get_option( 'woocommerce_hold_stock_minutes', 60 ) );
		$shopper = CheckoutHolds::shopper( $order );
		for ( $attempt = 0; $attempt < 3; $attempt++ ) {
			$pickup = self::pickup_location( $order );
			$source = null;
			if ( null === $pickup ) {
				$routes = $this->router->plan( array_map( static fn( $l ) => array( $l[0], $l[1] ), $lines ), array(), $this->destination( $order ) );
			} else {
				list( $at_store, $source ) = $this->pickup_routes( $order, $pickup, $lines );
				$routes                    = array();
				foreach ( $at_store as $item_id => $location ) {
					$routes[ $item_id ] = array( $location => $lines[ $item_id ][1] );
				}
			}
			$hold  = array();
			$short = null;
			foreach ( $lines as $item_id => list( $product, $qty, $backorders ) ) {
				if ( null === $routes[ $item_id ] ) {
					if ( ! $backorders ) {
						$short = $item_id;
						break;
					}
					$default            = $this->router->default_location( $product ); // Backordered: recorded where stock typed in lands.
					$routes[ $item_id ] = null === $default ? array() : array( $default => $qty );
				} elseif ( ! $backorders ) {
					foreach ( $routes[ $item_id ] as $location => $units ) {
						$hold[] = array( $product, $location, $units );
					}
				}
			}
			if ( null !== $short ) {
				$this->products->write_back_all( array_column( $lines, 0 ) ); // The shop showed more than there is.
				return self::out_of_stock( $lines[ $short ][3] );
			}
			try {
				$result = $hold ? $this->checkout->hold( $key, $hold, $ttl, $shopper ) : array( 'ok' => true );
			} catch ( StorageError | \Omnistock\Exception $e ) {
				// The segment is full, a lock wait timed out, the database failed: the shopper sees
				// WooCommerce's out-of-stock wording, the operator the details.
				$this->hold_failed( $order, $e );
				return self::out_of_stock( reset( $lines )[3] );
			}
			if ( ! empty( $result['capped'] ) ) {
				// Expected under a flood of guest checkouts: the log says so, the admin notice does not.
				wc_get_logger()->notice( sprintf( 'Order %1$d: checkout refused, the anonymous %2$s cap of live holds is reached.', $order->get_id(), $result['capped'] ), array( 'source' => 'omnistock' ) );
				return self::out_of_stock( reset( $lines )[3] );
			}
			if ( $result['ok'] ) {
				foreach ( $lines as $item_id => $line ) {
					self::place( $line[3], $routes[ $item_id ] );
				}
				if ( null !== $source ) {
					$order->update_meta_data( \Omnistock\Meta::PICKUP_SOURCE, (string) $source );
				} else {
					$order->delete_meta_data( \Omnistock\Meta::PICKUP_SOURCE );
				}
				self::mark( $order, OrderStockState::Held );
				return null;
			}
		}
		$this->products->write_back_all( array_column( $lines, 0 ) ); // Refused: the shop showed more than there is.
		$refused = (int) $result['short'][0]['product'];
		foreach ( $lines as $line ) {
			if ( $line[0] === $refused ) {
				return self::out_of_stock( $line[3] );
			}
		}
		return self::out_of_stock( reset( $lines )[3] );
	}

	/**
	 * Where a pickup order's lines are held: at the store, or, when the shopper chose a rate that
	 * waits for a transfer (its meta `pickup_source`) and the store lacks some products, those
	 * products' lines at the one source PickupSupply finds now. When neither works, every line at
	 * the store: its hold is refused with the line that is short there.
	 *
	 * @param \WC_Order $order  Order.
	 * @param int       $pickup The store.
	 * @param array     $lines  self::lines().
	 * @return array{0: array<int, int>, 1: int|null} Item id => location, and the source (or null).
	 */
	private function pickup_routes( \WC_Order $order, int $pickup, array $lines ): array {
		$at_store = array_fill_keys( array_keys( $lines ), $pickup );
		$store    = $this->locations->get( $pickup );
		if ( null === $store || ! self::waits_for_transfer( $order ) ) {
			return array( $at_store, null );
		}
		$wanted = array();
		foreach ( $lines as list( $product, $qty ) ) {
			$wanted[ $product ] = ( $wanted[ $product ] ?? 0 ) + $qty;
		}
		$plan = $this->supply->plan( $wanted, $store, true );
		if ( null === $plan ) {
			return array( $at_store, null );
		}
		$routes = array();
		foreach ( $lines as $item_id => list( $product ) ) {
			$routes[ $item_id ] = $plan['from'][ $product ];
		}
		return array( $routes, $plan['source'] );
	}

	/**
	 * Whether the shopper chose a pickup rate that waits for units sent from another location.
	 *
	 * @param \WC_Order $order Order.
	 */
	private static function waits_for_transfer( \WC_Order $order ): bool {
		foreach ( $order->get_shipping_methods() as $shipping ) {
			if ( 'omnistock_pickup' === $shipping->get_method_id() && (int) $shipping->get_meta( 'pickup_source' ) > 0 ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The store the shopper chose to collect from (shipping rate `omnistock_pickup:<id>`, whose
	 * instance id is the location), recorded on the order; null when it ships.
	 *
	 * @param \WC_Order $order Order.
	 */
	private static function pickup_location( \WC_Order $order ): ?int {
		foreach ( $order->get_shipping_methods() as $shipping ) {
			if ( 'omnistock_pickup' === $shipping->get_method_id() && (int) $shipping->get_instance_id() > 0 ) {
				$order->update_meta_data( \Omnistock\Meta::PICKUP_LOCATION, (string) (int) $shipping->get_instance_id() );
				$order->save_meta_data();
				return (int) $shipping->get_instance_id();
			}
		}
		return null;
	}

	/**
	 * A hold failed for another reason than stock: the log gets the error, the shop managers an
	 * admin notice (how many so far, and the last one).
	 *
	 * @param \WC_Order  $order Order.
	 * @param \Throwable $e     What failed.
	 */
	private function hold_failed( \WC_Order $order, \Throwable $e ): void {
		wc_get_logger()->error( sprintf( 'Order %d: the checkout could not hold stock: %s: %s', $order->get_id(), get_class( $e ), $e->getMessage() ), array( 'source' => 'omnistock' ) );
		$failures = get_option( self::HOLD_FAILURES );
		update_option(
			self::HOLD_FAILURES,
			array(
				'count' => ( is_array( $failures ) ? (int) ( $failures['count'] ?? 0 ) : 0 ) + 1,
				'at'    => time(),
				'error' => get_class( $e ) . ': ' . $e->getMessage(),
			),
			false
		);
	}

	/**
	 * WooCommerce's own message for a line that cannot be supplied.
	 *
	 * @param \WC_Order_Item_Product $item Line.
	 */
	private static function out_of_stock( \WC_Order_Item_Product $item ): string {
		return self::not_enough( $item->get_name() );
	}

	/**
	 * WooCommerce's own wording for a product the order cannot be supplied with (the one message
	 * every refused checkout shows, whichever rule refused it).
	 *
	 * @param string $name Product name.
	 */
	public static function not_enough( string $name ): string {
		/* translators: %s: product name */
		return sprintf( __( 'Not enough units of %s are available in stock to fulfil this order.', 'woocommerce' ), $name ); // phpcs:ignore WordPress.WP.I18n.TextDomainMismatch -- WooCommerce's own message, translated by WooCommerce.
	}

	/**
	 * Paid (payment complete, processing, on-hold): the held units become committed at their
	 * locations. Units that can no longer be committed never drive stock below zero: the order
	 * goes on-hold with a note, the ledger records the units that were not there (kind `short`),
	 * and the shop manager is told.
	 *
	 * @param int|\WC_Order $order_id Order or its id.
	 * @param mixed         $order    The order, when the hook passes it.
	 */
	public function paid( $order_id, $order = null ): void {
		$order = $order instanceof \WC_Order ? $order : wc_get_order( $order_id );
		if ( ! $order instanceof \WC_Order || true === self::state( $order )?->is_past_hold() ) {
			return;
		}
		$lines = self::lines( $order );
		if ( ! $lines ) {
			return;
		}
		$result = $this->commit( $order, $lines, false );
		if ( $result['ok'] ) {
			return;
		}
		$this->checkout->release( self::key( $order ), array_column( $lines, 0 ) );
		self::mark( $order, OrderStockState::Short );
		$names = array();
		foreach ( $result['short'] as $short ) {
			foreach ( $lines as $line ) {
				if ( $line[0] === (int) $short['product'] ) {
					/* translators: 1: product name, 2: units wanted, 3: location id, 4: units sellable there */
					$names[] = sprintf( __( '%1$s: %2$d wanted at location %3$d, %4$d sellable', 'omnistock' ), $line[3]->get_name(), $short['wanted'], $short['location'], max( 0, $short['sellable'] ) );
				}
			}
		}
		/* translators: %s: the lines that could not be committed */
		$note = sprintf( __( 'Omnistock: paid, but the stock is no longer there (the hold expired and the units were sold): %s. Nothing was taken from stock; the order is on hold until you decide.', 'omnistock' ), implode( '; ', $names ) );
		$this->inventory->record_short(
			'wc:order:' . $order->get_id() . ':short',
			$result['short'],
			array(
				'source'    => 'woocommerce',
				'reference' => 'order:' . $order->get_id(),
			)
		);
		$this->notify_short( $order, $note );
		$order->update_status( 'on-hold', $note );
		$this->products->write_back_all( array_column( $lines, 0 ) ); // Refused: the shop showed more than there is.
	}

	/**
	 * Commits the order's lines at their locations (routing lines that have none).
	 *
	 * @param \WC_Order $order          Order.
	 * @param array     $lines          self::lines().
	 * @param bool      $allow_oversell Commit even when not sellable.
	 * @return array{ok:bool, short:list<array>}
	 */
	private function commit( \WC_Order $order, array $lines, bool $allow_oversell ): array {
		$unrouted = array();
		foreach ( $lines as $item_id => $line ) {
			if ( '' === (string) $line[3]->get_meta( self::LOCATION ) ) {
				$unrouted[ $item_id ] = array( $line[0], $line[1] );
			}
		}
		$routes = $unrouted ? $this->router->route( $unrouted, array(), $this->destination( $order ) ) : array();
		$commit = array();
		foreach ( $lines as $item_id => list( $product, $qty, , $item ) ) {
			if ( array_key_exists( $item_id, $routes ) ) {
				self::place( $item, array( (int) ( $routes[ $item_id ] ?? $this->router->default_location( $product ) ) => $qty ) );
			}
			foreach ( self::allocation( $item, $qty ) as $location => $units ) {
				$commit[] = array( $product, $location, $units );
			}
		}
		// Backorders allowed on every line: committed anyway, and the oversell shows.
		$all_backorders = count( array_filter( $lines, static fn( $l ) => $l[2] ) ) === count( $lines );
		$result         = $this->inventory->commit(
			self::key( $order ),
			$commit,
			array(
				'source'    => 'woocommerce',
				'reference' => 'order:' . $order->get_id(),
			),
			$allow_oversell || $all_backorders
		);
		if ( $result['ok'] ) {
			$this->checkout->committed( self::key( $order ) );
			self::mark( $order, OrderStockState::Committed );
		}
		return $result;
	}

	/**
	 * Completed (shipped or picked up): the committed units leave on_hand. An order completed
	 * without having been paid through WooCommerce is committed first (the goods have left).
	 *
	 * @param int $order_id Order id.
	 */
	public function completed( $order_id ): void {
		$order = wc_get_order( $order_id );
		if ( ! $order instanceof \WC_Order || true === self::state( $order )?->is_final() ) {
			return;
		}
		$lines = self::lines( $order );
		if ( ! $lines ) {
			return;
		}
		if ( OrderStockState::Committed !== self::state( $order ) ) {
			$this->commit( $order, $lines, true );
		}
		$this->inventory->fulfil(
			self::key( $order ),
			array(
				'source'    => 'woocommerce',
				'reference' => 'order:' . $order->get_id(),
			)
		);
		self::mark( $order, OrderStockState::Fulfilled );
	}

	/**
	 * Cancelled or failed: a hold is released, a commitment taken back.
	 *
	 * @param int $order_id Order id.
	 */
	public function cancelled( $order_id ): void {
		$order = wc_get_order( $order_id );
		if ( ! $order instanceof \WC_Order ) {
			return;
		}
		$state = self::state( $order );
		$lines = self::lines( $order );
		if ( OrderStockState::Held === $state || OrderStockState::Short === $state ) {
			$this->checkout->release( self::key( $order ), array_column( $lines, 0 ) );
		} elseif ( OrderStockState::Committed === $state ) {
			$this->inventory->uncommit(
				self::key( $order ),
				null,
				'cancel',
				array(
					'source'    => 'woocommerce',
					'reference' => 'order:' . $order->get_id(),
				)
			);
		} else {
			return;
		}
		self::mark( $order, OrderStockState::Released );
	}

	/**
	 * A refund with "restock": units of a shipped order come back to the line's location; units
	 * of a paid, unshipped order stop being committed.
	 *
	 * @param int   $refund_id Refund id.
	 * @param array $args      wc_create_refund()'s arguments.
	 */
	public function refunded( $refund_id, $args ): void {
		if ( empty( $args['restock_items'] ) || empty( $args['line_items'] ) ) {
			return;
		}
		$order = wc_get_order( $args['order_id'] ?? 0 );
		if ( ! $order instanceof \WC_Order ) {
			return;
		}
		$state   = self::state( $order );
		$lines   = self::lines( $order );
		$events  = array();
		$returns = array();
		foreach ( $args['line_items'] as $item_id => $refunded ) {
			$qty = (int) ( $refunded['qty'] ?? 0 );
			if ( $qty <= 0 || ! isset( $lines[ $item_id ] ) || '' === (string) $lines[ $item_id ][3]->get_meta( self::LOCATION ) ) {
				continue;
			}
			$product = $lines[ $item_id ][0];
			// A split line's units go back where they came from, its first location first.
			foreach ( self::allocation( $lines[ $item_id ][3], $lines[ $item_id ][1] ) as $location => $units ) {
				$back = min( $qty, $units );
				$qty -= $back;
				if ( $back <= 0 ) {
					break;
				}
				$returns[] = array( $product, $location, $back );
				$events[]  = array(
					'id'        => "wc:refund:$refund_id:$item_id" . ( $location === (int) $lines[ $item_id ][3]->get_meta( self::LOCATION ) ? '' : ":$location" ),
					'kind'      => 'adjust',
					'product'   => $product,
					'location'  => $location,
					'qty'       => $back,
					'at'        => Database::now_ms(),
					'reason'    => 'return',
					'reference' => 'order:' . $order->get_id(),
				);
			}
		}
		$context = array(
			'source'    => 'woocommerce',
			'reference' => 'order:' . $order->get_id(),
		);
		if ( OrderStockState::Fulfilled === $state && $events ) {
			$this->inventory->record( $events, $context );
		} elseif ( OrderStockState::Committed === $state && $returns ) {
			// Still committed: the refunded units are released, cell by cell. Those of a partly shipped
			// order that a shipment already took off the shelf are committed no more: they come back
			// on hand, as a return (the ledger's ids keep a repeated refund from counting twice).
			$back = array();
			foreach ( $returns as $i => list( $product, $location, $units ) ) {
				$released = $this->inventory->uncommit( self::key( $order ), array( array( $product, $location, $units ) ), "refund-$refund_id", $context );
				if ( $released < $units ) {
					$back[] = array( 'qty' => $units - $released ) + $events[ $i ];
				}
			}
			if ( $back ) {
				$this->inventory->record( $back, $context );
			}
		}
	}

	/**
	 * Tells the shop manager about a paid order whose units are gone by WooCommerce's mailer, to
	 * the shop's admin address. (The admin notice lists such orders from the ledger's `short`
	 * records: many processes may report at once, and each record is its own row.)
	 *
	 * @param \WC_Order $order Order.
	 * @param string    $note  What happened.
	 */
	private function notify_short( \WC_Order $order, string $note ): void {
		$mailer = WC()->mailer();
		/* translators: %d: order number */
		$subject = sprintf( __( 'Order #%d is paid but its stock is gone', 'omnistock' ), $order->get_id() );
		$mailer->send( get_option( 'admin_email' ), $subject, $mailer->wrap_message( $subject, esc_html( $note ) ) );
	}
}
