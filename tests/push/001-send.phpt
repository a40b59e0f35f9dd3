--TEST--
Omnistock\Push::send(): requests go out exactly as given, results come back keyed by id, in order
--EXTENSIONS--
omnistock
--INI--
allow_url_fopen=1
--FILE--
<?php
require __DIR__ . '/push.inc';
$port = push_server();
$base = "http://127.0.0.1:$port";
$push = new Omnistock\Push();

var_dump($push->send([]));

$results = $push->send([
    ['id' => 'put', 'url' => "$base/echo", 'method' => 'PUT', 'body' => '{"sku":"A-1","qty":3}',
        'headers' => ['Content-Type' => 'application/json', 'X-Shop' => 'north', 'X-Count' => 7, 'X-Empty' => '']],
    ['id' => 'post-default', 'url' => "$base/echo", 'body' => 'a=1'],
    ['id' => 'get', 'url' => "$base/echo", 'method' => 'GET'],
    ['id' => 'delete', 'url' => "$base/echo", 'method' => 'DELETE'],
    ['id' => 'head', 'url' => "$base/ok", 'method' => 'HEAD'],
    ['id' => 'headers', 'url' => "$base/headers", 'method' => 'GET'],
    ['id' => 'redirect', 'url' => "$base/redirect", 'method' => 'GET'],
    ['id' => 'not-found', 'url' => "$base/nowhere", 'method' => 'GET'],
]);
echo implode(',', array_keys($results)), "\n";
foreach ($results as $id => $r) {
    echo implode(',', array_keys($r)), "\n";
    break;
}
foreach (['put', 'post-default', 'get', 'delete'] as $id) {
    $echo = json_decode($results[$id]['body'], true);
    unset($echo['headers']['host']);
    echo "$id: ", json_encode($echo), "\n";
}
push_show(array_slice($results, 4));
var_dump($results['headers']['headers']);
var_dump($results['redirect']['headers']['location']);
foreach ($results as $r) {
    if (!is_int($r['time_ms']) || $r['time_ms'] < 0) {
        echo "bad time_ms\n";
    }
}
$custom = (new Omnistock\Push(['user_agent' => 'ShopSync/2']))->send([['id' => 'x', 'url' => "$base/echo", 'method' => 'GET']]);
echo json_decode($custom['x']['body'], true)['headers']['user-agent'], "\n";
// Ids are array keys in the result: "42" is the key 42.
$numeric = $push->send([['id' => '42', 'url' => "$base/ok", 'method' => 'GET'], ['id' => '042', 'url' => "$base/ok", 'method' => 'GET']]);
var_dump(array_keys($numeric), $numeric[42]['body'], $numeric['042']['body']);
echo push_stats($port)['hits'] === [] ? "no flaky hits\n" : "unexpected hits\n";
?>
--EXPECT--
array(0) {
}
put,post-default,get,delete,head,headers,redirect,not-found
status,headers,body,error,attempts,time_ms
put: {"method":"PUT","path":"\/echo","headers":{"user-agent":"Omnistock\/0.1.0","accept":"*\/*","content-type":"application\/json","x-shop":"north","x-count":"7","x-empty":"","content-length":"21"},"body":"{\"sku\":\"A-1\",\"qty\":3}"}
post-default: {"method":"POST","path":"\/echo","headers":{"user-agent":"Omnistock\/0.1.0","accept":"*\/*","content-length":"3"},"body":"a=1"}
get: {"method":"GET","path":"\/echo","headers":{"user-agent":"Omnistock\/0.1.0","accept":"*\/*"},"body":""}
delete: {"method":"DELETE","path":"\/echo","headers":{"user-agent":"Omnistock\/0.1.0","accept":"*\/*"},"body":""}
head: status 200, attempts 1, error null, body ""
headers: status 200, attempts 1, error null, body "h"
redirect: status 302, attempts 1, error null, body "moved"
not-found: status 404, attempts 1, error null, body "no route"
array(4) {
  ["content-length"]=>
  string(1) "1"
  ["x-mixed-case"]=>
  string(3) "One"
  ["set-cookie"]=>
  string(8) "a=1, b=2"
  ["x-padded"]=>
  string(6) "spaced"
}
string(3) "/ok"
ShopSync/2
array(2) {
  [0]=>
  int(42)
  [1]=>
  string(3) "042"
}
string(2) "ok"
string(2) "ok"
no flaky hits
