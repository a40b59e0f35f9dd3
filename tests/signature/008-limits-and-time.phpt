--TEST--
Body size limit (TooLarge) and the timestamp window, at their exact edges
--EXTENSIONS--
omnistock
--FILE--
<?php
use Omnistock\Webhook;
use Omnistock\SignatureException;

function attempt(string $scheme, array $headers, string $body, array $secrets, array $options = []): string {
    try {
        Webhook::verify($scheme, $headers, $body, $secrets, $options);
        return 'ok';
    } catch (SignatureException $e) {
        return $e->reason->name . ': ' . $e->getMessage();
    }
}
$key = 'whsec_' . base64_encode(str_repeat('k', 32));

// Default max_bytes: 1 MiB exactly is accepted, one byte more is refused before anything else.
$mib = str_repeat('a', 1048576);
$h = Webhook::sign('standard', $mib, $key);
echo attempt('standard', $h, $mib, [$key]), "\n";
echo attempt('standard', $h, $mib . 'a', [$key]), "\n";
echo attempt('standard', [], $mib . 'a', []), "\n";
echo attempt('shopify', Webhook::sign('shopify', 'abcd', 'k'), 'abcd', ['k'], ['max_bytes' => 3]), "\n";
echo attempt('shopify', Webhook::sign('shopify', 'abcd', 'k'), 'abcd', ['k'], ['max_bytes' => 4]), "\n";
echo attempt('shopify', Webhook::sign('shopify', '', 'k'), '', ['k'], ['max_bytes' => 0]), "\n";

// The window: within tolerance in both directions, inclusive.
$t = 1700000000;
$h = Webhook::sign('standard', 'b', $key, ['timestamp' => $t]);
foreach ([-301, -300, 0, 300, 301] as $d) {
    echo "now = t", sprintf('%+d', -$d), ": ", attempt('standard', $h, 'b', [$key], ['now' => $t - $d]), "\n";
}
echo attempt('standard', $h, 'b', [$key], ['now' => $t + 1, 'tolerance' => 0]), "\n";
echo attempt('standard', $h, 'b', [$key], ['now' => $t, 'tolerance' => 0]), "\n";
echo attempt('standard', $h, 'b', [$key], ['now' => 0]), "\n";
echo attempt('standard', $h, 'b', [$key], ['now' => PHP_INT_MAX]), "\n";
// A signature that does not match is reported as Mismatch even when the time is also wrong.
echo attempt('standard', $h, 'c', [$key], ['now' => 0]), "\n";
// Default "now" is the current time.
$h = Webhook::sign('standard', 'b', $key, ['timestamp' => time() - 200]);
echo attempt('standard', $h, 'b', [$key]), "\n";
$h = Webhook::sign('standard', 'b', $key, ['timestamp' => time() - 400]);
echo explode(':', attempt('standard', $h, 'b', [$key]))[0], "\n";
?>
--EXPECT--
ok
TooLarge: standard webhook: body of 1048577 bytes is larger than max_bytes (1048576)
TooLarge: standard webhook: body of 1048577 bytes is larger than max_bytes (1048576)
TooLarge: shopify webhook: body of 4 bytes is larger than max_bytes (3)
ok
ok
now = t+301: Expired: standard webhook: signed timestamp 1700000000 is more than 300 seconds before now (1700000301)
now = t+300: ok
now = t+0: ok
now = t-300: ok
now = t-301: NotYetValid: standard webhook: signed timestamp 1700000000 is more than 300 seconds after now (1699999699)
Expired: standard webhook: signed timestamp 1700000000 is more than 0 seconds before now (1700000001)
ok
NotYetValid: standard webhook: signed timestamp 1700000000 is more than 300 seconds after now (0)
Expired: standard webhook: signed timestamp 1700000000 is more than 300 seconds before now (9223372036854775807)
Mismatch: standard webhook: no signature matches any of the 1 secrets
ok
Expired
