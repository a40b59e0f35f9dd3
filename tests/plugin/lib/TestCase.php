<?php
/**
 * Base of the plugin's tests: clean tables, fresh locations, an Inventory on the chosen backend.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

use Omnistock\Inventory\Database;
use Omnistock\Inventory\HoldsBackendFactory;
use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\LedgerFold;
use Omnistock\Inventory\Locations;
use Omnistock\Inventory\Tables;
use Omnistock\Plugin;

/**
 * Rows are deleted (not truncated) so ids keep growing: a cell (product, location) of one test
 * never meets a stale shared-memory cell of an earlier one.
 */
abstract class TestCase extends \PHPUnit\Framework\TestCase {

	protected Database $db;
	protected Tables $tables;
	protected Inventory $inventory;
	protected Locations $locations;
	/** @var array{0:int, 1:int, 2:int} Three location ids. */
	protected array $loc;
	protected static int $next_product = 0;

	/**
	 * The holds backend the test runs on.
	 */
	protected function backend_name(): string {
		return 'database';
	}

	/**
	 * The shared-memory segment of this test run (children of the run open it too).
	 */
	public static function segment(): string {
		static $name = null;
		$name ??= 'omnistock-test-' . getmypid();
		return $name;
	}

	protected function setUp(): void {
		if ( 'shm' === $this->backend_name() && ! class_exists( \Omnistock\Holds::class, false ) ) {
			$this->fail( 'the shm backend needs Omnistock\Holds: load an omnistock extension built from this tree' );
		}
		global $wpdb;
		$this->db     = Plugin::database();
		$this->tables = new Tables( $wpdb );
		foreach ( array_merge( $this->tables->all(), $this->tables->connectors() ) as $table ) {
			$this->db->statement( "DELETE FROM $table" );
		}
		$this->inventory = self::make_inventory( $this->backend_name() );
		Plugin::use_inventory( $this->inventory );
		$this->locations = Plugin::locations();
		$this->loc       = array(
			$this->locations->create( array( 'name' => 'Store A' ) )['id'],
			$this->locations->create( array( 'name' => 'Store B' ) )['id'],
			$this->locations->create(
				array(
					'name'         => 'Warehouse',
					'ships_online' => false,
				)
			)['id'],
		);
		if ( 0 === self::$next_product ) {
			self::$next_product = 1000 + ( time() % 100000 ) * 100;
		}
	}

	protected function tearDown(): void {
		Plugin::use_inventory( null );
		wp_set_current_user( 0 );
	}

	/**
	 * An Inventory on a backend, sharing this run's segment.
	 *
	 * @param string $backend "shm" or "database".
	 */
	public static function make_inventory( string $backend ): Inventory {
		global $wpdb;
		$tables = new Tables( $wpdb );
		return new Inventory( Plugin::database(), $tables, HoldsBackendFactory::create( $backend, Plugin::database(), $tables, self::segment() ) );
	}

	/**
	 * A product id no earlier test used.
	 */
	protected function product(): int {
		return ++self::$next_product;
	}

	/**
	 * An event.
	 */
	protected static function ev( string $id, string $kind, int $product, int $location, int $qty, int $at, ?int $to = null ): array {
		$e = array(
			'id'       => $id,
			'kind'     => $kind,
			'product'  => $product,
			'location' => $location,
			'qty'      => $qty,
			'at'       => $at,
		);
		if ( null !== $to ) {
			$e['to'] = $to;
		}
		return $e;
	}

	/**
	 * on_hand and committed of a cell as stored.
	 *
	 * @return array{0:int, 1:int}
	 */
	protected function level( int $product, int $location ): array {
		$row = $this->db->rows( $this->db->prepare( "SELECT on_hand, committed FROM {$this->tables->levels} WHERE product_id = %d AND location_id = %d", $product, $location ) );
		return $row ? array( (int) $row[0]['on_hand'], (int) $row[0]['committed'] ) : array( 0, 0 );
	}

	/**
	 * The stock row of one location from Inventory::stock().
	 */
	protected function cell( int $product, int $location ): array {
		foreach ( $this->inventory->stock( $product )['locations'] as $row ) {
			if ( $row['location'] === $location ) {
				return $row;
			}
		}
		$this->fail( "location $location not in stock()" );
	}

	/**
	 * Conservation: every stored level equals the fold of the ledger (Omnistock\Ledger).
	 */
	protected function assertNoDrift(): void {
		$report = ( new LedgerFold( $this->db, $this->tables ) )->drift();
		$this->assertSame( array(), $report['drift'], 'levels differ from the fold of the ledger' );
	}

	/**
	 * Number of ledger rows.
	 */
	protected function ledger_rows(): int {
		return (int) $this->db->value( "SELECT COUNT(*) FROM {$this->tables->ledger}" );
	}
}
