<?php
/**
 * Who made each live hold, so that one owner (a shopper's session, an address) can be capped.
 *
 * @package Omnistock
 */

namespace Omnistock\Inventory;

defined( 'ABSPATH' ) || exit;

/**
 * A claim is a row (hold key, owner) that lives as long as the hold. claim() writes the key's
 * rows first and counts second, so two claims racing for an owner's last place both see each
 * other and both give way: an owner never goes over its cap, it may only be refused early.
 */
final class HoldClaims {

	/**
	 * Takes its dependencies.
	 *
	 * @param Database $db     The database.
	 * @param Tables   $tables Table names.
	 */
	public function __construct( private readonly Database $db, private readonly Tables $tables ) {
	}

	/**
	 * Claims a place for the hold $key under each owner, all or none; replaces the key's earlier
	 * claims. Returns null, or the first owner that already has its cap of live holds (then
	 * nothing is claimed).
	 *
	 * @param string             $key  Hold key.
	 * @param array<string, int> $caps Owner => most live holds it may have (this one included).
	 * @param int                $ttl  Seconds the claim lives (the hold's ttl).
	 */
	public function claim( string $key, array $caps, int $ttl ): ?string {
		$this->release( $key );
		if ( ! $caps ) {
			return null;
		}
		$now    = Database::now_ms();
		$values = array();
		foreach ( array_keys( $caps ) as $owner ) {
			$values[] = $this->db->prepare( '(%s, %s, %d)', $key, (string) $owner, $now + $ttl * 1000 );
		}
		$this->db->statement( "INSERT INTO {$this->tables->hold_claims} (hold_key, owner, expires_at) VALUES " . implode( ', ', $values ) );
		foreach ( $caps as $owner => $cap ) {
			if ( $this->live( (string) $owner, $now ) > $cap ) {
				$this->release( $key );
				return (string) $owner;
			}
		}
		return null;
	}

	/**
	 * Drops the claims of $key (its hold was released, committed, or refused).
	 *
	 * @param string $key Hold key.
	 */
	public function release( string $key ): void {
		$this->db->statement( $this->db->prepare( "DELETE FROM {$this->tables->hold_claims} WHERE hold_key = %s", $key ) );
	}

	/**
	 * Live claims of an owner.
	 *
	 * @param string $owner Owner.
	 * @param int    $now   Milliseconds.
	 */
	public function live( string $owner, int $now ): int {
		return (int) $this->db->value( $this->db->prepare( "SELECT COUNT(*) FROM {$this->tables->hold_claims} WHERE owner = %s AND expires_at > %d", $owner, $now ) );
	}

	/**
	 * Deletes expired claims (hourly); returns the rows deleted.
	 */
	public function purge_expired(): int {
		return $this->db->statement( $this->db->prepare( "DELETE FROM {$this->tables->hold_claims} WHERE expires_at <= %d", Database::now_ms() ) );
	}
}
