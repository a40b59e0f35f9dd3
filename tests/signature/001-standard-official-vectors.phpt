--TEST--
standard: the Standard Webhooks reference libraries' own vectors (HMAC-SHA256, v1)
--DESCRIPTION--
Vectors from standard-webhooks/standard-webhooks:
  libraries/php/tests/WebhookTest.php and libraries/php/tests/TestPayload.php
  libraries/python/tests/test_webhooks.py
Their tests build the valid header from the current time; here "now" is fixed instead, and the
header is built the same way they build it (TestPayload: HMAC-SHA256 over "id.timestamp.payload"
with the base64-decoded secret).
--EXTENSIONS--
omnistock
--FILE--
<?php
use Omnistock\Webhook;
use Omnistock\SignatureException;

function attempt(array $headers, string $body, array $secrets, array $options = []): string {
    try {
        $v = Webhook::verify('standard', $headers, $body, $secrets, $options);
        return "ok id={$v->id} ts={$v->timestamp} secret={$v->secretIndex}";
    } catch (SignatureException $e) {
        return $e->reason->name;
    }
}

// testSignFunctionWorks / test_sign_function
$h = Webhook::sign('standard', '{"test": 2432232314}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    ['id' => 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'timestamp' => 1614265330]);
var_dump($h['webhook-signature'] === 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
echo attempt([
    'webhook-id' => 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    'webhook-timestamp' => '1614265330',
    'webhook-signature' => 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
], '{"test": 2432232314}', ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], ['now' => 1614265330]), "\n";

// TestPayload (PHP, payload ...315) and PayloadForTesting (Python, payload ...314)
const MSG_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const SECRET = 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NOW = 1700000000;
function payload(int $ts, string $body): array {
    $sig = base64_encode(pack('H*', hash_hmac('sha256', MSG_ID . ".$ts.$body", base64_decode(SECRET))));
    return ['webhook-id' => MSG_ID, 'webhook-signature' => "v1,$sig", 'webhook-timestamp' => (string) $ts];
}
foreach (['{"test": 2432232315}', '{"test": 2432232314}'] as $body) {
    $p = payload(NOW, $body);
    echo "valid: ", attempt($p, $body, [SECRET], ['now' => NOW]), "\n";
    // testSignatureVerificationWithAndWithoutPrefix
    echo "prefixed secret: ", attempt($p, $body, ['whsec_' . SECRET], ['now' => NOW]), "\n";
    // testInvalidSignatureThrowsException: 'v1,dawfeoifkpqwoekfpqoekf' is not even a 32-byte base64 value
    echo "invalid (php): ", attempt(['webhook-signature' => 'v1,dawfeoifkpqwoekfpqoekf'] + $p, $body, [SECRET], ['now' => NOW]), "\n";
    // test_invalid_signature_raises_error: a well-formed but wrong signature
    echo "invalid (python): ", attempt(['webhook-signature' => 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA='] + $p, $body, [SECRET], ['now' => NOW]), "\n";
    foreach (['webhook-id', 'webhook-timestamp', 'webhook-signature'] as $missing) {
        $q = $p;
        unset($q[$missing]);
        echo "missing $missing: ", attempt($q, $body, [SECRET], ['now' => NOW]), "\n";
    }
    echo "timestamp 'hello': ", attempt(['webhook-timestamp' => 'hello'] + $p, $body, [SECRET], ['now' => NOW]), "\n";
    // testOldTimestampThrowsException / testNewTimestampThrowsException (TOLERANCE = 5 * 60)
    echo "old: ", attempt(payload(NOW - 300 - 1, $body), $body, [SECRET], ['now' => NOW]), "\n";
    echo "new: ", attempt(payload(NOW + 300 + 1, $body), $body, [SECRET], ['now' => NOW]), "\n";
    // testMultiSigPayloadIsValid
    $p['webhook-signature'] = implode(' ', [
        'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
        'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
        $p['webhook-signature'],
        'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
    ]);
    echo "multi: ", attempt($p, $body, [SECRET], ['now' => NOW]), "\n";
    // testValidBrandlessSignatureIsValidAndReturnsJson: header names in any case
    echo "mixed case: ", attempt(array_combine(array_map('ucwords', array_keys($p), ['-', '-', '-']), $p), $body, [SECRET], ['now' => NOW]), "\n";
}
?>
--EXPECT--
bool(true)
ok id=msg_p5jXN8AQM9LWM0D4loKWxJek ts=1614265330 secret=0
valid: ok id=msg_p5jXN8AQM9LWM0D4loKWxJek ts=1700000000 secret=0
prefixed secret: ok id=msg_p5jXN8AQM9LWM0D4loKWxJek ts=1700000000 secret=0
invalid (php): Malformed
invalid (python): Mismatch
missing webhook-id: MissingHeader
missing webhook-timestamp: MissingHeader
missing webhook-signature: MissingHeader
timestamp 'hello': Malformed
old: Expired
new: NotYetValid
multi: ok id=msg_p5jXN8AQM9LWM0D4loKWxJek ts=1700000000 secret=0
mixed case: ok id=msg_p5jXN8AQM9LWM0D4loKWxJek ts=1700000000 secret=0
valid: ok id=msg_p5jXN8AQM9LWM0D4loKWxJek ts=1700000000 secret=0
prefixed secret: ok id=msg_p5jXN8AQM9LWM0D4loKWxJek ts=1700000000 secret=0
invalid (php): Malformed
invalid (python): Mismatch
missing webhook-id: MissingHeader
missing webhook-timestamp: MissingHeader
missing webhook-signature: MissingHeader
timestamp 'hello': Malformed
old: Expired
new: NotYetValid
multi: ok id=msg_p5jXN8AQM9LWM0D4loKWxJek ts=1700000000 secret=0
mixed case: ok id=msg_p5jXN8AQM9LWM0D4loKWxJek ts=1700000000 secret=0
