<?php
/**
 * A webhook receiver for the tests of the fake providers themselves: answers 200 (or
 * config.status) to everything and records it (GET /_fake/requests). Run as the other fakes:
 * `OMNISTOCK_FAKE_STATE=<dir> php -S 127.0.0.1:<port> tests/providers/sink.php`.
 *
 * @package Omnistock
 */

require __DIR__ . '/lib/Fake.php';

use Omnistock\Tests\Providers\Fake;

Fake::run(
	array(
		'name'    => 'sink',
		'auth'    => static fn(): bool => true,
		'api'     => static fn( array $request, array &$state ): array => array(
			'status' => (int) ( $state['config']['status'] ?? 200 ),
			'body'   => array( 'status' => 'stored' ),
		),
		'webhook' => static fn(): array => array(),
	)
);
