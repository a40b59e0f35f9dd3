<?php
/**
 * The ledger rules and holds with the database backend.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

require_once __DIR__ . '/lib/InventoryRules.php';

final class DatabaseInventoryTest extends TestCase {
	use InventoryRules;
}
