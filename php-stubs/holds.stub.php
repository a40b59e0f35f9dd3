<?php

/** @generate-class-entries */

namespace Omnistock;

/**
 * Reservation locking shared by every PHP process of one site on this host (PHP-FPM workers,
 * WP-CLI, cron, the CLI): a named segment file in omnistock.holds_dir holding, per cell
 * (product, location), a lock, the cell's sellable base (on_hand - committed - safety, written by
 * whoever changed the database) and the active holds of carts and checkouts with their expiry.
 *
 * Products and locations are int or non-empty string (at most 40 bytes); like PHP array keys,
 * 7 and "7" are the same. Hold keys are 1 to 128 bytes.
 *
 * @strict-properties
 * @not-serializable
 */
final class Holds
{
    /**
     * Opens (creating if needed) the segment of this site.
     *
     * @param string $name [A-Za-z0-9_.-]{1,64}: the segment file is omnistock.holds_dir/omnistock-holds-$name
     * @throws \ValueError when the name is malformed
     * @throws Exception when the segment cannot be created or mapped, or was made with another
     *         layout version or size (it is refused, never misread), or in a ZTS build (threadSafe())
     */
    public function __construct(string $name) {}

    /**
     * Whether this build's shared-memory holds are safe with threads. False in a ZTS build (FrankenPHP,
     * Apache's worker MPM): the per-process tables are not locked between threads, so the constructor
     * refuses and the site uses the database holds backend.
     */
    public static function threadSafe(): bool {}

    /**
     * Locks all cells in one canonical order, or none. Cells the segment does not know yet are
     * added with an unknown base; when they do not fit, cells that no hold or lock uses and that
     * were not touched for omnistock.holds_cell_idle_seconds are reclaimed first (their bases are
     * forgotten: they are new cells when used again). A lock whose owner died is recovered: its
     * cell becomes unknown.
     *
     * @param array $cells a non-empty list of [product, location]
     * @throws LockTimeout when the cells could not all be locked within $timeoutMs
     * @throws SegmentFull when a new cell does not fit even after reclaiming idle cells
     * @throws Exception when a cell is already locked by another CellLock of this process
     */
    public function lock(array $cells, int $timeoutMs = 2000): CellLock {}

    /**
     * All-or-nothing hold of lines [[product, location, qty], ...] under $key, for $ttlSeconds.
     * A live hold with the same key is replaced atomically (its units count as available to the
     * new one). Lines on the same cell are added together. When any cell is short or unknown
     * nothing changes (an earlier hold under $key stays as it was).
     *
     * @return array{ok:bool, short:list<array{product:int|string, location:int|string, wanted:int, sellable:int}>, unknown:list<array{product:int|string, location:int|string}>}
     * @throws SegmentFull when the hold does not fit; nothing is changed
     * @throws LockTimeout when a cell stayed locked (by a stock mutation) for 2 seconds
     */
    public function hold(string $key, array $lines, int $ttlSeconds): array {}

    /** @return int the units released; 0 when there was no such live hold */
    public function release(string $key): int {}

    /** @return bool false when there is no such live hold */
    public function extend(string $key, int $ttlSeconds): bool {}

    /** base - active holds; null when the base is unknown or stale */
    public function sellable(int|string $product, int|string $location): ?int {}

    /** units in active holds on the cell */
    public function held(int|string $product, int|string $location): int {}

    /**
     * @return array{name:string, path:string, cells:int, cells_capacity:int, cells_unknown:int, cells_stale:int, holds:int, holds_capacity:int, lines:int, lines_capacity:int, units_held:int, bytes_used:int, bytes_total:int, created:int, replaced:int, released:int, settled:int, expired:int, refused:int, abandoned:int, recovered_locks:int, cells_reclaimed:int}
     */
    public function stats(): array {}

    /**
     * Verifies every internal invariant of the segment.
     *
     * @return list<string> the problems found; empty when the segment is consistent
     */
    public function check(): array {}
}

/**
 * Cells locked by Holds::lock(). Released by release(), when the object is destroyed and at the
 * end of the request.
 *
 * @strict-properties
 * @not-serializable
 */
final class CellLock
{
    private function __construct() {}

    /** Sets the cell's sellable base (on_hand - committed - safety, as the database now says). */
    public function setSellable(int|string $product, int|string $location, int $base): void {}

    /** The cell's base is unknown again: holds on it are refused until setSellable(). */
    public function forget(int|string $product, int|string $location): void {}

    /**
     * Drops the hold $key whose units the caller just committed in the database: the units leave
     * the cells' held count and their known base together, so sellable does not move. Every cell
     * of the hold must be locked by this CellLock.
     *
     * @return int the units settled; 0 when there was no such live hold
     */
    public function settle(string $key): int {}

    /** Unlocks the cells; nothing when already released. */
    public function release(): void {}
}

/** A lock could not be taken within its bounded wait. */
final class LockTimeout extends Exception
{
}

/**
 * The holds segment has no room for what was asked; nothing was changed. The message names the
 * segment and its sizes for the operator: not for shoppers.
 */
final class SegmentFull extends Exception
{
}
