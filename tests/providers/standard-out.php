<?php
/**
 * A register that speaks Omnistock's Standard stock API (README, "Standard"), the part pushes use:
 *
 *   POST /stock/changes {"changes": [{"key", "item", "location", "delta", "target", "from"}]}
 *        Authorization: Bearer <token>, Idempotency-Key  ->  200 {"results": [{"key", "ok": true, "quantity", "at"}]}
 *        A change applies once per key (a repeated key answers what it answered first). "from"
 *        null sets the count to "target"; else the count moves by "delta".
 *   GET  /stock/counts?items=a,b&locations=x,y  ->  {"counts": [{"item", "location", "quantity", "at"}]}
 *
 * Run: OMNISTOCK_FAKE_STATE=<dir> [OMNISTOCK_FAKE_TOKEN=<token>] php -S 127.0.0.1:<port> tests/providers/standard-out.php
 * Control (tests): GET /_fake/requests (every request: at_ms, method, path, status, headers, body),
 * POST /_fake/config {down: bool (503 always), fail: n (500 n times), rate429: {count, retry_after}, slow_ms},
 * POST /_fake/stock {item, location, quantity} (seed), GET /_fake/stock ({"<item>|<location>": {quantity, at}}),
 * POST /_fake/reset. State: JSON in the state folder, under flock (php -S may run several workers).
 *
 * @package Omnistock
 */

$dir = getenv( 'OMNISTOCK_FAKE_STATE' ) ?: sys_get_temp_dir() . '/omnistock-fake-standard-out';
if ( ! is_dir( $dir ) ) {
	mkdir( $dir, 0777, true );
}
$token  = getenv( 'OMNISTOCK_FAKE_TOKEN' ) ?: 'standard-token';
$method = $_SERVER['REQUEST_METHOD'] ?? 'GET';
$path   = parse_url( $_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH );
$body   = (string) file_get_contents( 'php://input' );
$now    = (int) floor( microtime( true ) * 1000 );

/** Runs $work on the state, locked; writes it back. */
function fake_state( string $dir, callable $work ) {
	$lock = fopen( "$dir/state.lock", 'c' );
	flock( $lock, LOCK_EX );
	$file  = "$dir/state.json";
	$state = is_file( $file ) ? json_decode( (string) file_get_contents( $file ), true ) : null;
	if ( ! is_array( $state ) ) {
		$state = array( 'config' => array(), 'stock' => array(), 'keys' => array(), 'requests' => array() );
	}
	$out = $work( $state );
	file_put_contents( "$file.tmp", json_encode( $state ) );
	rename( "$file.tmp", $file );
	flock( $lock, LOCK_UN );
	fclose( $lock );
	return $out;
}

function fake_answer( int $status, $data, array $headers = array() ): void {
	http_response_code( $status );
	header( 'Content-Type: application/json' );
	foreach ( $headers as $name => $value ) {
		header( "$name: $value" );
	}
	echo json_encode( $data );
}

if ( str_starts_with( (string) $path, '/_fake/' ) ) {
	$input = json_decode( $body, true );
	$input = is_array( $input ) ? $input : array();
	$data  = fake_state(
		$dir,
		static function ( array &$state ) use ( $path, $method, $input, $now ) {
			switch ( $path ) {
				case '/_fake/requests':
					return $state['requests'];
				case '/_fake/config':
					$state['config'] = array_merge( $state['config'], $input );
					return $state['config'];
				case '/_fake/stock':
					if ( 'POST' === $method ) {
						$state['stock'][ $input['item'] . '|' . $input['location'] ] = array( 'quantity' => (int) $input['quantity'], 'at' => $now );
					}
					return (object) $state['stock'];
				case '/_fake/reset':
					$state = array( 'config' => array(), 'stock' => array(), 'keys' => array(), 'requests' => array() );
					return array( 'reset' => true );
			}
			return array( 'error' => 'no such control' );
		}
	);
	fake_answer( 200, $data );
	return true;
}

$headers = array();
foreach ( $_SERVER as $name => $value ) {
	if ( str_starts_with( $name, 'HTTP_' ) ) {
		$headers[ strtolower( str_replace( '_', '-', substr( $name, 5 ) ) ) ] = $value;
	}
}
$answer = fake_state(
	$dir,
	static function ( array &$state ) use ( $method, $path, $body, $headers, $token, $now ) {
		$config = $state['config'];
		$record = array(
			'at_ms'   => $now,
			'method'  => $method,
			'path'    => $path,
			'query'   => $_SERVER['QUERY_STRING'] ?? '',
			'headers' => array_intersect_key( $headers, array_flip( array( 'idempotency-key', 'authorization', 'content-type' ) ) ),
			'body'    => $body,
		);
		$answer = null;
		if ( ( $headers['authorization'] ?? '' ) !== "Bearer $token" ) {
			$answer = array( 401, array( 'error' => 'unauthorized' ), array() );
		} elseif ( ! empty( $config['down'] ) ) {
			$answer = array( 503, array( 'error' => 'down' ), array() );
		} elseif ( ! empty( $config['rate429']['count'] ) ) {
			--$state['config']['rate429']['count'];
			$answer = array( 429, array( 'error' => 'slow down' ), array( 'Retry-After' => (string) ( $config['rate429']['retry_after'] ?? 1 ) ) );
		} elseif ( ! empty( $config['fail'] ) ) {
			--$state['config']['fail'];
			$answer = array( 500, array( 'error' => 'failed' ), array() );
		} elseif ( 'POST' === $method && '/stock/changes' === $path ) {
			$input = json_decode( $body, true );
			if ( ! is_array( $input ) || ! isset( $input['changes'] ) || ! is_array( $input['changes'] ) ) {
				$answer = array( 400, array( 'error' => 'changes must be a list' ), array() );
			} else {
				$results = array();
				foreach ( $input['changes'] as $change ) {
					$key = (string) ( $change['key'] ?? '' );
					if ( isset( $state['keys'][ $key ] ) ) {
						$results[] = $state['keys'][ $key ];
						continue;
					}
					$cell    = $change['item'] . '|' . $change['location'];
					$current = $state['stock'][ $cell ]['quantity'] ?? 0;
					$qty     = null === ( $change['from'] ?? null ) ? (int) $change['target'] : $current + (int) $change['delta'];
					$at      = max( $now, ( $state['stock'][ $cell ]['at'] ?? 0 ) + 1 );
					$state['stock'][ $cell ] = array( 'quantity' => $qty, 'at' => $at );
					$result                  = array( 'key' => $key, 'ok' => true, 'quantity' => $qty, 'at' => $at );
					$state['keys'][ $key ]   = $result;
					$results[]               = $result;
				}
				$answer = array( 200, array( 'results' => $results ), array() );
			}
		} elseif ( 'GET' === $method && '/stock/counts' === $path ) {
			parse_str( $_SERVER['QUERY_STRING'] ?? '', $query );
			$counts = array();
			foreach ( explode( ',', (string) ( $query['items'] ?? '' ) ) as $item ) {
				foreach ( explode( ',', (string) ( $query['locations'] ?? '' ) ) as $location ) {
					if ( isset( $state['stock'][ "$item|$location" ] ) ) {
						$counts[] = array( 'item' => $item, 'location' => $location ) + $state['stock'][ "$item|$location" ];
					}
				}
			}
			$answer = array( 200, array( 'counts' => $counts ), array() );
		} else {
			$answer = array( 404, array( 'error' => 'no such route' ), array() );
		}
		$record['status']      = $answer[0];
		$state['requests'][]   = $record;
		return $answer + array( 3 => (int) ( $config['slow_ms'] ?? 0 ) );
	}
);
if ( $answer[3] > 0 ) {
	usleep( $answer[3] * 1000 );
}
fake_answer( $answer[0], $answer[1], $answer[2] );
return true;
