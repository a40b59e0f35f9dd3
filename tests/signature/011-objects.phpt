--TEST--
VerifiedWebhook is read-only and built only by verify(); SignatureException and SignatureError
--EXTENSIONS--
omnistock
--FILE--
<?php
use Omnistock\Webhook;
use Omnistock\VerifiedWebhook;
use Omnistock\SignatureException;
use Omnistock\SignatureError;

function show(callable $f): void {
    try {
        $f();
        echo "no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
$v = Webhook::verify('clover', ['X-Clover-Auth' => 'c'], '', ['c']);
show(fn () => new VerifiedWebhook());
show(fn () => new Webhook());
show(function () use ($v) { $v->id = 'forged'; });
show(function () use ($v) { $v->secretIndex++; });
show(function () use ($v) { $v->extra = 1; });
show(fn () => serialize($v));
show(fn () => unserialize('O:25:"Omnistock\VerifiedWebhook":0:{}'));
// No empty instance to fill in through Reflection, no closure bound into its scope.
show(fn () => (new ReflectionClass(VerifiedWebhook::class))->newInstanceWithoutConstructor());
show(fn () => (new ReflectionProperty(VerifiedWebhook::class, 'id'))->setValue($v, 'forged'));
var_dump(@Closure::bind(function () { $this->id = 'forged'; }, $v, VerifiedWebhook::class) === null);
var_dump($v->id);
$copy = clone $v;
var_dump($copy->scheme, $copy->secretIndex);
var_dump(array_map(fn ($c) => $c->name, SignatureError::cases()));
var_dump(is_subclass_of(SignatureException::class, Omnistock\Exception::class));
var_dump((new ReflectionClass(SignatureException::class))->isFinal(), (new ReflectionProperty(SignatureException::class, 'reason'))->isReadOnly());
try {
    Webhook::verify('clover', ['X-Clover-Auth' => 'x'], '', ['c']);
} catch (SignatureException $e) {
    var_dump($e->reason === SignatureError::Mismatch);
    show(function () use ($e) { $e->reason = SignatureError::Expired; });
}
?>
--EXPECT--
Error: Call to private Omnistock\VerifiedWebhook::__construct() from global scope
Error: Call to private Omnistock\Webhook::__construct() from global scope
Error: Cannot modify readonly property Omnistock\VerifiedWebhook::$id
Error: Cannot modify readonly property Omnistock\VerifiedWebhook::$secretIndex
Error: Cannot create dynamic property Omnistock\VerifiedWebhook::$extra
Exception: Serialization of 'Omnistock\VerifiedWebhook' is not allowed
Exception: Unserialization of 'Omnistock\VerifiedWebhook' is not allowed
ReflectionException: Class Omnistock\VerifiedWebhook is an internal class marked as final that cannot be instantiated without invoking its constructor
Error: Cannot modify readonly property Omnistock\VerifiedWebhook::$id
bool(true)
NULL
string(6) "clover"
int(0)
array(7) {
  [0]=>
  string(13) "MissingHeader"
  [1]=>
  string(9) "Malformed"
  [2]=>
  string(8) "Mismatch"
  [3]=>
  string(7) "Expired"
  [4]=>
  string(11) "NotYetValid"
  [5]=>
  string(8) "NoSecret"
  [6]=>
  string(8) "TooLarge"
}
bool(true)
bool(true)
bool(true)
bool(true)
Error: Cannot modify readonly property Omnistock\SignatureException::$reason
