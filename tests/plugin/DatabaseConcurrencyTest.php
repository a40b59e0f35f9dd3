<?php
/**
 * Concurrency with the database backend.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

require_once __DIR__ . '/lib/ConcurrencyRules.php';

final class DatabaseConcurrencyTest extends TestCase {
	use ConcurrencyRules;
}
