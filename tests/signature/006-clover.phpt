--TEST--
clover: X-Clover-Auth compared with the app's auth code
--EXTENSIONS--
omnistock
--FILE--
<?php
use Omnistock\Webhook;
use Omnistock\SignatureException;

function attempt(array $headers, array $secrets): string {
    try {
        $v = Webhook::verify('clover', $headers, '{"appId":"DRKVJT2ZRRRSC","merchants":{}}', $secrets);
        return 'ok id=' . var_export($v->id, true) . ' ts=' . var_export($v->timestamp, true) . " secret={$v->secretIndex}";
    } catch (SignatureException $e) {
        return $e->reason->name;
    }
}
$code = '3b4e0c3a-8d2f-4a1e-9c7b-5e6f7a8b9c0d';
echo "valid: ", attempt(['X-Clover-Auth' => $code], [$code]), "\n";
echo "rotation: ", attempt(['x-clover-auth' => $code], ['previous', $code]), "\n";
echo "prefix of the code: ", attempt(['X-Clover-Auth' => substr($code, 0, -1)], [$code]), "\n";
echo "code plus a byte: ", attempt(['X-Clover-Auth' => $code . 'x'], [$code]), "\n";
echo "case changed: ", attempt(['X-Clover-Auth' => strtoupper($code)], [$code]), "\n";
echo "surrounding spaces: ", attempt(['X-Clover-Auth' => " $code\t"], [$code]), "\n";
echo "missing: ", attempt(['X-Clover-Other' => $code], [$code]), "\n";
echo "empty: ", attempt(['X-Clover-Auth' => ''], [$code]), "\n";
echo "no secrets: ", attempt(['X-Clover-Auth' => $code], []), "\n";
var_dump(Webhook::sign('clover', 'body', $code) === ['X-Clover-Auth' => $code]);
?>
--EXPECT--
valid: ok id=NULL ts=NULL secret=0
rotation: ok id=NULL ts=NULL secret=1
prefix of the code: Mismatch
code plus a byte: Mismatch
case changed: Mismatch
surrounding spaces: ok id=NULL ts=NULL secret=0
missing: MissingHeader
empty: Malformed
no secrets: NoSecret
bool(true)
