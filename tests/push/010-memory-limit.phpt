--TEST--
Omnistock\Push: running out of memory_limit while receiving is a clean fatal error, never a crash inside libcurl
--EXTENSIONS--
omnistock
--SKIPIF--
<?php
if (getenv('USE_ZEND_ALLOC') === '0') {
    die('skip memory_limit needs the Zend memory manager (USE_ZEND_ALLOC=0: the valgrind and ASAN runs)');
}
?>
--INI--
memory_limit=8M
memory_hard_limit_percent=1000
allow_url_fopen=1
--FILE--
<?php
// Stock PHP raises the memory_limit error inside the allocation, i.e. inside Push's libcurl
// callbacks: Push must catch it there, detach its transfers and re-raise it once libcurl has
// returned. Some PHP builds instead defer the error to the next opcode and SIGKILL a process that
// reaches memory_hard_limit_percent (default 200%) first: the INI above keeps that out of the way
// (stock PHP ignores it). Either way the script ends with the same fatal error, at send().
register_shutdown_function(function () use (&$port) {
    // The process still works after the bailout: PHP code, streams, and the server's count.
    echo "shutdown: server saw ", push_stats($port)['requests'], " requests\n";
});
require __DIR__ . '/push.inc';
$port = push_server();
$push = new Omnistock\Push(['max_response_bytes' => 2 << 20, 'concurrency' => 16]);
$requests = [['id' => 'slow', 'url' => "http://127.0.0.1:$port/delay?ms=1000", 'method' => 'GET']];
foreach (range(1, 9) as $i) {
    $requests[] = ['id' => "mib-$i", 'url' => "http://127.0.0.1:$port/big?bytes=" . (1 << 20), 'method' => 'GET'];
}
$push->send($requests);
echo "not reached\n";
?>
--EXPECTF--
Fatal error: Allowed memory size of 8388608 bytes exhausted %s in %s on line %d
shutdown: server saw 10 requests
