--TEST--
Omnistock\Push: bad options and malformed requests throw \ValueError naming the request and field; nothing is sent
--EXTENSIONS--
omnistock
--INI--
allow_url_fopen=1
--FILE--
<?php
require __DIR__ . '/push.inc';
$port = push_server();
$ok = "http://127.0.0.1:$port/ok";

function attempt(callable $f): void
{
    try {
        $f();
        echo "no error\n";
    } catch (\ValueError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}

echo "-- options\n";
foreach ([
    ['concurrency' => 0], ['concurrency' => 1025], ['concurrency' => '4'], ['timeout_ms' => 0],
    ['connect_timeout_ms' => -1], ['retries' => 21], ['backoff_ms' => 1.5], ['max_response_bytes' => -1],
    ['verify_tls' => 1], ['ca_file' => ''], ['ca_file' => '/nonexistent/omnistock-ca.pem'], ['ca_file' => 7],
    ['user_agent' => "x\r\nX-Injected: 1"], ['user_agent' => null], ['concurency' => 4], [0 => 4],
] as $options) {
    attempt(fn () => new Omnistock\Push($options));
}
attempt(fn () => new Omnistock\Push(['concurrency' => 1, 'connect_timeout_ms' => 1, 'timeout_ms' => 3600000,
    'retries' => 0, 'backoff_ms' => 0, 'max_response_bytes' => 0, 'verify_tls' => false, 'ca_file' => null,
    'user_agent' => '']));

echo "-- requests\n";
$push = new Omnistock\Push();
$good = ['id' => 'good', 'url' => $ok];
foreach ([
    ['a' => $good],
    [$good, 'not an array'],
    [$good, ['url' => $ok]],
    [$good, ['id' => '', 'url' => $ok]],
    [$good, ['id' => 5, 'url' => $ok]],
    [$good, ['id' => 'b', 'url' => $ok], ['id' => 'good', 'url' => $ok]],
    [$good, ['id' => '7', 'url' => $ok], ['id' => '7', 'url' => $ok]],
    [$good, ['id' => 'b']],
    [$good, ['id' => 'b', 'url' => "ftp://127.0.0.1:$port/"]],
    [$good, ['id' => 'b', 'url' => 'file:///etc/passwd']],
    [$good, ['id' => 'b', 'url' => '127.0.0.1/ok']],
    [$good, ['id' => 'b', 'url' => "http://127.0.0.1:$port/o k"]],
    [$good, ['id' => 'b', 'url' => "http://127.0.0.1:$port/\0"]],
    [$good, ['id' => 'b', 'url' => $ok, 'method' => 'GE T']],
    [$good, ['id' => 'b', 'url' => $ok, 'method' => "GET\r\n"]],
    [$good, ['id' => 'b', 'url' => $ok, 'method' => '']],
    [$good, ['id' => 'b', 'url' => $ok, 'headers' => "X: 1"]],
    [$good, ['id' => 'b', 'url' => $ok, 'headers' => ['X: 1']]],
    [$good, ['id' => 'b', 'url' => $ok, 'headers' => ["X-Evil\r\nHost" => 'a']]],
    [$good, ['id' => 'b', 'url' => $ok, 'headers' => ["X-Evil\n" => 'a']]],
    [$good, ['id' => 'b', 'url' => $ok, 'headers' => ['X-Evil' => "a\r\nX-Injected: 1"]]],
    [$good, ['id' => 'b', 'url' => $ok, 'headers' => ['X-Evil' => "a\nb"]]],
    [$good, ['id' => 'b', 'url' => $ok, 'headers' => ['X-Evil' => "a\0b"]]],
    [$good, ['id' => 'b', 'url' => $ok, 'headers' => ['X Space' => 'a']]],
    [$good, ['id' => 'b', 'url' => $ok, 'headers' => ['X-List' => ['a']]]],
    [$good, ['id' => 'b', 'url' => $ok, 'headers' => ['content-length' => '3']]],
    [$good, ['id' => 'b', 'url' => $ok, 'headers' => ['Transfer-Encoding' => 'chunked']]],
    [$good, ['id' => 'b', 'url' => $ok, 'body' => ['qty' => 1]]],
    [$good, ['id' => 'b', 'url' => $ok, 'method' => 'HEAD', 'body' => 'x']],
    [$good, ['id' => 'b', 'url' => $ok, 'retry' => 1]],
    [$good, ['id' => 'b', 'url' => $ok, 'header' => ['X' => '1']]],
    [$good, ['id' => 'b', 'url' => $ok, 0 => 'x']],
    [$good, ['id' => str_repeat('z', 100), 'url' => 'nope']],
] as $requests) {
    attempt(fn () => $push->send($requests));
}

// Every batch above held a valid request first: none of them reached the server.
var_dump(push_stats($port)['requests']);
?>
--EXPECT--
-- options
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) option "concurrency" must be an int from 1 to 1024
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) option "concurrency" must be an int from 1 to 1024
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) option "concurrency" must be an int from 1 to 1024
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) option "timeout_ms" must be an int from 1 to 3600000
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) option "connect_timeout_ms" must be an int from 1 to 600000
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) option "retries" must be an int from 0 to 20
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) option "backoff_ms" must be an int from 0 to 600000
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) option "max_response_bytes" must be an int from 0 to 1073741824
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) option "verify_tls" must be a bool
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) option "ca_file" must be null or a file path
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) option "ca_file" must be a readable file, "/nonexistent/omnistock-ca.pem" is not
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) option "ca_file" must be null or a file path
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) option "user_agent" must be a string without CR, LF or NUL
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) option "user_agent" must be a string without CR, LF or NUL
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) has an unknown option "concurency"
ValueError: Omnistock\Push::__construct(): Argument #1 ($options) has an unknown option 0
no error
-- requests
ValueError: Omnistock\Push::send(): Argument #1 ($requests) must be a list of requests
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 must be an array, string given
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1: "id" must be a non-empty string
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1: "id" must be a non-empty string
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1: "id" must be a non-empty string
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 2 ("good"): "id" duplicates request 0
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 2 ("7"): "id" duplicates request 1
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "url" must be an http:// or https:// URL
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "url" must be an http:// or https:// URL
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "url" must be an http:// or https:// URL
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "url" must be an http:// or https:// URL
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "url" must be an http:// or https:// URL
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "url" must be an http:// or https:// URL
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "method" must be an HTTP method name (a token of at most 32 characters)
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "method" must be an HTTP method name (a token of at most 32 characters)
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "method" must be an HTTP method name (a token of at most 32 characters)
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "headers" must be an array of name => value, string given
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "headers" must map header names to values; 0 is not a name
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "headers" name must not contain CR, LF or NUL
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "headers" name must not contain CR, LF or NUL
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "headers" value of "X-Evil" must not contain CR, LF or NUL
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "headers" value of "X-Evil" must not contain CR, LF or NUL
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "headers" value of "X-Evil" must not contain CR, LF or NUL
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "headers" name "X Space" is not a valid header name
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "headers" value of "X-List" must be a string or an int, array given
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "headers" must not set "content-length": Push frames the body itself
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "headers" must not set "Transfer-Encoding": Push frames the body itself
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "body" must be a string, array given
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "body" must be empty for a HEAD request
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "retry" must be a bool or null, int given
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "header" is not a request field
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("b"): "0" is not a request field
ValueError: Omnistock\Push::send(): Argument #1 ($requests) request 1 ("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz..."): "url" must be an http:// or https:// URL
int(0)
