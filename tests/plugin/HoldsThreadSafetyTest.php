<?php
/**
 * A thread-safe (ZTS) PHP: the extension's shared-memory holds say they are not safe there, and the
 * plugin keeps holds in the database and tells the operator why. Debian ships no ZTS php8.2, so the
 * signal is simulated with the omnistock_shm_holds_thread_safe filter.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

use Omnistock\Inventory\DatabaseHolds;
use Omnistock\Inventory\Doctor;
use Omnistock\Inventory\HoldsBackendFactory;
use Omnistock\Inventory\ShmHolds;
use Omnistock\Requirements;

final class HoldsThreadSafetyTest extends TestCase {

	public function test_the_extension_says_its_holds_are_safe_exactly_when_php_is_not_thread_safe(): void {
		$this->assertSame( ! ZEND_THREAD_SAFE, \Omnistock\Holds::threadSafe() );
		$this->assertSame( ! ZEND_THREAD_SAFE, Requirements::shm_holds_thread_safe() );
	}

	public function test_in_a_thread_safe_php_shm_falls_back_to_database_holds_and_says_why(): void {
		$this->assertInstanceOf( ShmHolds::class, HoldsBackendFactory::create( 'shm', $this->db, $this->tables, self::segment() ) );
		$this->assertNull( Requirements::shm_holds_fallback( 'shm' ) );

		add_filter( 'omnistock_shm_holds_thread_safe', '__return_false' );
		try {
			$backend = HoldsBackendFactory::create( 'shm', $this->db, $this->tables, self::segment() );
			$this->assertInstanceOf( DatabaseHolds::class, $backend );
			$this->assertFalse( Requirements::has_shm_holds() );
			$why = (string) Requirements::shm_holds_fallback( 'shm' );
			$this->assertStringContainsString( 'thread-safe (ZTS', $why );
			$this->assertStringContainsString( '"database"', $why );
			$this->assertNull( Requirements::shm_holds_fallback( 'database' ), 'a shop that chose database is not warned' );

			$report = array_column( ( new Doctor( $this->db, $this->tables, $backend ) )->report(), null, 'check' );
			$this->assertSame( 'warning', $report['holds backend']['status'] );
			$this->assertSame( $why, $report['holds backend']['detail'] );
			$this->assertSame( 'database', $backend->name() );
		} finally {
			remove_filter( 'omnistock_shm_holds_thread_safe', '__return_false' );
		}
		$this->assertInstanceOf( ShmHolds::class, HoldsBackendFactory::create( 'shm', $this->db, $this->tables, self::segment() ) );
	}
}
