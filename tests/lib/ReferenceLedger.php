<?php

declare(strict_types=1);

namespace Omnistock\Tests;

/**
 * The ledger rules of DESIGN.md written the straightforward way, in PHP userland.
 *
 * It is the yardstick for Omnistock\Ledger twice over: the property test checks that both give the
 * same answers for the same events in any order and any batch split, and tests/bench/ledger.php
 * measures both on the same input. It is meant to be what a competent PHP developer would write
 * first, not a straw man: arrays keyed the PHP way, one pass over the batch, no sorting.
 */
final class ReferenceLedger
{
    private const KINDS = ['count' => true, 'adjust' => true, 'commit' => true, 'release' => true, 'transfer' => true];

    /** @var array<string, string> id => fingerprint of its content */
    private array $seen = [];
    /** @var array<int|string, array<int|string, array{0:int,1:string,2:int}>> latest count: [at, id, qty] */
    private array $counts = [];
    /** @var array<int|string, array<int|string, list<array{0:int,1:int}>>> adjusts: [at, qty] */
    private array $adjusts = [];
    /** @var array<int|string, array<int|string, int>> */
    private array $committed = [];

    /** @return array{applied:int, duplicates:int, conflicts:list<string>, changed:list<array{0:int|string,1:int|string}>} */
    public function apply(array $events): array
    {
        if (!array_is_list($events)) {
            throw new \ValueError('$events must be a list of events');
        }
        $parsed = [];
        foreach ($events as $i => $event) {
            $parsed[] = self::parse($event, $i);
        }

        // What to put back if the batch fails: the ids it adds and the cells it touches as they were.
        $newIds = [];
        $applied = 0;
        $duplicates = 0;
        $conflicts = [];
        $before = [];
        foreach ($parsed as $e) {
            [$id, $p, $l, $kind, $qty, $at, $to] = $e;
            $fingerprint = "$p\0$l\0$kind\0$qty\0$at\0$to";
            if (isset($this->seen[$id])) {
                $duplicates++;
                if ($this->seen[$id] !== $fingerprint) {
                    $conflicts[] = $id;
                }
                continue;
            }
            $this->seen[$id] = $fingerprint;
            $newIds[] = $id;
            $applied++;

            $before[self::cellKey($p, $l)] ??= $this->snapshot($p, $l);
            switch ($kind) {
                case 'count':
                    $current = $this->counts[$p][$l] ?? null;
                    if ($current === null || $at > $current[0] || ($at === $current[0] && strcmp($id, $current[1]) > 0)) {
                        $this->counts[$p][$l] = [$at, $id, $qty];
                    }
                    break;
                case 'adjust':
                    $this->adjusts[$p][$l][] = [$at, $qty];
                    break;
                case 'commit':
                    $this->committed[$p][$l] = ($this->committed[$p][$l] ?? 0) + $qty;
                    break;
                case 'release':
                    $this->committed[$p][$l] = ($this->committed[$p][$l] ?? 0) - $qty;
                    break;
                case 'transfer':
                    $before[self::cellKey($p, $to)] ??= $this->snapshot($p, $to);
                    $this->adjusts[$p][$l][] = [$at, -$qty];
                    $this->adjusts[$p][$to][] = [$at, $qty];
                    break;
            }
        }

        $changed = [];
        foreach ($before as [$p, $l, $old]) {
            $new = $this->level($p, $l);
            if (is_float($new['on_hand']) || is_float($new['committed'])) {
                $this->restore($before, $newIds);
                throw new \OverflowException('a level would leave the 64-bit integer range; nothing was applied');
            }
            if ($new !== $old) {
                $changed[] = [$p, $l];
            }
        }
        return ['applied' => $applied, 'duplicates' => $duplicates, 'conflicts' => $conflicts, 'changed' => $changed];
    }

    /** @return array{0:int|string, 1:int|string, 2:array, 3:?array, 4:?array, 5:?int} */
    private function snapshot(int|string $p, int|string $l): array
    {
        return [$p, $l, $this->level($p, $l), $this->counts[$p][$l] ?? null, $this->adjusts[$p][$l] ?? null, $this->committed[$p][$l] ?? null];
    }

    private function restore(array $before, array $newIds): void
    {
        foreach ($newIds as $id) {
            unset($this->seen[$id]);
        }
        foreach ($before as [$p, $l, , $count, $adjusts, $committed]) {
            foreach (['counts' => $count, 'adjusts' => $adjusts, 'committed' => $committed] as $table => $value) {
                if ($value === null) {
                    unset($this->{$table}[$p][$l]);
                    if (($this->{$table}[$p] ?? null) === []) {
                        unset($this->{$table}[$p]);
                    }
                } else {
                    $this->{$table}[$p][$l] = $value;
                }
            }
        }
    }

    /** @return array{on_hand:int, committed:int} */
    public function level(int|string $product, int|string $location): array
    {
        $count = $this->counts[$product][$location] ?? null;
        $onHand = $count[2] ?? 0;
        foreach ($this->adjusts[$product][$location] ?? [] as [$at, $qty]) {
            if ($count === null || $at > $count[0]) {
                $onHand += $qty;
            }
        }
        return ['on_hand' => $onHand, 'committed' => $this->committed[$product][$location] ?? 0];
    }

    /** @return list<array{product:int|string, location:int|string, on_hand:int, committed:int}> */
    public function levels(): array
    {
        $cells = [];
        foreach ([$this->counts, $this->adjusts, $this->committed] as $table) {
            foreach ($table as $p => $byLocation) {
                foreach ($byLocation as $l => $_) {
                    $cells[self::cellKey($p, $l)] = [$p, $l];
                }
            }
        }
        ksort($cells, SORT_STRING);
        $levels = [];
        foreach ($cells as [$p, $l]) {
            $levels[] = ['product' => $p, 'location' => $l] + $this->level($p, $l);
        }
        return $levels;
    }

    /** @return array<int|string, int> */
    public function sellable(array $locations, array $safety = []): array
    {
        $wanted = array_flip($locations);
        $sellable = [];
        foreach ($this->levels() as $cell) {
            $sellable[$cell['product']] ??= 0;
            if (isset($wanted[$cell['location']])) {
                $sellable[$cell['product']] += max(0, $cell['on_hand'] - $cell['committed'] - ($safety[$cell['location']] ?? 0));
            }
        }
        return $sellable;
    }

    private static function cellKey(int|string $product, int|string $location): string
    {
        return self::sortKey($product) . "\0\0" . self::sortKey($location);
    }

    /** Integers before strings; integers by value, strings by bytes (what Ledger::levels() promises). */
    private static function sortKey(int|string $key): string
    {
        return is_int($key)
            ? 'i' . pack('J', $key ^ PHP_INT_MIN)
            : 's' . $key;
    }

    /** @return array{0:string, 1:int|string, 2:int|string, 3:string, 4:int, 5:int, 6:int|string|null} */
    private static function parse(mixed $e, int $i): array
    {
        if (!is_array($e)) {
            throw new \ValueError("event $i must be an array");
        }
        $id = $e['id'] ?? null;
        if (!is_string($id) || $id === '' || strlen($id) > 200) {
            throw new \ValueError("event $i: \"id\"");
        }
        $p = self::key($e['product'] ?? null, $i, 'product');
        $l = self::key($e['location'] ?? null, $i, 'location');
        $kind = $e['kind'] ?? null;
        if (!is_string($kind) || !isset(self::KINDS[$kind])) {
            throw new \ValueError("event $i: \"kind\"");
        }
        $qty = $e['qty'] ?? null;
        if (!is_int($qty) || ($kind === 'count' ? $qty < 0 : ($kind === 'adjust' ? $qty === 0 : $qty <= 0))) {
            throw new \ValueError("event $i: \"qty\"");
        }
        $at = $e['at'] ?? null;
        if (!is_int($at) || $at < 0) {
            throw new \ValueError("event $i: \"at\"");
        }
        $to = null;
        if ($kind === 'transfer') {
            $to = self::key($e['to'] ?? null, $i, 'to');
            if ($to === $l) {
                throw new \ValueError("event $i: \"to\"");
            }
        } elseif (array_key_exists('to', $e)) {
            throw new \ValueError("event $i: \"to\"");
        }
        return [$id, $p, $l, $kind, $qty, $at, $to];
    }

    /** An int or a non-empty string, normalised the way PHP normalises array keys ("7" is 7). */
    private static function key(mixed $value, int $i, string $field): int|string
    {
        if (is_int($value)) {
            return $value;
        }
        if (is_string($value) && $value !== '') {
            return array_key_first([$value => true]);
        }
        throw new \ValueError("event $i: \"$field\"");
    }
}
