<?php
/**
 * A drawer request that the state of the drawer does not allow (a second open session, a closed session).
 *
 * @package Omnistock
 */

namespace Omnistock\Pos;

defined( 'ABSPATH' ) || exit;

/**
 * The drawer's Refused.
 */
final class DrawerRefused extends \Omnistock\Refused {
}
