--TEST--
shopify: X-Shopify-Hmac-Sha256 against vectors computed with hash_hmac(), the webhook id, round trips
--DESCRIPTION--
Shopify publishes no test vector: the expected values are computed here with
base64_encode(hash_hmac('sha256', $body, $secret, true)), as Shopify's documentation describes.
--EXTENSIONS--
omnistock
--FILE--
<?php
use Omnistock\Webhook;
use Omnistock\SignatureException;

function attempt(array $headers, string $body, array $secrets): string {
    try {
        $v = Webhook::verify('shopify', $headers, $body, $secrets);
        return 'ok id=' . var_export($v->id, true) . ' ts=' . var_export($v->timestamp, true) . " secret={$v->secretIndex}";
    } catch (SignatureException $e) {
        return $e->reason->name;
    }
}

$secret = 'hush-shpss_5f3b0c6e1d';
$body = '{"id":820982911946154508,"email":"jon@example.com","line_items":[{"sku":"IPOD2008PINK","quantity":1}]}';
$mac = base64_encode(hash_hmac('sha256', $body, $secret, true));
$h = ['X-Shopify-Hmac-Sha256' => $mac, 'X-Shopify-Webhook-Id' => 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', 'X-Shopify-Topic' => 'orders/create'];

echo "valid: ", attempt($h, $body, [$secret]), "\n";
echo "lower-case names: ", attempt(array_change_key_case($h), $body, [$secret]), "\n";
echo "no id header: ", attempt(['x-shopify-hmac-sha256' => $mac], $body, [$secret]), "\n";
echo "rotation: ", attempt($h, $body, ['old-secret', $secret]), "\n";
echo "wrong secret: ", attempt($h, $body, ['old-secret']), "\n";
echo "body changed: ", attempt($h, $body . "\n", [$secret]), "\n";
echo "hex instead of base64: ", attempt(['X-Shopify-Hmac-Sha256' => hash_hmac('sha256', $body, $secret)] + $h, $body, [$secret]), "\n";
echo "no hmac header: ", attempt(['X-Shopify-Webhook-Id' => 'x'], $body, [$secret]), "\n";
echo "empty id: ", attempt(['X-Shopify-Webhook-Id' => ''] + $h, $body, [$secret]), "\n";
echo "empty body: ", attempt(['X-Shopify-Hmac-Sha256' => base64_encode(hash_hmac('sha256', '', $secret, true))], '', [$secret]), "\n";
$bin = random_bytes(300);
echo "binary secret and body: ", attempt(['X-Shopify-Hmac-Sha256' => base64_encode(hash_hmac('sha256', $bin, "\0\xff" . $secret, true))], $bin, ["\0\xff" . $secret]), "\n";

$signed = Webhook::sign('shopify', $body, $secret, ['id' => 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043']);
var_dump($signed === ['X-Shopify-Hmac-Sha256' => $mac, 'X-Shopify-Webhook-Id' => 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043']);
echo "round trip: ", attempt($signed, $body, [$secret]), "\n";
$s = Webhook::generateSecret('shopify')['secret'];
var_dump(strlen($s), attempt(Webhook::sign('shopify', 'x', $s), 'x', [$s]));
?>
--EXPECT--
valid: ok id='b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' ts=NULL secret=0
lower-case names: ok id='b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' ts=NULL secret=0
no id header: ok id=NULL ts=NULL secret=0
rotation: ok id='b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' ts=NULL secret=1
wrong secret: Mismatch
body changed: Mismatch
hex instead of base64: Malformed
no hmac header: MissingHeader
empty id: Malformed
empty body: ok id=NULL ts=NULL secret=0
binary secret and body: ok id=NULL ts=NULL secret=0
bool(true)
round trip: ok id='b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' ts=NULL secret=0
int(43)
string(27) "ok id=NULL ts=NULL secret=0"
