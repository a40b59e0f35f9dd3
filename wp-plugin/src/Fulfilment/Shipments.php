<?php
/**
 * Ship from store: an online order's units to ship, one shipment per location they are committed at.
 *
 * @package Omnistock
 */

namespace Omnistock\Fulfilment;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;
use Omnistock\Inventory\Router;
use Omnistock\Inventory\Tables;
use Omnistock\Meta;
use Omnistock\Pickup\Pickups;
use Omnistock\Refusal;
use Omnistock\Refused;
use Omnistock\WooCommerce\OrderDestination;
use Omnistock\WooCommerce\OrderStock;
use Omnistock\WooCommerce\OrderStockState;

defined( 'ABSPATH' ) || exit;

/**
 * The one owner of the shipments table. A paid order that ships (not a pickup order) whose units are
 * committed gets one shipment per location its lines are committed at (the line meta
 * Meta::LINE_LOCATION that OrderStock set): the store's queue. Each goes new → picked → packed →
 * shipped; shipping one fulfils exactly its units through Inventory::fulfil_lines() (on_hand and
 * committed leave that store), e-mails the shopper its tracking (the action omnistock_shipment_shipped
 * the WooCommerce adapter answers), and the last one shipped completes the order (OrderStock then
 * finds nothing left to fulfil and marks it fulfilled). A store that cannot fulfil rejects it with a
 * reason: the units are recorded as a count correction at the store (an adjust in the ledger with the
 * reason), the lines are routed again without the locations that rejected them, and the commitment
 * moves in one step (Inventory::move_committed) to a new shipment there; lines no location can take
 * stay on the rejected shipment as `unrouted`, and the order gets a note for staff to decide. Every
 * change is one order note; the same change twice changes nothing; any other change the state
 * machine does not allow is 409 omnistock_shipment_bad_transition.
 */
final class Shipments {

	/** At most this many shipments in one list. */
	public const MAX_LIST = 200;

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory        $inventory    The inventory service.
	 * @param Locations        $locations    Locations.
	 * @param Database         $db           The database.
	 * @param Tables           $tables       Table names.
	 * @param Router           $router       Routing (a rejected shipment's lines go elsewhere).
	 * @param OrderDestination $destinations The order's address as routing reads it.
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Locations $locations, private readonly Database $db, private readonly Tables $tables, private readonly Router $router, private readonly OrderDestination $destinations ) {
	}

	/**
	 * Hooks in: after OrderStock has committed a paid order (priority 10), its shipments are made.
	 */
	public function register(): void {
		add_action( 'woocommerce_order_status_processing', array( $this, 'paid' ), 20, 2 );
		add_action( 'woocommerce_payment_complete', array( $this, 'paid' ), 20 );
		foreach ( array( 'completed', 'cancelled', 'refunded', 'failed' ) as $status ) {
			add_action( "woocommerce_order_status_{$status}", array( $this, 'closed' ), 20, 2 );
		}
		add_action( 'omnistock_order_rerouted', array( $this, 'rerouted' ) );
	}

	/**
	 * Staff re-routed lines of a paid order (the order screen, POST /orders/<id>/route): its open
	 * shipments follow the units. Each location gets what its lines' allocation still has to ship
	 * there (less what shipped); an open shipment that no longer matches is closed (reason
	 * "re-routed") and a new one made with what that location has to ship now. Shipped ones stay.
	 *
	 * @param int $order_id Order id.
	 */
	public function rerouted( $order_id ): void {
		$order = wc_get_order( (int) $order_id );
		if ( ! $order instanceof \WC_Order || ! $this->of_order( $order->get_id() ) ) {
			return; // Not paid yet (a held order has no shipments), or a pickup order.
		}
		$this->locked(
			$order->get_id(),
			function () use ( $order ) {
				$shipped = array(); // Location => item => units already out (or refused there).
				$open    = array(); // Location => open shipment rows.
				foreach ( $this->of_order( $order->get_id() ) as $row ) {
					$status = self::status( $row );
					if ( ShipmentStatus::Shipped === $status ) {
						foreach ( self::items( $row ) as $item_id => $qty ) {
							$shipped[ (int) $row['location_id'] ][ $item_id ] = ( $shipped[ (int) $row['location_id'] ][ $item_id ] ?? 0 ) + $qty;
						}
					} elseif ( ShipmentStatus::Rejected === $status ) {
						// Lines a store rejected and no other location took stay committed there, but
						// not to ship from there: staff decide (a re-route of them makes a shipment).
						$items = self::items( $row );
						foreach ( (array) json_decode( (string) $row['unrouted'], true ) as $item_id ) {
							$shipped[ (int) $row['location_id'] ][ (int) $item_id ] = ( $shipped[ (int) $row['location_id'] ][ (int) $item_id ] ?? 0 ) + ( $items[ (int) $item_id ] ?? 0 );
						}
					} elseif ( $status?->is_open() ) {
						$open[ (int) $row['location_id'] ][] = $row;
					}
				}
				$wanted = array(); // Location => item => units still to ship from there.
				foreach ( OrderStock::lines( $order ) as $item_id => list( , $qty, , $item ) ) {
					foreach ( OrderStock::allocation( $item, $qty ) as $location => $units ) {
						$left = $units - ( $shipped[ $location ][ $item_id ] ?? 0 );
						if ( $left > 0 ) {
							$wanted[ $location ][ $item_id ] = $left;
						}
					}
				}
				$closed = array();
				$made   = array();
				foreach ( $open as $location => $rows ) {
					$now = array();
					foreach ( $rows as $row ) {
						foreach ( self::items( $row ) as $item_id => $qty ) {
							$now[ $item_id ] = ( $now[ $item_id ] ?? 0 ) + $qty;
						}
					}
					ksort( $now );
					$want = $wanted[ $location ] ?? array();
					ksort( $want );
					if ( $now === $want ) {
						unset( $wanted[ $location ] ); // Unchanged here.
						continue;
					}
					foreach ( $rows as $row ) {
						try {
							$this->move( $row, ShipmentStatus::Closed, array( 'reason' => 're-routed' ) );
							$closed[] = '#' . (int) $row['id'];
						} catch ( Refused $moved ) {
							continue; // Moved by its store meanwhile.
						}
					}
				}
				foreach ( $wanted as $location => $items ) {
					$made[] = sprintf( '#%d (%s)', $this->insert( $order->get_id(), (int) $location, $items ), $this->name( (int) $location ) );
				}
				if ( $closed || $made ) {
					/* translators: 1: closed shipment ids, 2: new shipments */
					$order->add_order_note( sprintf( __( 'Ship from store, after the re-route: closed %1$s; to ship: %2$s.', 'omnistock' ), $closed ? implode( ', ', $closed ) : '—', $made ? implode( ', ', $made ) : '—' ) );
				}
			}
		);
	}

	/**
	 * An order completed, cancelled, refunded or failed outside the stores' queue (in wp-admin, by
	 * a gateway) leaves it: its open shipments are closed, each with the order's status as reason,
	 * and one order note says which. A shipment a store moves at the same moment keeps its own move
	 * (each change is a compare-and-set on the row's status; the loser is left as it is).
	 *
	 * @param int|\WC_Order $order_id Order or its id.
	 * @param mixed         $order    The order, when the hook passes it.
	 */
	public function closed( $order_id, $order = null ): void {
		$order = $order instanceof \WC_Order ? $order : wc_get_order( $order_id );
		if ( ! $order instanceof \WC_Order || Meta::POS_CREATED_VIA === $order->get_created_via() || Pickups::is_pickup( $order ) ) {
			return; // A sale at the counter or a pickup order never has shipments: no query on their way.
		}
		$closed = array();
		foreach ( $this->of_order( $order->get_id() ) as $row ) {
			if ( ! ( self::status( $row )?->is_open() ?? false ) ) {
				continue;
			}
			try {
				$this->move( $row, ShipmentStatus::Closed, array( 'reason' => 'order ' . $order->get_status() ) );
				$closed[] = '#' . (int) $row['id'];
			} catch ( Refused $moved ) {
				continue; // Moved meanwhile by its store.
			}
		}
		if ( $closed ) {
			/* translators: 1: shipment ids, 2: the order's status */
			$order->add_order_note( sprintf( __( 'Ship from store: shipment %1$s closed, nothing left to ship (the order is %2$s).', 'omnistock' ), implode( ', ', $closed ), wc_get_order_status_name( $order->get_status() ) ) );
		}
	}

	/**
	 * Runs $work with the order's lock held (a named database lock, so every web host agrees): one
	 * change of an order's shipments at a time (the last one shipped completes the order once).
	 *
	 * @template T
	 * @param int           $order_id Order id.
	 * @param callable(): T $work     What to do; load the shipment and the order inside it.
	 * @return T
	 * @throws \Omnistock\Unavailable When the lock cannot be had within 10 s.
	 */
	public function locked( int $order_id, callable $work ): mixed {
		return $this->db->locked( 'omnistock_shipments_' . get_current_blog_id() . '_' . $order_id, $work );
	}

	/**
	 * A paid order that ships, its units committed, gets its shipments (once).
	 *
	 * @param int|\WC_Order $order_id Order or its id.
	 * @param mixed         $order    The order, when the hook passes it.
	 */
	public function paid( $order_id, $order = null ): void {
		$order = $order instanceof \WC_Order ? $order : wc_get_order( $order_id );
		if ( ! $order instanceof \WC_Order || Pickups::is_pickup( $order ) || OrderStockState::Committed !== OrderStock::state( $order ) ) {
			return; // A pickup order goes to the pickup desk; a short one waits for the shop manager.
		}
		$this->locked( $order->get_id(), fn() => $this->create( $order ) );
	}

	/**
	 * Makes the order's shipments, its lock held: one per location its lines are committed at.
	 *
	 * @param \WC_Order $order Order.
	 */
	private function create( \WC_Order $order ): void {
		if ( $this->of_order( $order->get_id() ) ) {
			return;
		}
		$by_location = array();
		foreach ( OrderStock::lines( $order ) as $item_id => list( , $qty, , $item ) ) {
			// A line split over locations (when the shop allows splits) is in the shipment of each.
			foreach ( OrderStock::allocation( $item, $qty ) as $location => $units ) {
				$by_location[ $location ][ $item_id ] = $units;
			}
		}
		if ( ! $by_location ) {
			return;
		}
		$names = array();
		foreach ( $by_location as $location => $items ) {
			$this->insert( $order->get_id(), $location, $items );
			/* translators: 1: location name, 2: units */
			$names[] = sprintf( _n( '%1$s (%2$d unit)', '%1$s (%2$d units)', array_sum( $items ), 'omnistock' ), $this->name( $location ), array_sum( $items ) );
		}
		/* translators: 1: the locations and their units, 2: number of shipments */
		$order->add_order_note( sprintf( _n( 'Ship from store: %2$d shipment, from %1$s.', 'Ship from store: %2$d shipments, from %1$s.', count( $by_location ), 'omnistock' ), implode( ', ', $names ), count( $by_location ) ) );
	}

	/**
	 * A new shipment row; returns its id.
	 *
	 * @param int             $order_id Order id.
	 * @param int             $location Location id.
	 * @param array<int, int> $items    Order item id => units.
	 */
	private function insert( int $order_id, int $location, array $items ): int {
		$this->db->statement(
			$this->db->prepare(
				"INSERT INTO {$this->tables->shipments} (order_id, location_id, status, items, unrouted, created_at) VALUES (%d, %d, %s, %s, %s, %d)",
				$order_id,
				$location,
				ShipmentStatus::New->value,
				(string) wp_json_encode( (object) $items ),
				'[]',
				Database::now_ms()
			)
		);
		return (int) $this->db->wpdb->insert_id;
	}

	/**
	 * The order's shipments, oldest first.
	 *
	 * @param int $order_id Order id.
	 * @return list<array<string, string>> Rows.
	 */
	public function of_order( int $order_id ): array {
		return $this->db->rows( $this->db->prepare( "SELECT * FROM {$this->tables->shipments} WHERE order_id = %d ORDER BY id", $order_id ) );
	}

	/**
	 * A shipment's row by id.
	 *
	 * @param int $id Shipment id.
	 * @return array<string, string>
	 * @throws Refused Not found (omnistock_shipment_not_found).
	 */
	public function get( int $id ): array {
		$rows = $id > 0 ? $this->db->rows( $this->db->prepare( "SELECT * FROM {$this->tables->shipments} WHERE id = %d", $id ) ) : array();
		if ( ! $rows ) {
			throw new Refused( 'omnistock_shipment_not_found', __( 'No such shipment.', 'omnistock' ), Refusal::NotFound );
		}
		return $rows[0];
	}

	/**
	 * The order a shipment row belongs to.
	 *
	 * @param array $row Shipment row.
	 * @throws Refused Not found when the order is gone (omnistock_shipment_not_found).
	 */
	private function order_of( array $row ): \WC_Order {
		$order = wc_get_order( (int) $row['order_id'] );
		if ( ! $order instanceof \WC_Order ) {
			throw new Refused( 'omnistock_shipment_not_found', __( 'The order of this shipment is gone.', 'omnistock' ), Refusal::NotFound );
		}
		return $order;
	}

	/**
	 * The order id of a shipment (to take the order's lock before loading it).
	 *
	 * @param int $id Shipment id.
	 */
	public function order_id( int $id ): int {
		return (int) $this->get( $id )['order_id'];
	}

	/**
	 * The location's shipments in these statuses, oldest first.
	 *
	 * @param int              $location Location id.
	 * @param ShipmentStatus[] $statuses Statuses.
	 * @return list<array>
	 */
	public function list( int $location, array $statuses ): array {
		$values = array_map( static fn( ShipmentStatus $s ) => $s->value, $statuses );
		if ( ! $values ) {
			return array();
		}
		$in   = implode( ', ', array_fill( 0, count( $values ), '%s' ) );
		$rows = $this->db->rows( $this->db->prepare( "SELECT * FROM {$this->tables->shipments} WHERE location_id = %d AND status IN ($in) ORDER BY id LIMIT %d", $location, ...array_merge( $values, array( self::MAX_LIST ) ) ) );
		$list = array();
		foreach ( $rows as $row ) {
			$order = wc_get_order( (int) $row['order_id'] );
			if ( $order instanceof \WC_Order ) {
				$list[] = $this->shipment( $row, $order );
			}
		}
		return $list;
	}

	/**
	 * Every unit of the pick list is in hand.
	 *
	 * @param int $id Shipment id.
	 */
	public function picked( int $id ): array {
		/* translators: 1: shipment id, 2: location */
		return $this->step( $id, ShipmentStatus::Picked, 'picked_at', __( 'Ship from store: shipment #%1$d picked at %2$s.', 'omnistock' ) );
	}

	/**
	 * In its box, with its packing slip.
	 *
	 * @param int $id Shipment id.
	 */
	public function packed( int $id ): array {
		/* translators: 1: shipment id, 2: location */
		return $this->step( $id, ShipmentStatus::Packed, 'packed_at', __( 'Ship from store: shipment #%1$d packed at %2$s.', 'omnistock' ) );
	}

	/**
	 * Picked or packed: the status, its time, one note.
	 *
	 * @param int            $id     Shipment id.
	 * @param ShipmentStatus $to     Picked or Packed.
	 * @param string         $column Its time's column.
	 * @param string         $note   The note (%1$d: shipment id, %2$s: location).
	 */
	private function step( int $id, ShipmentStatus $to, string $column, string $note ): array {
		$row   = $this->get( $id );
		$order = $this->order_of( $row );
		if ( ! $this->move( $row, $to, array( $column => Database::now_ms() ) ) ) {
			return $this->shipment( $row, $order );
		}
		$order->add_order_note( sprintf( $note, $id, $this->name( (int) $row['location_id'] ) ), 0, true );
		return $this->shipment( $this->get( $id ), $order );
	}

	/**
	 * Handed to the carrier: exactly this shipment's units leave the store (on_hand and committed),
	 * the shopper is e-mailed its tracking, and when no other shipment of the order is left to ship,
	 * the order is completed. Shipped twice is one fulfilment, one e-mail (the first tracking stands).
	 *
	 * @param int    $id       Shipment id.
	 * @param string $carrier  Carrier.
	 * @param string $tracking Tracking number.
	 * @throws Refused Conflict when the order's units are no longer committed (omnistock_shipment_not_committed).
	 */
	public function shipped( int $id, string $carrier, string $tracking ): array {
		$row   = $this->get( $id );
		$order = $this->order_of( $row );
		if ( ShipmentStatus::Shipped === self::status( $row ) ) {
			return $this->shipment( $row, $order );
		}
		$this->allowed( $row, ShipmentStatus::Shipped );
		self::must_be_committed( $order );
		$this->inventory->fulfil_lines( OrderStock::key( $order ), $this->cells( $row, $order ), 'shipment-' . $id, $this->context( $order ) );
		$this->move(
			$row,
			ShipmentStatus::Shipped,
			array(
				'carrier'    => $carrier,
				'tracking'   => $tracking,
				'shipped_at' => Database::now_ms(),
			)
		);
		$row      = $this->get( $id );
		$store    = $this->store( (int) $row['location_id'] );
		$shipment = $this->shipment( $row, $order );
		/* translators: 1: shipment id, 2: location, 3: carrier, 4: tracking number */
		$order->add_order_note( sprintf( __( 'Ship from store: shipment #%1$d shipped from %2$s with %3$s, tracking number %4$s; the shopper was e-mailed it.', 'omnistock' ), $id, $store['name'], $carrier, $tracking ), 0, true );
		/**
		 * The "Shipped" e-mail of one shipment, with its carrier and tracking number.
		 *
		 * @param \WC_Order $order    Order.
		 * @param array     $store    The location it ships from.
		 * @param array     $shipment The shipment object.
		 */
		do_action( 'omnistock_shipment_shipped', $order, $store, $shipment );
		if ( $this->all_shipped( $order->get_id() ) && ! $order->has_status( 'completed' ) ) {
			$order->update_status( 'completed', __( 'Ship from store: the last shipment has shipped.', 'omnistock' ), true );
		}
		return $shipment;
	}

	/**
	 * Whether nothing of the order is left to ship: no shipment open, and no line a store rejected still waiting there for staff (closed ones count as done).
	 *
	 * @param int $order_id Order id.
	 */
	private function all_shipped( int $order_id ): bool {
		$order = wc_get_order( $order_id );
		$lines = $order instanceof \WC_Order ? OrderStock::lines( $order ) : array();
		foreach ( $this->of_order( $order_id ) as $row ) {
			$status = self::status( $row );
			if ( null === $status || $status->is_open() ) {
				return false;
			}
			// A rejected shipment's unrouted lines wait for staff while their units are still there.
			foreach ( ShipmentStatus::Rejected === $status ? self::unrouted( $row ) : array() as $item_id ) {
				if ( isset( $lines[ $item_id ] ) && isset( OrderStock::allocation( $lines[ $item_id ][3], $lines[ $item_id ][1] )[ (int) $row['location_id'] ] ) ) {
					return false;
				}
			}
		}
		return true;
	}

	/**
	 * The store cannot fulfil the shipment (damaged, not found on the shelf): its units are recorded
	 * as a count correction at the store, and its lines are routed again without every location
	 * that rejected this order's lines. The commitment moves in one step to each new location, which
	 * gets a new shipment; lines no location can take are listed as `unrouted` and the order gets a
	 * note for staff to decide. Rejected twice changes nothing.
	 *
	 * @param int    $id     Shipment id.
	 * @param string $reason Why.
	 * @throws Refused Conflict when the order's units are no longer committed (omnistock_shipment_not_committed).
	 */
	public function reject( int $id, string $reason ): array {
		$row   = $this->get( $id );
		$order = $this->order_of( $row );
		if ( ShipmentStatus::Rejected === self::status( $row ) ) {
			return $this->shipment( $row, $order );
		}
		$this->allowed( $row, ShipmentStatus::Rejected );
		self::must_be_committed( $order );
		$store   = (int) $row['location_id'];
		$context = $this->context( $order );
		$lines   = OrderStock::lines( $order );
		$items   = array_filter( self::items( $row ), static fn( $qty, $item ) => isset( $lines[ $item ] ), ARRAY_FILTER_USE_BOTH );
		// The units are not there (or not sellable): the store's count says so, with the reason.
		$events = array();
		foreach ( $items as $item_id => $qty ) {
			$events[] = array(
				'id'        => "shipment:$id:reject:$item_id",
				'kind'      => 'adjust',
				'product'   => $lines[ $item_id ][0],
				'location'  => $store,
				'qty'       => -$qty,
				'at'        => Database::now_ms(),
				'reason'    => mb_substr( 'count correction: ' . $reason, 0, 64 ),
				'reference' => 'shipment:' . $id,
			);
		}
		if ( $events ) {
			$this->inventory->record( $events, $context );
		}
		$exclude = array( $store );
		foreach ( $this->of_order( $order->get_id() ) as $other ) {
			if ( ShipmentStatus::Rejected === self::status( $other ) ) {
				$exclude[] = (int) $other['location_id'];
			}
		}
		$routes  = $items ? $this->router->route( array_map( static fn( $item_id ) => array( $lines[ $item_id ][0], $items[ $item_id ] ), array_combine( array_keys( $items ), array_keys( $items ) ) ), array_values( array_unique( $exclude ) ), $this->destinations->of_order( $order ) ) : array();
		$targets = array();
		foreach ( $routes as $item_id => $target ) {
			$targets[ null === $target ? 0 : $target ][ $item_id ] = $items[ $item_id ];
		}
		$rerouted = array();
		$unrouted = array_keys( $targets[0] ?? array() );
		unset( $targets[0] );
		foreach ( $targets as $target => $moving ) {
			$cells = array();
			foreach ( $moving as $item_id => $qty ) {
				$cells[] = array( $lines[ $item_id ][0], $store, $qty );
			}
			$there = $this->inventory->move_committed( OrderStock::key( $order ), $cells, (int) $target, "reject-$id-$target", $context );
			if ( ! $there['ok'] ) {
				array_push( $unrouted, ...array_keys( $moving ) ); // Sold meanwhile: staff decide.
				continue;
			}
			foreach ( $moving as $item_id => $qty ) {
				// The line's units that were at the store are at the target now (the rest of a split line stays).
				$item = $lines[ $item_id ][3];
				$at   = OrderStock::allocation( $item, $lines[ $item_id ][1] );
				$left = ( $at[ $store ] ?? 0 ) - $qty;
				unset( $at[ $store ] );
				if ( $left > 0 ) {
					$at[ $store ] = $left;
				}
				$at[ (int) $target ] = ( $at[ (int) $target ] ?? 0 ) + $qty;
				OrderStock::place( $item, $at );
			}
			$rerouted[ (int) $target ] = $this->insert( $order->get_id(), (int) $target, $moving );
		}
		$this->move(
			$row,
			ShipmentStatus::Rejected,
			array(
				'reason'      => mb_substr( $reason, 0, 200 ),
				'rerouted_to' => implode( ',', $rerouted ),
				'unrouted'    => (string) wp_json_encode( array_values( array_map( 'intval', $unrouted ) ) ),
				'rejected_at' => Database::now_ms(),
			)
		);
		/* translators: 1: shipment id, 2: location, 3: reason */
		$note = sprintf( __( 'Ship from store: shipment #%1$d rejected at %2$s (%3$s); its units were recorded as a count correction there.', 'omnistock' ), $id, $this->name( $store ), $reason );
		foreach ( $rerouted as $target => $new_id ) {
			/* translators: 1: new shipment id, 2: location */
			$note .= ' ' . sprintf( __( 'Re-routed as shipment #%1$d from %2$s.', 'omnistock' ), $new_id, $this->name( $target ) );
		}
		if ( $unrouted ) {
			$names = array();
			foreach ( $unrouted as $item_id ) {
				$names[] = $lines[ $item_id ][3]->get_name() . ' × ' . $items[ $item_id ];
			}
			/* translators: %s: the lines */
			$note .= ' ' . sprintf( __( 'No other location can ship %s: the units stay committed at the store that rejected them until staff decide (re-stock, cancel or refund the line).', 'omnistock' ), implode( ', ', $names ) );
		}
		$order->add_order_note( $note, 0, true );
		if ( ! $unrouted && $this->all_shipped( $order->get_id() ) && ! $order->has_status( 'completed' ) ) {
			$order->update_status( 'completed', __( 'Ship from store: the last shipment has shipped.', 'omnistock' ), true );
		}
		return $this->shipment( $this->get( $id ), $order );
	}

	/**
	 * The shipment's units as Inventory's lines: [[product, location, qty], ...].
	 *
	 * @param array     $row   Shipment row.
	 * @param \WC_Order $order Order.
	 * @return list<array{int, int, int}>
	 */
	private function cells( array $row, \WC_Order $order ): array {
		$lines = OrderStock::lines( $order );
		$cells = array();
		foreach ( self::items( $row ) as $item_id => $qty ) {
			if ( isset( $lines[ $item_id ] ) ) {
				$cells[] = array( $lines[ $item_id ][0], (int) $row['location_id'], min( $qty, $lines[ $item_id ][1] ) );
			}
		}
		return $cells;
	}

	/**
	 * The ledger context of an order's changes.
	 *
	 * @param \WC_Order $order Order.
	 */
	private function context( \WC_Order $order ): array {
		return array(
			'source'    => 'woocommerce',
			'actor'     => (string) get_current_user_id(),
			'reference' => 'order:' . $order->get_id(),
		);
	}

	/**
	 * The shipment object of the REST contract.
	 *
	 * @param array     $row   Shipment row.
	 * @param \WC_Order $order Its order.
	 */
	public function shipment( array $row, \WC_Order $order ): array {
		$lines = array();
		foreach ( self::items( $row ) as $item_id => $qty ) {
			$item = $order->get_item( $item_id );
			if ( ! $item instanceof \WC_Order_Item_Product ) {
				continue;
			}
			$product = $item->get_product();
			$bin     = $product ? (string) $product->get_meta( Meta::BIN ) : '';
			if ( '' === $bin && $product && $product->get_parent_id() ) {
				$parent = wc_get_product( $product->get_parent_id() );
				$bin    = $parent ? (string) $parent->get_meta( Meta::BIN ) : '';
			}
			$lines[] = array(
				'item'    => (int) $item_id,
				'product' => (int) ( $item->get_variation_id() ? $item->get_variation_id() : $item->get_product_id() ),
				'name'    => $item->get_name(),
				'sku'     => $product ? (string) $product->get_sku() : '',
				'qty'     => $qty,
				'bin'     => '' === $bin ? null : $bin,
			);
		}
		$ms      = static fn( $v ) => (int) $v > 0 ? (int) $v : null;
		$created = $order->get_date_created();
		$country = (string) $order->get_shipping_country();
		return array(
			'id'            => (int) $row['id'],
			'order'         => $order->get_id(),
			'number'        => (string) $order->get_order_number(),
			'location'      => (int) $row['location_id'],
			'location_name' => $this->name( (int) $row['location_id'] ),
			'status'        => (string) $row['status'],
			'customer'      => array(
				'name'  => trim( $order->get_billing_first_name() . ' ' . $order->get_billing_last_name() ),
				'email' => (string) $order->get_billing_email(),
				'phone' => (string) $order->get_billing_phone(),
			),
			'ship_to'       => array(
				'name'      => trim( $order->get_shipping_first_name() . ' ' . $order->get_shipping_last_name() ),
				'company'   => (string) $order->get_shipping_company(),
				'address_1' => (string) $order->get_shipping_address_1(),
				'address_2' => (string) $order->get_shipping_address_2(),
				'postcode'  => (string) $order->get_shipping_postcode(),
				'city'      => (string) $order->get_shipping_city(),
				'state'     => (string) $order->get_shipping_state(),
				'country'   => $country,
			),
			'order_status'  => (string) $order->get_status(),
			'shipping'      => (string) $order->get_shipping_method(),
			'customer_note' => (string) $order->get_customer_note(),
			'items'         => $lines,
			'carrier'       => (string) $row['carrier'],
			'tracking'      => (string) $row['tracking'],
			'reason'        => (string) $row['reason'],
			'rerouted_to'   => '' === (string) $row['rerouted_to'] ? array() : array_map( 'intval', explode( ',', (string) $row['rerouted_to'] ) ),
			'unrouted'      => self::unrouted( $row ),
			'order_created' => $created ? $created->getTimestamp() * 1000 : null,
			'created_at'    => (int) $row['created_at'],
			'picked_at'     => $ms( $row['picked_at'] ),
			'packed_at'     => $ms( $row['packed_at'] ),
			'shipped_at'    => $ms( $row['shipped_at'] ),
			'rejected_at'   => $ms( $row['rejected_at'] ),
		);
	}

	/**
	 * A shipment row's items: order item id => units.
	 *
	 * @param array $row Shipment row.
	 * @return array<int, int>
	 */
	private static function items( array $row ): array {
		$items = json_decode( (string) $row['items'], true );
		$out   = array();
		foreach ( is_array( $items ) ? $items : array() as $item_id => $qty ) {
			$out[ (int) $item_id ] = (int) $qty;
		}
		return $out;
	}

	/**
	 * A rejected shipment's order items no location could take.
	 *
	 * @param array $row Shipment row.
	 * @return list<int>
	 */
	private static function unrouted( array $row ): array {
		$items = json_decode( (string) $row['unrouted'], true );
		return is_array( $items ) ? array_values( array_map( 'intval', $items ) ) : array();
	}

	/**
	 * A shipment row's status.
	 *
	 * @param array $row Shipment row.
	 */
	public static function status( array $row ): ?ShipmentStatus {
		return ShipmentStatus::tryFrom( (string) $row['status'] );
	}

	/**
	 * A location's name ("#id" when it is gone).
	 *
	 * @param int $location Location id.
	 */
	private function name( int $location ): string {
		return (string) ( $this->locations->get( $location )['name'] ?? '#' . $location );
	}

	/**
	 * The location a shipment ships from (for the e-mail).
	 *
	 * @param int $location Location id.
	 */
	private function store( int $location ): array {
		return $this->locations->get( $location ) ?? array(
			'id'            => $location,
			'name'          => '#' . $location,
			'address'       => '',
			'opening_hours' => '',
		);
	}

	/**
	 * Sets the status (and other columns) when the machine allows it, only if the row is still in
	 * the status it was read in; false when it is already there (a no-op).
	 *
	 * @param array                $row     Shipment row.
	 * @param ShipmentStatus       $to      The next status.
	 * @param array<string, mixed> $columns More columns to set.
	 * @throws Refused Conflict when the machine does not allow it, or the row moved meanwhile (omnistock_shipment_bad_transition).
	 */
	private function move( array $row, ShipmentStatus $to, array $columns = array() ): bool {
		if ( self::status( $row ) === $to ) {
			return false;
		}
		$this->allowed( $row, $to );
		$sets  = array( $this->db->prepare( 'status = %s', $to->value ) );
		$allow = array( 'carrier', 'tracking', 'reason', 'rerouted_to', 'unrouted', 'picked_at', 'packed_at', 'shipped_at', 'rejected_at' );
		foreach ( $columns as $column => $value ) {
			if ( in_array( $column, $allow, true ) ) {
				$sets[] = is_int( $value ) ? $this->db->prepare( "$column = %d", $value ) : $this->db->prepare( "$column = %s", (string) $value ); // phpcs:ignore WordPress.DB.PreparedSQLPlaceholders.InterpolatedNotPrepared -- the column is one of $allow.
			}
		}
		$changed = $this->db->statement( $this->db->prepare( "UPDATE {$this->tables->shipments} SET " . implode( ', ', $sets ) . ' WHERE id = %d AND status = %s', (int) $row['id'], (string) $row['status'] ) );
		if ( 1 !== $changed ) {
			throw self::bad_transition( self::status( $this->get( (int) $row['id'] ) ), $to );
		}
		return true;
	}

	/**
	 * Refuses a change the machine does not allow.
	 *
	 * @param array          $row Shipment row.
	 * @param ShipmentStatus $to  The next status.
	 * @throws Refused Conflict (omnistock_shipment_bad_transition).
	 */
	private function allowed( array $row, ShipmentStatus $to ): void {
		$from = self::status( $row );
		if ( null === $from || ! $from->may_become( $to ) ) {
			throw self::bad_transition( $from, $to );
		}
	}

	/**
	 * Refuses to move units of an order that no longer has them committed (cancelled, refunded, completed by hand).
	 *
	 * @param \WC_Order $order Order.
	 * @throws Refused Conflict (omnistock_shipment_not_committed).
	 */
	private static function must_be_committed( \WC_Order $order ): void {
		if ( OrderStockState::Committed !== OrderStock::state( $order ) ) {
			throw new Refused(
				'omnistock_shipment_not_committed',
				/* translators: %s: the order's status */
				sprintf( __( 'The order is %s: its units are no longer committed, so this shipment cannot change. Check the order in WooCommerce.', 'omnistock' ), $order->get_status() ),
				Refusal::Conflict,
				array( 'order_status' => $order->get_status() )
			);
		}
	}

	/**
	 * The 409 of a change not allowed.
	 *
	 * @param ShipmentStatus|null $from Where it is.
	 * @param ShipmentStatus      $to   Where it was asked to go.
	 */
	private static function bad_transition( ?ShipmentStatus $from, ShipmentStatus $to ): Refused {
		return new Refused(
			'omnistock_shipment_bad_transition',
			/* translators: 1: the current status, 2: the status asked for */
			sprintf( __( 'A shipment that is %1$s cannot become %2$s.', 'omnistock' ), null === $from ? 'unknown' : $from->value, $to->value ),
			Refusal::Conflict,
			array(
				'from' => $from?->value,
				'to'   => $to->value,
			)
		);
	}
}
