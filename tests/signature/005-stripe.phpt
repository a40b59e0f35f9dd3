--TEST--
stripe: Stripe-Signature t=,v1= against vectors computed with hash_hmac(), tolerance, the event id
--DESCRIPTION--
Stripe publishes no test vector in this form: expected values are computed here with
hash_hmac('sha256', "$t.$body", $endpointSecret), as Stripe's documentation describes (the
whole "whsec_..." string is the key).
--EXTENSIONS--
omnistock
--FILE--
<?php
use Omnistock\Webhook;
use Omnistock\SignatureException;

function attempt(string $header, string $body, array $secrets, array $options = ['now' => 1700000000]): string {
    try {
        $v = Webhook::verify('stripe', ['Stripe-Signature' => $header], $body, $secrets, $options);
        return 'ok id=' . var_export($v->id, true) . " ts={$v->timestamp} secret={$v->secretIndex}";
    } catch (SignatureException $e) {
        return $e->reason->name;
    }
}

$secret = 'whsec_test_5f3b0c6e1d2a4b8c9e0f';
$t = 1700000000;
$body = '{"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","object":"event","type":"charge.succeeded"}';
$v1 = hash_hmac('sha256', "$t.$body", $secret);
$other = hash_hmac('sha256', "$t.$body", 'whsec_other');

echo "valid: ", attempt("t=$t,v1=$v1", $body, [$secret]), "\n";
echo "v1 twice, second matches: ", attempt("t=$t,v1=$other,v1=$v1", $body, [$secret]), "\n";
echo "v0 ignored: ", attempt("t=$t,v1=$v1,v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39", $body, [$secret]), "\n";
echo "order t last: ", attempt("v1=$v1,t=$t", $body, [$secret]), "\n";
echo "upper-case hex: ", attempt("t=$t,v1=" . strtoupper($v1), $body, [$secret]), "\n";
echo "rotation: ", attempt("t=$t,v1=$v1", $body, ['whsec_other', $secret]), "\n";
echo "wrong secret: ", attempt("t=$t,v1=$v1", $body, ['whsec_other']), "\n";
echo "only v0: ", attempt("t=$t,v0=$v1", $body, [$secret]), "\n";
echo "no t: ", attempt("v1=$v1", $body, [$secret]), "\n";
echo "t twice: ", attempt("t=$t,t=$t,v1=$v1", $body, [$secret]), "\n";
echo "t signed as 1700000001: ", attempt("t=1700000001,v1=$v1", $body, [$secret]), "\n";
echo "short v1: ", attempt("t=$t,v1=" . substr($v1, 1), $body, [$secret]), "\n";
echo "non-hex v1: ", attempt("t=$t,v1=" . substr($v1, 1) . 'g', $body, [$secret]), "\n";
echo "space after comma: ", attempt("t=$t, v1=$v1", $body, [$secret]), "\n";
echo "trailing comma: ", attempt("t=$t,v1=$v1,", $body, [$secret]), "\n";
echo "negative t: ", attempt("t=-$t,v1=$v1", $body, [$secret]), "\n";
echo "item without '=': ", attempt("t=$t,v1=$v1,x", $body, [$secret]), "\n";
echo "300 s later: ", attempt("t=$t,v1=$v1", $body, [$secret], ['now' => $t + 300]), "\n";
echo "301 s later: ", attempt("t=$t,v1=$v1", $body, [$secret], ['now' => $t + 301]), "\n";
echo "301 s earlier: ", attempt("t=$t,v1=$v1", $body, [$secret], ['now' => $t - 301]), "\n";
echo "tolerance 10, 11 s later: ", attempt("t=$t,v1=$v1", $body, [$secret], ['now' => $t + 11, 'tolerance' => 10]), "\n";
echo "no id in body: ", attempt("t=$t,v1=" . hash_hmac('sha256', "$t.{}", $secret), '{}', [$secret]), "\n";

$signed = Webhook::sign('stripe', $body, $secret, ['timestamp' => $t]);
var_dump($signed === ['Stripe-Signature' => "t=$t,v1=$v1"]);
$s = Webhook::generateSecret('stripe')['secret'];
var_dump(str_starts_with($s, 'whsec_'));
$h = Webhook::sign('stripe', $body, $s);
echo "round trip now: ", Webhook::verify('stripe', $h, $body, [$s])->id, "\n";
?>
--EXPECT--
valid: ok id='evt_1NG8Du2eZvKYlo2CUI79vXWy' ts=1700000000 secret=0
v1 twice, second matches: ok id='evt_1NG8Du2eZvKYlo2CUI79vXWy' ts=1700000000 secret=0
v0 ignored: ok id='evt_1NG8Du2eZvKYlo2CUI79vXWy' ts=1700000000 secret=0
order t last: ok id='evt_1NG8Du2eZvKYlo2CUI79vXWy' ts=1700000000 secret=0
upper-case hex: ok id='evt_1NG8Du2eZvKYlo2CUI79vXWy' ts=1700000000 secret=0
rotation: ok id='evt_1NG8Du2eZvKYlo2CUI79vXWy' ts=1700000000 secret=1
wrong secret: Mismatch
only v0: Mismatch
no t: Malformed
t twice: Malformed
t signed as 1700000001: Mismatch
short v1: Malformed
non-hex v1: Malformed
space after comma: Malformed
trailing comma: Malformed
negative t: Malformed
item without '=': Malformed
300 s later: ok id='evt_1NG8Du2eZvKYlo2CUI79vXWy' ts=1700000000 secret=0
301 s later: Expired
301 s earlier: NotYetValid
tolerance 10, 11 s later: Expired
no id in body: ok id=NULL ts=1700000000 secret=0
bool(true)
bool(true)
round trip now: evt_1NG8Du2eZvKYlo2CUI79vXWy
