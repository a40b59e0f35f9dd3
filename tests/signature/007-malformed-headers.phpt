--TEST--
Malformed headers: empty, truncated, wrong version, bad base64, oversized, duplicates, missing pieces, bad timestamps, whitespace games, mixed-case names
--EXTENSIONS--
omnistock
--FILE--
<?php
use Omnistock\Webhook;
use Omnistock\SignatureException;

const KEY = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NOW = 1700000000;
const BODY = '{"type":"inventory.count.updated"}';
$good = Webhook::sign('standard', BODY, KEY, ['id' => 'msg_1', 'timestamp' => NOW]);
$sig = $good['webhook-signature'];
$b64 = substr($sig, 3);

function attempt(string $label, array $headers, string $scheme = 'standard', array $secrets = [KEY], array $options = ['now' => NOW]): void {
    try {
        $v = Webhook::verify($scheme, $headers, BODY, $secrets, $options);
        $r = "ok";
    } catch (SignatureException $e) {
        $r = $e->reason->name;
    } catch (ValueError $e) {
        $r = 'ValueError: ' . $e->getMessage();
    }
    echo str_pad($label, 34), $r, "\n";
}
function with(array $changes): array {
    global $good;
    return array_replace($good, $changes);
}

echo "-- signature list\n";
attempt('control: as signed', $good);
attempt('empty', with(['webhook-signature' => '']));
attempt('only spaces', with(['webhook-signature' => '   ']));
attempt('truncated by one char', with(['webhook-signature' => substr($sig, 0, -1)]));
attempt('padding removed', with(['webhook-signature' => rtrim($sig, '=')]));
attempt('base64 with a bad char', with(['webhook-signature' => 'v1,!' . substr($b64, 1)]));
attempt('base64url alphabet', with(['webhook-signature' => 'v1,' . strtr($b64, '+/', '-_')]));
attempt('extra base64 block', with(['webhook-signature' => $sig . 'AAAA']));
attempt('33-byte value', with(['webhook-signature' => 'v1,' . base64_encode(base64_decode($b64) . 'x')]));
attempt('wrong version only', with(['webhook-signature' => 'v2,' . $b64]));
attempt('version upper case', with(['webhook-signature' => 'V1,' . $b64]));
attempt('unknown version, then valid', with(['webhook-signature' => "v9,whatever $sig"]));
attempt('no comma', with(['webhook-signature' => 'v1' . $b64]));
attempt('empty version', with(['webhook-signature' => ',' . $b64]));
attempt('empty signature part', with(['webhook-signature' => 'v1,']));
attempt('"v1,=" (just padding)', with(['webhook-signature' => 'v1,=']));
attempt('two spaces between entries', with(['webhook-signature' => "v2,x  $sig"]));
attempt('tab between entries', with(['webhook-signature' => "v2,x\t$sig"]));
attempt('comma-separated: one v2 entry', with(['webhook-signature' => "v2,x,$sig"]));
attempt('leading/trailing space and tab', with(['webhook-signature' => " \t$sig \t"]));
attempt('newline inside', with(['webhook-signature' => "v2,x\n$sig"]));
attempt('CRLF at the end', with(['webhook-signature' => "$sig\r\n"]));
attempt('NUL byte', with(['webhook-signature' => "$sig\0"]));
attempt('non-ASCII byte', with(['webhook-signature' => "v2,\xc3\xa9 $sig"]));
attempt('32 entries, valid last', with(['webhook-signature' => str_repeat('v2,x ', 31) . $sig]));
attempt('33 entries, valid last', with(['webhook-signature' => str_repeat('v2,x ', 32) . $sig]));
attempt('oversized (9000 bytes)', with(['webhook-signature' => 'v2,' . str_repeat('x', 9000) . " $sig"]));

echo "-- duplicates and names\n";
attempt('list with one value', with(['webhook-signature' => [$sig]]));
attempt('list with two values', with(['webhook-signature' => [$sig, $sig]]));
attempt('empty list', with(['webhook-signature' => []]));
attempt('two spellings of one name', $good + ['Webhook-Signature' => $sig]);
attempt('upper-case names', array_change_key_case($good, CASE_UPPER));
attempt('integer keys ignored', $good + [0 => 'webhook-id: msg_2']);
attempt('value is an int', with(['webhook-timestamp' => NOW]));
attempt('value is null', with(['webhook-id' => null]));
attempt('list of a non-string', with(['webhook-id' => [1]]));

echo "-- missing pieces\n";
attempt('no headers at all', []);
attempt('only the signature', ['webhook-signature' => $sig]);
attempt('underscored names', ['webhook_id' => 'msg_1', 'webhook_timestamp' => (string) NOW, 'webhook_signature' => $sig]);

echo "-- webhook-timestamp\n";
foreach (['', ' ', '-1', '+1700000000', '1700000000.0', '1.7e9', '0x10', '1700 000000', 'hello',
          '9999999999999999999', '99999999999999999999999'] as $t) {
    attempt(var_export($t, true), with(['webhook-timestamp' => $t]));
}
// Leading zeros are digits: the signed content is the header as sent, so it verifies if signed so.
$zero = '0' . NOW;
$mac = base64_encode(hash_hmac('sha256', "msg_1.$zero." . BODY, base64_decode(substr(KEY, 6)), true));
attempt("'$zero' signed as sent", with(['webhook-timestamp' => $zero, 'webhook-signature' => "v1,$mac"]));
$far = '999999999999999999';
$mac = base64_encode(hash_hmac('sha256', "msg_1.$far." . BODY, base64_decode(substr(KEY, 6)), true));
attempt("18 digits, far future", with(['webhook-timestamp' => $far, 'webhook-signature' => "v1,$mac"]));
attempt("18 digits, huge tolerance", with(['webhook-timestamp' => $far, 'webhook-signature' => "v1,$mac"]), 'standard', [KEY], ['now' => NOW, 'tolerance' => PHP_INT_MAX]);

echo "-- webhook-id\n";
attempt('empty', with(['webhook-id' => '']));
attempt('contains a dot', with(['webhook-id' => 'msg.1']));
attempt('contains a space', with(['webhook-id' => 'msg 1']));
attempt('257 bytes', with(['webhook-id' => str_repeat('m', 257)]));
attempt('non-ASCII', with(['webhook-id' => "msg_\xe2\x82\xac"]));
attempt('other id (signature covers it)', with(['webhook-id' => 'msg_2']));

echo "-- other schemes\n";
$sq = Webhook::sign('square', BODY, 'k', ['url' => 'https://x.test/']);
attempt('square: trailing garbage', ['x-square-hmacsha256-signature' => $sq['x-square-hmacsha256-signature'] . 'x'], 'square', ['k'], ['url' => 'https://x.test/']);
attempt('square: mixed-case name', ['X-SQUARE-hmacsha256-Signature' => $sq['x-square-hmacsha256-signature']], 'square', ['k'], ['url' => 'https://x.test/']);
attempt('square: duplicate', ['x-square-hmacsha256-signature' => [$sq['x-square-hmacsha256-signature'], 'x']], 'square', ['k'], ['url' => 'https://x.test/']);
$sh = Webhook::sign('shopify', BODY, 'k');
attempt('shopify: mixed-case name', ['x-SHOPIFY-hmac-SHA256' => $sh['X-Shopify-Hmac-Sha256']], 'shopify', ['k']);
attempt('shopify: empty', ['X-Shopify-Hmac-Sha256' => ''], 'shopify', ['k']);
attempt('shopify: id with space', $sh + ['X-Shopify-Webhook-Id' => 'a b'], 'shopify', ['k']);
attempt('shopify: two id values', $sh + ['X-Shopify-Webhook-Id' => ['a', 'b']], 'shopify', ['k']);
attempt('stripe: empty', ['Stripe-Signature' => ''], 'stripe', ['k']);
attempt('stripe: just "t="', ['Stripe-Signature' => 't='], 'stripe', ['k']);
attempt('stripe: "="', ['Stripe-Signature' => '='], 'stripe', ['k']);
attempt('stripe: ",,"', ['Stripe-Signature' => ',,'], 'stripe', ['k']);
attempt('clover: duplicate', ['X-Clover-Auth' => 'k', 'x-clover-auth' => 'k'], 'clover', ['k']);
?>
--EXPECT--
-- signature list
control: as signed                ok
empty                             Malformed
only spaces                       Malformed
truncated by one char             Malformed
padding removed                   Malformed
base64 with a bad char            Malformed
base64url alphabet                Malformed
extra base64 block                Malformed
33-byte value                     Malformed
wrong version only                Mismatch
version upper case                Mismatch
unknown version, then valid       ok
no comma                          Malformed
empty version                     Malformed
empty signature part              Malformed
"v1,=" (just padding)             Malformed
two spaces between entries        Malformed
tab between entries               Malformed
comma-separated: one v2 entry     Mismatch
leading/trailing space and tab    ok
newline inside                    Malformed
CRLF at the end                   Malformed
NUL byte                          Malformed
non-ASCII byte                    Malformed
32 entries, valid last            ok
33 entries, valid last            Malformed
oversized (9000 bytes)            Malformed
-- duplicates and names
list with one value               ok
list with two values              Malformed
empty list                        Malformed
two spellings of one name         Malformed
upper-case names                  ok
integer keys ignored              ok
value is an int                   ValueError: Omnistock\Webhook::verify(): Argument #2 ($headers) header "webhook-timestamp" must be a string or a list of strings
value is null                     ValueError: Omnistock\Webhook::verify(): Argument #2 ($headers) header "webhook-id" must be a string or a list of strings
list of a non-string              ValueError: Omnistock\Webhook::verify(): Argument #2 ($headers) header "webhook-id" must be a string or a list of strings
-- missing pieces
no headers at all                 MissingHeader
only the signature                MissingHeader
underscored names                 MissingHeader
-- webhook-timestamp
''                                Malformed
' '                               Malformed
'-1'                              Malformed
'+1700000000'                     Malformed
'1700000000.0'                    Malformed
'1.7e9'                           Malformed
'0x10'                            Malformed
'1700 000000'                     Malformed
'hello'                           Malformed
'9999999999999999999'             Malformed
'99999999999999999999999'         Malformed
'01700000000' signed as sent      ok
18 digits, far future             NotYetValid
18 digits, huge tolerance         ok
-- webhook-id
empty                             Malformed
contains a dot                    Malformed
contains a space                  Malformed
257 bytes                         Malformed
non-ASCII                         Malformed
other id (signature covers it)    Mismatch
-- other schemes
square: trailing garbage          Malformed
square: mixed-case name           ok
square: duplicate                 Malformed
shopify: mixed-case name          ok
shopify: empty                    Malformed
shopify: id with space            Malformed
shopify: two id values            Malformed
stripe: empty                     Malformed
stripe: just "t="                 Malformed
stripe: "="                       Malformed
stripe: ",,"                      Malformed
clover: duplicate                 Malformed
