<?php
/**
 * Routes an online order's lines to locations.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * The first location by priority that ships online and covers the line; the whole order at one
 * location when one location covers every line.
 */
final class Router {

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 */
	public function __construct( private readonly Inventory $inventory ) {
	}

	/**
	 * A location for each line, or null for a line no single location can cover.
	 *
	 * @param array<int|string, array{0:int, 1:int}> $lines   Line id => [product, qty].
	 * @param int[]                                  $exclude Location ids not to use (a store that rejected the lines).
	 * @return array<int|string, int|null> Line id => location id or null.
	 */
	public function route( array $lines, array $exclude = array() ): array {
		$exclude = array_fill_keys( array_map( 'intval', $exclude ), true );
		$wanted  = array();
		foreach ( $lines as list( $product, $qty ) ) {
			$wanted[ $product ] = ( $wanted[ $product ] ?? 0 ) + $qty;
		}
		$sellable = array(); // location => product => sellable, locations in priority order.
		foreach ( array_keys( $wanted ) as $product ) {
			foreach ( $this->inventory->stock( (int) $product )['locations'] as $row ) {
				if ( $row['ships_online'] && ! isset( $exclude[ (int) $row['location'] ] ) ) {
					$sellable[ $row['location'] ][ $product ] = $row['sellable'];
				}
			}
		}
		foreach ( $sellable as $location => $by_product ) {
			$covers = true;
			foreach ( $wanted as $product => $qty ) {
				$covers = $covers && ( $by_product[ $product ] ?? 0 ) >= $qty;
			}
			if ( $covers ) {
				return array_fill_keys( array_keys( $lines ), (int) $location );
			}
		}
		$routes = array();
		foreach ( $lines as $line => list( $product, $qty ) ) {
			$routes[ $line ] = null;
			foreach ( $sellable as $location => $by_product ) {
				if ( ( $by_product[ $product ] ?? 0 ) >= $qty ) {
					$routes[ $line ]                    = (int) $location;
					$sellable[ $location ][ $product ] -= $qty;
					break;
				}
			}
		}
		return $routes;
	}

	/**
	 * Where stock typed into the shop lands: the first location by priority that ships online,
	 * else the first that offers pickup (its units count online too: Sellable::counts_online()),
	 * else the first location; null when there is none.
	 *
	 * @param int $product Product id.
	 */
	public function default_location( int $product ): ?int {
		$rows = $this->inventory->stock( $product )['locations'];
		foreach ( array( 'ships_online', 'offers_pickup' ) as $flag ) {
			foreach ( $rows as $row ) {
				if ( $row[ $flag ] ) {
					return $row['location'];
				}
			}
		}
		return $rows ? $rows[0]['location'] : null;
	}
}
