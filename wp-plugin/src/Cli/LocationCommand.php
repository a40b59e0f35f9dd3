<?php
/**
 * `wp omnistock location`.
 *
 * @package Omnistock
 */

namespace Omnistock\Cli;

use Omnistock\Inventory\Locations;
use WP_CLI;
use WP_CLI\Utils;

defined( 'ABSPATH' ) || exit;

/**
 * Lists, creates and updates locations.
 */
final class LocationCommand {

	private const COLUMNS = array( 'id', 'name', 'ships_online', 'offers_pickup', 'offers_curbside', 'safety_default', 'priority', 'latitude', 'longitude', 'shipping_zones', 'address' );

	/**
	 * Takes its dependencies.
	 *
	 * @param Locations $locations Locations.
	 */
	public function __construct( private readonly Locations $locations ) {
	}

	/**
	 * Lists the locations.
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : table, json, csv, yaml, ids or count.
	 * ---
	 * default: table
	 * ---
	 *
	 * @subcommand list
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function list_( array $args, array $assoc_args ): void {
		$items = array_map( array( self::class, 'printable' ), $this->locations->all() );
		if ( 'ids' === $assoc_args['format'] ) {
			WP_CLI::line( implode( ' ', array_column( $items, 'id' ) ) );
			return;
		}
		Utils\format_items( $assoc_args['format'], $items, self::COLUMNS );
	}

	/**
	 * Creates a location.
	 *
	 * ## OPTIONS
	 *
	 * --name=<name>
	 * : Name shown to staff and shoppers.
	 *
	 * [--address=<address>]
	 * : Postal address.
	 *
	 * [--country=<code>]
	 * : Tax address: ISO 3166 country code (empty: the shop's base address).
	 *
	 * [--state=<code>]
	 * : Tax address: state or county code.
	 *
	 * [--postcode=<postcode>]
	 * : Tax address: postcode.
	 *
	 * [--city=<city>]
	 * : Tax address: city.
	 *
	 * [--ships-online=<yes|no>]
	 * : Whether it ships online orders (default yes).
	 *
	 * [--pickup=<yes|no>]
	 * : Whether it offers pickup.
	 *
	 * [--curbside=<yes|no>]
	 * : Whether it offers curbside pickup.
	 *
	 * [--safety=<units>]
	 * : Default safety stock of its cells.
	 *
	 * [--priority=<n>]
	 * : Lower comes first.
	 *
	 * [--opening-hours=<text>]
	 * : Opening hours, as the pickup e-mail shows them.
	 *
	 * [--pickup-hours=<hours>]
	 * : Hours to prepare a pickup order (default 2).
	 *
	 * [--hold-days=<days>]
	 * : Days a ready pickup order waits before it is given up (default 7).
	 *
	 * [--transfers=<yes|no>]
	 * : Whether pickup orders may be filled with units sent from another location.
	 *
	 * [--transfer-days=<days>]
	 * : Days units sent from another location take to arrive (default 2).
	 *
	 * [--latitude=<degrees>]
	 * : Where it is, for routing online orders by distance (empty: unknown).
	 *
	 * [--longitude=<degrees>]
	 * : Where it is, for routing online orders by distance (empty: unknown).
	 *
	 * [--zones=<ids>]
	 * : WooCommerce shipping zone ids it ships to, separated by commas (empty: every zone).
	 *
	 * [--porcelain]
	 * : Print only the new location's id.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function create( array $args, array $assoc_args ): void {
		$location = Guard::run( fn() => $this->locations->create( self::fields( $assoc_args ) ) );
		if ( Utils\get_flag_value( $assoc_args, 'porcelain' ) ) {
			WP_CLI::line( (string) $location['id'] );
			return;
		}
		WP_CLI::success( sprintf( 'Created location %d (%s).', $location['id'], $location['name'] ) );
	}

	/**
	 * Updates a location.
	 *
	 * ## OPTIONS
	 *
	 * <id>
	 * : Location id.
	 *
	 * [--name=<name>]
	 * : Name.
	 *
	 * [--address=<address>]
	 * : Postal address.
	 *
	 * [--country=<code>]
	 * : Tax address: ISO 3166 country code (empty: the shop's base address).
	 *
	 * [--state=<code>]
	 * : Tax address: state or county code.
	 *
	 * [--postcode=<postcode>]
	 * : Tax address: postcode.
	 *
	 * [--city=<city>]
	 * : Tax address: city.
	 *
	 * [--ships-online=<yes|no>]
	 * : Whether it ships online orders.
	 *
	 * [--pickup=<yes|no>]
	 * : Whether it offers pickup.
	 *
	 * [--curbside=<yes|no>]
	 * : Whether it offers curbside pickup.
	 *
	 * [--safety=<units>]
	 * : Default safety stock of new cells.
	 *
	 * [--priority=<n>]
	 * : Lower comes first.
	 *
	 * [--opening-hours=<text>]
	 * : Opening hours, as the pickup e-mail shows them.
	 *
	 * [--pickup-hours=<hours>]
	 * : Hours to prepare a pickup order (default 2).
	 *
	 * [--hold-days=<days>]
	 * : Days a ready pickup order waits before it is given up (default 7).
	 *
	 * [--transfers=<yes|no>]
	 * : Whether pickup orders may be filled with units sent from another location.
	 *
	 * [--transfer-days=<days>]
	 * : Days units sent from another location take to arrive (default 2).
	 *
	 * [--latitude=<degrees>]
	 * : Where it is, for routing online orders by distance (empty: unknown).
	 *
	 * [--longitude=<degrees>]
	 * : Where it is, for routing online orders by distance (empty: unknown).
	 *
	 * [--zones=<ids>]
	 * : WooCommerce shipping zone ids it ships to, separated by commas (empty: every zone).
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function update( array $args, array $assoc_args ): void {
		$location = Guard::run( fn() => $this->locations->update( (int) $args[0], self::fields( $assoc_args ) ) );
		if ( null === $location ) {
			WP_CLI::error( sprintf( 'No location with id %s.', $args[0] ) );
		}
		WP_CLI::success( sprintf( 'Updated location %d (%s).', $location['id'], $location['name'] ) );
	}

	/**
	 * Options to location fields.
	 *
	 * @param array $assoc_args Options.
	 */
	private static function fields( array $assoc_args ): array {
		$map    = array(
			'name'          => 'name',
			'address'       => 'address',
			'country'       => 'country',
			'state'         => 'state',
			'postcode'      => 'postcode',
			'city'          => 'city',
			'ships-online'  => 'ships_online',
			'pickup'        => 'offers_pickup',
			'curbside'      => 'offers_curbside',
			'safety'        => 'safety_default',
			'priority'      => 'priority',
			'opening-hours' => 'opening_hours',
			'pickup-hours'  => 'pickup_hours',
			'hold-days'     => 'hold_days',
			'transfers'     => 'accepts_transfers',
			'transfer-days' => 'transfer_days',
			'latitude'      => 'latitude',
			'longitude'     => 'longitude',
			'zones'         => 'shipping_zones',
		);
		$fields = array();
		foreach ( $map as $option => $field ) {
			if ( array_key_exists( $option, $assoc_args ) ) {
				$fields[ $field ] = $assoc_args[ $option ];
			}
		}
		return $fields;
	}

	/**
	 * A location with yes/no flags.
	 *
	 * @param array $location Location.
	 */
	private static function printable( array $location ): array {
		foreach ( array( 'ships_online', 'offers_pickup', 'offers_curbside', 'accepts_transfers' ) as $flag ) {
			$location[ $flag ] = $location[ $flag ] ? 'yes' : 'no';
		}
		$location['address']        = str_replace( "\n", ', ', $location['address'] );
		$location['shipping_zones'] = implode( ',', $location['shipping_zones'] );
		return $location;
	}
}
