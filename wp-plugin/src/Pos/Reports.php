<?php
/**
 * End-of-day report of a location: the POS sales of one day in the shop's timezone (a sale in a
 * drawer session on the day the session opened), by payment method, with discounts, tax, refunds,
 * the returns taken at the counter that day and the drawer sessions of that day.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

defined( 'ABSPATH' ) || exit;

/**
 * Figures from WooCommerce's orders (created via `omnistock-pos`, meta `_omnistock_location`) and
 * their refunds, summed in minor units.
 */
final class Reports {

	/**
	 * Takes its dependencies.
	 *
	 * @param Drawer       $drawer  The drawer sessions.
	 * @param Returns|null $returns Returns at the counter (listed, and their refunds counted, at the store that took them).
	 */
	public function __construct( private readonly Drawer $drawer, private readonly ?Returns $returns = null ) {
	}

	/**
	 * The day report.
	 *
	 * @param mixed $location Location id.
	 * @param mixed $date     YYYY-MM-DD, a day in the shop's timezone.
	 * @throws InvalidInput A bad field.
	 */
	public function day( mixed $location, mixed $date ): array {
		$location_id = $this->drawer->location( $location );
		$timezone    = wp_timezone();
		$day         = is_string( $date ) ? \DateTimeImmutable::createFromFormat( '!Y-m-d', $date, $timezone ) : false;
		if ( ! $day || $day->format( 'Y-m-d' ) !== $date ) {
			throw new InvalidInput( 'date', __( 'date must be a day as YYYY-MM-DD.', 'omnistock' ) );
		}
		$start    = $day->getTimestamp();
		$end      = $day->modify( '+1 day' )->getTimestamp() - 1; // 23 or 25 hours on a DST change.
		$decimals = MinorUnits::decimals();
		$sales    = array(
			'cash' => 0,
			'card' => 0,
		);
		$sums     = array(
			'total'     => 0,
			'subtotal'  => 0,
			'discounts' => 0,
			'tax'       => 0,
			'change'    => 0,
		);
		$orders   = 0;
		$sessions = $this->drawer->sessions_between( $location_id, $start * 1000, $end * 1000 + 999 );
		foreach ( $this->sales_of_day( $location_id, $start, $end, $sessions ) as $order ) {
			$paid = SalePayments::of( $order, $decimals );
			foreach ( $paid['by_method'] as $method => $amount ) {
				$sales[ $method ] = ( $sales[ $method ] ?? 0 ) + $amount;
			}
			$sums['change']    += $paid['change'];
			$sums['total']     += MinorUnits::stored( $order->get_total( 'edit' ), $decimals );
			$sums['subtotal']  += MinorUnits::stored( $order->get_subtotal(), $decimals );
			$sums['discounts'] += SaleDiscounts::of( $order, $decimals )['total'];
			$sums['tax']       += MinorUnits::stored( $order->get_total_tax( 'edit' ), $decimals );
			++$orders;
		}
		$refunds = array(
			'cash' => 0,
			'card' => 0,
		);
		$count   = 0;
		foreach ( Drawer::refunds( "$start...$end" ) as $refund ) {
			$order = wc_get_order( $refund->get_parent_id() );
			if ( ! $order || (string) $location_id !== (string) $order->get_meta( Drawer::LOCATION_META ) || '' !== (string) $refund->get_meta( Returns::RETURN_META ) ) {
				continue; // Another store's sale, or a return at the counter (counted below, where it was taken).
			}
			$method             = (string) $refund->get_meta( Drawer::REFUND_METHOD_META );
			$method             = '' === $method ? 'cash' : $method;
			$refunds[ $method ] = ( $refunds[ $method ] ?? 0 ) + MinorUnits::stored( $refund->get_amount( 'edit' ), $decimals );
			++$count;
		}
		$money   = static fn( int $minor ) => MinorUnits::format( $minor, $decimals );
		$returns = array();
		foreach ( $this->returns ? $this->returns->at_location( $location_id, $start * 1000, $end * 1000 + 999 ) : array() as $return ) {
			$minor                        = MinorUnits::stored( MinorUnits::format( $return['amount'], $return['decimals'] ), $decimals );
			$refunds[ $return['method'] ] = ( $refunds[ $return['method'] ] ?? 0 ) + $minor;
			++$count;
			$order     = wc_get_order( $return['order'] );
			$returns[] = array(
				'id'      => $return['id'],
				'order'   => $return['order'],
				'number'  => $return['number'],
				'channel' => $order && Drawer::CREATED_VIA === $order->get_created_via() ? 'pos' : 'online',
				'refund'  => $return['refund'],
				'method'  => $return['method'],
				'amount'  => $money( $minor ),
				'user'    => $return['user'],
				'at'      => Drawer::time( $return['at'] ),
				'lines'   => $return['lines'],
			);
		}
		$refunded = array_sum( $refunds );
		return array(
			'location'          => $location_id,
			'date'              => $date,
			'timezone'          => $timezone->getName(),
			'orders'            => $orders,
			'sales'             => array_map( $money, $sales ) + array( 'total' => $money( $sums['total'] ) ),
			'subtotal'          => $money( $sums['subtotal'] ),
			'discounts'         => $money( $sums['discounts'] ),
			'tax'               => $money( $sums['tax'] ),
			'change'            => $money( $sums['change'] ),
			'refunds'           => $money( $refunded ),
			'refunds_by_method' => array_map( $money, $refunds ),
			'refund_count'      => $count,
			'returns'           => $returns,
			'net'               => $money( $sums['total'] - $refunded ),
			'sessions'          => array_map( fn( int $id ) => $this->drawer->report( $id ), $sessions ),
		);
	}

	/**
	 * The day's sales: those taken in a drawer session count on the day the session was opened (the
	 * server's clock), whatever their order's date, which is the client's `at`; those without a
	 * session by that date, which the sale window bounds (Sales::at()).
	 *
	 * @param int   $location Location id.
	 * @param int   $start    The day's first second (Unix time).
	 * @param int   $end      Its last second.
	 * @param int[] $sessions The location's sessions open at some time that day.
	 * @return list<\WC_Order>
	 */
	private function sales_of_day( int $location, int $start, int $end, array $sessions ): array {
		$sales = array();
		foreach ( Drawer::pos_orders( array( 'date_created' => "$start...$end" ), array( Drawer::LOCATION_META => (string) $location ) ) as $order ) {
			if ( '' === (string) $order->get_meta( Drawer::SESSION_META ) ) {
				$sales[ $order->get_id() ] = $order;
			}
		}
		// A session opened on an earlier day keeps its sales on that day.
		foreach ( $this->drawer->opened_since( $sessions, $start * 1000 ) as $id ) {
			foreach ( Drawer::pos_orders( array(), array( Drawer::SESSION_META => (string) $id ) ) as $order ) {
				$sales[ $order->get_id() ] = $order;
			}
		}
		return array_values( $sales );
	}
}
