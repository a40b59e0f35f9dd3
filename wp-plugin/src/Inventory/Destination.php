<?php
/**
 * Where an online order goes, as routing needs it.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * The shipping address reduced to what the router's rules read: the shop's shipping zone that
 * matches it (WooCommerce's zone id, 0 for "everywhere else"; null when unknown) and its
 * coordinates (null when unknown). Built by the WooCommerce layer; knows nothing of WooCommerce.
 */
final class Destination {

	/**
	 * Takes the address's zone and coordinates.
	 *
	 * @param int|null   $zone      Shipping zone id, or null when unknown.
	 * @param float|null $latitude  Degrees north, or null when unknown.
	 * @param float|null $longitude Degrees east, or null when unknown.
	 * @throws InvalidEvent When only one coordinate is given or one is out of range.
	 */
	public function __construct( public readonly ?int $zone = null, public readonly ?float $latitude = null, public readonly ?float $longitude = null ) {
		if ( ( null === $latitude ) !== ( null === $longitude ) ) {
			throw new InvalidEvent( null === $latitude ? 'latitude' : 'longitude', __( 'is required when the other coordinate is given', 'omnistock' ) );
		}
		if ( null !== $latitude && ( $latitude < -90 || $latitude > 90 ) ) {
			throw new InvalidEvent( 'latitude', __( 'must be between -90 and 90', 'omnistock' ) );
		}
		if ( null !== $longitude && ( $longitude < -180 || $longitude > 180 ) ) {
			throw new InvalidEvent( 'longitude', __( 'must be between -180 and 180', 'omnistock' ) );
		}
	}

	/**
	 * Whether the address's coordinates are known.
	 */
	public function located(): bool {
		return null !== $this->latitude;
	}

	/**
	 * Straight-line (great-circle) distance in kilometres to a point, or null when either end's
	 * coordinates are unknown.
	 *
	 * @param float|null $latitude  The point's latitude.
	 * @param float|null $longitude The point's longitude.
	 */
	public function km_to( ?float $latitude, ?float $longitude ): ?float {
		if ( null === $this->latitude || null === $this->longitude || null === $latitude || null === $longitude ) {
			return null;
		}
		$phi1 = deg2rad( $this->latitude );
		$phi2 = deg2rad( $latitude );
		$a    = sin( ( $phi2 - $phi1 ) / 2 ) ** 2 + cos( $phi1 ) * cos( $phi2 ) * sin( deg2rad( $longitude - $this->longitude ) / 2 ) ** 2;
		return 2 * 6371.0088 * asin( min( 1.0, sqrt( $a ) ) );
	}
}
