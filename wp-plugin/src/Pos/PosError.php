<?php
/**
 * A POS request refused by a rule or the state (short stock, underpaid, a coupon), and the POS's bad field.
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

use Omnistock\BadInput;
use Omnistock\Refused;

defined( 'ABSPATH' ) || exit;

/**
 * A refusal with its code, reason and data (e.g. the short lines).
 */
final class PosError extends Refused {

	/**
	 * A bad field, with WordPress's own code for it (rest_invalid_param), as the routes' args checks answer.
	 *
	 * @param string $field   Field name (e.g. "lines[2].qty").
	 * @param string $problem What is wrong with it.
	 */
	public static function field( string $field, string $problem ): BadInput {
		return new BadInput( $field, $problem, null, 'rest_invalid_param' );
	}
}
