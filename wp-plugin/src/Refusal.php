<?php
/**
 * Why a request was refused.
 *
 * @package Omnistock
 */

namespace Omnistock;

defined( 'ABSPATH' ) || exit;

/**
 * The closed set of reasons; each adapter says them its own way (REST: a status).
 */
enum Refusal {
	/** The request as a whole breaks a rule (payments short of the total, a coupon that does not apply). */
	case Rule;
	/** The user may not do this. */
	case Forbidden;
	/** What the request names does not exist. */
	case NotFound;
	/** The current state does not allow it (stock short, a session already open or closed). */
	case Conflict;
	/** The same key (an idempotency key: a sale's or an event's id) was used for another request. */
	case Reused;
	/** Too many such requests of this user just now (a rate limit): try again later. */
	case TooMany;
}
