<?php
/**
 * Per-user limits on the POS actions that reach outside the shop (receipt e-mails) or create
 * accounts (customers).
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

use Omnistock\Refusal;

defined( 'ABSPATH' ) || exit;

/**
 * A fixed one-minute window per user and action, counted in a transient; the filter
 * `omnistock_pos_rate_limit` (limit, action, user) changes a limit.
 */
final class RateLimit {

	public const RECEIPT_EMAIL   = 'receipt-email';
	public const CUSTOMER_CREATE = 'customer-create';

	/** Requests per minute and user, by action. */
	public const PER_MINUTE = array(
		self::RECEIPT_EMAIL   => 10,
		self::CUSTOMER_CREATE => 10,
	);

	/**
	 * Counts one request of the user, or refuses it (429) when the minute's limit is reached.
	 *
	 * @param string $action RECEIPT_EMAIL or CUSTOMER_CREATE.
	 * @param int    $user   User id.
	 * @throws PosError Too many this minute (omnistock_pos_rate_limited).
	 */
	public static function take( string $action, int $user ): void {
		/**
		 * Filters how many requests of an action a user may make per minute at the POS.
		 *
		 * @param int    $limit  Requests per minute.
		 * @param string $action RateLimit::RECEIPT_EMAIL or RateLimit::CUSTOMER_CREATE.
		 * @param int    $user   User id.
		 */
		$limit  = (int) apply_filters( 'omnistock_pos_rate_limit', self::PER_MINUTE[ $action ], $action, $user );
		$now    = time();
		$window = intdiv( $now, MINUTE_IN_SECONDS );
		$key    = "omnistock_rate_{$action}_{$user}_{$window}";
		$used   = (int) get_transient( $key );
		if ( $used >= $limit ) {
			throw new PosError(
				'omnistock_pos_rate_limited',
				/* translators: 1: the number of requests, 2: seconds to wait */
				sprintf( __( 'Too many requests: at most %1$d per minute. Try again in %2$d seconds.', 'omnistock' ), $limit, ( $window + 1 ) * MINUTE_IN_SECONDS - $now ),
				Refusal::TooMany,
				array( 'retry_after' => ( $window + 1 ) * MINUTE_IN_SECONDS - $now )
			);
		}
		set_transient( $key, $used + 1, 2 * MINUTE_IN_SECONDS );
	}
}
