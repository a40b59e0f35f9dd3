<?php
/**
 * Locations: places that hold stock.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * CRUD of locations, with validation that names the field.
 */
final class Locations {

	public const FIELDS = array( 'name', 'address', 'country', 'state', 'postcode', 'city', 'ships_online', 'offers_pickup', 'offers_curbside', 'safety_default', 'priority', 'opening_hours', 'pickup_hours', 'hold_days', 'accepts_transfers', 'transfer_days', 'latitude', 'longitude', 'shipping_zones' );

	/** The routing fields: written after the row exists (they may be NULL). */
	private const ROUTING_FIELDS = array( 'latitude', 'longitude', 'shipping_zones' );

	/** Hours a store needs by default to prepare a pickup order ("ready in about N hours"). */
	public const PICKUP_HOURS = 2;

	/** Days a ready pickup order waits by default before it is given up and its units go back on sale. */
	public const HOLD_DAYS = 7;

	/** Days units sent from another location take by default to reach a store that accepts transfers ("ready in about N days"). */
	public const TRANSFER_DAYS = 2;

	/** The structured address WooCommerce's tax rates match on (the free-text address is for people). */
	public const TAX_ADDRESS = array( 'country', 'state', 'postcode', 'city' );

	/**
	 * Takes its dependencies.
	 *
	 * @param Database $db     The database.
	 * @param Tables   $tables Table names.
	 */
	public function __construct( private readonly Database $db, private readonly Tables $tables ) {
	}

	/**
	 * Every location, by priority then id.
	 *
	 * @return list<array<string, int|string|bool>>
	 */
	public function all(): array {
		return array_map( array( self::class, 'shape' ), $this->db->rows( "SELECT * FROM {$this->tables->locations} ORDER BY priority, id" ) );
	}

	/**
	 * One location, or null.
	 *
	 * @param int $id Location id.
	 */
	public function get( int $id ): ?array {
		$rows = $this->db->rows( $this->db->prepare( "SELECT * FROM {$this->tables->locations} WHERE id = %d", $id ) );
		return $rows ? self::shape( $rows[0] ) : null;
	}

	/**
	 * Creates a location; returns it with its id.
	 *
	 * @param array $data Fields; name is required.
	 * @throws InvalidEvent Naming the bad field.
	 */
	public function create( array $data ): array {
		$fields  = $this->validate(
			$data + array(
				'address'  => '',
				'country'  => '',
				'state'    => '',
				'postcode' => '',
				'city'     => '',
			),
			true
		);
		$now     = current_time( 'mysql', true );
		$fields += array(
			'ships_online'      => 1,
			'offers_pickup'     => 0,
			'offers_curbside'   => 0,
			'safety_default'    => 0,
			'priority'          => 10,
			'opening_hours'     => '',
			'pickup_hours'      => self::PICKUP_HOURS,
			'hold_days'         => self::HOLD_DAYS,
			'accepts_transfers' => 0,
			'transfer_days'     => self::TRANSFER_DAYS,
		);
		$this->db->statement(
			$this->db->prepare(
				"INSERT INTO {$this->tables->locations} (name, address, country, state, postcode, city, ships_online, offers_pickup, offers_curbside, safety_default, priority, opening_hours, pickup_hours, hold_days, accepts_transfers, transfer_days, created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %d, %d, %d, %d, %d, %s, %d, %d, %d, %d, %s, %s)",
				$fields['name'],
				$fields['address'],
				$fields['country'],
				$fields['state'],
				$fields['postcode'],
				$fields['city'],
				$fields['ships_online'],
				$fields['offers_pickup'],
				$fields['offers_curbside'],
				$fields['safety_default'],
				$fields['priority'],
				$fields['opening_hours'],
				$fields['pickup_hours'],
				$fields['hold_days'],
				$fields['accepts_transfers'],
				$fields['transfer_days'],
				$now,
				$now
			)
		);
		$id      = (int) $this->db->wpdb->insert_id;
		$routing = array_intersect_key( $fields, array_flip( self::ROUTING_FIELDS ) );
		if ( $routing ) {
			$this->write( $id, $routing );
		}
		self::changed();
		return $this->get( $id );
	}

	/**
	 * Tells the adapters that the locations changed (pickup on or off, a store renamed).
	 */
	private static function changed(): void {
		do_action( 'omnistock_locations_changed' );
	}

	/**
	 * Updates the given fields of a location; returns it, or null when there is no such location.
	 *
	 * @param int   $id   Location id.
	 * @param array $data Fields to change.
	 * @throws InvalidEvent Naming the bad field.
	 */
	public function update( int $id, array $data ): ?array {
		$before = $this->get( $id );
		if ( null === $before ) {
			return null;
		}
		$fields = $this->validate( $data, false );
		if ( $fields ) {
			$this->write( $id, $fields );
			self::changed();
		}
		$after = $this->get( $id );
		if ( null !== $after && Sellable::counts_online( $before ) !== Sellable::counts_online( $after ) ) {
			// Its units joined or left the online total of every product it has.
			Inventory::announce( $this->products_at( $id ) );
		}
		return $after;
	}

	/**
	 * Writes checked fields of a location (NULL for a coordinate cleared).
	 *
	 * @param int                            $id     Location id.
	 * @param array<string, int|string|null> $fields Fields from validate().
	 */
	private function write( int $id, array $fields ): void {
		$sets = array();
		foreach ( $fields as $name => $value ) {
			$sets[] = null === $value ? "$name = NULL" : ( is_int( $value ) ? $this->db->prepare( "$name = %d", $value ) : $this->db->prepare( "$name = %s", $value ) );
		}
		$sets[] = $this->db->prepare( 'updated_at = %s', current_time( 'mysql', true ) );
		$this->db->statement( "UPDATE {$this->tables->locations} SET " . implode( ', ', $sets ) . $this->db->prepare( ' WHERE id = %d', $id ) );
	}

	/**
	 * Products with a level row at a location.
	 *
	 * @param int $id Location id.
	 * @return list<int>
	 */
	private function products_at( int $id ): array {
		return array_map( 'intval', array_column( $this->db->rows( $this->db->prepare( "SELECT product_id FROM {$this->tables->levels} WHERE location_id = %d", $id ) ), 'product_id' ) );
	}

	/**
	 * Deletes a location that holds no stock and has no ledger; false when it has either.
	 *
	 * @param int $id Location id.
	 */
	public function delete( int $id ): bool {
		$t     = $this->tables;
		$stock = (int) $this->db->value( $this->db->prepare( "SELECT COUNT(*) FROM {$t->levels} WHERE location_id = %d AND (on_hand <> 0 OR committed <> 0)", $id ) );
		$used  = (int) $this->db->value( $this->db->prepare( "SELECT COUNT(*) FROM {$t->ledger} WHERE location_id = %d OR to_location_id = %d", $id, $id ) );
		if ( $stock > 0 || $used > 0 ) {
			return false;
		}
		$this->db->statement( $this->db->prepare( "DELETE FROM {$t->levels} WHERE location_id = %d", $id ) );
		$deleted = $this->db->statement( $this->db->prepare( "DELETE FROM {$t->locations} WHERE id = %d", $id ) ) > 0;
		if ( $deleted ) {
			self::changed();
		}
		return $deleted;
	}

	/**
	 * Checks and converts the given fields.
	 *
	 * @param array $data     Input.
	 * @param bool  $creating Whether name is required.
	 * @return array<string, int|string>
	 * @throws InvalidEvent Naming the bad field.
	 */
	private function validate( array $data, bool $creating ): array {
		$out = array();
		foreach ( $data as $field => $value ) {
			if ( ! in_array( $field, self::FIELDS, true ) ) {
				continue;
			}
			switch ( $field ) {
				case 'name':
					if ( ! is_string( $value ) || '' === trim( $value ) || mb_strlen( $value ) > 191 ) {
						throw new InvalidEvent( 'name', __( 'must be a non-empty text of at most 191 characters', 'omnistock' ) );
					}
					$out['name'] = sanitize_text_field( $value );
					break;
				case 'address':
					if ( ! is_string( $value ) || mb_strlen( $value ) > 2000 ) {
						throw new InvalidEvent( 'address', __( 'must be a text of at most 2000 characters', 'omnistock' ) );
					}
					$out['address'] = sanitize_textarea_field( $value );
					break;
				case 'country':
					$country = is_string( $value ) ? strtoupper( trim( $value ) ) : null;
					if ( null === $country || ! preg_match( '/^([A-Z]{2})?$/', $country ) ) {
						throw new InvalidEvent( 'country', __( 'must be a two-letter ISO 3166 country code, or empty for the shop\'s base address', 'omnistock' ) );
					}
					$out['country'] = $country;
					break;
				case 'state':
				case 'postcode':
				case 'city':
					if ( ! is_string( $value ) || mb_strlen( $value ) > 100 ) {
						throw new InvalidEvent( $field, __( 'must be a text of at most 100 characters', 'omnistock' ) );
					}
					$out[ $field ] = sanitize_text_field( $value );
					break;
				case 'opening_hours':
					if ( ! is_string( $value ) || mb_strlen( $value ) > 500 ) {
						throw new InvalidEvent( 'opening_hours', __( 'must be a text of at most 500 characters', 'omnistock' ) );
					}
					$out['opening_hours'] = sanitize_textarea_field( $value );
					break;
				case 'latitude':
				case 'longitude':
					$out[ $field ] = self::coordinate( $field, $value );
					break;
				case 'shipping_zones':
					$out['shipping_zones'] = self::zones( $value );
					break;
				case 'ships_online':
				case 'offers_pickup':
				case 'offers_curbside':
				case 'accepts_transfers':
					$flag = is_bool( $value ) ? $value : filter_var( $value, FILTER_VALIDATE_BOOLEAN, FILTER_NULL_ON_FAILURE );
					if ( null === $flag ) {
						throw new InvalidEvent( $field, __( 'must be true or false', 'omnistock' ) );
					}
					$out[ $field ] = $flag ? 1 : 0;
					break;
				default:
					$number = is_int( $value ) ? $value : ( is_string( $value ) && preg_match( '/^-?\d{1,9}$/', $value ) ? (int) $value : null );
					$least  = array(
						'safety_default' => 0,
						'pickup_hours'   => 0,
						'hold_days'      => 1,
						'transfer_days'  => 1,
					)[ $field ] ?? null;
					if ( null === $number || ( null !== $least && $number < $least ) ) {
						/* translators: %d: the smallest value allowed */
						throw new InvalidEvent( $field, null === $least ? __( 'must be an integer', 'omnistock' ) : sprintf( __( 'must be an integer >= %d', 'omnistock' ), $least ) );
					}
					$out[ $field ] = $number;
			}
		}
		if ( $creating && ! isset( $out['name'] ) ) {
			throw new InvalidEvent( 'name', __( 'is required', 'omnistock' ) );
		}
		return $out;
	}

	/**
	 * A latitude or longitude as stored (a decimal text), or null to clear it ('' or null).
	 *
	 * @param string $field latitude or longitude.
	 * @param mixed  $value Input.
	 * @throws InvalidEvent Naming the field.
	 */
	private static function coordinate( string $field, mixed $value ): ?string {
		if ( null === $value || ( is_string( $value ) && '' === trim( $value ) ) ) {
			return null;
		}
		$limit  = 'latitude' === $field ? 90 : 180;
		$number = is_int( $value ) || is_float( $value ) ? (float) $value : ( is_string( $value ) && is_numeric( trim( $value ) ) ? (float) trim( $value ) : null );
		if ( null === $number || ! is_finite( $number ) || abs( $number ) > $limit ) {
			/* translators: %d: 90 or 180 */
			throw new InvalidEvent( $field, sprintf( __( 'must be a number of degrees between -%1$d and %1$d, or empty', 'omnistock' ), $limit ) );
		}
		return sprintf( '%.6F', $number );
	}

	/**
	 * Shipping zone ids as stored: sorted, comma-separated; '' for no limit (every zone).
	 *
	 * @param mixed $value A list of ids, or a text of ids separated by commas.
	 * @throws InvalidEvent Naming shipping_zones.
	 */
	private static function zones( mixed $value ): string {
		if ( null === $value || '' === $value ) {
			return '';
		}
		$items = is_string( $value ) ? array_filter( array_map( 'trim', explode( ',', $value ) ), static fn( $z ) => '' !== $z ) : $value;
		if ( ! is_array( $items ) || count( $items ) > 100 ) {
			throw new InvalidEvent( 'shipping_zones', __( 'must be a list of at most 100 shipping zone ids', 'omnistock' ) );
		}
		$ids = array();
		foreach ( $items as $item ) {
			if ( ! ( is_int( $item ) && $item >= 0 ) && ! ( is_string( $item ) && preg_match( '/^\d{1,9}$/', $item ) ) ) {
				throw new InvalidEvent( 'shipping_zones', __( 'must be a list of shipping zone ids (integers >= 0)', 'omnistock' ) );
			}
			$ids[] = (int) $item;
		}
		$ids = array_values( array_unique( $ids ) );
		sort( $ids );
		return implode( ',', $ids );
	}

	/**
	 * A row as the API shows it.
	 *
	 * @param array<string, string|null> $row Row.
	 */
	private static function shape( array $row ): array {
		$located = isset( $row['latitude'], $row['longitude'] ); // One coordinate alone locates nothing.
		return array(
			'id'                => (int) $row['id'],
			'name'              => (string) $row['name'],
			'address'           => (string) $row['address'],
			'country'           => (string) ( $row['country'] ?? '' ),
			'state'             => (string) ( $row['state'] ?? '' ),
			'postcode'          => (string) ( $row['postcode'] ?? '' ),
			'city'              => (string) ( $row['city'] ?? '' ),
			'ships_online'      => (bool) $row['ships_online'],
			'offers_pickup'     => (bool) $row['offers_pickup'],
			'offers_curbside'   => (bool) $row['offers_curbside'],
			'safety_default'    => (int) $row['safety_default'],
			'priority'          => (int) $row['priority'],
			'opening_hours'     => (string) ( $row['opening_hours'] ?? '' ),
			'pickup_hours'      => (int) ( $row['pickup_hours'] ?? self::PICKUP_HOURS ),
			'hold_days'         => (int) ( $row['hold_days'] ?? self::HOLD_DAYS ),
			'accepts_transfers' => (bool) ( $row['accepts_transfers'] ?? false ),
			'transfer_days'     => (int) ( $row['transfer_days'] ?? self::TRANSFER_DAYS ),
			'latitude'          => $located ? (float) $row['latitude'] : null,
			'longitude'         => $located ? (float) $row['longitude'] : null,
			'shipping_zones'    => '' === (string) ( $row['shipping_zones'] ?? '' ) ? array() : array_map( 'intval', explode( ',', (string) $row['shipping_zones'] ) ),
		);
	}
}
