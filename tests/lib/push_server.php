<?php
/**
 * A small HTTP/1.1 server on 127.0.0.1 for the Omnistock\Push tests and benchmark: one process,
 * non-blocking sockets and stream_select(), so it answers any number of requests concurrently
 * (a delayed answer is a timer, not a sleeping worker). Keep-alive, Content-Length bodies.
 *
 *   php push_server.php                 plain HTTP
 *   php push_server.php CERT KEY        HTTPS (the handshake of each new connection is blocking)
 *
 * Prints "port N" on its first line once it listens on an ephemeral port, and exits when its
 * standard input closes (the test that started it ended).
 *
 * Routes (query parameters in brackets):
 *   /ok                      200 "ok"
 *   /echo                    200 JSON: method, path, headers (lower-case names), body
 *   /delay [ms]              200 "slept <ms>" after ms milliseconds
 *   /gather [n]              200 "gathered" once n requests are in flight at once (a barrier, so
 *                            max_in_flight is exact however slow the client), or after 5 s
 *   /flaky [key, times, code, retry_after]
 *                            the first `times` requests for `key` get `code` (500), with a
 *                            Retry-After header when given; the next get 200 "ok after <times>"
 *   /status [code]           that status, body "status <code>"
 *   /big [bytes]             200 with a body of that many "x"
 *   /headers                 200 with mixed-case and repeated header names
 *   /redirect                302 to /ok
 *   /reset                   reads the request, then closes the connection with a TCP RST
 *   /close                   reads the request, then closes the connection (no response)
 *   /hang                    reads the request and never answers
 *   /stats                   JSON: connections (that carried a request other than /stats),
 *                            requests (likewise), max_in_flight (requests accepted but not yet
 *                            answered, at the worst moment), hits (per /flaky key);
 *                            with [reset], max_in_flight starts again from 0 afterwards
 */

$tls = $argc >= 3 ? ['local_cert' => $argv[1], 'local_pk' => $argv[2]] : null;
$listener = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr,
    STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, stream_context_create(['socket' => ['backlog' => 1024]]));
if ($listener === false) {
    fwrite(STDERR, "push_server: $errstr\n");
    exit(1);
}
stream_set_blocking($listener, false);
$port = (int) substr(strrchr(stream_socket_get_name($listener, false), ':'), 1);
fwrite(STDOUT, "port $port\n");
fflush(STDOUT);

$conns = [];       // id => ['sock', 'in', 'out', 'due' => ?float, 'reply' => ?string, 'counted' => bool, 'after' => ?string]
$stats = ['connections' => 0, 'requests' => 0, 'max_in_flight' => 0, 'hits' => []];
$inFlight = 0;

function now(): float
{
    return hrtime(true) / 1e9;
}

function response(int $code, string $body, array $headers = []): string
{
    $reasons = [200 => 'OK', 302 => 'Found', 429 => 'Too Many Requests', 500 => 'Internal Server Error', 503 => 'Service Unavailable'];
    $head = "HTTP/1.1 $code " . ($reasons[$code] ?? 'Status') . "\r\nContent-Length: " . strlen($body) . "\r\n";
    foreach ($headers as [$name, $value]) {
        $head .= "$name: $value\r\n";
    }
    return $head . "\r\n" . $body;
}

/** Returns [reply or null, delay in seconds, after-action] for a complete request. */
function route(string $method, string $target, array $headers, string $body, array &$stats): array
{
    $path = parse_url($target, PHP_URL_PATH) ?? '/';
    parse_str(parse_url($target, PHP_URL_QUERY) ?? '', $q);
    switch ($path) {
        case '/ok':
            return [response(200, 'ok'), 0, null];
        case '/echo':
            return [response(200, json_encode(['method' => $method, 'path' => $target, 'headers' => $headers, 'body' => $body]),
                [['Content-Type', 'application/json']]), 0, null];
        case '/delay':
            $ms = (int) ($q['ms'] ?? 50);
            return [response(200, "slept $ms"), $ms / 1000, null];
        case '/gather':
            return [response(200, 'gathered'), 5.0, 'gather:' . max(1, (int) ($q['n'] ?? 1))];
        case '/flaky':
            $key = (string) ($q['key'] ?? 'default');
            $hit = $stats['hits'][$key] = ($stats['hits'][$key] ?? 0) + 1;
            $times = (int) ($q['times'] ?? 1);
            if ($hit <= $times) {
                $extra = isset($q['retry_after']) ? [['Retry-After', $q['retry_after']]] : [];
                return [response((int) ($q['code'] ?? 500), "failure $hit", $extra), 0, null];
            }
            return [response(200, "ok after $times"), 0, null];
        case '/status':
            $code = (int) ($q['code'] ?? 200);
            return [response($code, "status $code"), 0, null];
        case '/redirect':
            return [response(302, 'moved', [['Location', '/ok']]), 0, null];
        case '/big':
            return [response(200, str_repeat('x', (int) ($q['bytes'] ?? 0))), 0, null];
        case '/headers':
            return [response(200, 'h', [['X-Mixed-Case', 'One'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'],
                ['X-Padded', "  spaced\t "]]), 0, null];
        case '/reset':
            return [null, 0, 'reset'];
        case '/close':
            return [null, 0, 'close'];
        case '/hang':
            return [null, 0, 'hang'];
        case '/stats':
            $reply = response(200, json_encode($stats));
            if (isset($q['reset'])) {
                $stats['max_in_flight'] = 0;
            }
            return [$reply, 0, null];
        default:
            return [response(404, 'no route'), 0, null];
    }
}

function close_conn(int $id, bool $reset = false): void
{
    global $conns, $inFlight;
    if ($conns[$id]['due'] !== null || $conns[$id]['hanging']) {
        $inFlight--;
    }
    if ($reset && function_exists('socket_import_stream')) {
        $socket = socket_import_stream($conns[$id]['sock']);
        if ($socket !== false && $socket !== null) {
            socket_set_option($socket, SOL_SOCKET, SO_LINGER, ['l_onoff' => 1, 'l_linger' => 0]);
        }
    }
    fclose($conns[$id]['sock']);
    unset($conns[$id]);
}

/** Parses complete requests out of the connection's input buffer. */
function serve(int $id): void
{
    global $conns, $stats, $inFlight;
    $c = &$conns[$id];
    while ($c['due'] === null && !$c['hanging'] && ($end = strpos($c['in'], "\r\n\r\n")) !== false) {
        $lines = explode("\r\n", substr($c['in'], 0, $end));
        [$method, $target] = explode(' ', array_shift($lines)) + [1 => '/'];
        $headers = [];
        foreach ($lines as $line) {
            [$name, $value] = explode(':', $line, 2) + [1 => ''];
            $headers[strtolower(trim($name))] = trim($value);
        }
        $length = (int) ($headers['content-length'] ?? 0);
        if (strlen($c['in']) < $end + 4 + $length) {
            return; // the body is still coming
        }
        $body = substr($c['in'], $end + 4, $length);
        $c['in'] = (string) substr($c['in'], $end + 4 + $length);

        $isStats = str_starts_with($target, '/stats');
        if (!$isStats) {
            $stats['requests']++;
            if (!$c['counted']) {
                $c['counted'] = true;
                $stats['connections']++;
            }
        }
        [$reply, $delay, $after] = route($method, $target, $headers, $body, $stats);
        if ($after === 'reset' || $after === 'close') {
            close_conn($id, $after === 'reset');
            return;
        }
        if ($method === 'HEAD' && $reply !== null) {
            $reply = substr($reply, 0, strpos($reply, "\r\n\r\n") + 4); // the headers say how long the body would be
        }
        $inFlight++;
        $stats['max_in_flight'] = max($stats['max_in_flight'], $inFlight);
        if ($after === 'hang') {
            $c['hanging'] = true;
            return;
        }
        $c['due'] = now() + $delay;
        $c['gather'] = str_starts_with((string) $after, 'gather:') ? (int) substr($after, 7) : null;
        $c['reply'] = $reply;
        $c['close'] = strtolower($headers['connection'] ?? '') === 'close';
    }
}

$stdin = STDIN;
stream_set_blocking($stdin, false);
for (;;) {
    $now = now();
    foreach ($conns as $id => &$c) {
        if ($c['gather'] !== null && $inFlight >= $c['gather']) {
            $c['due'] = $now; // the barrier is reached: every waiting /gather answers
            $c['gather'] = null;
        }
    }
    unset($c);
    foreach ($conns as $id => &$c) {
        if ($c['due'] !== null && $c['due'] <= $now) {
            $c['out'] .= $c['reply'];
            $c['due'] = null;
            $c['reply'] = null;
            $inFlight--;
        }
    }
    unset($c);
    foreach (array_keys($conns) as $id) {
        if (isset($conns[$id]) && $conns[$id]['out'] === '') {
            serve($id); // requests that arrived while an earlier one was pending
        }
    }

    $read = [$listener, $stdin];
    $write = [];
    $timeout = 1.0;
    foreach ($conns as $id => $c) {
        $read[] = $c['sock'];
        if ($c['out'] !== '') {
            $write[] = $c['sock'];
        }
        if ($c['due'] !== null) {
            $timeout = min($timeout, max(0.0, $c['due'] - $now));
        }
    }
    $except = null;
    $sec = (int) $timeout;
    if (@stream_select($read, $write, $except, $sec, (int) (($timeout - $sec) * 1e6)) === false) {
        continue;
    }
    foreach ($write as $sock) {
        $id = (int) $sock;
        if (!isset($conns[$id])) {
            continue;
        }
        $n = @fwrite($sock, $conns[$id]['out']);
        if ($n === false) {
            close_conn($id);
            continue;
        }
        $conns[$id]['out'] = (string) substr($conns[$id]['out'], $n);
        if ($conns[$id]['out'] === '' && $conns[$id]['close'] && $conns[$id]['due'] === null) {
            close_conn($id);
        }
    }
    foreach ($read as $sock) {
        if ($sock === $stdin) {
            if (fread($stdin, 8192) === '' && feof($stdin)) {
                exit(0);
            }
            continue;
        }
        if ($sock === $listener) {
            while (($client = @stream_socket_accept($listener, 0)) !== false) {
                if ($tls !== null) {
                    stream_set_blocking($client, true);
                    stream_set_timeout($client, 5);
                    foreach ($tls as $option => $value) {
                        stream_context_set_option($client, 'ssl', $option, $value);
                    }
                    if (!@stream_socket_enable_crypto($client, true, STREAM_CRYPTO_METHOD_TLS_SERVER)) {
                        fclose($client); // e.g. the client refused our certificate
                        continue;
                    }
                }
                stream_set_blocking($client, false);
                $conns[(int) $client] = ['sock' => $client, 'in' => '', 'out' => '', 'due' => null, 'reply' => null,
                    'counted' => false, 'hanging' => false, 'close' => false, 'gather' => null];
            }
            continue;
        }
        $id = (int) $sock;
        if (!isset($conns[$id])) {
            continue;
        }
        $data = @fread($sock, 65536);
        if ($data === false || ($data === '' && feof($sock))) {
            close_conn($id);
            continue;
        }
        $conns[$id]['in'] .= $data;
        serve($id);
    }
}
