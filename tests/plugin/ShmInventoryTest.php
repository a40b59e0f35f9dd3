<?php
/**
 * The ledger rules and holds with the shared-memory backend (Omnistock\Holds).
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

require_once __DIR__ . '/lib/InventoryRules.php';

final class ShmInventoryTest extends TestCase {
	use InventoryRules;

	protected function backend_name(): string {
		return 'shm';
	}
}
