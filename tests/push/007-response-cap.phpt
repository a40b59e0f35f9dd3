--TEST--
Omnistock\Push: a body beyond max_response_bytes is cut and reported as an error, never retried
--EXTENSIONS--
omnistock
--INI--
allow_url_fopen=1
--FILE--
<?php
require __DIR__ . '/push.inc';
$port = push_server();
$base = "http://127.0.0.1:$port";

$push = new Omnistock\Push(['max_response_bytes' => 1000]);
$results = $push->send([
    ['id' => 'at-cap', 'url' => "$base/big?bytes=1000", 'method' => 'GET'],
    ['id' => 'over-cap', 'url' => "$base/big?bytes=1001", 'method' => 'GET'],
    ['id' => 'far-over-cap', 'url' => "$base/big?bytes=5000000", 'method' => 'GET'],
]);
foreach ($results as $id => $r) {
    printf("%s: status %d, attempts %d, body %d bytes, content-length %s, error %s\n", $id, $r['status'], $r['attempts'],
        strlen($r['body']), $r['headers']['content-length'], var_export($r['error'], true));
}
var_dump($results['over-cap']['body'] === str_repeat('x', 1000));

$results = (new Omnistock\Push(['max_response_bytes' => 0]))->send([
    ['id' => 'empty', 'url' => "$base/big?bytes=0", 'method' => 'GET'],
    ['id' => 'one', 'url' => "$base/big?bytes=1", 'method' => 'GET'],
]);
push_show($results);

// The default cap is 1 MiB.
$results = (new Omnistock\Push())->send([['id' => 'mib', 'url' => "$base/big?bytes=" . (1 << 20) + 1, 'method' => 'GET']]);
echo strlen($results['mib']['body']), ' ', $results['mib']['error'], "\n";
?>
--EXPECT--
at-cap: status 200, attempts 1, body 1000 bytes, content-length 1000, error NULL
over-cap: status 200, attempts 1, body 1000 bytes, content-length 1001, error 'response body exceeds max_response_bytes (1000): cut'
far-over-cap: status 200, attempts 1, body 1000 bytes, content-length 5000000, error 'response body exceeds max_response_bytes (1000): cut'
bool(true)
empty: status 200, attempts 1, error null, body ""
one: status 200, attempts 1, error "response body exceeds max_response_bytes (0): cut", body ""
1048576 response body exceeds max_response_bytes (1048576): cut
