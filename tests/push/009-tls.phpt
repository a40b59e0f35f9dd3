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

// A private CA and a certificate for 127.0.0.1 that it signs, made now.
$dir = sys_get_temp_dir() . '/omnistock-push-tls-' . getmypid();
@mkdir($dir, 0700);
$run = function (string $cmd) use ($dir) {
    exec("cd " . escapeshellarg($dir) . " && $cmd 2>&1", $out, $rc);
    if ($rc !== 0) {
        throw new RuntimeException("$cmd failed: " . implode("\n", $out));
    }
};
$ec = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
$run("openssl req -x509 $ec -keyout ca.key -out ca.pem -days 2 -subj '/CN=Omnistock Test CA'");
$run("openssl req $ec -keyout server.key -out server.csr -subj '/CN=127.0.0.1'");
file_put_contents("$dir/server.ext", "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
$run('openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext');

$port = push_server("$dir/server.pem", "$dir/server.key");
$request = fn (string $id) => [['id' => $id, 'url' => "https://127.0.0.1:$port/ok", 'method' => 'GET']];

$trusting = new Omnistock\Push(['ca_file' => "$dir/ca.pem", 'retries' => 2, 'backoff_ms' => 10]);
$default = new Omnistock\Push(['retries' => 2, 'backoff_ms' => 10]);
$unverified = new Omnistock\Push(['verify_tls' => false]);

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

array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
trusted: status 200, attempts 1, error null, body "ok"
untrusted: status 0, attempts 1, certificate refused true
unverified: status 200, attempts 1, error null, body "ok"
trusted-again: status 200, attempts 1, error null, body "ok"
wrong-name: status 0, error mentions the name true
