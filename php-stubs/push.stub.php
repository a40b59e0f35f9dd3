<?php

/** @generate-class-entries */

namespace Omnistock;

/**
 * Outbound HTTP: sends many requests at once with libcurl's multi interface, retries the ones it
 * is safe to retry, and reports every request's outcome (none is lost silently).
 *
 * One libcurl multi handle and one share handle (connections, DNS, TLS sessions) serve the whole
 * process (per thread under ZTS): they are created by the first send() and freed at shutdown, so
 * connections are reused across send() calls and Push instances, and HTTP/2 streams are
 * multiplexed on one connection where the server offers it.
 *
 * Options (an unknown key is refused):
 *   concurrency          int 1..1024, default 16: requests in flight at once
 *   connect_timeout_ms   int 1..600000, default 3000: per attempt
 *   timeout_ms           int 1..3600000, default 10000: per attempt, connect included; also caps
 *                        a Retry-After wait and the exponential backoff
 *   retries              int 0..20, default 2: further attempts after the first, for a safe request
 *   backoff_ms           int 0..600000, default 200: wait before retry n is backoff_ms * 2^(n-1),
 *                        with jitter (between half and all of it)
 *   max_response_bytes   int 0..1073741824, default 1048576: a longer body is cut and reported as an error
 *   verify_tls           bool, default true: verify the server's certificate and host name
 *   ca_file              ?string, default null (the system's CA store): a PEM file of trusted CAs
 *   user_agent           string, default "Omnistock/<version>"
 *
 * @strict-properties
 * @not-serializable
 */
final class Push
{
    /** @throws \ValueError naming the option, when an option is unknown or out of range */
    public function __construct(array $options = []) {}

    /**
     * Sends every request, concurrently, and waits until each one has its final outcome.
     *
     * A request is an array:
     *   id       non-empty string, unique in the batch as an array key ("42" and 42 are one key):
     *            the key of its result
     *   url      http:// or https:// URL (redirects are not followed)
     *   method   HTTP method token, default "POST"
     *   headers  array name => string|int value; no CR, LF or NUL anywhere; Content-Length and
     *            Transfer-Encoding are set by Push and refused here
     *   body     string, default "" (sent as is: Push adds no Content-Type and no Expect header;
     *            GET, DELETE and other methods without a body send none)
     *   retry    ?bool, default null: null retries GET, PUT, DELETE and any request that carries an
     *            Idempotency-Key header; true or false decide for this request
     * A request is retried (up to `retries` times) after a transport failure (connection refused or
     * reset, timeout, ...), a 429 or a 5xx response; the wait is the response's Retry-After when it
     * has one (capped by timeout_ms), otherwise the backoff. Waiting never holds up other requests.
     *
     * The result, keyed by id in the order of $requests, is per request:
     *   status    int: the last attempt's HTTP status, 0 when it got no complete response
     *   headers   array: the last response's headers, lower-case names, repeated ones joined by ", "
     *   body      string: the last response's body (at most max_response_bytes)
     *   error     ?string: null when a complete response arrived (whatever its status), else why not
     *   attempts  int: attempts made
     *   time_ms   int: from the first attempt's start to the outcome, waits included
     *
     * @param array[] $requests a list of requests
     * @return array<string, array{status:int, headers:array<string,string>, body:string, error:?string, attempts:int, time_ms:int}>
     * @throws \ValueError naming the request (index and id) and the field, when a request is malformed; nothing is sent then
     * @throws Exception when libcurl itself fails (out of memory, broken multi handle)
     */
    public function send(array $requests): array {}
}
