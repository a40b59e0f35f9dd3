<?php
/**
 * What each pickup store can hand over now, for a list of products: one query per request.
 *
 * @package Omnistock
 */

namespace Omnistock\Pickup;

use Omnistock\BadInput;
use Omnistock\Inventory\Database;
use Omnistock\Inventory\DatabaseHolds;
use Omnistock\Inventory\HoldsBackend;
use Omnistock\Inventory\Sellable;
use Omnistock\Inventory\Tables;

defined( 'ABSPATH' ) || exit;

/**
 * Per product asked, per location that offers pickup (by priority, then id): its sellable units
 * (Sellable::of over the levels and the live holds; below zero shows 0) and whether the quantity
 * asked is there. The levels, the locations, the products' existence and, with the database
 * holds backend, the holds are read by one SQL query whatever the number of products and
 * locations; the shared-memory backend keeps its holds outside the database and answers from memory.
 * Variations are products here: their ids are the stock's products.
 */
final class Availability {

	/** Most products one request may ask about. */
	public const MAX_PRODUCTS = 100;

	/**
	 * Takes its dependencies.
	 *
	 * @param Database     $db     The database.
	 * @param Tables       $tables Table names.
	 * @param HoldsBackend $holds  Where holds live (Inventory::backend()).
	 */
	public function __construct( private readonly Database $db, private readonly Tables $tables, private readonly HoldsBackend $holds ) {
	}

	/**
	 * The availability of each product asked, in the order asked.
	 *
	 * @param list<array{0:int, 1:int}> $asks  [product id, quantity wanted (>= 1)], in the order asked.
	 * @param string                    $field The field named when a product is unknown.
	 * @return list<array{product:int, locations:list<array{location:int, name:string, address:string, curbside:bool, sellable:int, available:bool, pickup_hours:int}>}>
	 * @throws BadInput When a product id is not a published product or variation.
	 */
	public function of( array $asks, string $field = 'products' ): array {
		if ( ! $asks ) {
			return array();
		}
		list( $found, $unknown ) = $this->read( array_map( static fn( array $ask ): int => (int) $ask[0], $asks ) );
		if ( $unknown ) {
			/* translators: %d: product id */
			throw new BadInput( $field, sprintf( __( 'no product has the id %d', 'omnistock' ), $unknown[0] ) );
		}
		$out = array();
		foreach ( $asks as list( $product, $qty ) ) {
			$locations = $found[ $product ] ?? array();
			foreach ( $locations as &$location ) {
				$location['available'] = $location['sellable'] >= $qty;
			}
			unset( $location );
			$out[] = array(
				'product'   => (int) $product,
				'locations' => $locations,
			);
		}
		return $out;
	}

	/**
	 * The locations lists of many products at once (one unit asked), by product id; a product that
	 * is not a published product or variation has an empty list. One query for up to
	 * MAX_PRODUCTS products (the Store API's product list asks this once for its page).
	 *
	 * @param int[] $products Product or variation ids.
	 * @return array<int, list<array<string, int|string|bool>>>
	 */
	public function locations_of_many( array $products ): array {
		$out = array();
		foreach ( array_chunk( array_values( array_unique( array_map( 'intval', $products ) ) ), self::MAX_PRODUCTS ) as $chunk ) {
			list( $found ) = $this->read( $chunk );
			foreach ( $chunk as $product ) {
				$out[ $product ] = array();
				foreach ( $found[ $product ] ?? array() as $location ) {
					$location['available'] = $location['sellable'] >= 1;
					$out[ $product ][]     = $location;
				}
			}
		}
		return $out;
	}

	/**
	 * The one query, read: per product found, its pickup locations ("available" still false),
	 * and the ids that are not products.
	 *
	 * @param int[] $products Product ids.
	 * @return array{0: array<int, list<array<string, int|string|bool>>>, 1: list<int>}
	 */
	private function read( array $products ): array {
		$rows    = $this->db->rows( $this->sql( array_values( array_unique( $products ) ) ) );
		$found   = array();
		$unknown = array();
		foreach ( $rows as $row ) {
			$product = (int) $row['product_id'];
			if ( null === $row['post_id'] ) {
				$unknown[] = $product;
				continue;
			}
			$found[ $product ] ??= array();
			if ( null === $row['id'] ) {
				continue; // No location offers pickup.
			}
			$location = (int) $row['id'];
			$held     = array_key_exists( 'held', $row ) ? (int) $row['held'] : $this->holds->held( $product, $location );
			$sellable = max( 0, Sellable::of( (int) $row['on_hand'], (int) $row['committed'], (int) $row['safety'], $held ) );

			$found[ $product ][] = array(
				'location'     => $location,
				'name'         => (string) $row['name'],
				'address'      => (string) $row['address'],
				'curbside'     => (bool) $row['offers_curbside'],
				'sellable'     => $sellable,
				'available'    => false,
				'pickup_hours' => (int) $row['pickup_hours'],
			);
		}
		return array( $found, $unknown );
	}

	/**
	 * The locations list of one product (the Store API's extensions.omnistock.pickup).
	 *
	 * @param int $product Product or variation id.
	 * @param int $qty     Quantity wanted.
	 * @return list<array<string, int|string|bool>>
	 */
	public function locations_of( int $product, int $qty = 1 ): array {
		try {
			return $this->of( array( array( $product, $qty ) ) )[0]['locations'];
		} catch ( BadInput ) {
			return array();
		}
	}

	/**
	 * The one query: the products asked (each with its post, if it is a product) × the pickup
	 * locations, their level rows and, for the database backend, their live holds.
	 *
	 * @param int[] $products Product ids.
	 */
	private function sql( array $products ): string {
		$t     = $this->tables;
		$posts = $this->db->wpdb->posts;
		$asked = implode(
			' UNION ALL ',
			array_map( fn( int $i, int $product ): string => $this->db->prepare( 'SELECT %d AS product_id, %d AS ord', $product, $i ), array_keys( $products ), $products )
		);
		$in    = $this->db->prepare( implode( ', ', array_fill( 0, count( $products ), '%d' ) ), ...$products );
		$held  = '';
		$join  = '';
		if ( $this->holds instanceof DatabaseHolds ) {
			$held = ', COALESCE(h.held, 0) AS held';
			$join = $this->db->prepare(
				" LEFT JOIN (SELECT product_id, location_id, SUM(qty) AS held FROM {$t->holds} WHERE state = 'held' AND expires_at > %d AND product_id IN ($in) GROUP BY product_id, location_id) h ON h.product_id = p.product_id AND h.location_id = l.id",
				Database::now_ms()
			);
		}
		return "SELECT p.product_id, w.ID AS post_id, l.id, l.name, l.address, l.offers_curbside, l.pickup_hours,
			COALESCE(v.on_hand, 0) AS on_hand, COALESCE(v.committed, 0) AS committed, COALESCE(v.safety, l.safety_default) AS safety{$held}
			FROM ($asked) p
			LEFT JOIN {$posts} w ON w.ID = p.product_id AND w.post_type IN ('product', 'product_variation') AND w.post_status = 'publish'
			LEFT JOIN {$t->locations} l ON l.offers_pickup = 1 AND w.ID IS NOT NULL
			LEFT JOIN {$t->levels} v ON v.location_id = l.id AND v.product_id = p.product_id{$join}
			ORDER BY p.ord, l.priority, l.id";
	}
}
