--TEST--
Omnistock\Push: requests run concurrently up to the cap, and a dead endpoint delays nobody beyond its own timeout
--EXTENSIONS--
omnistock
--INI--
allow_url_fopen=1
--FILE--
<?php
require __DIR__ . '/push.inc';
$port = push_server();
$base = "http://127.0.0.1:$port";

$gathered = fn (string $base, int $count, int $n) => array_map(
    fn ($i) => ['id' => "r$i", 'url' => "$base/gather?n=$n", 'method' => 'GET'], range(1, $count));

// concurrency 3: never more than 3 at the server, and all 3 slots used (each answer waits until
// 3 requests are in flight at once, or 5 s: the counts are exact however loaded the machine).
$results = (new Omnistock\Push(['concurrency' => 3]))->send($gathered($base, 9, 3));
echo count(array_filter($results, fn ($r) => $r['status'] === 200)), " of 9 answered\n";
var_dump(push_stats($port)['max_in_flight']);

// concurrency 16 with 12 requests: all at once.
$port = push_server();
$base = "http://127.0.0.1:$port";
$results = (new Omnistock\Push(['concurrency' => 16]))->send($gathered($base, 12, 12));
echo count(array_filter($results, fn ($r) => $r['status'] === 200)), " of 12 answered\n";
var_dump(push_stats($port)['max_in_flight']);

// A dead endpoint holds one slot for its timeout; the ten others flow through the other slot.
$requests = [['id' => 'dead', 'url' => "$base/hang", 'method' => 'POST']];
foreach (range(1, 10) as $i) {
    $requests[] = ['id' => "live$i", 'url' => "$base/delay?ms=20", 'method' => 'POST'];
}
$results = (new Omnistock\Push(['concurrency' => 2, 'timeout_ms' => 1500]))->send($requests);
$live = array_slice($results, 1);
echo count(array_filter($live, fn ($r) => $r['status'] === 200 && $r['attempts'] === 1)), " of 10 live answered\n";
printf("dead: status %d, attempts %d, timed out %s\n", $results['dead']['status'], $results['dead']['attempts'],
    var_export(str_starts_with($results['dead']['error'], 'Operation timed out'), true));
var_dump($results['dead']['time_ms'] >= 1500);
var_dump(max(array_column($live, 'time_ms')) < 1500);
?>
--EXPECT--
9 of 9 answered
int(3)
12 of 12 answered
int(12)
10 of 10 live answered
dead: status 0, attempts 1, timed out true
bool(true)
bool(true)
