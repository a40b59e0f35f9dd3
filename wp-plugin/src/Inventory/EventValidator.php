<?php
/**
 * Checks and normalises stock events and lines before anything is written.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * What only WordPress can tell of an event: that its product is an id and its locations exist;
 * it also parses the input of forms, CLI and JSON at the edge (digit strings become integers, a
 * missing `at` is now, missing texts take the defaults). The event schema (id, kind, qty, at,
 * to) is Omnistock\Ledger's: Inventory::record() turns its MalformedEvent into InvalidEvent.
 */
final class EventValidator {

	public const MAX_KEY = 120;

	/** How far ahead of the server's clock an event may be dated (a terminal's clock drifts). */
	public const MAX_AHEAD_MS = 300000;

	/**
	 * Prefixes of the ids the server makes (commits, fulfilments, transfers of committed units, POS sales and returns, WooCommerce's
	 * orders, refunds and stock edits, activation, external registers' webhooks and pushes): a client may not post them, or a later
	 * commit with that id would be taken for a replay and change nothing.
	 */
	public const INTERNAL_PREFIXES = array( 'commit:', 'fulfil:', 'fulfil-release:', 'uncommit:', 'transfer:', 'pos:', 'wc:', 'omnistock:', 'return:', 'square:', 'shopify:', 'clover:', 'standard:' );

	/** A line's units (a cart, a sale): far beyond any shop, far below overflowing a level. */
	private const MAX_LINE_QTY = 1000000000000;

	/**
	 * Knows the existing locations.
	 *
	 * @param array<int, true> $locations Ids of the existing locations, as last read.
	 * @param callable|null    $reload    Reads them again (once) when an id is not among them.
	 */
	public function __construct( private array $locations, private $reload = null ) {
	}

	/**
	 * Normalises a batch; all or nothing.
	 *
	 * @param mixed $events      The batch as given (a list of arrays).
	 * @param array $defaults    source, actor, reference and reason for events that do not say.
	 * @param int   $now         Milliseconds: the `at` of events that do not say.
	 * @param bool  $from_client A client's batch (REST): internal ids are refused, and source,
	 *                           actor and reason are the server's ($defaults), whatever it sends.
	 * @return list<array{index:int, id:mixed, kind:mixed, product:int, location:int, to:?int, qty:mixed, at:mixed, source:string, reference:string, actor:string, reason:string, ledger:array}>
	 * @throws InvalidEvent Naming the first bad field.
	 */
	public function events( mixed $events, array $defaults, int $now, bool $from_client = false ): array {
		if ( ! is_array( $events ) || ! array_is_list( $events ) || ! $events ) {
			throw new InvalidEvent( 'events', __( 'must be a non-empty list of events', 'omnistock' ) );
		}
		$out = array();
		foreach ( $events as $i => $event ) {
			$out[]              = $this->event( $event, "events[$i]", $defaults, $now, $from_client );
			$out[ $i ]['index'] = $i;
		}
		return $out;
	}

	/**
	 * One event. "ledger" is the event as Omnistock\Ledger takes it.
	 *
	 * @param mixed  $event       The event as given.
	 * @param string $path        Its path for error messages.
	 * @param array  $defaults    Defaults for the optional fields.
	 * @param int    $now         Default `at`.
	 * @param bool   $from_client See events().
	 * @return array{index:int, id:mixed, kind:mixed, product:int, location:int, to:?int, qty:mixed, at:mixed, source:string, reference:string, actor:string, reason:string, ledger:array}
	 * @throws InvalidEvent When the input is malformed.
	 */
	public function event( mixed $event, string $path, array $defaults, int $now, bool $from_client = false ): array {
		if ( ! is_array( $event ) ) {
			throw new InvalidEvent( $path, __( 'must be an object', 'omnistock' ) );
		}
		if ( $from_client ) {
			if ( self::is_internal( $event['id'] ?? null ) ) {
				throw new InvalidEvent( "$path.id", __( 'is in a namespace only Omnistock itself writes (commit:, pos:, wc:, …)', 'omnistock' ) );
			}
			// The audit trail says who sent it, not what the sender claims.
			unset( $event['source'], $event['actor'], $event['reason'] );
		}
		$product  = $this->positive_id( $event['product'] ?? null, "$path.product" );
		$location = $this->location( $event['location'] ?? null, "$path.location" );
		$to       = isset( $event['to'] ) ? $this->location( $event['to'], "$path.to" ) : null;
		$ledger   = array(
			'id'       => $event['id'] ?? null,
			'kind'     => $event['kind'] ?? null,
			'product'  => $product,
			'location' => $location,
			'qty'      => self::integer( $event['qty'] ?? null ),
			'at'       => array_key_exists( 'at', $event ) && null !== $event['at'] ? self::integer( $event['at'] ) : $now,
		);
		if ( is_int( $ledger['at'] ) && $ledger['at'] > $now + self::MAX_AHEAD_MS ) {
			// A count dated ahead would absorb every sale until then.
			throw new InvalidEvent( "$path.at", __( 'must not be more than 5 minutes in the future', 'omnistock' ) );
		}
		if ( null !== $to ) {
			$ledger['to'] = $to;
		}
		return array(
			'index'     => 0,
			'id'        => $ledger['id'],
			'kind'      => $ledger['kind'],
			'product'   => $product,
			'location'  => $location,
			'to'        => $to,
			'qty'       => $ledger['qty'],
			'at'        => $ledger['at'],
			'source'    => $this->text( $event['source'] ?? $defaults['source'] ?? 'api', "$path.source", 32 ),
			'reference' => $this->text( $event['reference'] ?? $defaults['reference'] ?? '', "$path.reference", 191 ),
			'actor'     => $this->text( $event['actor'] ?? $defaults['actor'] ?? '', "$path.actor", 191 ),
			'reason'    => $this->text( $event['reason'] ?? $defaults['reason'] ?? '', "$path.reason", 64 ),
			'ledger'    => $ledger,
		);
	}

	/**
	 * Lines [product, location, qty] given as lists or as {product, location, qty}; merged per cell.
	 *
	 * @param mixed $lines The lines as given.
	 * @return list<array{0:int, 1:int, 2:int}>
	 * @throws InvalidEvent When the input is malformed.
	 */
	public function lines( mixed $lines ): array {
		if ( ! is_array( $lines ) || ! array_is_list( $lines ) || ! $lines ) {
			throw new InvalidEvent( 'lines', __( 'must be a non-empty list of [product, location, qty]', 'omnistock' ) );
		}
		$merged = array();
		foreach ( $lines as $i => $line ) {
			if ( ! is_array( $line ) ) {
				throw new InvalidEvent( "lines[$i]", __( 'must be [product, location, qty]', 'omnistock' ) );
			}
			$product  = $this->positive_id( $line['product'] ?? $line[0] ?? null, "lines[$i].product" );
			$location = $this->location( $line['location'] ?? $line[1] ?? null, "lines[$i].location" );
			$qty      = self::integer( $line['qty'] ?? $line[2] ?? null );
			if ( ! is_int( $qty ) || $qty <= 0 || $qty > self::MAX_LINE_QTY ) {
				throw new InvalidEvent( "lines[$i].qty", __( 'must be an integer > 0', 'omnistock' ) );
			}
			$key            = Cells::key( $product, $location );
			$merged[ $key ] = array( $product, $location, ( $merged[ $key ][2] ?? 0 ) + $qty );
		}
		return array_values( $merged );
	}

	/**
	 * A hold, order or sale key.
	 *
	 * @param mixed $key The key as given.
	 * @throws InvalidEvent When the input is malformed.
	 */
	public static function key( mixed $key ): string {
		if ( ! is_string( $key ) || '' === $key || strlen( $key ) > self::MAX_KEY ) {
			throw new InvalidEvent( 'key', __( 'must be a non-empty string of at most 120 bytes', 'omnistock' ) );
		}
		return $key;
	}

	/**
	 * Whether an event id is in the server's namespace.
	 *
	 * @param mixed $id The id as given.
	 */
	public static function is_internal( mixed $id ): bool {
		if ( ! is_string( $id ) ) {
			return false;
		}
		$id = strtolower( trim( $id ) );
		foreach ( self::INTERNAL_PREFIXES as $prefix ) {
			if ( str_starts_with( $id, $prefix ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * An integer given as a string of digits (a form field, a CLI argument) becomes an int;
	 * anything else is left for Omnistock\Ledger to judge.
	 *
	 * @param mixed $value Value.
	 */
	private static function integer( mixed $value ): mixed {
		if ( is_string( $value ) && preg_match( '/^-?\d{1,18}$/', $value ) ) {
			return (int) $value;
		}
		return $value;
	}

	/**
	 * A positive id.
	 *
	 * @param mixed  $value Value.
	 * @param string $path  Field path.
	 * @throws InvalidEvent When the input is malformed.
	 */
	private function positive_id( mixed $value, string $path ): int {
		if ( is_string( $value ) && preg_match( '/^\d{1,19}$/', $value ) ) {
			$value = (int) $value;
		}
		if ( ! is_int( $value ) || $value <= 0 ) {
			throw new InvalidEvent( $path, __( 'must be a positive integer id', 'omnistock' ) );
		}
		return $value;
	}

	/**
	 * The id of an existing location.
	 *
	 * @param mixed  $value Value.
	 * @param string $path  Field path.
	 * @throws InvalidEvent When the input is malformed.
	 */
	private function location( mixed $value, string $path ): int {
		$id = $this->positive_id( $value, $path );
		if ( ! isset( $this->locations[ $id ] ) && null !== $this->reload ) {
			$this->locations = ( $this->reload )();
			$this->reload    = null;
		}
		if ( ! isset( $this->locations[ $id ] ) ) {
			throw new InvalidEvent( $path, __( 'is not the id of a location', 'omnistock' ) );
		}
		return $id;
	}

	/**
	 * A short text.
	 *
	 * @param mixed  $value Value.
	 * @param string $path  Field path.
	 * @param int    $max   Maximum length in characters.
	 * @throws InvalidEvent When the input is malformed.
	 */
	private function text( mixed $value, string $path, int $max ): string {
		if ( is_int( $value ) ) {
			$value = (string) $value;
		}
		if ( ! is_string( $value ) || mb_strlen( $value ) > $max ) {
			/* translators: %d: maximum length */
			throw new InvalidEvent( $path, sprintf( __( 'must be a string of at most %d characters', 'omnistock' ), $max ) );
		}
		return $value;
	}
}
