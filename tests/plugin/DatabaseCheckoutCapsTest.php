<?php
/**
 * The anonymous checkout caps with the database holds backend.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

require_once __DIR__ . '/lib/CheckoutCapsRules.php';

final class DatabaseCheckoutCapsTest extends TestCase {
	use CheckoutCapsRules;

	protected function backend_name(): string {
		return 'database';
	}
}
