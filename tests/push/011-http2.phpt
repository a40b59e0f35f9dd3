--TEST--
Omnistock\Push: over HTTP/2, concurrent requests are streams multiplexed on one connection, kept across send() calls
--EXTENSIONS--
omnistock
--SKIPIF--
<?php
exec('node --version 2>/dev/null', $out, $rc);
if ($rc !== 0) {
    die('skip the HTTP/2 test server needs Node.js (node)');
}
exec('openssl version', $out, $rc);
if ($rc !== 0) {
    die('skip the openssl command is needed');
}
ob_start();
phpinfo(INFO_MODULES);
if (!preg_match('/libcurl HTTP\/2 => yes/', ob_get_clean())) {
    die('skip libcurl without HTTP/2');
}
?>
--FILE--
<?php
require __DIR__ . '/push.inc';
$dir = push_make_certs();
$port = push_h2_server("$dir/server.pem", "$dir/server.key");
// Generous timeouts: under valgrind (which also traces Node) the TLS handshake is slow.
$push = new Omnistock\Push(['ca_file' => "$dir/ca.pem", 'concurrency' => 20, 'connect_timeout_ms' => 60000, 'timeout_ms' => 60000]);
$stats = fn () => json_decode($push->send([['id' => 's', 'url' => "https://127.0.0.1:$port/stats", 'method' => 'GET']])['s']['body'], true);

// Each answer waits until all 20 streams are open at once (or 30 s): max_in_flight is exact.
$batch = fn (string $tag) => array_map(
    fn ($i) => ['id' => "$tag$i", 'url' => "https://127.0.0.1:$port/gather?n=20", 'body' => "{\"n\":$i}"], range(1, 20));
$results = $push->send($batch('a'));
echo count(array_filter($results, fn ($r) => $r['status'] === 200 && $r['body'] === 'h2 2.0')), " of 20 answered over HTTP/2\n";
echo json_encode($stats()), "\n";

$results = $push->send($batch('b'));
echo count(array_filter($results, fn ($r) => $r['status'] === 200)), " of 20 answered\n";
echo json_encode($stats()), "\n";
?>
--EXPECT--
20 of 20 answered over HTTP/2
{"sessions":1,"streams":20,"max_in_flight":20}
20 of 20 answered
{"sessions":1,"streams":40,"max_in_flight":20}
