<?php

/** @generate-class-entries */

namespace Omnistock;

/**
 * Stock arithmetic: folds stock events into per-cell levels, exactly and deterministically.
 *
 * A cell is (product, location); products and locations are int or string and, like PHP array
 * keys, 7 and "7" are the same. An event is an array:
 *   id       non-empty string of at most 200 bytes: the idempotency key
 *   product  int|string
 *   location int|string
 *   kind     "count" | "adjust" | "commit" | "release" | "transfer"
 *   qty      int: count >= 0; adjust != 0; commit, release and transfer > 0
 *   at       int >= 0: when it happened, in milliseconds
 *   to       int|string: the destination location (transfer only)
 * Other keys (reason, source, actor, ...) are ignored.
 *
 * on_hand is the quantity of the cell's latest count (latest by at; equal at: the greater id in
 * byte order) plus its adjusts strictly later than that count; with no count, the sum of its
 * adjusts. committed is commits minus releases. A transfer is an adjust of -qty at location and
 * +qty at to, at the same time, under one id. Any arrival order of the same events, in one call or
 * many, gives the same levels. Levels may be negative (an oversell is shown, never hidden).
 *
 * @strict-properties
 * @not-serializable
 */
final class Ledger
{
    public function __construct() {}

    /**
     * Tells the ledger what is already true of some cells, for a caller that keeps their ledger
     * elsewhere (a database) and folds only the new events here. Call it before apply().
     *
     * A cell's state is what its whole ledger leaves: its latest count (or none), the adjusts later
     * than that count (transfer legs included, as signed deltas; with no count, every adjust), and
     * committed. Adjusts at or before the count are absorbed by it and must not be given. Only the
     * adjusts later than a new latest count are ever read again, so a caller that knows no count
     * of the cell is coming may give its on_hand as the count's qty (so a seeded count's qty may
     * be negative) or, with no count, as one adjust, instead of the list.
     *
     * $known lists events applied before (elsewhere): a later apply() of the same id counts it as
     * a duplicate, and as a conflict when its content differs. They are not folded again.
     *
     * All or nothing: a bad cell or event changes nothing.
     *
     * @param array[] $cells list of array{product:int|string, location:int|string,
     *                       count?:array{id:string, at:int, qty:int}|null, adjusts?:list<array{at:int, qty:int}>, committed?:int}
     * @param array[] $known a list of events, as apply() takes them
     * @throws \ValueError naming the cell's index and field, when a cell is malformed or already known
     * @throws MalformedEvent naming the event's index and field, when a known event is malformed
     * @throws StockOverflow when a seeded on_hand leaves the 64-bit range
     */
    public function seed(array $cells, array $known = []): void {}

    /**
     * Applies a batch of events, all or nothing.
     *
     * An id seen before (in this or an earlier call, or given to seed() as known) changes nothing
     * and is counted in "duplicates"; if it comes back with other content it is also listed in
     * "conflicts". "changed" lists the cells whose on_hand or committed this batch changed, in the
     * order the batch first touched them. With $report, "new" lists the indexes (in $events) of the
     * events applied, and "levels" gives the state (as state()) of every cell whose on_hand,
     * committed or latest count the batch changed, in the order the batch first touched them.
     *
     * @param array[] $events a list of events
     * @return array{applied:int, duplicates:int, conflicts:list<string>, changed:list<array{0:int|string, 1:int|string}>, new?:list<int>, levels?:list<array{product:int|string, location:int|string, on_hand:int, committed:int, count:array{id:string, at:int, qty:int}|null}>}
     * @throws MalformedEvent naming the event's index and field, when an event is malformed
     * @throws \ValueError when $events is not a list
     * @throws StockOverflow when a level would leave the 64-bit range
     */
    public function apply(array $events, bool $report = false): array {}

    /**
     * A cell's state: its levels and its latest count; null for a cell never seen.
     *
     * @return array{product:int|string, location:int|string, on_hand:int, committed:int, count:array{id:string, at:int, qty:int}|null}|null
     */
    public function state(int|string $product, int|string $location): ?array {}

    /**
     * @return array{on_hand:int, committed:int} zeros for a cell never seen
     */
    public function level(int|string $product, int|string $location): array {}

    /**
     * Every cell seen, ordered by product then location (integers first, ascending; then strings in byte order).
     *
     * @return list<array{product:int|string, location:int|string, on_hand:int, committed:int}>
     */
    public function levels(): array {}

    /**
     * Online availability of every product the ledger knows: the sum over $locations of
     * max(on_hand - committed - safety, 0), ordered like levels().
     *
     * @param array $locations a list of int|string location keys
     * @param array $safety units kept back, location => int (missing: 0)
     * @return array<int|string, int>
     */
    public function sellable(array $locations, array $safety = []): array {}
}

/** A level, or a sum of levels, would leave the range of a 64-bit integer: nothing was changed. */
final class StockOverflow extends Exception
{
}

/**
 * An event that does not follow the schema: $index is its place in the list given, $field the
 * field at fault (null when the event is not an array). Nothing was changed.
 *
 * @strict-properties
 */
final class MalformedEvent extends \ValueError
{
    public readonly int $index;
    public readonly ?string $field;
}
