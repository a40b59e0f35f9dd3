<?php
/**
 * Cash drawer sessions: open with a float (one open session per location), pay in and out,
 * close with the counted cash; expected against counted.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\Locations;
use Omnistock\Inventory\StorageError;
use Omnistock\Inventory\Tables;
use Omnistock\Refusal;

defined( 'ABSPATH' ) || exit;

/**
 * Amounts are stored in minor units with the decimals the session was opened with; times in
 * milliseconds since the epoch, as the ledger's.
 */
final class Drawer {

	public const CREATED_VIA        = \Omnistock\Meta::POS_CREATED_VIA;
	public const SESSION_META       = \Omnistock\Meta::POS_SESSION;
	public const LOCATION_META      = \Omnistock\Meta::POS_LOCATION;
	public const REFUND_METHOD_META = \Omnistock\Meta::POS_REFUND_METHOD;
	/** Order statuses whose payments are in the drawer. */
	public const PAID_STATUSES = array( 'completed', 'processing', 'on-hold', 'refunded' );
	/** How much earlier than its session an (offline) sale may be dated. */
	private const SALE_SLACK_MS = DAY_IN_SECONDS * 1000;
	private const DUPLICATE_KEY = 1062;

	/**
	 * Name of the sessions table.
	 *
	 * @var string
	 */
	public readonly string $sessions;
	/**
	 * Name of the movements table.
	 *
	 * @var string
	 */
	public readonly string $movements;

	/**
	 * Takes its dependencies.
	 *
	 * @param Database  $db        The database.
	 * @param Locations $locations Locations.
	 */
	public function __construct( private readonly Database $db, private readonly Locations $locations ) {
		list( $this->sessions, $this->movements ) = self::tables( $db->wpdb );
	}

	/**
	 * The two table names, with this site's prefix.
	 *
	 * @param \wpdb $wpdb The WordPress database.
	 * @return array{0: string, 1: string}
	 */
	public static function tables( \wpdb $wpdb ): array {
		$tables = new Tables( $wpdb );
		return array( $tables->pos_sessions, $tables->pos_movements );
	}

	/**
	 * Hooks in: refunds of POS orders are stamped with the drawer they are paid from.
	 */
	public function register(): void {
		add_action( 'woocommerce_refund_created', array( $this, 'stamp_refund' ), 10, 2 );
		add_filter( 'woocommerce_order_data_store_cpt_get_orders_query', array( self::class, 'posts_meta_query' ), 10, 2 );
	}

	/**
	 * WooCommerce's posts storage ignores wc_get_orders()'s meta_query (its order tables honour it):
	 * our query variable `omnistock_meta` becomes one, so a report loads only the orders it sums.
	 *
	 * @param array $wp_query_args WP_Query arguments.
	 * @param array $query_vars    wc_get_orders() arguments.
	 * @return mixed $wp_query_args, with our meta query when it is an array.
	 */
	public static function posts_meta_query( $wp_query_args, $query_vars ) {
		if ( is_array( $wp_query_args ) && ! empty( $query_vars['omnistock_meta'] ) && is_array( $query_vars['omnistock_meta'] ) ) {
			$wp_query_args['meta_query']   = (array) ( $wp_query_args['meta_query'] ?? array() ); // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_query -- keyed by meta_key.
			$wp_query_args['meta_query'][] = self::meta_query( $query_vars['omnistock_meta'] );
		}
		return $wp_query_args;
	}

	/**
	 * Whether wc_get_orders() reads WooCommerce's order tables (HPOS) rather than posts.
	 */
	private static function order_tables_in_use(): bool {
		return class_exists( \Automattic\WooCommerce\Utilities\OrderUtil::class )
			&& \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled();
	}

	/**
	 * A meta_query that every key => value holds.
	 *
	 * @param array<string, string> $meta Meta keys and values.
	 */
	private static function meta_query( array $meta ): array {
		$clauses = array( 'relation' => 'AND' );
		foreach ( $meta as $key => $value ) {
			$clauses[] = array(
				'key'   => $key,
				'value' => (string) $value,
			);
		}
		return $clauses;
	}

	/**
	 * Orders (or refunds) of a wc_get_orders() query whose meta have these values: the database
	 * filters where the storage can, and every order is checked here all the same.
	 *
	 * @param array                 $query wc_get_orders() arguments.
	 * @param array<string, string> $meta  Meta keys and values.
	 * @return list<\WC_Abstract_Order>
	 */
	private static function orders_with( array $query, array $meta ): array {
		if ( $meta ) {
			// The posts storage takes ours (posts_meta_query); since WooCommerce 9.2 it reports a
			// meta_query given to it as a wrong call, so that one goes to the order tables only.
			$query['omnistock_meta'] = $meta;
			if ( self::order_tables_in_use() ) {
				$query['meta_query'] = array( self::meta_query( $meta ) ); // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_query -- keyed by meta_key.
			}
		}
		$orders = wc_get_orders( $query );
		return array_values(
			array_filter(
				is_array( $orders ) ? $orders : array(),
				static function ( $order ) use ( $meta ) {
					foreach ( $meta as $key => $value ) {
						if ( (string) $value !== (string) $order->get_meta( $key ) ) {
							return false;
						}
					}
					return true;
				}
			)
		);
	}

	/**
	 * A refund of a POS order is paid from the session open at the order's location when it is
	 * made (none: no drawer), in cash when the order was paid with cash, else by the order's first
	 * method; wc_create_refund()'s argument `omnistock_refund_method` says otherwise.
	 *
	 * @param int   $refund_id Refund id.
	 * @param array $args      wc_create_refund()'s arguments.
	 */
	public function stamp_refund( $refund_id, $args ): void {
		if ( is_array( $args ) && ! empty( $args['omnistock_return'] ) ) {
			return; // A return at the counter (Returns) says its own drawer and method.
		}
		$refund = wc_get_order( $refund_id );
		$order  = $refund instanceof \WC_Order_Refund ? wc_get_order( $refund->get_parent_id() ) : null;
		if ( ! $order instanceof \WC_Order || self::CREATED_VIA !== $order->get_created_via() ) {
			return;
		}
		$method = is_array( $args ) && ! empty( $args['omnistock_refund_method'] ) ? sanitize_key( (string) $args['omnistock_refund_method'] ) : '';
		if ( '' === $method ) {
			$paid   = SalePayments::of( $order, MinorUnits::decimals() );
			$method = $paid['cash'] > 0 ? 'cash' : $paid['payments'][0]['method'];
		}
		$refund->update_meta_data( self::REFUND_METHOD_META, $method );
		$session = $this->current( (int) $order->get_meta( self::LOCATION_META ) );
		if ( $session ) {
			$refund->update_meta_data( self::SESSION_META, (string) $session['id'] );
		}
		$refund->save();
	}

	/**
	 * Opens a session at a location with a float.
	 *
	 * Throws DrawerRefused (a conflict) when a session is already open there.
	 *
	 * @param mixed $location Location id.
	 * @param mixed $float    Cash in the drawer at the start.
	 * @param int   $user     Who opens it.
	 * @throws InvalidInput A bad field.
	 * @throws StorageError The database failed.
	 */
	public function open( mixed $location, mixed $float, int $user ): array {
		$location_id = $this->location( $location );
		$decimals    = MinorUnits::decimals();
		$amount      = MinorUnits::parse( $float, $decimals, 'float' );
		if ( $amount < 0 ) {
			throw new InvalidInput( 'float', __( 'float cannot be negative.', 'omnistock' ) );
		}
		$open = $this->current( $location_id );
		if ( $open ) {
			throw $this->already_open( $open );
		}
		$wpdb       = $this->db->wpdb;
		$suppressed = $wpdb->suppress_errors( true );
		try {
			$this->db->statement(
				$this->db->prepare(
					"INSERT INTO {$this->sessions} (location_id, open_location, status, decimals, float_amount, opened_by, opened_at) VALUES (%d, %d, 'open', %d, %d, %d, %d)",
					$location_id,
					$location_id,
					$decimals,
					$amount,
					$user,
					Database::now_ms()
				)
			);
		} catch ( StorageError $e ) {
			$open = self::DUPLICATE_KEY === $e->getCode() ? $this->current( $location_id ) : null;
			if ( $open ) {
				throw $this->already_open( $open ); // Another terminal opened it in between.
			}
			throw $e;
		} finally {
			$wpdb->suppress_errors( $suppressed );
		}
		return $this->session( (int) $wpdb->insert_id );
	}

	/**
	 * The open session of a location, or null.
	 *
	 * @param int $location Location id.
	 */
	public function current( int $location ): ?array {
		$rows = $this->db->rows( $this->db->prepare( "SELECT * FROM {$this->sessions} WHERE open_location = %d", $location ) );
		return $rows ? $this->shape( $rows[0] ) : null;
	}

	/**
	 * A session, or null.
	 *
	 * @param int $id Session id.
	 */
	public function get( int $id ): ?array {
		$row = $this->row( $id );
		return $row ? $this->shape( $row ) : null;
	}

	/**
	 * Pays cash in or out of an open session.
	 *
	 * @param int   $session Session id.
	 * @param mixed $type    "in" or "out".
	 * @param mixed $amount  A positive amount.
	 * @param mixed $note    Why (free text).
	 * @param int   $user    Who.
	 * @throws InvalidInput A bad field (the type or the note; the amount's from the transaction).
	 */
	public function move( int $session, mixed $type, mixed $amount, mixed $note, int $user ): array {
		if ( ! in_array( $type, array( 'in', 'out' ), true ) ) {
			throw new InvalidInput( 'type', __( 'type must be "in" or "out".', 'omnistock' ) );
		}
		if ( null !== $note && ! is_string( $note ) ) {
			throw new InvalidInput( 'note', __( 'note must be text.', 'omnistock' ) );
		}
		return $this->db->transaction(
			function () use ( $session, $type, $amount, $note, $user ) {
				$row   = $this->locked_open( $session );
				$minor = MinorUnits::parse( $amount, (int) $row['decimals'], 'amount' );
				if ( $minor <= 0 ) {
					throw new InvalidInput( 'amount', __( 'amount must be more than zero.', 'omnistock' ) );
				}
				$now = Database::now_ms();
				$this->db->statement(
					$this->db->prepare(
						"INSERT INTO {$this->movements} (session_id, type, amount, note, user_id, created_at) VALUES (%d, %s, %d, %s, %d, %d)",
						$session,
						$type,
						$minor,
						sanitize_textarea_field( (string) $note ),
						$user,
						$now
					)
				);
				$id = (int) $this->db->wpdb->insert_id;
				return $this->movement_shape(
					array(
						'id'         => $id,
						'session_id' => $session,
						'type'       => $type,
						'amount'     => $minor,
						'note'       => sanitize_textarea_field( (string) $note ),
						'user_id'    => $user,
						'created_at' => $now,
					),
					(int) $row['decimals']
				);
			}
		);
	}

	/**
	 * Cash paid out of an open session for a return at the counter (Returns), in the caller's
	 * transaction: a movement of type `refund`, which the figures count as a cash refund.
	 *
	 * @param int    $session Session id.
	 * @param int    $minor   Amount in the session's minor units, more than zero.
	 * @param string $note    What it was for.
	 * @param int    $user    Who.
	 * @return int The movement's id.
	 * @throws \LogicException Outside a transaction, or a wrong amount (the caller checked it); DrawerRefused when there is no such session or it is closed.
	 */
	public function pay_refund( int $session, int $minor, string $note, int $user ): int {
		if ( ! $this->db->in_transaction() || $minor <= 0 ) {
			throw new \LogicException( 'Drawer::pay_refund() needs an open transaction and an amount above zero.' );
		}
		$this->locked_open( $session );
		$this->db->statement(
			$this->db->prepare(
				"INSERT INTO {$this->movements} (session_id, type, amount, note, user_id, created_at) VALUES (%d, 'refund', %d, %s, %d, %d)",
				$session,
				$minor,
				sanitize_textarea_field( $note ),
				$user,
				Database::now_ms()
			)
		);
		return (int) $this->db->wpdb->insert_id;
	}

	/**
	 * The decimals a session counts in (its minor units), or null when there is no such session.
	 *
	 * @param int $session Session id.
	 */
	public function decimals( int $session ): ?int {
		$row = $this->row( $session );
		return $row ? (int) $row['decimals'] : null;
	}

	/**
	 * Closes an open session with the cash counted in the drawer; returns its report.
	 *
	 * @param int   $session Session id.
	 * @param mixed $counted The cash counted.
	 * @param int   $user    Who closes it.
	 * @throws InvalidInput A bad field.
	 * @throws DrawerRefused No such session, or it is already closed.
	 */
	public function close( int $session, mixed $counted, int $user ): array {
		$this->db->transaction(
			function () use ( $session, $counted, $user ) {
				$row   = $this->locked_open( $session );
				$minor = MinorUnits::parse( $counted, (int) $row['decimals'], 'counted' );
				if ( $minor < 0 ) {
					throw new InvalidInput( 'counted', __( 'counted cannot be negative.', 'omnistock' ) );
				}
				$figures = $this->figures( $row, Database::now_ms() );
				$this->db->statement(
					$this->db->prepare(
						"UPDATE {$this->sessions} SET status = 'closed', open_location = NULL, closed_by = %d, closed_at = %d, expected = %d, counted = %d WHERE id = %d AND status = 'open'",
						$user,
						Database::now_ms(),
						$figures['expected'],
						$minor,
						$session
					)
				);
			}
		);
		return $this->report( $session );
	}

	/**
	 * The figures of a session, open or closed: float, sales by method (cash net of change),
	 * refunds (with the cash of returns at the counter), pay in/out, expected; counted and difference once closed. A closed session keeps the
	 * expected figure it was closed against; `expected_now` appears when later sales or refunds of the
	 * session (an offline sale sent after the close) changed it.
	 *
	 * @param int $session Session id.
	 * @throws DrawerRefused No such session.
	 */
	public function report( int $session ): array {
		$row = $this->row( $session );
		if ( ! $row ) {
			throw self::not_found();
		}
		$decimals             = (int) $row['decimals'];
		$figures              = $this->figures( $row, null === $row['closed_at'] ? Database::now_ms() : (int) $row['closed_at'] );
		$money                = static fn( int $minor ) => MinorUnits::format( $minor, $decimals );
		$report               = $this->shape( $row ) + array(
			'orders'    => $figures['orders'],
			'sales'     => array_map( $money, $figures['sales'] ),
			'change'    => $money( $figures['change'] ),
			'refunds'   => array_map( $money, $figures['refunds'] ),
			'movements' => array_map( $money, $figures['movements'] ),
			'expected'  => $money( $figures['expected'] ),
		);
		$report['counted']    = null;
		$report['difference'] = null;
		if ( 'closed' === $row['status'] ) {
			$report['expected']   = $money( (int) $row['expected'] );
			$report['counted']    = $money( (int) $row['counted'] );
			$report['difference'] = $money( (int) $row['counted'] - (int) $row['expected'] );
			if ( (int) $row['expected'] !== $figures['expected'] ) {
				$report['expected_now'] = $money( $figures['expected'] );
			}
		}
		$report['movements_list'] = array_map(
			fn( array $m ) => $this->movement_shape( $m, $decimals ),
			$this->db->rows( $this->db->prepare( "SELECT * FROM {$this->movements} WHERE session_id = %d ORDER BY id", $session ) )
		);
		return $report;
	}

	/**
	 * Of these sessions, those opened at or after $from (milliseconds, the server's clock).
	 *
	 * @param int[] $ids  Session ids.
	 * @param int   $from Start.
	 * @return list<int> Session ids.
	 */
	public function opened_since( array $ids, int $from ): array {
		if ( ! $ids ) {
			return array();
		}
		$in = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		return array_map( 'intval', array_column( $this->db->rows( $this->db->prepare( "SELECT id FROM {$this->sessions} WHERE id IN ($in) AND opened_at >= %d ORDER BY id", ...array_merge( $ids, array( $from ) ) ) ), 'id' ) ); // phpcs:ignore WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- $in holds one %d per id.
	}

	/**
	 * Sessions of a location that were open at some time in [$from, $to] (milliseconds).
	 *
	 * @param int $location Location id.
	 * @param int $from     Start.
	 * @param int $to       End.
	 * @return list<int> Session ids.
	 */
	public function sessions_between( int $location, int $from, int $to ): array {
		return array_map(
			'intval',
			array_column(
				$this->db->rows(
					$this->db->prepare(
						"SELECT id FROM {$this->sessions} WHERE location_id = %d AND opened_at <= %d AND (closed_at IS NULL OR closed_at >= %d) ORDER BY opened_at, id",
						$location,
						$to,
						$from
					)
				),
				'id'
			)
		);
	}

	/**
	 * The drawer's figures in minor units, from the session's POS orders and refunds.
	 *
	 * @param array $row   The session row.
	 * @param int   $until Now, or when it closed (for its movements).
	 * @return array{orders: int, sales: array<string, int>, change: int, refunds: array<string, int>, movements: array{in: int, out: int}, expected: int}
	 */
	private function figures( array $row, int $until ): array {
		$id       = (int) $row['id'];
		$decimals = (int) $row['decimals'];
		$since    = (int) floor( ( (int) $row['opened_at'] - self::SALE_SLACK_MS ) / 1000 );
		$sales    = array(
			'cash' => 0,
			'card' => 0,
		);
		$change   = 0;
		$orders   = 0;
		// By the session the sale was taken in, whatever time the terminal gave it.
		foreach ( self::pos_orders( array(), array( self::SESSION_META => (string) $id ) ) as $order ) {
			$paid = SalePayments::of( $order, $decimals );
			foreach ( $paid['by_method'] as $method => $amount ) {
				$sales[ $method ] = ( $sales[ $method ] ?? 0 ) + $amount;
			}
			$change += $paid['change'];
			++$orders;
		}
		$refunds = array(
			'cash' => 0,
			'card' => 0,
		);
		foreach ( self::refunds( '>=' . $since, array( self::SESSION_META => (string) $id ) ) as $refund ) {
			$method             = (string) $refund->get_meta( self::REFUND_METHOD_META );
			$method             = '' === $method ? 'cash' : $method;
			$refunds[ $method ] = ( $refunds[ $method ] ?? 0 ) + MinorUnits::stored( $refund->get_amount( 'edit' ), $decimals );
		}
		$moved = array(
			'in'  => 0,
			'out' => 0,
		);
		foreach ( $this->db->rows( $this->db->prepare( "SELECT type, SUM(amount) AS total FROM {$this->movements} WHERE session_id = %d AND created_at <= %d GROUP BY type", $id, $until ) ) as $m ) {
			if ( 'refund' === $m['type'] ) {
				$refunds['cash'] += (int) $m['total']; // Returns at the counter paid in cash (pay_refund()).
			} else {
				$moved[ $m['type'] ] = (int) $m['total'];
			}
		}
		return array(
			'orders'    => $orders,
			'sales'     => $sales,
			'change'    => $change,
			'refunds'   => $refunds,
			'movements' => $moved,
			'expected'  => (int) $row['float_amount'] + $sales['cash'] - $refunds['cash'] + $moved['in'] - $moved['out'],
		);
	}

	/**
	 * Paid POS orders (WooCommerce's query, so both order storages work), oldest first.
	 *
	 * @param array                 $query More wc_get_orders() arguments.
	 * @param array<string, string> $meta  Meta keys and the values they must have.
	 * @return list<\WC_Order>
	 */
	public static function pos_orders( array $query, array $meta = array() ): array {
		$orders = self::orders_with(
			$query + array(
				'type'        => 'shop_order',
				'created_via' => self::CREATED_VIA,
				'status'      => self::PAID_STATUSES,
				'limit'       => -1,
				'orderby'     => 'date',
				'order'       => 'ASC',
			),
			$meta
		);
		return array_values( array_filter( $orders, static fn( $order ) => $order instanceof \WC_Order ) );
	}

	/**
	 * Refunds of POS orders created in a date range (wc_get_orders' date_created syntax).
	 *
	 * @param string                $date_created Range.
	 * @param array<string, string> $meta         Meta keys and the values the refunds must have.
	 * @return list<\WC_Order_Refund>
	 */
	public static function refunds( string $date_created, array $meta = array() ): array {
		$refunds = self::orders_with(
			array(
				'type'         => 'shop_order_refund',
				'date_created' => $date_created,
				'limit'        => -1,
				'orderby'      => 'date',
				'order'        => 'ASC',
			),
			$meta
		);
		$refunds = array_filter( $refunds, static fn( $refund ) => $refund instanceof \WC_Order_Refund );
		return array_values(
			array_filter(
				$refunds,
				static function ( \WC_Order_Refund $refund ) {
					$order = wc_get_order( $refund->get_parent_id() );
					return $order instanceof \WC_Order && self::CREATED_VIA === $order->get_created_via();
				}
			)
		);
	}

	/**
	 * The session row, locked, if it is open.
	 *
	 * @param int $session Session id.
	 * @throws DrawerRefused No such session, or it is closed.
	 */
	private function locked_open( int $session ): array {
		$rows = $this->db->rows( $this->db->prepare( "SELECT * FROM {$this->sessions} WHERE id = %d FOR UPDATE", $session ) );
		if ( ! $rows ) {
			throw new DrawerRefused( 'omnistock_pos_session_not_found', __( 'No such drawer session.', 'omnistock' ), Refusal::NotFound );
		}
		if ( 'open' !== $rows[0]['status'] ) {
			throw new DrawerRefused( 'omnistock_pos_session_closed', __( 'This drawer session is already closed.', 'omnistock' ), Refusal::Conflict, array( 'session' => $session ) );
		}
		return $rows[0];
	}

	/**
	 * The session row, or null.
	 *
	 * @param int $id Session id.
	 */
	private function row( int $id ): ?array {
		$rows = $this->db->rows( $this->db->prepare( "SELECT * FROM {$this->sessions} WHERE id = %d", $id ) );
		return $rows ? $rows[0] : null;
	}

	/**
	 * The session as the API shows it, after opening or reading it.
	 *
	 * @param int $id Session id.
	 */
	private function session( int $id ): array {
		return $this->shape( (array) $this->row( $id ) );
	}

	/**
	 * A session row as the API shows it.
	 *
	 * @param array $row Row.
	 */
	private function shape( array $row ): array {
		$decimals = (int) $row['decimals'];
		return array(
			'id'        => (int) $row['id'],
			'location'  => (int) $row['location_id'],
			'user'      => (int) $row['opened_by'],
			'opened_at' => self::time( (int) $row['opened_at'] ),
			'closed_at' => null === $row['closed_at'] ? null : self::time( (int) $row['closed_at'] ),
			'closed_by' => null === $row['closed_by'] ? null : (int) $row['closed_by'],
			'float'     => MinorUnits::format( (int) $row['float_amount'], $decimals ),
			'status'    => (string) $row['status'],
		);
	}

	/**
	 * A movement row as the API shows it.
	 *
	 * @param array $row      Row.
	 * @param int   $decimals The session's decimals.
	 */
	private function movement_shape( array $row, int $decimals ): array {
		return array(
			'id'      => (int) $row['id'],
			'session' => (int) $row['session_id'],
			'type'    => (string) $row['type'],
			'amount'  => MinorUnits::format( (int) $row['amount'], $decimals ),
			'note'    => (string) $row['note'],
			'user'    => (int) $row['user_id'],
			'at'      => self::time( (int) $row['created_at'] ),
		);
	}

	/**
	 * A time in milliseconds as ISO 8601 in the shop's timezone.
	 *
	 * @param int $ms Milliseconds since the epoch.
	 */
	public static function time( int $ms ): string {
		return wp_date( DATE_ATOM, intdiv( $ms, 1000 ) );
	}

	/**
	 * The location id of a request, if it exists.
	 *
	 * @param mixed $location Location id.
	 * @throws InvalidInput Not a location.
	 */
	public function location( mixed $location ): int {
		$id = is_int( $location ) || ( is_string( $location ) && ctype_digit( $location ) ) ? (int) $location : 0;
		if ( $id <= 0 || ! $this->locations->get( $id ) ) {
			throw new InvalidInput( 'location', __( 'location must be the id of a location.', 'omnistock' ) );
		}
		return $id;
	}

	/**
	 * Refused: a session is already open at that location.
	 *
	 * @param array $open The open session.
	 */
	private function already_open( array $open ): DrawerRefused {
		return new DrawerRefused( 'omnistock_pos_session_open', __( 'A drawer session is already open at this location; close it first.', 'omnistock' ), Refusal::Conflict, array( 'session' => $open ) );
	}

	/**
	 * Refused: no such session.
	 */
	private static function not_found(): DrawerRefused {
		return new DrawerRefused( 'omnistock_pos_session_not_found', __( 'No such drawer session.', 'omnistock' ), Refusal::NotFound );
	}
}
