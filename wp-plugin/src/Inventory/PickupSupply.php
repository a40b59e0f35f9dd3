<?php
/**
 * Where the units of a pickup at a store come from: the store, or the store and one other location.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * The one rule for both the checkout's rates and the checkout's hold. A store that has every unit
 * sellable supplies the cart itself. A store that accepts transfers and lacks some products gets
 * them, whole lines, from one other location: the first by priority that has every missing unit
 * sellable (one transfer, from one place). Nothing else is a plan.
 */
final class PickupSupply {

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 * @param Locations $locations The locations.
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Locations $locations ) {
	}

	/**
	 * The plan of a pickup of $wanted at $store: the source (null when the store has it all) and,
	 * for each product, the location its units are held and committed at. Null when the store
	 * cannot supply it, with or without one transfer.
	 *
	 * @param array<int, int>      $wanted    Product id => units.
	 * @param array<string, mixed> $store     The pickup location (Locations row).
	 * @param bool                 $transfers Whether a transfer may fill what the store lacks (and
	 *                                        the store accepts transfers).
	 * @return array{source: int|null, from: array<int, int>}|null
	 */
	public function plan( array $wanted, array $store, bool $transfers ): ?array {
		$id       = (int) $store['id'];
		$sellable = $wanted ? $this->inventory->sellable_at( array_keys( $wanted ), $id ) : array();
		$missing  = array();
		foreach ( $wanted as $product => $qty ) {
			if ( ( $sellable[ $product ] ?? 0 ) < $qty ) {
				$missing[ $product ] = $qty;
			}
		}
		$from = array_fill_keys( array_keys( $wanted ), $id );
		if ( ! $missing ) {
			return array(
				'source' => null,
				'from'   => $from,
			);
		}
		if ( ! $transfers || empty( $store['accepts_transfers'] ) ) {
			return null;
		}
		foreach ( $this->locations->all() as $location ) {
			$source = (int) $location['id'];
			if ( $source === $id ) {
				continue;
			}
			$there = $this->inventory->sellable_at( array_keys( $missing ), $source );
			foreach ( $missing as $product => $qty ) {
				if ( ( $there[ $product ] ?? 0 ) < $qty ) {
					continue 2;
				}
			}
			foreach ( $missing as $product => $qty ) {
				$from[ $product ] = $source;
			}
			return array(
				'source' => $source,
				'from'   => $from,
			);
		}
		return null;
	}
}
