--TEST--
standard: v1a (Ed25519) with whpk_/whsk_ keys, vectors computed with ext/sodium, and sign() round trips
--DESCRIPTION--
The Standard Webhooks reference libraries' tests carry no v1a vector, so the vectors here are made
independently with ext/sodium: sodium_crypto_sign_detached() over "id.timestamp.body".
--EXTENSIONS--
omnistock
sodium
--FILE--
<?php
use Omnistock\Webhook;
use Omnistock\SignatureException;

function attempt(array $headers, string $body, array $secrets, array $options = []): string {
    try {
        $v = Webhook::verify('standard', $headers, $body, $secrets, $options);
        return "ok ts={$v->timestamp} secret={$v->secretIndex}";
    } catch (SignatureException $e) {
        return $e->reason->name;
    } catch (ValueError $e) {
        return 'ValueError: ' . $e->getMessage();
    }
}

$seed = str_repeat("\x42", 32);
$pair = sodium_crypto_sign_seed_keypair($seed);
$sk = sodium_crypto_sign_secretkey($pair);
$pk = sodium_crypto_sign_publickey($pair);
$whpk = 'whpk_' . base64_encode($pk);
$id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
$ts = 1674087231;
$body = '{"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z","data":{"id":"1f81eb52-5198-4599-803e-771906343485"}}';
$sig = sodium_crypto_sign_detached("$id.$ts.$body", $sk);
$headers = ['webhook-id' => $id, 'webhook-timestamp' => (string) $ts, 'webhook-signature' => 'v1a,' . base64_encode($sig)];
$opt = ['now' => $ts];

echo "whpk: ", attempt($headers, $body, [$whpk], $opt), "\n";
echo "whsk seed form: ", attempt($headers, $body, ['whsk_' . base64_encode($seed)], $opt), "\n";
echo "whsk libsodium form: ", attempt($headers, $body, ['whsk_' . base64_encode($sk)], $opt), "\n";
echo "whsk with a foreign public half: ", attempt($headers, $body, ['whsk_' . base64_encode($seed . str_repeat("\0", 32))], $opt), "\n";
echo "other key: ", attempt($headers, $body, ['whpk_' . base64_encode(sodium_crypto_sign_publickey(sodium_crypto_sign_keypair()))], $opt), "\n";
echo "body changed: ", attempt($headers, $body . ' ', [$whpk], $opt), "\n";
echo "id changed: ", attempt(['webhook-id' => 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4X'] + $headers, $body, [$whpk], $opt), "\n";
echo "timestamp changed: ", attempt(['webhook-timestamp' => (string) ($ts + 1)] + $headers, $body, [$whpk], $opt), "\n";
$flipped = $sig; $flipped[10] = chr(ord($flipped[10]) ^ 1);
echo "signature bit flipped: ", attempt(['webhook-signature' => 'v1a,' . base64_encode($flipped)] + $headers, $body, [$whpk], $opt), "\n";
echo "v1a signature under v1: ", attempt(['webhook-signature' => 'v1,' . base64_encode($sig)] + $headers, $body, [$whpk], $opt), "\n";
echo "32-byte value under v1a: ", attempt(['webhook-signature' => 'v1a,' . base64_encode(substr($sig, 0, 32))] + $headers, $body, [$whpk], $opt), "\n";
echo "HMAC secret only, v1a header: ", attempt($headers, $body, ['whsec_' . base64_encode(random_bytes(32))], $opt), "\n";
echo "short whpk: ", attempt($headers, $body, ['whpk_' . base64_encode(substr($pk, 0, 31))], $opt), "\n";

// Mixed list (the spec's example shape: "v1,... v1a,..."), with rotation: [hmac, public key].
$hmacKey = random_bytes(32);
$v1 = base64_encode(hash_hmac('sha256', "$id.$ts.$body", $hmacKey, true));
$mixed = ['webhook-signature' => "v1,$v1 v1a," . base64_encode($sig)] + $headers;
echo "mixed, hmac first: ", attempt($mixed, $body, ['whsec_' . base64_encode($hmacKey), $whpk], $opt), "\n";
echo "mixed, key first: ", attempt($mixed, $body, [$whpk, 'whsec_' . base64_encode($hmacKey)], $opt), "\n";
echo "mixed, wrong hmac then key: ", attempt($mixed, $body, ['whsec_' . base64_encode(random_bytes(32)), $whpk], $opt), "\n";

// sign() with whsk_ matches ext/sodium's own signature (Ed25519 is deterministic).
$h = Webhook::sign('standard', $body, 'whsk_' . base64_encode($seed), ['id' => $id, 'timestamp' => $ts]);
var_dump($h['webhook-signature'] === 'v1a,' . base64_encode($sig));
$h = Webhook::sign('standard', $body, 'whsk_' . base64_encode($sk), ['id' => $id, 'timestamp' => $ts]);
var_dump($h['webhook-signature'] === 'v1a,' . base64_encode($sig));

// generateSecret() pairs round-trip, and the public half matches the secret half.
$pair = Webhook::generateSecret('standard', true);
var_dump(array_keys($pair), str_starts_with($pair['secret'], 'whsk_'), str_starts_with($pair['public'], 'whpk_'));
$derived = sodium_crypto_sign_publickey(sodium_crypto_sign_seed_keypair(base64_decode(substr($pair['secret'], 5))));
var_dump($derived === base64_decode(substr($pair['public'], 5)));
$h = Webhook::sign('standard', 'payload', $pair['secret']);
var_dump(preg_match('/^msg_[A-Za-z0-9_-]{27}$/', $h['webhook-id']), abs((int) $h['webhook-timestamp'] - time()) <= 2);
echo "round trip: ", attempt($h, 'payload', [$pair['public']]) === "ok ts={$h['webhook-timestamp']} secret=0" ? "ok" : "FAIL", "\n";
try {
    Webhook::sign('standard', 'payload', $pair['public']);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
whpk: ok ts=1674087231 secret=0
whsk seed form: ok ts=1674087231 secret=0
whsk libsodium form: ok ts=1674087231 secret=0
whsk with a foreign public half: ValueError: Omnistock\Webhook::verify(): Argument #4 ($secrets) element 0 is not a standard secret (whsec_<base64>, whpk_<base64> or whsk_<base64>)
other key: Mismatch
body changed: Mismatch
id changed: Mismatch
timestamp changed: Mismatch
signature bit flipped: Mismatch
v1a signature under v1: Malformed
32-byte value under v1a: Malformed
HMAC secret only, v1a header: Mismatch
short whpk: ValueError: Omnistock\Webhook::verify(): Argument #4 ($secrets) element 0 is not a standard secret (whsec_<base64>, whpk_<base64> or whsk_<base64>)
mixed, hmac first: ok ts=1674087231 secret=0
mixed, key first: ok ts=1674087231 secret=0
mixed, wrong hmac then key: ok ts=1674087231 secret=1
bool(true)
bool(true)
array(2) {
  [0]=>
  string(6) "secret"
  [1]=>
  string(6) "public"
}
bool(true)
bool(true)
bool(true)
int(1)
bool(true)
round trip: ok
Omnistock\Webhook::sign(): Argument #3 ($secret) is a public key (whpk_): signing needs the secret key (whsk_) or a whsec_ secret
