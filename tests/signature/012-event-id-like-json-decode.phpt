--TEST--
square/stripe id: the body scanner agrees with json_decode() on valid, invalid and mutated documents
--EXTENSIONS--
omnistock
--FILE--
<?php
use Omnistock\Webhook;

function id_of(string $scheme, string $body): ?string {
    $opt = $scheme === 'square' ? ['url' => 'https://x.test/'] : [];
    $h = Webhook::sign($scheme, $body, 'key', $opt);
    return Webhook::verify($scheme, $h, $body, ['key'], $opt)->id;
}
function expected(string $body, string $key): ?string {
    $d = json_decode($body, true);
    return is_array($d) && array_key_exists($key, $d) && is_string($d[$key]) ? $d[$key] : null;
}

$bases = [
    '{"merchant_id":"MLEFBHHSJGVHD","type":"inventory.count.updated","event_id":"ac3ac95b-f97d-458c","id":"evt_1","data":{"object":{"counts":[{"quantity":"12","state":"IN_STOCK"}]}}}',
    '{ "id" : "evt_\u00e9\ud83d\ude00" , "event_id" : "x\"y\\\\z\/" , "n" : -0.5e+10 , "t" : true , "f" : false , "z" : null , "a" : [ ] , "o" : { } }',
    "[1,2,{\"event_id\":\"inner\"}]",
    '"event_id"',
    '{"event_id":"\u0000nul"}',
];
$alphabet = ['{', '}', '[', ']', '"', '\\', ':', ',', ' ', "\n", 'u', '0', 'e', '-', '.', 'd', "\x80", "\xc3\xa9", "\xed\xa0\x80", "\x1f", 'true', 'null', '"event_id":', '"id":', '\ud800', '\udc00'];
mt_srand(20261126);
$cases = $disagree = 0;
$valid = 0;
foreach ($bases as $base) {
    for ($i = 0; $i < 400; $i++) {
        $b = $base;
        for ($m = mt_rand(0, 3); $m > 0; $m--) {
            $pos = mt_rand(0, strlen($b));
            switch (mt_rand(0, 2)) {
                case 0: $b = substr($b, 0, $pos) . substr($b, $pos + 1); break;
                case 1: $b = substr($b, 0, $pos) . $alphabet[mt_rand(0, count($alphabet) - 1)] . substr($b, $pos); break;
                case 2: $b = substr($b, 0, $pos) . $alphabet[mt_rand(0, count($alphabet) - 1)] . substr($b, $pos + 1); break;
            }
        }
        $valid += json_decode($b) !== null || $b === 'null';
        foreach (['square' => 'event_id', 'stripe' => 'id'] as $scheme => $key) {
            $cases++;
            $got = id_of($scheme, $b);
            if ($got !== expected($b, $key)) {
                $disagree++;
                echo "disagree on ", json_encode(bin2hex($b)), ": ", var_export($got, true), " vs ", var_export(expected($b, $key), true), "\n";
            }
        }
    }
}
// Nesting: json_decode()'s default depth is 512.
foreach ([511, 512, 513] as $depth) {
    $b = '{"event_id":"deep","x":' . str_repeat('[', $depth - 1) . str_repeat(']', $depth - 1) . '}';
    var_dump(id_of('square', $b) === expected($b, 'event_id'));
}
echo "$cases cases, $disagree disagreements, ", $valid > 200 ? "enough" : "too few", " valid documents\n";
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
4000 cases, 0 disagreements, enough valid documents
