<?php
/**
 * A provider whose webhooks name what changed without saying its count (Clover).
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

defined( 'ABSPATH' ) || exit;

/**
 * Optional beside Provider. Its observations() are always empty; the cells a delivery names are
 * read back from the provider's API instead (CountReader::read() with these items and locations,
 * which goes through count_requests() and counts()), and each count read is an observation of the
 * delivery, in the order given: event ids `<provider>:<connection>:<delivery id>:<n>` as for any
 * webhook. A delivery is a hint, so reading it twice (a duplicate) is harmless: the second read is
 * newer and shows no news.
 */
interface Rereading {

	/**
	 * The cells a verified delivery says changed.
	 *
	 * @param array<string, string> $headers Lower-case names.
	 * @param array                 $payload The decoded JSON body.
	 * @return list<array{item: string, location: string}>
	 * @throws \Omnistock\BadInput Naming the field, when the delivery is not what the provider documents.
	 */
	public function reread( array $headers, array $payload ): array;
}
