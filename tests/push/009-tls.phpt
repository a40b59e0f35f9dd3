--TEST--
Omnistock\Push: HTTPS is verified: a private CA is refused unless ca_file trusts it; verify_tls false skips it
--EXTENSIONS--
omnistock
--SKIPIF--
<?php
if (!extension_loaded('openssl') && !in_array('openssl', explode("\n", (string) shell_exec(PHP_BINARY . ' -m')), true)) {
    die('skip the TLS test server needs ext/openssl');
}
exec('openssl version', $out, $rc);
if ($rc !== 0) {
    die('skip the openssl command is needed');
}
?>
--FILE--
<?php
require __DIR__ . '/push.inc';

$dir = push_make_certs();
$port = push_server("$dir/server.pem", "$dir/server.key");
$request = fn (string $id) => [['id' => $id, 'url' => "https://127.0.0.1:$port/ok", 'method' => 'GET']];

// Generous timeouts: under valgrind both ends of a TLS handshake are slow, and a timed-out attempt
// would be retried, which is not what this test is about (attempt counts are asserted).
$slow = ['connect_timeout_ms' => 60000, 'timeout_ms' => 60000];
$trusting = new Omnistock\Push(['ca_file' => "$dir/ca.pem", 'retries' => 2, 'backoff_ms' => 10] + $slow);
$default = new Omnistock\Push(['retries' => 2, 'backoff_ms' => 10] + $slow);
$unverified = new Omnistock\Push(['verify_tls' => false] + $slow);

push_show($trusting->send($request('trusted')));
// A connection verified against ca.pem is not reused by an instance that trusts only the system store.
$r = $default->send($request('untrusted'));
printf("untrusted: status %d, attempts %d, certificate refused %s\n", $r['untrusted']['status'], $r['untrusted']['attempts'],
    var_export(str_contains($r['untrusted']['error'], 'certificate'), true));
push_show($unverified->send($request('unverified')));
push_show($trusting->send($request('trusted-again')));

// The certificate names 127.0.0.1, not localhost: the host name is checked too.
$r = $trusting->send([['id' => 'wrong-name', 'url' => "https://localhost:$port/ok", 'method' => 'GET', 'retry' => false]]);
printf("wrong-name: status %d, error mentions the name %s\n", $r['wrong-name']['status'],
    var_export(str_contains((string) $r['wrong-name']['error'], "host name 'localhost'"), true));

?>
--EXPECT--
trusted: status 200, attempts 1, error null, body "ok"
untrusted: status 0, attempts 1, certificate refused true
unverified: status 200, attempts 1, error null, body "ok"
trusted-again: status 200, attempts 1, error null, body "ok"
wrong-name: status 0, error mentions the name true
