<?php
/**
 * What a POS order's payments put in the drawer: cash net of change, card, change given.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

defined( 'ABSPATH' ) || exit;

/**
 * Reads the order meta `_omnistock_payments`, a JSON list of {method, amount, tendered?, reference?}.
 *
 * Cash kept is what the order still owed after the other methods, up to the cash handed over
 * (tendered, or the amount when no tendered is recorded); change is the rest of the cash handed
 * over. This holds whether a payment's amount records the cash due or the cash handed over.
 */
final class SalePayments {

	public const META = \Omnistock\Meta::POS_PAYMENTS;

	/**
	 * The payments of an order, in minor units.
	 *
	 * @param \WC_Abstract_Order $order    A POS order.
	 * @param int                $decimals The shop's decimals.
	 * @return array{payments: list<array{method: string, amount: int, tendered: ?int, reference: string}>, by_method: array<string, int>, cash: int, tendered: int, change: int}
	 */
	public static function of( \WC_Abstract_Order $order, int $decimals ): array {
		$raw      = $order->get_meta( self::META );
		$list     = is_string( $raw ) ? json_decode( $raw, true ) : $raw;
		$total    = MinorUnits::stored( $order->get_total( 'edit' ), $decimals );
		$payments = array();
		foreach ( is_array( $list ) ? $list : array() as $payment ) {
			if ( ! is_array( $payment ) || empty( $payment['method'] ) ) {
				continue;
			}
			$payments[] = array(
				'method'    => sanitize_key( (string) $payment['method'] ),
				'amount'    => MinorUnits::stored( $payment['amount'] ?? 0, $decimals ),
				'tendered'  => isset( $payment['tendered'] ) && '' !== $payment['tendered'] ? MinorUnits::stored( $payment['tendered'], $decimals ) : null,
				'reference' => isset( $payment['reference'] ) ? (string) $payment['reference'] : '',
			);
		}
		if ( ! $payments ) {
			// A POS order without recorded payments: its total, by an unknown method.
			$payments[] = array(
				'method'    => 'other',
				'amount'    => $total,
				'tendered'  => null,
				'reference' => '',
			);
		}
		$by_method  = array(
			'cash' => 0,
			'card' => 0,
		);
		$cash_given = 0;
		$non_cash   = 0;
		foreach ( $payments as $payment ) {
			if ( 'cash' === $payment['method'] ) {
				$cash_given += $payment['tendered'] ?? $payment['amount'];
			} else {
				$non_cash                       += $payment['amount'];
				$by_method[ $payment['method'] ] = ( $by_method[ $payment['method'] ] ?? 0 ) + $payment['amount'];
			}
		}
		$tender            = MoneyRules::tender( $total, $non_cash, $cash_given );
		$by_method['cash'] = $tender['cash_kept'];
		return array(
			'payments'  => $payments,
			'by_method' => $by_method,
			'cash'      => $tender['cash_kept'],
			'tendered'  => $cash_given,
			'change'    => $tender['change'],
		);
	}
}
