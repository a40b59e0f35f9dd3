<?php
/**
 * Concurrency with the shared-memory backend (Omnistock\Holds).
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

require_once __DIR__ . '/lib/ConcurrencyRules.php';

final class ShmConcurrencyTest extends TestCase {
	use ConcurrencyRules;

	protected function backend_name(): string {
		return 'shm';
	}
}
