--TEST--
Omnistock\Push: Retry-After is honoured (seconds or HTTP-date), capped by timeout_ms, and waiting blocks nobody
--EXTENSIONS--
omnistock
--INI--
allow_url_fopen=1
--FILE--
<?php
require __DIR__ . '/push.inc';
$port = push_server();
$base = "http://127.0.0.1:$port";

// One slot only: while "limited" waits out its Retry-After, the other requests use the slot.
$push = new Omnistock\Push(['concurrency' => 1, 'retries' => 1, 'backoff_ms' => 0]);
$results = $push->send([
    ['id' => 'limited', 'url' => "$base/flaky?key=a&times=1&code=429&retry_after=1", 'method' => 'GET'],
    ['id' => 'fast-1', 'url' => "$base/ok", 'method' => 'GET'],
    ['id' => 'fast-2', 'url' => "$base/delay?ms=100", 'method' => 'GET'],
]);
push_show($results);
var_dump($results['limited']['time_ms'] >= 1000);
var_dump($results['fast-1']['time_ms'] < 1000, $results['fast-2']['time_ms'] < 1000);

// An HTTP-date three seconds ahead (at least one whole second once rounded by the clock).
$date = urlencode(gmdate('D, d M Y H:i:s \G\M\T', time() + 3));
$results = $push->send([['id' => 'dated', 'url' => "$base/flaky?key=b&times=1&code=503&retry_after=$date", 'method' => 'GET']]);
push_show($results);
var_dump($results['dated']['time_ms'] >= 900);

// Retry-After: 3600 is capped by timeout_ms (400 ms).
$push = new Omnistock\Push(['retries' => 1, 'timeout_ms' => 400]);
$results = $push->send([['id' => 'capped', 'url' => "$base/flaky?key=c&times=1&code=429&retry_after=3600", 'method' => 'GET']]);
push_show($results);
var_dump($results['capped']['time_ms'] >= 400 && $results['capped']['time_ms'] < 3000);
?>
--EXPECT--
limited: status 200, attempts 2, error null, body "ok after 1"
fast-1: status 200, attempts 1, error null, body "ok"
fast-2: status 200, attempts 1, error null, body "slept 100"
bool(true)
bool(true)
bool(true)
dated: status 200, attempts 2, error null, body "ok after 1"
bool(true)
capped: status 200, attempts 2, error null, body "ok after 1"
bool(true)
