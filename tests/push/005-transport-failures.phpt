--TEST--
Omnistock\Push: refused, reset, closed and silent connections give status 0 and an error; safe ones are retried
--EXTENSIONS--
omnistock
--INI--
allow_url_fopen=1
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/push.inc';
$port = push_server();
$base = "http://127.0.0.1:$port";
$refused = 'http://127.0.0.1:' . push_closed_port() . '/ok';

$push = new Omnistock\Push(['retries' => 2, 'backoff_ms' => 10, 'timeout_ms' => 700]);
$results = $push->send([
    ['id' => 'refused-get', 'url' => $refused, 'method' => 'GET'],
    ['id' => 'refused-post', 'url' => $refused],
    ['id' => 'reset-get', 'url' => "$base/reset", 'method' => 'GET'],
    ['id' => 'reset-post', 'url' => "$base/reset"],
    ['id' => 'closed-put', 'url' => "$base/close", 'method' => 'PUT', 'body' => 'x'],
    ['id' => 'silent-post', 'url' => "$base/hang"],
    ['id' => 'silent-delete', 'url' => "$base/hang", 'method' => 'DELETE'],
]);
foreach ($results as $id => $r) {
    $error = preg_replace(['/port \d+ after \d+ ms/', '/after \d+ milliseconds/'], ['port P after T ms', 'after T milliseconds'], $r['error']);
    printf("%s: status %d, attempts %d, headers %d, body %s, error %s\n", $id, $r['status'], $r['attempts'],
        count($r['headers']), json_encode($r['body']), $error);
}
var_dump($results['silent-post']['time_ms'] >= 700, $results['silent-delete']['time_ms'] >= 3 * 700);
$stats = push_stats($port);
// Requests the server saw: reset 3 + 1, closed 3, silent 1 + 3.
var_dump($stats['requests']);
?>
--EXPECT--
refused-get: status 0, attempts 3, headers 0, body "", error Failed to connect to 127.0.0.1 port P after T ms: Couldn't connect to server
refused-post: status 0, attempts 1, headers 0, body "", error Failed to connect to 127.0.0.1 port P after T ms: Couldn't connect to server
reset-get: status 0, attempts 3, headers 0, body "", error Recv failure: Connection reset by peer
reset-post: status 0, attempts 1, headers 0, body "", error Recv failure: Connection reset by peer
closed-put: status 0, attempts 3, headers 0, body "", error Empty reply from server
silent-post: status 0, attempts 1, headers 0, body "", error Operation timed out after T milliseconds with 0 bytes received
silent-delete: status 0, attempts 3, headers 0, body "", error Operation timed out after T milliseconds with 0 bytes received
bool(true)
bool(true)
int(11)
