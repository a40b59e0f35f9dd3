<?php
/**
 * A fake Standard register: Omnistock's documented JSON stock API (see
 * wp-plugin/src/Connectors/Providers/Standard.php) and Standard Webhooks it signs and sends.
 *
 *   OMNISTOCK_FAKE_STATE=<dir> php -S 127.0.0.1:<port> tests/providers/standard.php
 *
 * API (Authorization: Bearer <token>, wrong or none -> 401):
 *   POST /stock/changes, GET /stock/counts?items=&locations=, GET /items, GET /locations
 * Control (no auth; the shapes of H3's tests/providers/lib/Fake.php):
 *   GET  /_fake/requests            {requests: [{method, path, query, headers, body, at, status}]}: every API request
 *   GET  /_fake/sent                {sent: [{kind, id, url, headers, body, status, at}]}: every webhook sent
 *   GET  /_fake/stock               {stock: {"<item>\n<location>": {qty, at}}}
 *   POST /_fake/config              merges {token, webhook_url, secret, items: [{id, sku, name}],
 *                                   locations: [{id, name}], echo: true|false|"sync", fail: n (500 n
 *                                   times), down: bool (503), slow_ms, rate429: {count, retry_after}}
 *   POST /_fake/stock               {item, location, quantity} seeds a count (no webhook)
 *   POST /_fake/sale                {item, location, qty[, webhook_url, secret, adjusted, send]}: the register
 *                                   sells qty (negative: a return) and SENDS stock.counted (with
 *                                   "adjusted": true, stock.adjusted) before answering
 *                                   {quantity, delivery: {id, status, body}} ("send": false keeps it unsent)
 *   POST /_fake/redeliver           {index?} (default the last sent) or {id}, and {timestamp?}: sends a
 *                                   webhook again with its webhook-id, signed now or at that unix time
 *   POST /_fake/reset               forgets everything
 * After a write through the API the register sends the webhook of its new count (its echo), in the
 * background (echo: true, the default; "sync": before the answer; false: never).
 *
 * Also a command: php standard.php send <state dir> <webhook id> sends a stored webhook (the
 * background echo).
 *
 * @package Omnistock
 */

// phpcs:disable -- a test server, not the plugin.

if ( PHP_SAPI === 'cli' && ( $argv[1] ?? '' ) === 'send' ) {
	putenv( 'OMNISTOCK_FAKE_STATE=' . $argv[2] );
	fake_send_stored( $argv[3], null );
	exit( 0 );
}

fake_route();

/** The state file. */
function fake_state_file(): string {
	$dir = getenv( 'OMNISTOCK_FAKE_STATE' ) ?: sys_get_temp_dir() . '/omnistock-fake-standard';
	if ( ! is_dir( $dir ) ) {
		mkdir( $dir, 0700, true );
	}
	return $dir . '/standard.json';
}

/** A fresh state. */
function fake_initial(): array {
	return array(
		'config'   => array(
			'token'       => 'test-token',
			'webhook_url' => '',
			'secret'      => '',
			'items'       => array(),
			'locations'   => array( array( 'id' => 'L1', 'name' => 'Register 1' ) ),
			'echo'        => true,
			'fail'        => 0,
			'down'        => false,
			'slow_ms'     => 0,
			'rate429'     => array( 'count' => 0, 'retry_after' => 1 ),
		),
		'stock'    => array(),
		'requests' => array(),
		'webhooks' => array(),
		'sent'     => array(),
		'keys'     => array(),
		'last_at'  => 0,
	);
}

/**
 * Runs $work on the state under an exclusive lock; what it returns is written back.
 *
 * @param callable $work function( array &$state ): mixed.
 */
function fake_with_state( callable $work ): mixed {
	$fh = fopen( fake_state_file(), 'c+' );
	flock( $fh, LOCK_EX );
	$raw   = stream_get_contents( $fh );
	$state = $raw ? json_decode( $raw, true ) : null;
	if ( ! is_array( $state ) ) {
		$state = fake_initial();
	}
	$out = $work( $state );
	ftruncate( $fh, 0 );
	rewind( $fh );
	fwrite( $fh, json_encode( $state, JSON_UNESCAPED_SLASHES ) );
	fflush( $fh );
	flock( $fh, LOCK_UN );
	fclose( $fh );
	return $out;
}

/** Milliseconds now, strictly after the last time handed out. */
function fake_now( array &$state ): int {
	$now              = (int) floor( microtime( true ) * 1000 );
	$state['last_at'] = max( $now, (int) $state['last_at'] + 1 );
	return $state['last_at'];
}

function fake_json( int $status, $body, array $headers = array() ): void {
	if ( isset( $GLOBALS['fake_request'] ) ) {
		// The API request being answered keeps its answer's status (the tests read it back).
		$index = $GLOBALS['fake_request'];
		fake_with_state(
			static function ( array &$s ) use ( $index, $status ) {
				if ( isset( $s['requests'][ $index ] ) ) {
					$s['requests'][ $index ]['status'] = $status;
				}
			}
		);
	}
	http_response_code( $status );
	header( 'Content-Type: application/json' );
	foreach ( $headers as $name => $value ) {
		header( "$name: $value" );
	}
	echo json_encode( $body, JSON_UNESCAPED_SLASHES );
}

function fake_route(): void {
	$method = $_SERVER['REQUEST_METHOD'];
	$path   = (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
	$query  = array();
	parse_str( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_QUERY ), $query );
	$raw  = (string) file_get_contents( 'php://input' );
	$body = json_decode( $raw, true );
	if ( str_starts_with( $path, '/_fake/' ) ) {
		fake_control( $method, substr( $path, 7 ), is_array( $body ) ? $body : array() );
		return;
	}
	$headers = array();
	foreach ( getallheaders() as $name => $value ) {
		$headers[ strtolower( $name ) ] = $value;
	}
	// Record first, then judge (a refused request is recorded too).
	$verdict = fake_with_state(
		static function ( array &$state ) use ( $method, $path, $query, $headers, $raw ) {
			$state['requests'][] = array(
				'method'  => $method,
				'path'    => $path,
				'query'   => $query,
				'headers' => $headers,
				'body'    => $raw,
				'at'      => fake_now( $state ),
				'status'  => 0,
			);
			$GLOBALS['fake_request'] = array_key_last( $state['requests'] );
			$c = &$state['config'];
			if ( ! empty( $c['down'] ) ) {
				return array( 503, array( 'error' => 'down' ), array() );
			}
			if ( (int) $c['fail'] > 0 ) {
				--$c['fail'];
				return array( 500, array( 'error' => 'failing' ), array() );
			}
			if ( (int) ( $c['rate429']['count'] ?? 0 ) > 0 ) {
				--$c['rate429']['count'];
				return array( 429, array( 'error' => 'slow down' ), array( 'Retry-After' => (string) (int) ( $c['rate429']['retry_after'] ?? 1 ) ) );
			}
			if ( ( $headers['authorization'] ?? '' ) !== 'Bearer ' . $c['token'] ) {
				return array( 401, array( 'error' => 'unauthorized' ), array() );
			}
			return null;
		}
	);
	$slow = fake_with_state( static fn( array &$s ) => (int) $s['config']['slow_ms'] );
	if ( $slow > 0 ) {
		usleep( $slow * 1000 );
	}
	if ( null !== $verdict ) {
		fake_json( $verdict[0], $verdict[1], $verdict[2] );
		return;
	}
	if ( 'POST' === $method && '/stock/changes' === $path ) {
		fake_changes( is_array( $body ) ? $body : array(), (string) ( $headers['idempotency-key'] ?? '' ) );
		return;
	}
	if ( 'GET' === $method && '/stock/counts' === $path ) {
		$items     = array_filter( explode( ',', (string) ( $query['items'] ?? '' ) ), 'strlen' );
		$locations = array_filter( explode( ',', (string) ( $query['locations'] ?? '' ) ), 'strlen' );
		$stock     = fake_with_state( static fn( array &$s ) => $s['stock'] );
		$counts    = array();
		foreach ( $items as $item ) {
			foreach ( $locations as $location ) {
				if ( isset( $stock[ "$item|$location" ] ) ) {
					$counts[] = array(
						'item'     => $item,
						'location' => $location,
						'quantity' => $stock[ "$item|$location" ]['quantity'],
						'at'       => $stock[ "$item|$location" ]['at'],
					);
				}
			}
		}
		fake_json( 200, array( 'counts' => $counts, 'next' => null ) );
		return;
	}
	if ( 'GET' === $method && '/items' === $path ) {
		fake_json( 200, array( 'items' => fake_with_state( static fn( array &$s ) => $s['config']['items'] ), 'next' => null ) );
		return;
	}
	if ( 'GET' === $method && '/locations' === $path ) {
		fake_json( 200, array( 'locations' => fake_with_state( static fn( array &$s ) => $s['config']['locations'] ) ) );
		return;
	}
	fake_json( 404, array( 'error' => 'no such route' ) );
}

/**
 * POST /stock/changes: each change once by its key (a retry gets the first answer).
 */
function fake_changes( array $body, string $idempotency ): void {
	if ( '' === $idempotency || ! is_array( $body['changes'] ?? null ) ) {
		fake_json( 400, array( 'error' => 'changes and an Idempotency-Key are required' ) );
		return;
	}
	$echoes  = array();
	$results = fake_with_state(
		static function ( array &$state ) use ( $body, &$echoes ) {
			$out = array();
			foreach ( $body['changes'] as $c ) {
				$key = (string) ( $c['key'] ?? '' );
				if ( isset( $state['keys'][ $key ] ) ) {
					$out[] = $state['keys'][ $key ];
					continue;
				}
				$cell = ( $c['item'] ?? '' ) . '|' . ( $c['location'] ?? '' );
				$cur  = $state['stock'][ $cell ]['quantity'] ?? 0;
				if ( ! empty( $c['set'] ) && null !== ( $c['from'] ?? null ) && (int) $c['from'] !== (int) $cur ) {
					$out[] = array( 'key' => $key, 'ok' => false, 'error' => 'conflict: the register shows ' . $cur, 'retryable' => true );
					continue;
				}
				$qty                     = ! empty( $c['set'] ) ? (int) $c['target'] : $cur + (int) $c['delta'];
				$at                      = fake_now( $state );
				$state['stock'][ $cell ] = array( 'quantity' => $qty, 'at' => $at );
				$result                  = array( 'key' => $key, 'ok' => true, 'quantity' => $qty, 'at' => $at );
				$state['keys'][ $key ]   = $result;
				$out[]                   = $result;
				if ( false !== $state['config']['echo'] && '' !== $state['config']['webhook_url'] ) {
					$echo                                 = fake_store_webhook( $state, 'stock.counted', array( 'item' => (string) $c['item'], 'location' => (string) $c['location'], 'quantity' => $qty, 'at' => $at ), null, null );
					$state['webhooks'][ $echo ]['queued'] = true;
					$echoes[]                             = $echo;
				}
			}
			return $out;
		}
	);
	$mode = fake_with_state( static fn( array &$s ) => $s['config']['echo'] );
	foreach ( $echoes as $id ) {
		if ( 'sync' === $mode ) {
			fake_send_stored( $id, null );
		} else {
			exec( sprintf( '%s %s send %s %s > /dev/null 2>&1 &', escapeshellarg( PHP_BINARY ), escapeshellarg( __FILE__ ), escapeshellarg( dirname( fake_state_file() ) ), escapeshellarg( $id ) ) );
		}
	}
	fake_json( 200, array( 'results' => $results ) );
}

/**
 * Keeps a webhook to send (its body), returns its id.
 */
function fake_store_webhook( array &$state, string $type, array $data, ?string $url, ?string $secret ): string {
	$id                        = 'msg_' . bin2hex( random_bytes( 10 ) );
	$state['webhooks'][ $id ]  = array(
		'id'     => $id,
		'url'    => $url ?? $state['config']['webhook_url'],
		'secret' => $secret ?? $state['config']['secret'],
		'body'   => json_encode( array( 'type' => $type, 'id' => 'evt_' . substr( $id, 4 ), 'data' => $data ), JSON_UNESCAPED_SLASHES ),
		'status' => 0,
		'sent'   => 0,
	);
	return $id;
}

/**
 * The Standard Webhooks headers of a body (HMAC-SHA256 of "id.timestamp.body", key = the secret's base64 after whsec_).
 */
function fake_sign( string $id, int $timestamp, string $body, string $secret ): array {
	$key = base64_decode( str_starts_with( $secret, 'whsec_' ) ? substr( $secret, 6 ) : $secret );
	return array(
		'webhook-id'        => $id,
		'webhook-timestamp' => (string) $timestamp,
		'webhook-signature' => 'v1,' . base64_encode( hash_hmac( 'sha256', "$id.$timestamp.$body", $key, true ) ),
	);
}

/**
 * Sends a stored webhook (signed now, or at $timestamp); returns the answer's status.
 */
function fake_send_stored( string $id, ?int $timestamp ): int {
	$hook = fake_with_state( static fn( array &$s ) => $s['webhooks'][ $id ] ?? null );
	if ( null === $hook || '' === $hook['url'] ) {
		return 0;
	}
	$headers = array( 'Content-Type: application/json' );
	$signed  = fake_sign( $id, $timestamp ?? time(), $hook['body'], $hook['secret'] );
	foreach ( $signed as $name => $value ) {
		$headers[] = "$name: $value";
	}
	$ch = curl_init( $hook['url'] );
	curl_setopt_array(
		$ch,
		array(
			CURLOPT_POST           => true,
			CURLOPT_POSTFIELDS     => $hook['body'],
			CURLOPT_HTTPHEADER     => $headers,
			CURLOPT_RETURNTRANSFER => true,
			CURLOPT_TIMEOUT        => 30,
		)
	);
	curl_exec( $ch );
	$status = (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE );
	curl_close( $ch );
	fake_with_state(
		static function ( array &$s ) use ( $id, $status, $hook, $signed ) {
			$s['webhooks'][ $id ]['status'] = $status;
			unset( $s['webhooks'][ $id ]['queued'] );
			++$s['webhooks'][ $id ]['sent'];
			$s['sent'][] = array(
				'kind'    => json_decode( $hook['body'], true )['type'] ?? '',
				'id'      => $id,
				'url'     => $hook['url'],
				'headers' => $signed,
				'body'    => $hook['body'],
				'status'  => $status,
				'at'      => (int) floor( microtime( true ) * 1000 ),
			);
		}
	);
	return $status;
}

function fake_control( string $method, string $what, array $body ): void {
	switch ( $what ) {
		case 'requests':
			fake_json( 200, array( 'requests' => fake_with_state( static fn( array &$s ) => $s['requests'] ) ) );
			return;
		case 'sent':
			fake_json( 200, array( 'sent' => fake_with_state( static fn( array &$s ) => $s['sent'] ), 'queued' => fake_with_state( static fn( array &$s ) => count( array_filter( $s['webhooks'], static fn( array $w ) => ! empty( $w['queued'] ) ) ) ) ) );
			return;
		case 'reset':
			fake_with_state( static function ( array &$s ) { $s = fake_initial(); } );
			fake_json( 200, array( 'ok' => true ) );
			return;
		case 'config':
			fake_json( 200, array( 'config' => fake_with_state( static function ( array &$s ) use ( $body ) {
				$s['config'] = array_replace( $s['config'], $body );
				return array_diff_key( $s['config'], array( 'secret' => 1, 'token' => 1 ) );
			} ) ) );
			return;
		case 'stock':
			if ( 'GET' === $method ) {
				$stock = array();
				foreach ( fake_with_state( static fn( array &$s ) => $s['stock'] ) as $cell => $c ) {
					$stock[ str_replace( '|', "\n", $cell ) ] = array( 'qty' => $c['quantity'], 'at' => $c['at'] );
				}
				fake_json( 200, array( 'stock' => (object) $stock ) );
				return;
			}
			fake_json( 200, fake_with_state( static function ( array &$s ) use ( $body ) {
				$at = fake_now( $s );
				$s['stock'][ $body['item'] . '|' . $body['location'] ] = array( 'quantity' => (int) $body['quantity'], 'at' => $at );
				return array( 'quantity' => (int) $body['quantity'], 'at' => $at );
			} ) );
			return;
		case 'sale':
			list( $id, $qty ) = fake_with_state( static function ( array &$s ) use ( $body ) {
				$cell = $body['item'] . '|' . $body['location'];
				$sold = (int) ( $body['qty'] ?? 1 );
				$qty  = ( $s['stock'][ $cell ]['quantity'] ?? 0 ) - $sold;
				$at   = fake_now( $s );
				$s['stock'][ $cell ] = array( 'quantity' => $qty, 'at' => $at );
				$data = array( 'item' => (string) $body['item'], 'location' => (string) $body['location'], 'at' => $at );
				if ( ! empty( $body['adjusted'] ) ) {
					return array( fake_store_webhook( $s, 'stock.adjusted', $data + array( 'delta' => -$sold ), $body['webhook_url'] ?? null, $body['secret'] ?? null ), $qty );
				}
				return array( fake_store_webhook( $s, 'stock.counted', $data + array( 'quantity' => $qty ), $body['webhook_url'] ?? null, $body['secret'] ?? null ), $qty );
			} );
			$status = ( $body['send'] ?? true ) ? fake_send_stored( $id, null ) : 0;
			$hook   = fake_with_state( static fn( array &$s ) => $s['webhooks'][ $id ] );
			$delivery = array( 'id' => $id, 'status' => $status, 'body' => $hook['body'] );
			fake_json( 200, array( 'quantity' => $qty, 'delivery' => $delivery, 'deliveries' => $status ? array( $delivery ) : array() ) );
			return;
		case 'redeliver':
			$id = (string) ( $body['id'] ?? '' );
			if ( '' === $id ) {
				$sent = fake_with_state( static fn( array &$s ) => $s['sent'] );
				$pick = isset( $body['index'] ) ? ( $sent[ (int) $body['index'] ] ?? null ) : ( $sent ? end( $sent ) : null );
				$id   = (string) ( $pick['id'] ?? '' );
			}
			$status = fake_send_stored( $id, isset( $body['timestamp'] ) ? (int) $body['timestamp'] : null );
			fake_json( 200, array( 'status' => $status, 'id' => $id, 'delivery' => array( 'id' => $id, 'status' => $status ) ) );
			return;
	}
	fake_json( 404, array( 'error' => 'no such control' ) );
}
