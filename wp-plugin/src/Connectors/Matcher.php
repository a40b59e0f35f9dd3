<?php
/**
 * Suggests which of our products a provider's catalogue item is, by SKU.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

use Omnistock\Inventory\Database;

defined( 'ABSPATH' ) || exit;

/**
 * A suggestion is only ever a SKU that names exactly one item there and exactly one product or
 * variation here: an empty SKU, or one that two items or two products share, matches nothing and is
 * listed as such. The owner confirms; nothing is mapped by a suggestion alone.
 */
final class Matcher {

	/**
	 * Takes the database.
	 *
	 * @param Database $db The database.
	 */
	public function __construct( private readonly Database $db ) {
	}

	/**
	 * Suggestions for the provider's items.
	 *
	 * @param list<array{id: string, sku: string, name: string}> $items The provider's catalogue.
	 * @return array{matches: array<string, int>, no_sku: list<string>, duplicate_sku: list<string>, unknown_sku: list<string>, ambiguous: list<string>}
	 *         matches: item id => product id; the lists hold item ids.
	 */
	public function suggest( array $items ): array {
		$out    = array(
			'matches'       => array(),
			'no_sku'        => array(),
			'duplicate_sku' => array(),
			'unknown_sku'   => array(),
			'ambiguous'     => array(),
		);
		$by_sku = array();
		foreach ( $items as $item ) {
			$sku = trim( (string) $item['sku'] );
			if ( '' === $sku ) {
				$out['no_sku'][] = (string) $item['id'];
				continue;
			}
			$by_sku[ $sku ][] = (string) $item['id'];
		}
		$ours = $this->products_by_sku( array_map( 'strval', array_keys( $by_sku ) ) );
		foreach ( $by_sku as $sku => $ids ) {
			if ( count( $ids ) > 1 ) {
				array_push( $out['duplicate_sku'], ...$ids );
				continue;
			}
			$products = $ours[ (string) $sku ] ?? array();
			if ( ! $products ) {
				$out['unknown_sku'][] = $ids[0];
			} elseif ( count( $products ) > 1 ) {
				$out['ambiguous'][] = $ids[0];
			} else {
				$out['matches'][ $ids[0] ] = $products[0];
			}
		}
		return $out;
	}

	/**
	 * Our products and variations of these SKUs (WooCommerce keeps a product's SKU in _sku).
	 *
	 * @param string[] $skus SKUs.
	 * @return array<string, list<int>> SKU => product ids.
	 */
	private function products_by_sku( array $skus ): array {
		$out   = array();
		$posts = $this->db->wpdb->posts;
		$meta  = $this->db->wpdb->postmeta;
		foreach ( array_chunk( $skus, 500 ) as $chunk ) {
			$in = $this->db->prepare( implode( ', ', array_fill( 0, count( $chunk ), '%s' ) ), ...$chunk );
			foreach ( $this->db->rows( "SELECT m.post_id, m.meta_value FROM {$meta} m JOIN {$posts} p ON p.ID = m.post_id WHERE m.meta_key = '_sku' AND m.meta_value IN ($in) AND p.post_type IN ('product', 'product_variation') AND p.post_status NOT IN ('trash', 'auto-draft')" ) as $row ) {
				$out[ (string) $row['meta_value'] ][] = (int) $row['post_id'];
			}
		}
		return $out;
	}
}
