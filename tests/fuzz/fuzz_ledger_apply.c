/*
 * libFuzzer target: Omnistock\Ledger's event and seed parsers, and its fold, on arbitrary input.
 * Built and run by bin/fuzz (see there; bin/test runs it for a few seconds).
 *
 * The ledger reads PHP arrays, so this target runs a real PHP (the embed SAPI, libphp8.2-embed)
 * with ext/ledger.c compiled in under the fuzzer's instrumentation; PHP itself is not
 * instrumented, only our parser and fold are. USE_ZEND_ALLOC=0, so AddressSanitizer sees every
 * allocation the ledger makes.
 *
 * An input is one of two shapes:
 *   - JSON (starts with '[' or '{'): a list of events, or {"seed": [...], "known": [...],
 *     "events": [...]}, handed to seed() and apply() as PHP decodes it: any type in any field.
 *   - anything else: a compact encoding, 6 bytes per event (kind, product, location, qty, at, id),
 *     so that the fuzzer spends its time on well-formed histories with duplicates, conflicts,
 *     transfers, equal times and quantities near the 64-bit edge.
 * Besides "no crash, no sanitizer report, no leak", it checks what the ledger promises
 * (php-stubs/ledger.stub.php): only its documented exceptions are thrown; a failed batch changes
 * nothing; any arrival order of the same events, in one call or many, gives the same levels;
 * an id seen before changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>

#include "php.h"
#include "zend_exceptions.h"
#include "sapi/embed/php_embed.h"

#include "php_omnistock.h"
#include "ledger.h"

zend_class_entry *omnistock_ce_Exception;

/* The part of ext/omnistock.c's MINIT the ledger needs: its exception root, then the ledger. */
static PHP_MINIT_FUNCTION(omnistock_fuzz)
{
	zend_class_entry ce;
	INIT_CLASS_ENTRY(ce, "Omnistock\\Exception", NULL);
	omnistock_ce_Exception = zend_register_internal_class_ex(&ce, zend_ce_exception);
	return PHP_MINIT(omnistock_ledger)(INIT_FUNC_ARGS_PASSTHRU);
}

static zend_module_entry omnistock_fuzz_module = {
	STANDARD_MODULE_HEADER,
	"omnistock",
	NULL,
	PHP_MINIT(omnistock_fuzz),
	NULL,
	NULL,
	NULL,
	NULL,
	PHP_OMNISTOCK_VERSION,
	STANDARD_MODULE_PROPERTIES
};

static int startup(sapi_module_struct *module)
{
	return php_module_startup(module, &omnistock_fuzz_module);
}

/*
 * The harness, in PHP: fuzz_one() returns null when every promise held, else what broke. It
 * catches everything, so no exception ever leaves PHP for C.
 */
static const char harness[] =
	"use Omnistock\\Ledger; use Omnistock\\MalformedEvent; use Omnistock\\StockOverflow;\n"
	/* Compact: 6 bytes an event; few products, locations and ids so that they collide. */
	"function fuzz_compact(string $s): array {\n"
	"  $kinds = ['count', 'adjust', 'commit', 'release', 'transfer'];\n"
	"  $events = [];\n"
	"  for ($i = 1; $i + 6 <= strlen($s); $i += 6) {\n"
	"    $b = array_values(unpack('C1k/C1p/C1l/c1q/C1a/C1i', $s, $i));\n"
	"    $kind = $kinds[$b[0] % 5];\n"
	"    $qty = match (true) { $b[3] === 127 => PHP_INT_MAX, $b[3] === -128 => PHP_INT_MIN + 1, default => $b[3] };\n"
	"    if ($kind === 'count') { $qty = $qty < 0 ? -$qty : $qty; }\n"
	"    elseif ($kind !== 'adjust') { $qty = $qty < 0 ? -$qty : ($qty ?: 1); }\n"
	"    elseif ($qty === 0) { $qty = 1; }\n"
	"    $p = $b[1] % 4; $l = $b[2] % 3;\n"
	"    $e = ['id' => 'e' . ($b[5] % 48), 'product' => $p === 3 ? 'sku-3' : $p, 'location' => $l === 2 ? '2' : $l,\n"
	"          'kind' => $kind, 'qty' => $qty, 'at' => ($b[4] % 16) * 1000];\n"
	"    if ($kind === 'transfer') { $e['to'] = ($l + 1 + $b[5] % 2) % 3; }\n"
	"    $events[] = $e;\n"
	"  }\n"
	"  return [[], [], $events];\n"
	"}\n"
	/* Runs seed() and apply() on a new ledger; what happened, and its levels after. */
	"function fuzz_run(array $seed, array $known, array $batches): array {\n"
	"  $l = new Ledger();\n"
	"  $out = ['error' => null, 'conflicts' => [], 'applied' => 0];\n"
	"  try {\n"
	"    if ($seed || $known) { $l->seed($seed, $known); }\n"
	"  } catch (ValueError | MalformedEvent | StockOverflow | TypeError $e) {\n"
	"    $out['error'] = 'seed:' . get_class($e);\n"
	"    if ($l->levels() !== []) { return $out + ['broken' => 'a refused seed() left cells']; }\n"
	"  }\n"
	"  foreach ($batches as $batch) {\n"
	"    $before = $l->levels();\n"
	"    try {\n"
	"      $r = $l->apply($batch, true);\n"
	"      $out['conflicts'] = array_merge($out['conflicts'], $r['conflicts']);\n"
	"      $out['applied'] += $r['applied'];\n"
	"      if ($r['applied'] !== count($r['new']) || $r['applied'] + $r['duplicates'] !== count($batch)) {\n"
	"        return $out + ['broken' => 'applied + duplicates is not the batch size'];\n"
	"      }\n"
	"    } catch (ValueError | MalformedEvent | StockOverflow | TypeError $e) {\n"
	"      $out['error'] = get_class($e);\n"
	"      if ($l->levels() !== $before) { return $out + ['broken' => 'a failed batch changed levels: ' . $e->getMessage()]; }\n"
	"      break;\n"
	"    }\n"
	"  }\n"
	"  $out['levels'] = $l->levels();\n"
	"  $out['ledger'] = $l;\n"
	"  return $out;\n"
	"}\n"
	"function fuzz_one(string $s): ?string {\n"
	"  try {\n"
	"    if ($s !== '' && ($s[0] === '[' || $s[0] === '{')) {\n"
	"      $in = json_decode($s, true, 32, JSON_BIGINT_AS_STRING);\n"
	"      if (!is_array($in)) { return null; }\n"
	"      if (array_is_list($in)) { $in = ['events' => $in]; }\n"
	"      $seed = $in['seed'] ?? []; $known = $in['known'] ?? []; $events = $in['events'] ?? [];\n"
	"      if (!is_array($seed) || !is_array($known) || !is_array($events)) { return null; }\n"
	"    } else {\n"
	"      [$seed, $known, $events] = fuzz_compact($s);\n"
	"    }\n"
	"    $a = fuzz_run($seed, $known, [$events]);\n"
	"    if (isset($a['broken'])) { return 'in order: ' . $a['broken']; }\n"
	"    if ($a['error'] !== null || $a['conflicts'] || !array_is_list($events)) { return null; }\n"
	/* Any arrival order, in one call or many: the same levels. */
	"    $b = fuzz_run($seed, $known, [array_reverse($events)]);\n"
	"    if (isset($b['broken'])) { return 'reversed: ' . $b['broken']; }\n"
	"    if ($b['error'] !== null) { return 'reversed order failed where the given order did not: ' . $b['error']; }\n"
	"    if ($b['levels'] !== $a['levels']) { return 'reversed order gave other levels'; }\n"
	"    $size = 1 + ord($s[0] ?? \"\\0\") % 7;\n"
	"    $c = fuzz_run($seed, $known, array_chunk($events, $size));\n"
	"    if (isset($c['broken'])) { return 'in batches: ' . $c['broken']; }\n"
	/* Batches may overflow midway where one batch does not (each batch is checked at its end). */
	"    if ($c['error'] === null && $c['levels'] !== $a['levels']) { return \"batches of $size gave other levels\"; }\n"
	"    if ($c['error'] !== null && $c['error'] !== StockOverflow::class) { return \"batches of $size failed: {$c['error']}\"; }\n"
	/* Replayed: every id is a duplicate, nothing changes. */
	"    $r = $a['ledger']->apply($events);\n"
	"    if ($r['applied'] !== 0 || $r['changed'] !== [] || $a['ledger']->levels() !== $a['levels']) { return 'a replay changed something'; }\n"
	"    return null;\n"
	"  } catch (Throwable $e) {\n"
	"    return 'unexpected ' . get_class($e) . ': ' . $e->getMessage();\n"
	"  }\n"
	"}\n";

static zend_function *fuzz_one;

/*
 * What PHP allocates while it starts (the internal functions zend_register_functions() copies
 * for its modules) is not all reachable from where LeakSanitizer looks, and libFuzzer's per-input
 * leak check reports every unreachable block: those are left out by the frame they come from
 * (libphp has no frame pointers, so that frame is all the stack shows; nothing calls it after
 * startup but dl(), which the harness does not). The ledger's own allocations are not.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:zend_register_functions\n";
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void) argc;
	(void) argv;
	setenv("USE_ZEND_ALLOC", "0", 1);
	php_embed_module.startup = startup;
	php_embed_module.php_ini_ignore = 1; /* no php.ini, no conf.d: nothing dlopen()ed (ASan refuses RTLD_DEEPBIND) */
	if (php_embed_init(0, NULL) != SUCCESS) {
		fprintf(stderr, "fuzz_ledger_apply: PHP did not start\n");
		abort();
	}
	atexit(php_embed_shutdown); /* before LeakSanitizer's check at exit: PHP's startup allocations go back */
	if (zend_eval_stringl((char *) harness, sizeof(harness) - 1, NULL, "fuzz harness") != SUCCESS || EG(exception)) {
		fprintf(stderr, "fuzz_ledger_apply: the harness does not compile\n");
		abort();
	}
	fuzz_one = zend_hash_str_find_ptr(EG(function_table), "fuzz_one", sizeof("fuzz_one") - 1);
	if (!fuzz_one) {
		fprintf(stderr, "fuzz_ledger_apply: fuzz_one() is missing\n");
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	zval arg, ret;
	ZVAL_STRINGL(&arg, (const char *) data, size);
	ZVAL_UNDEF(&ret);
	zend_call_known_function(fuzz_one, NULL, NULL, &ret, 1, &arg, NULL);
	zval_ptr_dtor(&arg);
	if (EG(exception) || Z_TYPE(ret) == IS_UNDEF) {
		fprintf(stderr, "fuzz_ledger_apply: the harness itself failed\n");
		abort();
	}
	if (Z_TYPE(ret) == IS_STRING) {
		fprintf(stderr, "fuzz_ledger_apply: %s\n", Z_STRVAL(ret));
		abort();
	}
	zval_ptr_dtor(&ret);
	return 0;
}
