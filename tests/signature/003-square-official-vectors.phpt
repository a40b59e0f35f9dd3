--TEST--
square: Square's own SDK vectors for its webhook helper, the legacy SHA-1 header, and the event_id
--DESCRIPTION--
Vectors from square/square-php-sdk tests/Flows/WebhooksHelperTest.php and
square/square-nodejs-sdk test/utilities/webhooksHelper.test.ts (the same main vector in both; the
Node one adds two bodies with special characters). The legacy x-square-signature has no official
vector: it is computed here with hash_hmac('sha1', url . body, key).
--EXTENSIONS--
omnistock
--FILE--
<?php
use Omnistock\Webhook;
use Omnistock\SignatureException;

function attempt(array $headers, string $body, array $secrets, array $options): string {
    try {
        $v = Webhook::verify('square', $headers, $body, $secrets, $options);
        return 'ok id=' . var_export($v->id, true) . " ts=" . var_export($v->timestamp, true) . " secret={$v->secretIndex}";
    } catch (SignatureException $e) {
        return $e->reason->name;
    } catch (ValueError $e) {
        return 'ValueError: ' . $e->getMessage();
    }
}

$body = '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}';
$sig = 'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=';
$key = 'Ibxx_5AKakO-3qeNVR61Dw';
$url = 'https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9';
$h = ['x-square-hmacsha256-signature' => $sig];

echo "pass: ", attempt($h, $body, [$key], ['url' => $url]), "\n";
echo "url mismatch: ", attempt($h, $body, [$key], ['url' => 'https://webhook.site/79a4f3a-dcfa-49ee-bac5-9d0edad886b9']), "\n";
echo "invalid signature key: ", attempt($h, $body, ['MCmhFRxGX82xMwg5FsaoQA'], ['url' => $url]), "\n";
// '1z2n3DEJJiUPKcPzQo1ftvbxGdw=' decodes to 20 bytes: not a SHA-256 MAC at all.
echo "invalid signature header: ", attempt(['x-square-hmacsha256-signature' => '1z2n3DEJJiUPKcPzQo1ftvbxGdw='], $body, [$key], ['url' => $url]), "\n";
echo "body mismatch: ", attempt($h, str_replace('2022-07-13', '2022-06-13', $body), [$key], ['url' => $url]), "\n";
$formatted = json_encode(json_decode($body), JSON_PRETTY_PRINT);
echo "body formatted: ", attempt($h, $formatted, [$key], ['url' => $url]), "\n";
echo "empty signature key: ", attempt($h, $body, [''], ['url' => $url]), "\n";
echo "no url: ", attempt($h, $body, [$key], []), "\n";
echo "empty url: ", attempt($h, $body, [$key], ['url' => '']), "\n";
// Node SDK: "signature unescaped chars" and "signature with escaped characters"
echo "node unescaped: ", attempt(['x-square-hmacsha256-signature' => 'W3FlCNk5IA3ZQ2LHTWoajvzfaDu/OwY2tNHIHC3IUOA='],
    '{"data":{"type":"webhooks","id":"fake_id"}}', ['signature-key'], ['url' => 'https://webhook.site/webhooks']), "\n";
echo "node escaped: ", attempt(['x-square-hmacsha256-signature' => 'Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U='],
    '{"data":{"type":"webhooks","id":">id<"}}', ['signature-key'], ['url' => 'https://webhook.site/webhooks']), "\n";

// sign() reproduces the official signature.
var_dump(Webhook::sign('square', $body, $key, ['url' => $url]) === ['x-square-hmacsha256-signature' => $sig]);

// Legacy HMAC-SHA1 header, only with options['legacy'] and only when the SHA-256 header is absent.
$sha1 = base64_encode(hash_hmac('sha1', $url . $body, $key, true));
echo "legacy off: ", attempt(['x-square-signature' => $sha1], $body, [$key], ['url' => $url]), "\n";
echo "legacy on: ", attempt(['X-Square-Signature' => $sha1], $body, [$key], ['url' => $url, 'legacy' => true]), "\n";
echo "legacy wrong: ", attempt(['x-square-signature' => base64_encode(hash_hmac('sha1', $url . $body, 'other', true))], $body, [$key], ['url' => $url, 'legacy' => true]), "\n";
echo "legacy, long key: ", attempt(['x-square-signature' => base64_encode(hash_hmac('sha1', $url . $body, str_repeat('k', 100), true))], $body, [str_repeat('k', 100)], ['url' => $url, 'legacy' => true]), "\n";
echo "both, sha256 wrong: ", attempt(['x-square-signature' => $sha1, 'x-square-hmacsha256-signature' => 'Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U='], $body, [$key], ['url' => $url, 'legacy' => true]), "\n";
echo "sha1 value in the sha256 header: ", attempt(['x-square-hmacsha256-signature' => $sha1], $body, [$key], ['url' => $url, 'legacy' => true]), "\n";
$signed = Webhook::sign('square', $body, $key, ['url' => $url, 'legacy' => true]);
var_dump($signed === ['x-square-hmacsha256-signature' => $sig, 'x-square-signature' => $sha1]);

// The id is the body's event_id, read as json_decode() reads it.
function signed(string $body): array {
    return Webhook::sign('square', $body, 'k', ['url' => 'https://x.test/h']);
}
foreach ([
    '{"event_id":"e\u0301v\/1\n"}',
    '{"event_id":"first","event_id":"second"}',
    '{"data":{"event_id":"nested"}}',
    '{"event_id":7}',
    '{"event_id":"x","event_id":null}',
    '{"event_\u0069d":"escaped key"}',
    '{"event_id":"x"',
    '["event_id","x"]',
    '{"event_id":"\ud83d\ude00"}',
    '{"event_id":"\ud83d"}',
    "{\"event_id\":\"\xff\"}",
    '',
] as $i => $b) {
    $expected = json_decode($b, true);
    $expected = is_array($expected) && isset($expected['event_id']) && is_string($expected['event_id']) ? $expected['event_id'] : null;
    $v = Webhook::verify('square', signed($b), $b, ['k'], ['url' => 'https://x.test/h']);
    echo $i, ' => ', json_encode($v->id), $v->id === $expected ? '' : ' (json_decode differs!)', "\n";
}
?>
--EXPECT--
pass: ok id='ac3ac95b-f97d-458c-a6e6-18981597e05f' ts=NULL secret=0
url mismatch: Mismatch
invalid signature key: Mismatch
invalid signature header: Malformed
body mismatch: Mismatch
body formatted: Mismatch
empty signature key: ValueError: Omnistock\Webhook::verify(): Argument #4 ($secrets) element 0 is not a square secret (it is empty)
no url: ValueError: Omnistock\Webhook::verify(): Argument #5 ($options) must give "url", the notification URL, for the "square" scheme
empty url: ValueError: Omnistock\Webhook::verify(): Argument #5 ($options) option "url" must be a non-empty string
node unescaped: ok id=NULL ts=NULL secret=0
node escaped: ok id=NULL ts=NULL secret=0
bool(true)
legacy off: MissingHeader
legacy on: ok id='ac3ac95b-f97d-458c-a6e6-18981597e05f' ts=NULL secret=0
legacy wrong: Mismatch
legacy, long key: ok id='ac3ac95b-f97d-458c-a6e6-18981597e05f' ts=NULL secret=0
both, sha256 wrong: Mismatch
sha1 value in the sha256 header: Malformed
bool(true)
0 => "e\u0301v\/1\n"
1 => "second"
2 => null
3 => null
4 => null
5 => "escaped key"
6 => null
7 => null
8 => "\ud83d\ude00"
9 => null
10 => null
11 => null
