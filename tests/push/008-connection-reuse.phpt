--TEST--
Omnistock\Push: connections are kept by the process and reused across send() calls and Push instances
--EXTENSIONS--
omnistock
--INI--
allow_url_fopen=1
--FILE--
<?php
require __DIR__ . '/push.inc';
$port = push_server();
$base = "http://127.0.0.1:$port";

for ($i = 1; $i <= 3; $i++) {
    $push = new Omnistock\Push(['connect_timeout_ms' => 1000 + $i]); // a new instance each time
    $r = $push->send([['id' => "one$i", 'url' => "$base/ok", 'method' => 'GET']]);
    echo $r["one$i"]['status'], ' ';
}
$stats = push_stats($port);
echo "\nrequests {$stats['requests']}, connections {$stats['connections']}\n";

// Four at once open four connections; the next four reuse them.
$four = fn ($tag) => array_map(fn ($i) => ['id' => "$tag$i", 'url' => "$base/delay?ms=100", 'method' => 'GET'], range(1, 4));
$push = new Omnistock\Push(['concurrency' => 4]);
$push->send($four('a'));
$push->send($four('b'));
$stats = push_stats($port);
echo "requests {$stats['requests']}, connections {$stats['connections']}\n";
?>
--EXPECT--
200 200 200 
requests 3, connections 1
requests 11, connections 4
