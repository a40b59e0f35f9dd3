--TEST--
Caller mistakes are ValueErrors naming the argument; an empty secret list is NoSecret
--EXTENSIONS--
omnistock
--FILE--
<?php
use Omnistock\Webhook;
use Omnistock\SignatureException;

function show(callable $f): void {
    try {
        $r = $f();
        echo is_object($r) ? 'ok' : json_encode($r), "\n";
    } catch (SignatureException $e) {
        echo $e->reason->name, ': ', $e->getMessage(), "\n";
    } catch (ValueError | TypeError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
$key = 'whsec_' . base64_encode(str_repeat('k', 32));
$h = Webhook::sign('standard', 'b', $key);

show(fn () => Webhook::verify('svix', $h, 'b', [$key]));
show(fn () => Webhook::verify('Standard', $h, 'b', [$key]));
show(fn () => Webhook::verify('standard', $h, 'b', []));
show(fn () => Webhook::verify('shopify', ['X-Shopify-Hmac-Sha256' => base64_encode(str_repeat("\0", 32))], 'b', []));
show(fn () => Webhook::verify('standard', $h, 'b', [$key, 42]));
show(fn () => Webhook::verify('standard', $h, 'b', ['whsec_not base64!']));
show(fn () => Webhook::verify('standard', $h, 'b', ['whsec_']));
show(fn () => Webhook::verify('standard', $h, 'b', ['whpk_' . base64_encode('short')]));
show(fn () => Webhook::verify('standard', $h, 'b', [$key, 'whsec_' . base64_encode(str_repeat('x', 513))]));
// libsodium 1.0.18 alone would take these bytes >= 0x80 for base64 (found by the fuzzer).
show(fn () => Webhook::verify('standard', $h, 'b', ["whsec_g0\x91\xb29SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLz1OE="]));
show(fn () => Webhook::verify('standard', $h, 'b', ["whpk_g0\x91\xb29SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLz1OE="]));
show(fn () => Webhook::verify('standard', $h, 'b', ['a' => $key, 'b' => $key]));
show(fn () => Webhook::verify('standard', $h, 'b', [$key], ['tolerence' => 10]));
show(fn () => Webhook::verify('standard', $h, 'b', [$key], ['tolerance' => -1]));
show(fn () => Webhook::verify('standard', $h, 'b', [$key], ['tolerance' => '300']));
show(fn () => Webhook::verify('standard', $h, 'b', [$key], ['now' => 1.5]));
show(fn () => Webhook::verify('standard', $h, 'b', [$key], ['max_bytes' => -1]));
show(fn () => Webhook::verify('standard', $h, 'b', [$key], ['url' => 'https://x.test/']));
show(fn () => Webhook::verify('standard', $h, 'b', [$key], [0 => 1]));
show(fn () => Webhook::verify('square', [], 'b', ['k'], ['url' => 'https://x.test/', 'legacy' => 1]));
show(fn () => Webhook::verify('standard', 'headers', 'b', [$key]));

show(fn () => Webhook::sign('standard', 'b', ''));
show(fn () => Webhook::sign('standard', 'b', 'whsec_***'));
show(fn () => Webhook::sign('standard', 'b', $key, ['id' => 'msg.1']));
show(fn () => Webhook::sign('standard', 'b', $key, ['id' => 'msg 1']));
show(fn () => Webhook::sign('standard', 'b', $key, ['timestamp' => -1]));
show(fn () => Webhook::sign('standard', 'b', $key, ['timestamp' => 10 ** 18]));
show(fn () => Webhook::sign('standard', 'b', $key, ['url' => 'https://x.test/']));
show(fn () => Webhook::sign('square', 'b', 'k'));
show(fn () => Webhook::sign('stripe', 'b', 'k', ['id' => 'x']));
show(fn () => Webhook::sign('clover', 'b', 'k', ['timestamp' => 1]));
show(fn () => Webhook::sign('shopify', 'b', 'k', ['id' => "a\nb"]));
show(fn () => Webhook::sign('shopify', 'b', 'k', ['id' => 'a b']));
show(fn () => Webhook::generateSecret('square', true));
show(fn () => Webhook::generateSecret('nope'));
?>
--EXPECT--
ValueError: Omnistock\Webhook::verify(): Argument #1 ($scheme) must be one of "standard", "square", "shopify", "stripe" or "clover"
ValueError: Omnistock\Webhook::verify(): Argument #1 ($scheme) must be one of "standard", "square", "shopify", "stripe" or "clover"
NoSecret: standard webhook: no secret to verify with ($secrets is empty)
NoSecret: shopify webhook: no secret to verify with ($secrets is empty)
ValueError: Omnistock\Webhook::verify(): Argument #4 ($secrets) must contain only strings; element 1 is int
ValueError: Omnistock\Webhook::verify(): Argument #4 ($secrets) element 0 is not a standard secret (whsec_<base64>, whpk_<base64> or whsk_<base64>)
ValueError: Omnistock\Webhook::verify(): Argument #4 ($secrets) element 0 is not a standard secret (whsec_<base64>, whpk_<base64> or whsk_<base64>)
ValueError: Omnistock\Webhook::verify(): Argument #4 ($secrets) element 0 is not a standard secret (whsec_<base64>, whpk_<base64> or whsk_<base64>)
ValueError: Omnistock\Webhook::verify(): Argument #4 ($secrets) element 1 is not a standard secret (whsec_<base64>, whpk_<base64> or whsk_<base64>)
ValueError: Omnistock\Webhook::verify(): Argument #4 ($secrets) element 0 is not a standard secret (whsec_<base64>, whpk_<base64> or whsk_<base64>)
ValueError: Omnistock\Webhook::verify(): Argument #4 ($secrets) element 0 is not a standard secret (whsec_<base64>, whpk_<base64> or whsk_<base64>)
ok
ValueError: Omnistock\Webhook::verify(): Argument #5 ($options) has an option "tolerence" that does not apply to the "standard" scheme here
ValueError: Omnistock\Webhook::verify(): Argument #5 ($options) option "tolerance" must be an int >= 0
ValueError: Omnistock\Webhook::verify(): Argument #5 ($options) option "tolerance" must be an int >= 0
ValueError: Omnistock\Webhook::verify(): Argument #5 ($options) option "now" must be an int >= 0
ValueError: Omnistock\Webhook::verify(): Argument #5 ($options) option "max_bytes" must be an int >= 0
ValueError: Omnistock\Webhook::verify(): Argument #5 ($options) has an option "url" that does not apply to the "standard" scheme here
ValueError: Omnistock\Webhook::verify(): Argument #5 ($options) must have string keys
ValueError: Omnistock\Webhook::verify(): Argument #5 ($options) option "legacy" must be a bool
TypeError: Omnistock\Webhook::verify(): Argument #2 ($headers) must be of type array, string given
ValueError: Omnistock\Webhook::sign(): Argument #3 ($secret) must not be empty
ValueError: Omnistock\Webhook::sign(): Argument #3 ($secret) is not a standard secret (whsec_<base64> or whsk_<base64>)
ValueError: Omnistock\Webhook::sign(): Argument #4 ($options) option "id" must be visible ASCII without '.', at most 256 bytes
ValueError: Omnistock\Webhook::sign(): Argument #4 ($options) option "id" must be visible ASCII without '.', at most 256 bytes
ValueError: Omnistock\Webhook::sign(): Argument #4 ($options) option "timestamp" must be an int >= 0 of at most 18 digits
ValueError: Omnistock\Webhook::sign(): Argument #4 ($options) option "timestamp" must be an int >= 0 of at most 18 digits
ValueError: Omnistock\Webhook::sign(): Argument #4 ($options) has an option "url" that does not apply to the "standard" scheme here
ValueError: Omnistock\Webhook::sign(): Argument #4 ($options) must give "url", the notification URL, for the "square" scheme
ValueError: Omnistock\Webhook::sign(): Argument #4 ($options) has an option "id" that does not apply to the "stripe" scheme here
ValueError: Omnistock\Webhook::sign(): Argument #4 ($options) has an option "timestamp" that does not apply to the "clover" scheme here
ValueError: Omnistock\Webhook::sign(): Argument #4 ($options) option "id" must be visible ASCII, at most 256 bytes
ValueError: Omnistock\Webhook::sign(): Argument #4 ($options) option "id" must be visible ASCII, at most 256 bytes
ValueError: Omnistock\Webhook::generateSecret(): Argument #2 ($asymmetric) must be false: only the "standard" scheme has asymmetric (Ed25519) keys
ValueError: Omnistock\Webhook::generateSecret(): Argument #1 ($scheme) must be one of "standard", "square", "shopify", "stripe" or "clover"
