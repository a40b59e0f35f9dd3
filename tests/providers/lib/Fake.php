<?php
/**
 * What every fake provider server has in common (a `php -S` router script each: square.php,
 * shopify.php, clover.php, sink.php): its state, the requests it received, the control endpoints
 * the tests drive it with, failures on demand, and the webhooks it sends.
 *
 * State lives in OMNISTOCK_FAKE_STATE (a directory): state.json under an flock, so several
 * `php -S` workers (PHP_CLI_SERVER_WORKERS) share it.
 *
 * Control endpoints (no auth):
 *   GET  /_fake/requests                 every API request received: {requests: [{method, path, query, headers, body, at}]}
 *   GET  /_fake/sent                     every webhook sent: {sent: [{kind, url, headers, body, status, at}]}
 *   GET  /_fake/stock                    {stock: {"<item>\n<location>": {qty, at}}}
 *   POST /_fake/config {...}             merged into the config: fail (answer 500 n times), down (503 always),
 *                                        slow_ms, rate429 {count, retry_after}, lose (apply the next n API requests
 *                                        but answer 500, as if the answer was lost: the caller cannot know it
 *                                        took), webhook_url, secret, token,
 *                                        page_size, echo (send the webhook of a count an API write changed, default true),
 *                                        echo_delay_ms, keep (requests, webhooks and idempotency answers remembered,
 *                                        default the last 5000), log (append every count change to <state>/counts.log
 *                                        as "<ms> <sale|api> <item> <location> <qty>" lines: the benchmark's timeline,
 *                                        and the key of every change of ours applied to <state>/applied.log)
 *                                        and the provider's own (see its script)
 *   POST /_fake/stock {item, location, quantity[, sku, name, location_name]}   seeds a count (no webhook)
 *   POST /_fake/sale {item, location, qty[, webhook_url, secret, send]} the register sells qty (negative: a return):
 *                                        the count moves and the signed webhook is SENT before the answer
 *                                        {quantity, deliveries: [{status, ...}]} ("send": false keeps it in
 *                                        the sent list unsent, status 0, its index given, for /_fake/redeliver)
 *   POST /_fake/redeliver {index?}       sends a webhook already sent (default the last) again, as it was
 *   POST /_fake/reset                    forgets everything
 *
 * @package Omnistock
 */

namespace Omnistock\Tests\Providers;

/**
 * The shared machinery; the provider scripts give the API and the webhook's shape.
 */
final class Fake {

	/** What moves a count now (for the log): a register's sale or an API write. */
	private static string $kind = 'api';

	/**
	 * Serves this request.
	 *
	 * @param array{name: string, auth: callable, api: callable, webhook: callable, throttled?: callable} $provider
	 *   auth(request, state): bool; api(request, &state): array{status, body, headers?, echo?: list<cell>};
	 *   webhook(list<cell> $cells, state): list<array{body: string, headers: array}> (signed);
	 *   throttled(request, state): ?array response instead of the generic 429 (Shopify's cost answer).
	 */
	public static function run( array $provider ): void {
		$dir = getenv( 'OMNISTOCK_FAKE_STATE' ) ?: sys_get_temp_dir() . '/omnistock-fake-' . $provider['name'];
		if ( ! is_dir( $dir ) ) {
			mkdir( $dir, 0700, true );
		}
		$request = array(
			'method'  => $_SERVER['REQUEST_METHOD'] ?? 'GET',
			'path'    => (string) parse_url( $_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH ),
			'query'   => array(),
			'headers' => array_change_key_case( function_exists( 'getallheaders' ) ? getallheaders() : array(), CASE_LOWER ),
			'body'    => (string) file_get_contents( 'php://input' ),
			'at'      => self::now_ms(),
		);
		parse_str( (string) parse_url( $_SERVER['REQUEST_URI'] ?? '/', PHP_URL_QUERY ), $request['query'] );
		$json = json_decode( $request['body'], true );

		if ( 'GET' === $request['method'] && '/' === $request['path'] && getenv( 'OMNISTOCK_FAKE_DEMO' ) ) {
			self::demo_page( $dir, $provider['name'] );
			return;
		}
		if ( str_starts_with( $request['path'], '/_fake/' ) ) {
			self::control( $dir, $provider, $request, is_array( $json ) ? $json : array() );
			return;
		}
		$slow  = 0;
		$deliver = false;
		$answer  = self::locked(
			$dir,
			function ( array &$state ) use ( $provider, $request, &$slow, &$deliver ): array {
				$state['requests'][] = $request;
				$config              = $state['config'];
				$slow                = (int) ( $config['slow_ms'] ?? 0 );
				if ( ! empty( $config['down'] ) ) {
					return array( 'status' => 503, 'body' => array( 'errors' => array( array( 'code' => 'SERVICE_UNAVAILABLE' ) ) ) );
				}
				if ( ( $config['fail'] ?? 0 ) > 0 ) {
					--$state['config']['fail'];
					return array( 'status' => 500, 'body' => array( 'errors' => array( array( 'code' => 'INTERNAL_SERVER_ERROR' ) ) ) );
				}
				if ( ! ( $provider['auth'] )( $request, $state ) ) {
					return array( 'status' => 401, 'body' => array( 'errors' => array( array( 'code' => 'UNAUTHORIZED', 'detail' => 'bad token' ) ) ) );
				}
				if ( ( $config['rate429']['count'] ?? 0 ) > 0 ) {
					--$state['config']['rate429']['count'];
					$own = isset( $provider['throttled'] ) ? ( $provider['throttled'] )( $request, $state ) : null;
					return $own ?? array(
						'status'  => 429,
						'headers' => array( 'Retry-After' => (string) ( $config['rate429']['retry_after'] ?? 1 ) ),
						'body'    => array( 'errors' => array( array( 'category' => 'RATE_LIMIT_ERROR', 'code' => 'RATE_LIMITED' ) ) ),
					);
				}
				$answer = ( $provider['api'] )( $request, $state );
				if ( ( $config['lose'] ?? 0 ) > 0 && (int) $answer['status'] < 300 ) {
					// Applied (and echoed), but its answer never reaches the caller: a timeout's unknown fate.
					--$state['config']['lose'];
					$answer['lost'] = true;
				}
				if ( ! empty( $answer['echo'] ) && ( $state['config']['echo'] ?? true ) && ! empty( $state['config']['webhook_url'] ) ) {
					foreach ( ( $provider['webhook'] )( $answer['echo'], $state ) as $hook ) {
						$state['queue'][] = $hook + array( 'kind' => 'echo', 'url' => $state['config']['webhook_url'] );
					}
					$deliver = true;
				}
				return $answer;
			}
		);
		if ( $slow > 0 ) {
			usleep( $slow * 1000 );
		}
		if ( $deliver ) {
			// The provider sends its webhooks on its own time, after answering: a detached process.
			exec( escapeshellarg( PHP_BINARY ) . ' ' . escapeshellarg( __DIR__ . '/deliver.php' ) . ' ' . escapeshellarg( $dir ) . ' > /dev/null 2>&1 &' );
		}
		if ( ! empty( $answer['lost'] ) ) {
			$answer = array( 'status' => 500, 'body' => array( 'errors' => array( array( 'code' => 'INTERNAL_SERVER_ERROR', 'detail' => 'the answer was lost (fake: lose)' ) ) ) );
		}
		self::answer( $answer );
	}

	/**
	 * The control endpoints.
	 */
	private static function control( string $dir, array $provider, array $request, array $json ): void {
		$route = $request['method'] . ' ' . $request['path'];
		if ( 'POST /_fake/sale' === $route ) {
			$hooks = self::locked(
				$dir,
				function ( array &$state ) use ( $provider, $json ): array {
					self::$kind = 'sale';
					$cell       = self::set_count( $state, (string) $json['item'], (string) $json['location'], ( self::count( $state, (string) $json['item'], (string) $json['location'] )['qty'] ?? 0 ) - (int) $json['qty'] );
					self::$kind = 'api';
					foreach ( array( 'webhook_url', 'secret' ) as $name ) {
						if ( isset( $json[ $name ] ) ) {
							$state['config'][ $name ] = $json[ $name ];
						}
					}
					$url = (string) ( $state['config']['webhook_url'] ?? '' );
					$cells = array( $cell );
					$qty   = $cell['qty'];
					$out   = array();
					foreach ( '' === $url ? array() : ( $provider['webhook'] )( $cells, $state ) as $hook ) {
						$out[] = $hook + array( 'kind' => 'sale', 'url' => $url );
					}
					return array( 'quantity' => $qty, 'hooks' => $out );
				}
			);
			$deliveries = array();
			foreach ( $hooks['hooks'] as $hook ) {
				if ( false === ( $json['send'] ?? true ) ) {
					// Kept unsent (status 0) for a test to deliver later with /_fake/redeliver, in any order.
					$hook['status'] = 0;
					$hook['at']     = self::now_ms();
					$deliveries[]   = self::locked(
						$dir,
						static function ( array &$state ) use ( $hook ): array {
							$state['sent'][] = $hook;
							return $hook + array( 'index' => count( $state['sent'] ) - 1 );
						}
					);
					continue;
				}
				$deliveries[] = self::send( $dir, $hook );
			}
			self::answer( array( 'status' => 200, 'body' => array( 'quantity' => $hooks['quantity'], 'deliveries' => $deliveries ) ) );
			return;
		}
		if ( 'POST /_fake/redeliver' === $route ) {
			$hook = self::locked(
				$dir,
				function ( array &$state ) use ( $json ): ?array {
					$sent = $state['sent'];
					$i    = isset( $json['index'] ) ? (int) $json['index'] : count( $sent ) - 1;
					return $sent[ $i ] ?? null;
				}
			);
			if ( null === $hook ) {
				self::answer( array( 'status' => 404, 'body' => array( 'error' => 'no such webhook' ) ) );
				return;
			}
			$hook['kind'] = 'redeliver';
			self::answer( array( 'status' => 200, 'body' => array( 'delivery' => self::send( $dir, $hook ) ) ) );
			return;
		}
		$answer = self::locked(
			$dir,
			function ( array &$state ) use ( $route, $json ): array {
				switch ( $route ) {
					case 'GET /_fake/requests':
						return array( 'requests' => $state['requests'] );
					case 'GET /_fake/sent':
						return array( 'sent' => $state['sent'], 'queued' => count( $state['queue'] ) );
					case 'GET /_fake/stock':
						return array( 'stock' => (object) $state['stock'] );
					case 'POST /_fake/config':
						$state['config'] = array_replace( $state['config'], $json );
						return array( 'config' => $state['config'] );
					case 'POST /_fake/stock':
						foreach ( array_is_list( $json ) ? $json : array( $json ) as $seed ) {
							$key                    = $seed['item'] . "\n" . $seed['location'];
							$state['stock'][ $key ] = array( 'qty' => (int) $seed['quantity'], 'at' => max( self::now_ms(), ( $state['stock'][ $key ]['at'] ?? 0 ) + 1 ) );
							$state['items'][ (string) $seed['item'] ] = array(
								'id'   => (string) $seed['item'],
								'sku'  => (string) ( $seed['sku'] ?? ( $state['items'][ (string) $seed['item'] ]['sku'] ?? '' ) ),
								'name' => (string) ( $seed['name'] ?? ( $state['items'][ (string) $seed['item'] ]['name'] ?? 'Item ' . $seed['item'] ) ),
							);
							if ( ! isset( $state['locations'][ (string) $seed['location'] ] ) || isset( $seed['location_name'] ) ) {
								$state['locations'][ (string) $seed['location'] ] = array( 'id' => (string) $seed['location'], 'name' => (string) ( $seed['location_name'] ?? 'Location ' . $seed['location'] ) );
							}
						}
						return array( 'ok' => true );
					case 'POST /_fake/reset':
						$state = self::fresh();
						return array( 'ok' => true );
				}
				return array( 'error' => 'no such control endpoint: ' . $route );
			}
		);
		self::answer( array( 'status' => isset( $answer['error'] ) ? 404 : 200, 'body' => $answer ) );
	}

	/**
	 * bin/demo's register (OMNISTOCK_FAKE_DEMO=1 only): its items and counts, a "Sell 1" button
	 * each that calls its own /_fake/sale (the count moves and the signed webhook goes to the shop).
	 */
	private static function demo_page( string $dir, string $name ): void {
		$state = self::locked( $dir, static fn( array &$state ): array => $state );
		$shop  = (string) getenv( 'OMNISTOCK_FAKE_DEMO_SHOP' );
		$rows  = '';
		foreach ( $state['stock'] as $key => $cell ) {
			list( $item, $location ) = explode( "\n", $key );
			$label                   = $state['items'][ $item ]['name'] ?? $item;
			$location_name           = $state['locations'][ $location ]['name'] ?? $location;
			$data                    = htmlspecialchars( (string) json_encode( array( 'item' => $item, 'location' => $location, 'qty' => 1 ) ), ENT_QUOTES );
			$rows                   .= '<tr><td>' . htmlspecialchars( $label ) . '</td><td>' . htmlspecialchars( $location_name ) . '</td><td class="n">' . (int) $cell['qty']
				. '</td><td><button data-sale="' . $data . '">Sell 1</button></td></tr>';
		}
		$last = '';
		foreach ( array_slice( array_reverse( $state['sent'] ), 0, 5 ) as $hook ) {
			$last .= '<li>' . htmlspecialchars( gmdate( 'H:i:s', intdiv( (int) $hook['at'], 1000 ) ) . ' ' . $hook['kind'] . ' webhook → HTTP ' . $hook['status'] ) . '</li>';
		}
		header( 'Content-Type: text/html; charset=utf-8' );
		echo '<!doctype html><meta charset="utf-8"><title>Demo register (' . htmlspecialchars( $name ) . ')</title>'
			. '<style>body{font:16px system-ui,sans-serif;margin:2em;max-width:44em}td,th{padding:.3em .8em;text-align:left}.n{text-align:right}button{font-size:1em}small{color:#555}</style>'
			. '<h1>Demo register</h1><p><small>A local stand-in speaking ' . htmlspecialchars( ucfirst( $name ) ) . "'s documented API (tests/providers/" . htmlspecialchars( $name ) . '.php): no real account is reached. '
			. 'A sale moves its count and sends the signed webhook to the shop, which applies it within a second or two.</small></p>'
			. '<table><tr><th>Item</th><th>Location</th><th class="n">Count here</th><th></th></tr>' . $rows . '</table>'
			. ( '' !== $shop ? '<p>Watch the shop: <a href="' . htmlspecialchars( $shop ) . '">' . htmlspecialchars( $shop ) . '</a></p>' : '' )
			. '<h2>Last webhooks</h2><ul>' . $last . '</ul>'
			. '<script>document.querySelectorAll("[data-sale]").forEach(function(b){b.onclick=function(){b.disabled=true;'
			. 'fetch("/_fake/sale",{method:"POST",headers:{"Content-Type":"application/json"},body:b.dataset.sale}).then(function(){location.reload();});};});</script>';
	}

	/**
	 * Sends a webhook and records it (with the receiver's status).
	 *
	 * @param array{kind: string, url: string, body: string, headers: array} $hook
	 */
	public static function send( string $dir, array $hook ): array {
		$ch    = curl_init( $hook['url'] );
		$lines = array();
		foreach ( $hook['headers'] as $name => $value ) {
			$lines[] = "$name: $value";
		}
		$lines[] = 'Content-Type: application/json';
		curl_setopt_array(
			$ch,
			array(
				CURLOPT_POST           => true,
				CURLOPT_POSTFIELDS     => $hook['body'],
				CURLOPT_HTTPHEADER     => $lines,
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_TIMEOUT        => 30,
			)
		);
		$response       = curl_exec( $ch );
		$hook['status'] = (int) curl_getinfo( $ch, CURLINFO_RESPONSE_CODE );
		$hook['answer'] = is_string( $response ) ? substr( $response, 0, 2000 ) : curl_error( $ch );
		$hook['at']     = self::now_ms();
		curl_close( $ch );
		self::locked(
			$dir,
			function ( array &$state ) use ( $hook ): void {
				$state['sent'][] = $hook;
			}
		);
		return $hook;
	}

	/**
	 * Runs $work on the state under the directory's lock and saves it.
	 */
	public static function locked( string $dir, callable $work ): mixed {
		$lock = fopen( "$dir/lock", 'c' );
		flock( $lock, LOCK_EX );
		try {
			$raw   = @file_get_contents( "$dir/state.json" );
			$state = is_string( $raw ) && '' !== $raw ? json_decode( $raw, true ) : null;
			$state = is_array( $state ) ? $state + self::fresh() : self::fresh();
			$out   = $work( $state );
			// Long runs (the benchmark) keep the latest only: config keep, default 5000 of each. The
			// idempotency answers at least 5000 whatever keep says: a provider remembers a key for
			// hours, and a retry (same key) after a smaller keep would be applied twice, a double
			// count that is the fake's, not ours.
			$keep = (int) ( $state['config']['keep'] ?? 5000 );
			foreach ( array( 'requests', 'sent', 'idempotency' ) as $list ) {
				$limit = 'idempotency' === $list ? max( $keep, 5000 ) : $keep;
				if ( count( $state[ $list ] ) > $limit ) {
					$state[ $list ] = array_slice( $state[ $list ], -$limit );
				}
			}
			file_put_contents( "$dir/state.json.tmp", json_encode( $state, JSON_UNESCAPED_SLASHES ) );
			rename( "$dir/state.json.tmp", "$dir/state.json" );
			return $out;
		} finally {
			flock( $lock, LOCK_UN );
			fclose( $lock );
		}
	}

	/**
	 * An empty state.
	 */
	private static function fresh(): array {
		return array(
			'config'      => array(),
			'stock'       => array(),
			'items'       => array(),
			'locations'   => array(),
			'idempotency' => array(),
			'requests'    => array(),
			'sent'        => array(),
			'queue'       => array(),
			'seq'         => 0,
		);
	}

	/**
	 * Answers: status, JSON body (or a string as is), headers.
	 */
	private static function answer( array $answer ): void {
		http_response_code( (int) $answer['status'] );
		foreach ( $answer['headers'] ?? array() as $name => $value ) {
			header( "$name: $value" );
		}
		header( 'Content-Type: application/json' );
		echo is_string( $answer['body'] ) ? $answer['body'] : json_encode( $answer['body'], JSON_UNESCAPED_SLASHES );
	}

	/**
	 * Moves a count (API writes and sales), its time strictly later than its last one.
	 *
	 * @return array{item: string, location: string, qty: int, at: int} The cell as it is now.
	 */
	public static function set_count( array &$state, string $item, string $location, int $qty ): array {
		$key                    = "$item\n$location";
		$at                     = max( self::now_ms(), ( $state['stock'][ $key ]['at'] ?? 0 ) + 1 );
		$state['stock'][ $key ] = array( 'qty' => $qty, 'at' => $at );
		if ( ! empty( $state['config']['log'] ) ) {
			file_put_contents( (string) getenv( 'OMNISTOCK_FAKE_STATE' ) . '/counts.log', "$at " . self::$kind . " $item $location $qty\n", FILE_APPEND );
		}
		return array( 'item' => $item, 'location' => $location, 'qty' => $qty, 'at' => $at );
	}

	/**
	 * Notes (config log: <state>/applied.log, one line each) the key of a change of ours the fake
	 * applied: a key there twice is a change applied twice (the benchmark counts them).
	 */
	public static function applied( array $state, string $key ): void {
		if ( ! empty( $state['config']['log'] ) && '' !== $key ) {
			file_put_contents( (string) getenv( 'OMNISTOCK_FAKE_STATE' ) . '/applied.log', "$key\n", FILE_APPEND );
		}
	}

	/**
	 * The count of a cell (null when never seeded).
	 */
	public static function count( array $state, string $item, string $location ): ?array {
		return $state['stock'][ "$item\n$location" ] ?? null;
	}

	/**
	 * A page of a list: [elements, next offset or null].
	 */
	public static function page( array $all, int $offset, int $limit, array $state ): array {
		$size = min( $limit > 0 ? $limit : 1000, (int) ( $state['config']['page_size'] ?? 1000 ) );
		$rows = array_slice( $all, $offset, $size );
		return array( $rows, $offset + $size < count( $all ) ? $offset + $size : null, $size );
	}

	/**
	 * A new id, unique in this fake.
	 */
	public static function id( array &$state, string $prefix ): string {
		++$state['seq'];
		return $prefix . sprintf( '%08d', $state['seq'] ) . bin2hex( random_bytes( 4 ) );
	}

	/**
	 * Now in ms.
	 */
	public static function now_ms(): int {
		return (int) floor( microtime( true ) * 1000 );
	}

	/**
	 * RFC 3339 UTC with milliseconds.
	 */
	public static function rfc3339( int $ms, bool $fraction = true ): string {
		return gmdate( 'Y-m-d\TH:i:s', intdiv( $ms, 1000 ) ) . ( $fraction ? sprintf( '.%03d', $ms % 1000 ) : '' ) . 'Z';
	}
}
