--TEST--
Omnistock\Push: 5xx and 429 are retried with backoff only when the request is safe to repeat
--EXTENSIONS--
omnistock
--INI--
allow_url_fopen=1
--FILE--
<?php
require __DIR__ . '/push.inc';
$port = push_server();
$flaky = fn (string $key, int $times, int $code = 500) => "http://127.0.0.1:$port/flaky?key=$key&times=$times&code=$code";

$push = new Omnistock\Push(['retries' => 2, 'backoff_ms' => 20]);
$results = $push->send([
    ['id' => 'get-500-then-200', 'url' => $flaky('g1', 1), 'method' => 'GET'],
    ['id' => 'put-500-500-then-200', 'url' => $flaky('p1', 2), 'method' => 'PUT', 'body' => 'qty=3'],
    ['id' => 'delete-503-then-200', 'url' => $flaky('d1', 1, 503), 'method' => 'DELETE'],
    ['id' => 'get-429-then-200', 'url' => $flaky('g2', 1, 429), 'method' => 'GET'],
    ['id' => 'get-always-500', 'url' => $flaky('g3', 10), 'method' => 'GET'],
    ['id' => 'post-500', 'url' => $flaky('p2', 1), 'body' => 'x'],
    ['id' => 'patch-500', 'url' => $flaky('p3', 1), 'method' => 'PATCH', 'body' => 'x'],
    ['id' => 'post-idempotency-key', 'url' => $flaky('p4', 1), 'body' => 'x', 'headers' => ['idempotency-key' => 'evt-1']],
    ['id' => 'post-retry-true', 'url' => $flaky('p5', 2), 'body' => 'x', 'retry' => true],
    ['id' => 'get-retry-false', 'url' => $flaky('g4', 1), 'method' => 'GET', 'retry' => false],
    ['id' => 'get-404', 'url' => $flaky('g5', 1, 404), 'method' => 'GET'],
    ['id' => 'get-400', 'url' => $flaky('g6', 1, 400), 'method' => 'GET'],
]);
push_show($results);
$hits = push_stats($port)['hits'];
ksort($hits);
echo json_encode($hits), "\n";

// retries => 0: one attempt, whatever the method.
$results = (new Omnistock\Push(['retries' => 0]))->send([['id' => 'no-retries', 'url' => $flaky('g7', 1), 'method' => 'GET']]);
push_show($results);

// The backoff doubles: with backoff_ms 200, retry 1 waits 100..200 ms and retry 2 waits 200..400 ms.
$results = (new Omnistock\Push(['retries' => 2, 'backoff_ms' => 200]))->send([['id' => 'backoff', 'url' => $flaky('g8', 2), 'method' => 'GET']]);
push_show($results);
var_dump($results['backoff']['time_ms'] >= 300);

// The jitter does not draw from mt_rand(): a seeded sequence stays the script's own.
mt_srand(42);
$expected = [mt_rand(), mt_rand()];
mt_srand(42);
$first = mt_rand();
(new Omnistock\Push(['backoff_ms' => 10]))->send([['id' => 'jitter', 'url' => $flaky('g9', 2), 'method' => 'GET']]);
var_dump([$first, mt_rand()] === $expected);
?>
--EXPECT--
get-500-then-200: status 200, attempts 2, error null, body "ok after 1"
put-500-500-then-200: status 200, attempts 3, error null, body "ok after 2"
delete-503-then-200: status 200, attempts 2, error null, body "ok after 1"
get-429-then-200: status 200, attempts 2, error null, body "ok after 1"
get-always-500: status 500, attempts 3, error null, body "failure 3"
post-500: status 500, attempts 1, error null, body "failure 1"
patch-500: status 500, attempts 1, error null, body "failure 1"
post-idempotency-key: status 200, attempts 2, error null, body "ok after 1"
post-retry-true: status 200, attempts 3, error null, body "ok after 2"
get-retry-false: status 500, attempts 1, error null, body "failure 1"
get-404: status 404, attempts 1, error null, body "failure 1"
get-400: status 400, attempts 1, error null, body "failure 1"
{"d1":2,"g1":2,"g2":2,"g3":3,"g4":1,"g5":1,"g6":1,"p1":3,"p2":1,"p3":1,"p4":2,"p5":3}
no-retries: status 500, attempts 1, error null, body "failure 1"
backoff: status 200, attempts 3, error null, body "ok after 2"
bool(true)
bool(true)
