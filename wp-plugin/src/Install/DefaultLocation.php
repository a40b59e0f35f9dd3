<?php
/**
 * On activation, a shop with no location gets one that ships online and holds today's stock.
 *
 * @package Omnistock
 */

namespace Omnistock\Install;

use Omnistock\Inventory\Inventory;
use Omnistock\Inventory\Locations;
use Omnistock\WooCommerce\ManagedStock;

defined( 'ABSPATH' ) || exit;

/**
 * So that an existing shop keeps selling exactly as before.
 */
final class DefaultLocation {

	/**
	 * Takes its dependencies.
	 *
	 * @param Locations    $locations Locations.
	 * @param Inventory    $inventory Inventory.
	 * @param ManagedStock $stock     The shop's current stock numbers.
	 */
	public function __construct( private readonly Locations $locations, private readonly Inventory $inventory, private readonly ManagedStock $stock ) {
	}

	/**
	 * Creates the default location and counts today's stock into it; does nothing when a location exists.
	 *
	 * @return array|null The location created, or null.
	 */
	public function ensure(): ?array {
		if ( $this->locations->all() ) {
			return null;
		}
		$location = $this->locations->create(
			array(
				'name'         => $this->stock->store_name(),
				'address'      => $this->stock->store_address(),
				'ships_online' => true,
			)
		);
		$events   = array();
		$at       = (int) floor( microtime( true ) * 1000 );
		foreach ( $this->stock->managed() as $product => $qty ) {
			$events[] = array(
				'id'       => "omnistock:activation:$product:{$location['id']}",
				'kind'     => 'count',
				'product'  => $product,
				'location' => $location['id'],
				'qty'      => max( 0, $qty ),
				'at'       => $at,
				'reason'   => 'activation',
			);
		}
		foreach ( array_chunk( $events, 5000 ) as $chunk ) {
			$this->inventory->record( $chunk, array( 'source' => 'omnistock' ) );
		}
		return $location;
	}
}
