--TEST--
Omnistock\Push: a forked child makes its own libcurl handles and leaves the parent's connections alone
--EXTENSIONS--
omnistock
pcntl
--INI--
allow_url_fopen=1
--FILE--
<?php
require __DIR__ . '/push.inc';
$port = push_server();
$url = "http://127.0.0.1:$port/ok";
$push = new Omnistock\Push();
$get = fn (string $id) => $push->send([['id' => $id, 'url' => $url, 'method' => 'GET']])[$id]['status'];

echo "parent: ", $get('before'), "\n"; // the parent's connection, now idle in its cache
$pid = pcntl_fork();
if ($pid === 0) {
    // The inherited connection is the parent's: the child must open its own, twice reused.
    echo "child: ", $get('child-1'), ' ', $get('child-2'), "\n";
    exit(0);
}
pcntl_waitpid($pid, $status);
echo "child exit: ", pcntl_wexitstatus($status), "\n";
echo "parent: ", $get('after'), "\n";
$stats = push_stats($port);
echo "requests {$stats['requests']}, connections {$stats['connections']}\n";
?>
--EXPECT--
parent: 200
child: 200 200
child exit: 0
parent: 200
requests 4, connections 2
