--TEST--
Secrets never appear in exception traces (#[\SensitiveParameter]) nor in var_dump of results
--EXTENSIONS--
omnistock
--INI--
zend.exception_ignore_args=0
zend.exception_string_param_max_len=100
--FILE--
<?php
use Omnistock\Webhook;
use Omnistock\SignatureException;

$secret = 'whsec_' . base64_encode('TOP-SECRET-KEY-MATERIAL-0123456');
$headers = ['webhook-id' => 'msg_1', 'webhook-timestamp' => '1', 'webhook-signature' => 'v1,' . base64_encode(str_repeat("\0", 32))];
try {
    Webhook::verify('standard', $headers, 'body', [$secret], ['now' => 1]);
} catch (SignatureException $e) {
    $frame = $e->getTrace()[0];
    echo $frame['class'], '::', $frame['function'], "\n";
    var_dump($frame['args'][3] instanceof SensitiveParameterValue);
    var_dump(str_contains($e->getTraceAsString(), 'TOP-SECRET') || str_contains($e->getTraceAsString(), substr($secret, 6)));
    var_dump(str_contains((string) $e, substr($secret, 6)));
    var_dump(str_contains($e->getMessage(), substr($secret, 6)));
}
try {
    Webhook::sign('standard', 'body', $secret, ['id' => 'bad.id']);
} catch (ValueError $e) {
    var_dump($e->getTrace()[0]['args'][2] instanceof SensitiveParameterValue);
    var_dump(str_contains((string) $e, substr($secret, 6)));
}
try {
    Webhook::verify('standard', $headers, 'body', [$secret, 'whsec_%%%']);
} catch (ValueError $e) {
    var_dump(str_contains((string) $e, '%%%'));
}
$h = Webhook::sign('standard', 'body', $secret);
ob_start();
var_dump(Webhook::verify('standard', $h, 'body', [$secret]));
var_dump(str_contains(ob_get_clean(), substr($secret, 6)));
?>
--EXPECT--
Omnistock\Webhook::verify
bool(true)
bool(false)
bool(false)
bool(false)
bool(true)
bool(false)
bool(false)
bool(false)
