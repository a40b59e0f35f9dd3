<?php
/**
 * Routes an online order's lines to locations.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * The shop's chain of rules, as Shopify's default routing:
 *
 * 0. Candidates: locations that ship online orders, are not excluded, and serve the address: a
 *    location limited to shipping zones that do not include the address's zone is no candidate
 *    (an address whose zone is unknown, or no address at all, leaves every location a candidate).
 * 1. Fewest shipments: each line whole at one location, the fewest locations that cover the order
 *    (one location covering every line wins outright).
 * 2. Then the nearest: candidates are taken nearest first by straight-line distance when both the
 *    location's and the address's coordinates are known; located candidates before unlocated ones.
 * 3. Then priority (lowest first), then id.
 *
 * Rules 2 and 3 rank the candidates once; rule 1 searches sets of them in that rank order, so of
 * two sets of equal size the one found first (its best location ranked higher) is taken, and each
 * line goes to the best-ranked location of the set that covers it. The search for the smallest set
 * is exact within a budget of steps, then greedy (the location covering most of what is left, ties
 * by rank). A line no single candidate covers is null — or, when the shop allows splits, split over
 * the locations already shipping the order first, then the others in rank order.
 */
final class Router {

	/** The shop's setting: may a line be split across locations ("yes"/"no", default no). */
	public const SPLITS_OPTION = 'omnistock_allow_splits';

	/** Steps of the exact search for the fewest shipments before the greedy answer stands. */
	public const SEARCH_BUDGET = 2000;

	/** Lines an order may have for the search (one bit each); a longer order goes line by line. */
	public const MAX_SEARCHED_LINES = 62;

	/**
	 * Takes its dependencies.
	 *
	 * @param Inventory $inventory The inventory service.
	 * @param Locations $locations The locations (flags, zones, coordinates, priority).
	 */
	public function __construct( private readonly Inventory $inventory, private readonly Locations $locations ) {
	}

	/**
	 * A location for each line, or null for a line no single location can cover: the whole line at
	 * one location, the chain of rules applied.
	 *
	 * @param array<int|string, array{0:int, 1:int}> $lines   Line id => [product, qty].
	 * @param int[]                                  $exclude Location ids not to use (e.g. one that rejected a shipment).
	 * @param Destination|null                       $to      The shipping address, or null when unknown.
	 * @return array<int|string, int|null> Line id => location id or null.
	 */
	public function route( array $lines, array $exclude = array(), ?Destination $to = null ): array {
		$routes = array();
		foreach ( $this->plan( $lines, $exclude, $to, false ) as $line => $at ) {
			$routes[ $line ] = null === $at ? null : (int) array_key_first( $at );
		}
		return $routes;
	}

	/**
	 * Where each line's units come from: location => units, one location unless the line is split
	 * (only when splits are allowed and no single location covers it); null when it cannot be covered.
	 *
	 * @param array<int|string, array{0:int, 1:int}> $lines   Line id => [product, qty].
	 * @param int[]                                  $exclude Location ids not to use.
	 * @param Destination|null                       $to      The shipping address, or null when unknown.
	 * @param bool|null                              $splits  Whether a line may be split; null: the shop's setting.
	 * @return array<int|string, array<int, int>|null> Line id => [location id => qty] or null.
	 */
	public function plan( array $lines, array $exclude = array(), ?Destination $to = null, ?bool $splits = null ): array {
		if ( ! $lines ) {
			return array();
		}
		$ranked   = $this->candidates( $exclude, $to );
		$sellable = array_fill_keys( $ranked, array() );
		$products = array_unique( array_map( static fn( $l ) => (int) $l[0], $lines ) );
		foreach ( $products as $product ) {
			foreach ( $this->inventory->stock( $product )['locations'] as $row ) {
				if ( isset( $sellable[ $row['location'] ] ) ) {
					$sellable[ $row['location'] ][ $product ] = (int) $row['sellable'];
				}
			}
		}
		return self::assign( $lines, $ranked, $sellable, $splits ?? self::splits_allowed() );
	}

	/**
	 * Whether the shop allows a line to be split across locations.
	 */
	public static function splits_allowed(): bool {
		return 'yes' === get_option( self::SPLITS_OPTION, 'no' );
	}

	/**
	 * The candidate locations' ids in rank order (rules 0, 2 and 3).
	 *
	 * @param int[]            $exclude Location ids not to use.
	 * @param Destination|null $to      The shipping address.
	 * @return list<int>
	 */
	public function candidates( array $exclude = array(), ?Destination $to = null ): array {
		return self::rank( $this->locations->all(), $exclude, $to );
	}

	/**
	 * Rules 0, 2 and 3 over plain rows (the benchmark calls this directly).
	 *
	 * @param list<array>      $locations Locations::all() (by priority, then id).
	 * @param int[]            $exclude   Location ids not to use.
	 * @param Destination|null $to   The shipping address.
	 * @return list<int> Candidate ids, best first.
	 */
	public static function rank( array $locations, array $exclude = array(), ?Destination $to = null ): array {
		$exclude = array_map( 'intval', $exclude );
		$ids     = array();
		$far     = array(); // 0 located, 1 not.
		$km      = array();
		$order   = array();
		foreach ( $locations as $location ) {
			if ( ! $location['ships_online'] || ( $exclude && in_array( $location['id'], $exclude, true ) ) || ! self::serves( $location, $to ) ) {
				continue;
			}
			$distance = null === $to ? null : $to->km_to( $location['latitude'], $location['longitude'] );
			$ids[]    = (int) $location['id'];
			$far[]    = null === $distance ? 1 : 0;
			$km[]     = $distance ?? 0.0;
			$order[]  = count( $order );
		}
		array_multisort( $far, SORT_NUMERIC, $km, SORT_NUMERIC, $order, SORT_NUMERIC, $ids );
		return $ids;
	}

	/**
	 * Whether a location serves the address: it is limited to no zones, the address's zone is
	 * unknown, or its zones include the address's.
	 *
	 * @param array            $location Locations::get().
	 * @param Destination|null $to       The address.
	 */
	public static function serves( array $location, ?Destination $to ): bool {
		return ! $location['shipping_zones'] || null === $to || null === $to->zone || in_array( $to->zone, $location['shipping_zones'], true );
	}

	/**
	 * The rules over plain numbers (the benchmark calls this directly): lines, the candidates in
	 * rank order, and what each can sell.
	 *
	 * @param array<int|string, array{0:int, 1:int}> $lines    Line id => [product, qty].
	 * @param int[]                                  $ranked   Candidate location ids, best first.
	 * @param array<int, array<int, int>>            $sellable Location => product => sellable units.
	 * @param bool                                   $splits   Whether a line no location covers may be split.
	 * @return array<int|string, array<int, int>|null> Line id => [location id => qty] or null.
	 */
	public static function assign( array $lines, array $ranked, array $sellable, bool $splits ): array {
		$ids = array_keys( $lines );
		$n   = count( $ids );
		if ( $n > self::MAX_SEARCHED_LINES ) {
			return self::line_by_line( $lines, $ranked, $sellable );
		}
		$plan  = array_fill_keys( $ids, null );
		$masks = array(); // Location => bit i set when it covers line i alone.
		$full  = 0;
		foreach ( $ranked as $location ) {
			$mask = 0;
			foreach ( $ids as $i => $line ) {
				if ( ( $sellable[ $location ][ $lines[ $line ][0] ] ?? 0 ) >= $lines[ $line ][1] ) {
					$mask |= 1 << $i;
				}
			}
			$masks[ $location ] = $mask;
			$full              |= $mask;
		}
		$chosen = null;
		if ( $full > 0 ) {
			// One location for the whole order: the best-ranked that covers every line together.
			foreach ( $ranked as $location ) {
				if ( $masks[ $location ] === $full && null !== self::fill( $lines, $ids, array( $location ), $sellable, $full ) ) {
					$chosen = array( $location );
					break;
				}
			}
		}
		if ( null === $chosen && $full > 0 ) {
			$useful = array_values( array_filter( $ranked, static fn( $location ) => $masks[ $location ] > 0 ) );
			$greedy = self::greedy( $lines, $ids, $useful, $masks, $sellable, $full );
			$chosen = $greedy;
			$budget = self::SEARCH_BUDGET;
			$most   = count( $greedy );
			for ( $k = 2; $k < $most; $k++ ) {
				$found = self::search( $lines, $ids, $useful, $masks, $sellable, $full, $k, array(), 0, $budget );
				if ( null !== $found ) {
					$chosen = $found;
					break;
				}
				if ( $budget <= 0 ) {
					break;
				}
			}
		}
		$left = $sellable;
		if ( null !== $chosen ) {
			foreach ( (array) self::fill( $lines, $ids, $chosen, $sellable, $full ) as $i => $location ) {
				list( $product, $qty )          = $lines[ $ids[ $i ] ];
				$plan[ $ids[ $i ] ]             = array( $location => $qty );
				$left[ $location ][ $product ] -= $qty;
			}
		}
		if ( ! $splits ) {
			return $plan;
		}
		$used = null === $chosen ? array() : $chosen;
		for ( $i = 0; $i < $n; $i++ ) {
			if ( null !== $plan[ $ids[ $i ] ] ) {
				continue;
			}
			list( $product, $qty ) = $lines[ $ids[ $i ] ];
			$order                 = array_merge( array_values( array_intersect( $ranked, $used ) ), array_values( array_diff( $ranked, $used ) ) );
			$take                  = array();
			$need                  = $qty;
			foreach ( $order as $location ) {
				$has = max( 0, $left[ $location ][ $product ] ?? 0 );
				if ( $has > 0 && $need > 0 ) {
					$take[ $location ] = min( $has, $need );
					$need             -= $take[ $location ];
				}
			}
			if ( $need > 0 ) {
				continue; // Not there even all together.
			}
			foreach ( $take as $location => $units ) {
				$left[ $location ][ $product ] -= $units;
				$used[]                         = $location;
			}
			$plan[ $ids[ $i ] ] = $take;
		}
		return $plan;
	}

	/**
	 * An order too long for the search: each line whole at the best-ranked candidate that still has
	 * its units, in line order (no splits).
	 *
	 * @param array<int|string, array{0:int, 1:int}> $lines    Line id => [product, qty].
	 * @param int[]                                  $ranked   Candidates, best first.
	 * @param array<int, array<int, int>>            $sellable Location => product => units.
	 * @return array<int|string, array<int, int>|null>
	 */
	private static function line_by_line( array $lines, array $ranked, array $sellable ): array {
		$plan = array();
		foreach ( $lines as $line => list( $product, $qty ) ) {
			$plan[ $line ] = null;
			foreach ( $ranked as $location ) {
				if ( ( $sellable[ $location ][ $product ] ?? 0 ) >= $qty ) {
					$sellable[ $location ][ $product ] -= $qty;
					$plan[ $line ]                      = array( $location => $qty );
					break;
				}
			}
		}
		return $plan;
	}

	/**
	 * The lines of $want (bits) each at the first of $set that still has its units, or null when
	 * some line of $want finds none.
	 *
	 * @param array $lines    Lines.
	 * @param array $ids      Line ids by bit.
	 * @param int[] $set      Locations, best first.
	 * @param array $sellable Location => product => units.
	 * @param int   $want     Bits of the lines to place.
	 * @return array<int, int>|null Bit => location.
	 */
	private static function fill( array $lines, array $ids, array $set, array $sellable, int $want ): ?array {
		$at = array();
		foreach ( $ids as $i => $line ) {
			if ( ! ( $want & ( 1 << $i ) ) ) {
				continue;
			}
			list( $product, $qty ) = $lines[ $line ];
			foreach ( $set as $location ) {
				if ( ( $sellable[ $location ][ $product ] ?? 0 ) >= $qty ) {
					$sellable[ $location ][ $product ] -= $qty;
					$at[ $i ]                           = $location;
					break;
				}
			}
			if ( ! isset( $at[ $i ] ) ) {
				return null;
			}
		}
		return $at;
	}

	/**
	 * The greedy cover: again and again the location that takes most of the lines left (ties by rank).
	 *
	 * @param array $lines    Lines.
	 * @param array $ids      Line ids by bit.
	 * @param int[] $ranked   Candidates, best first.
	 * @param array $masks    Location => the lines it covers alone.
	 * @param array $sellable Location => product => units.
	 * @param int   $full     Bits of the lines some location covers.
	 * @return list<int> The locations, in the order taken.
	 */
	private static function greedy( array $lines, array $ids, array $ranked, array $masks, array $sellable, int $full ): array {
		$set  = array();
		$left = $full;
		while ( $left > 0 ) {
			$best   = null;
			$best_n = 0;
			foreach ( $ranked as $location ) {
				$n = self::bits( $masks[ $location ] & $left );
				if ( $n > $best_n ) {
					list( $best, $best_n ) = array( $location, $n );
				}
			}
			if ( null === $best ) {
				break;
			}
			// What it covers alone, with the units it has for lines that share a product.
			$take = 0;
			$has  = $sellable[ $best ];
			foreach ( $ids as $i => $line ) {
				if ( ( $left & ( 1 << $i ) ) && ( $has[ $lines[ $line ][0] ] ?? 0 ) >= $lines[ $line ][1] ) {
					$has[ $lines[ $line ][0] ] -= $lines[ $line ][1];
					$take                      |= 1 << $i;
				}
			}
			$set[]             = $best;
			$sellable[ $best ] = $has;
			$left             &= ~$take;
			$masks[ $best ]    = 0;
		}
		return $set;
	}

	/**
	 * How many bits are set.
	 *
	 * @param int $mask Bits (non-negative).
	 */
	private static function bits( int $mask ): int {
		$n = 0;
		while ( $mask ) {
			$mask &= $mask - 1;
			++$n;
		}
		return $n;
	}

	/**
	 * Exact search for a set of at most $k locations covering every line of $full: branch on the
	 * candidates (in rank order) that cover the lowest line not yet covered, cut when the lines left
	 * outnumber what the locations left could cover at best; a set whose masks cover is checked with
	 * the quantities (two lines of one product share a location's units).
	 *
	 * @param array            $lines    Lines.
	 * @param array            $ids      Line ids by bit.
	 * @param int[]            $ranked   Candidates that cover some line, best first.
	 * @param array            $masks    Location => the lines it covers alone.
	 * @param array            $sellable Location => product => units.
	 * @param int              $full     Bits to cover.
	 * @param int              $k        Most locations.
	 * @param array<int, true> $set      Locations taken so far.
	 * @param int              $covered  Bits they cover.
	 * @param int              $budget   Steps left (shared by every call).
	 * @return list<int>|null The set in rank order, or null.
	 */
	private static function search( array $lines, array $ids, array $ranked, array $masks, array $sellable, int $full, int $k, array $set, int $covered, int &$budget ): ?array {
		if ( $covered === $full ) {
			$ordered = array_values( array_intersect( $ranked, array_keys( $set ) ) );
			return null === self::fill( $lines, $ids, $ordered, $sellable, $full ) ? null : $ordered;
		}
		$left = $k - count( $set );
		if ( $left <= 0 || --$budget <= 0 ) {
			return null;
		}
		$open   = $full & ~$covered;
		$widest = 0;
		foreach ( $ranked as $location ) {
			$widest = max( $widest, self::bits( $masks[ $location ] & $open ) );
		}
		if ( self::bits( $open ) > $left * $widest ) {
			return null; // Even the widest locations could not cover what is left.
		}
		$first = $open & -$open;
		foreach ( $ranked as $location ) {
			if ( ( $masks[ $location ] & $first ) && ! isset( $set[ $location ] ) ) {
				$found = self::search( $lines, $ids, $ranked, $masks, $sellable, $full, $k, $set + array( $location => true ), $covered | $masks[ $location ], $budget );
				if ( null !== $found || $budget <= 0 ) {
					return $found;
				}
			}
		}
		return null;
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
