<?php
/**
 * What one external POS provider means by its webhooks and its API: Square, Shopify, Clover, Standard.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

defined( 'ABSPATH' ) || exit;

/**
 * A provider translates; it keeps no state and touches no database. Connectors\Inbox asks it what a
 * verified delivery says, Connectors\Outbox asks it for the HTTP requests of a batch of changes and
 * what their answers mean, Connectors\Reconciler asks it how to read the register's counts.
 *
 * Shapes shared by every provider:
 *
 *   Observation  what the register showed for one of its cells:
 *                array{item: string, location: string, qty: int, at: int}
 *                item and location are the provider's ids; qty is the sellable count it shows (Square's
 *                IN_STOCK, Shopify's available, Clover's stockCount); at is the provider's own time of
 *                it, in milliseconds since the epoch.
 *   Change       one cell's push, coalesced from every change since the last one:
 *                array{key: string, item: string, location: string, target: int, delta: int, from: ?int, set: bool, at?: int}
 *                key is the push's idempotency key (also what we tag it with, so its echo is known);
 *                at (ms) is when this push was first tried: a retry of it has the same at, so a request
 *                that states a time (Square's occurred_at) is the same request again;
 *                target is our available-to-sell number; delta is target - what the register last
 *                showed (from, null when never seen); set asks for an absolute write guarded by from
 *                (compare and set) instead of an adjustment (we are the system of record there).
 *   Outcome      what an answer says of one change:
 *                array{ok: bool, observed: ?array{qty: int, at: int}, retry_after_ms: ?int, error: ?string, permanent: bool}
 *                observed is the register's number right after our change when the answer tells it (an
 *                Observation's qty and at); permanent marks an error a retry will not cure (a 4xx).
 */
interface Provider {

	/**
	 * The provider's name: square, shopify, clover or standard.
	 */
	public function name(): string;

	/**
	 * The Omnistock\Webhook scheme its deliveries are signed with.
	 */
	public function scheme(): string;

	/**
	 * Options for Omnistock\Webhook::verify() (Square signs the notification URL too).
	 *
	 * @param string $webhook_url The URL the provider posts to (ours, as the provider was told it).
	 * @return array<string, mixed>
	 */
	public function verify_options( string $webhook_url ): array;

	/**
	 * The delivery's unique id, to store it once: Square's event_id, Shopify's X-Shopify-Event-Id, the
	 * Standard webhook-id, Clover's payload id; null when it has none (the inbox then uses the body's hash).
	 *
	 * @param array<string, string> $headers Lower-case names.
	 * @param array                 $payload The decoded JSON body.
	 * @param ?string               $verified_id The id Omnistock\Webhook read from the signed headers.
	 */
	public function delivery_id( array $headers, array $payload, ?string $verified_id ): ?string;

	/**
	 * The topic (event type) of a delivery, for the inbox's list: "inventory.count.updated", ...
	 *
	 * @param array<string, string> $headers Lower-case names.
	 * @param array                 $payload The decoded JSON body.
	 */
	public function topic( array $headers, array $payload ): string;

	/**
	 * What a delivery says about stock: its observations (an empty list for a topic that says nothing
	 * about stock).
	 *
	 * @param array<string, string> $headers Lower-case names.
	 * @param array                 $payload The decoded JSON body.
	 * @return list<array{item: string, location: string, qty: int, at: int}>
	 * @throws \Omnistock\BadInput Naming the field, when the delivery is not what the provider documents.
	 */
	public function observations( array $headers, array $payload ): array;

	/**
	 * Batching and rate limits: batch (changes per request), concurrency (requests at once), per_second
	 * (requests per second, 0 for no limit).
	 *
	 * @return array{batch: int, concurrency: int, per_second: float}
	 */
	public function limits(): array;

	/**
	 * The HTTP requests (Omnistock\Push's request arrays, each with a unique id) that push these
	 * changes; each request's 'changes' lists the keys of the changes it carries (the provider may
	 * split them across requests as its API demands).
	 *
	 * @param Connection  $connection The connection (api_base, credentials).
	 * @param list<array> $changes    Changes (at most limits()['batch']).
	 * @return list<array{request: array, changes: list<string>}>
	 */
	public function push_requests( Connection $connection, array $changes ): array;

	/**
	 * What one request's answer says of each change it carried.
	 *
	 * @param Connection  $connection The connection.
	 * @param list<array> $changes    The changes the request carried.
	 * @param array       $result     Its Omnistock\Push result (status, headers, body, error, ...).
	 * @return array<string, array{ok: bool, observed: ?array{qty: int, at: int}, retry_after_ms: ?int, error: ?string, permanent: bool}> by change key
	 */
	public function push_outcomes( Connection $connection, array $changes, array $result ): array;

	/**
	 * The requests that read the register's counts of these items at these locations (reconciliation).
	 *
	 * @param Connection $connection The connection.
	 * @param string[]   $items      The provider's item ids.
	 * @param string[]   $locations  The provider's location ids.
	 * @return list<array> Omnistock\Push requests.
	 */
	public function count_requests( Connection $connection, array $items, array $locations ): array;

	/**
	 * The counts an answer of count_requests() holds, and the request that reads the next page, if any.
	 *
	 * @param Connection $connection The connection.
	 * @param array      $request    The request.
	 * @param array      $result     Its Omnistock\Push result.
	 * @return array{counts: list<array{item: string, location: string, qty: int, at: int}>, next: ?array}
	 * @throws \Omnistock\Unavailable When the answer is an error.
	 */
	public function counts( Connection $connection, array $request, array $result ): array;

	/**
	 * The request that reads one page of the provider's catalogue (its sellable items: Square's item
	 * variations, Shopify's inventory items, Clover's items), for mapping by SKU.
	 *
	 * @param Connection  $connection The connection.
	 * @param string|null $cursor     The page after the one that gave this cursor; null for the first.
	 * @return array An Omnistock\Push request.
	 */
	public function catalogue_request( Connection $connection, ?string $cursor ): array;

	/**
	 * The items of a catalogue page and the cursor of the next one (null after the last).
	 *
	 * @param Connection $connection The connection.
	 * @param array      $result     The Omnistock\Push result of catalogue_request().
	 * @return array{items: list<array{id: string, sku: string, name: string}>, cursor: ?string}
	 * @throws \Omnistock\Unavailable When the answer is an error.
	 */
	public function catalogue( Connection $connection, array $result ): array;

	/**
	 * The request that lists the provider's locations.
	 *
	 * @param Connection $connection The connection.
	 * @return array An Omnistock\Push request.
	 */
	public function locations_request( Connection $connection ): array;

	/**
	 * The provider's locations.
	 *
	 * @param Connection $connection The connection.
	 * @param array      $result     The Omnistock\Push result of locations_request().
	 * @return list<array{id: string, name: string}>
	 * @throws \Omnistock\Unavailable When the answer is an error.
	 */
	public function locations( Connection $connection, array $result ): array;
}
