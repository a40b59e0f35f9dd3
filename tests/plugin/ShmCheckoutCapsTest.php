<?php
/**
 * The anonymous checkout caps with the shared-memory holds backend.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

require_once __DIR__ . '/lib/CheckoutCapsRules.php';

final class ShmCheckoutCapsTest extends TestCase {
	use CheckoutCapsRules;

	protected function backend_name(): string {
		return 'shm';
	}
}
