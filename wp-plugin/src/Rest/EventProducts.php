<?php
/**
 * Input check of POST /events: every event names a product of the shop.
 *
 * @package Omnistock
 */

namespace Omnistock\Rest;

use Omnistock\Inventory\InvalidEvent;

defined( 'ABSPATH' ) || exit;

/**
 * A stock cell is made for every product an event names, in the database and in the holds
 * segment, and is kept: events for made-up product ids could fill the segment for good. So the
 * edge refuses them, naming the field, before anything is locked or written.
 */
final class EventProducts {

	private const CHUNK = 500;

	/**
	 * Returns the events when every product they name is a product post; throws for the first
	 * that is not (ids of other shapes are left to the event validator, which names them).
	 *
	 * @param mixed $events The request's "events".
	 * @return mixed The same events.
	 * @throws InvalidEvent When an event's product does not exist.
	 */
	public static function check( mixed $events ): mixed {
		if ( ! is_array( $events ) || ! array_is_list( $events ) ) {
			return $events;
		}
		$ids = array();
		foreach ( $events as $i => $event ) {
			$id = is_array( $event ) ? ( $event['product'] ?? null ) : null;
			if ( is_string( $id ) && preg_match( '/^\d{1,19}$/', $id ) ) {
				$id = (int) $id;
			}
			if ( is_int( $id ) && $id > 0 ) {
				$ids[ $i ] = $id;
			}
		}
		$known = self::existing( array_values( array_unique( $ids ) ) );
		foreach ( $ids as $i => $id ) {
			if ( ! isset( $known[ $id ] ) ) {
				throw new InvalidEvent( "events[$i].product", __( 'is not the id of a product', 'omnistock' ) );
			}
		}
		return $events;
	}

	/**
	 * Which of these ids are products or variations.
	 *
	 * @param int[] $ids Post ids.
	 * @return array<int, true>
	 */
	private static function existing( array $ids ): array {
		global $wpdb;
		/**
		 * Post types whose ids stock events may name.
		 *
		 * @param string[] $types Post types.
		 */
		$types = array_values( (array) apply_filters( 'omnistock_product_post_types', array( 'product', 'product_variation' ) ) );
		$found = array();
		foreach ( array_chunk( $ids, self::CHUNK ) as $chunk ) {
			$sql = "SELECT ID FROM {$wpdb->posts} WHERE ID IN (" . implode( ', ', array_fill( 0, count( $chunk ), '%d' ) ) . ') AND post_type IN (' . implode( ', ', array_fill( 0, count( $types ), '%s' ) ) . ')';
			foreach ( $wpdb->get_col( $wpdb->prepare( $sql, ...$chunk, ...$types ) ) as $id ) { // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.DirectDatabaseQuery -- placeholders only; a live check, nothing to cache.
				$found[ (int) $id ] = true;
			}
		}
		return $found;
	}
}
