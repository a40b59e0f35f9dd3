<?php
/**
 * The plugin's layers, checked: every class of wp-plugin/src sits in one layer, and calls go down.
 *
 *   php bin/lib/check-layers.php wp-plugin/src     fails (exit 1) naming every import circle and
 *                                                  every arrow up a layer (file:line, from → to)
 *   php bin/lib/check-layers.php --self-test       runs the check on small synthetic trees
 *
 * Layers, bottom to top (a class may use its own layer and the ones below, never one above):
 */
const LAYERS = array(
    // 1 base: what every layer may name — the extension check, capability names, meta keys, the autoloader, the errors.
    'Omnistock\Requirements'  => 1,
    'Omnistock\Capabilities'  => 1,
    'Omnistock\Meta'          => 1,
    'Omnistock\Autoloader'    => 1,
    // The error root and its kinds: every layer throws them, each adapter maps them.
    'Omnistock\Error'         => 1,
    'Omnistock\BadInput'      => 1,
    'Omnistock\Refused'       => 1,
    'Omnistock\Refusal'       => 1,
    'Omnistock\Unavailable'   => 1,
    // 2 domain: locations, the ledger, levels, holds, the tables. Nothing of WooCommerce, REST or screens.
    'Omnistock\Inventory'     => 2,
    // 3 services: an order's stock (WooCommerce's orders and products over the domain), the POS.
    'Omnistock\WooCommerce\OrderStock'   => 3,
    'Omnistock\WooCommerce\OrderStockState' => 3,
    'Omnistock\WooCommerce\ProductStock' => 3,
    'Omnistock\WooCommerce\ManagedStock' => 3,
    'Omnistock\WooCommerce\CheckoutHolds' => 3,
    'Omnistock\WooCommerce\OrderDestination' => 3,
    'Omnistock\WooCommerce\OrderRouting' => 3,
    'Omnistock\Pos'           => 3,
    'Omnistock\Pickup'        => 3,
    'Omnistock\Fulfilment'    => 3,
    'Omnistock\Connectors'    => 3,
    // 4 adapters: WooCommerce's hooks, REST controllers, admin screens, WP-CLI, the installer.
    'Omnistock\WooCommerce'   => 4,
    'Omnistock\Rest'          => 4,
    'Omnistock\Admin'         => 4,
    'Omnistock\Cli'           => 4,
    'Omnistock\Install'       => 4,
    // 5 composition root: builds and wires everything; nothing calls it back.
    'Omnistock\Plugin'        => 5,
);
const LAYER_NAMES = array( 1 => 'base', 2 => 'domain', 3 => 'services', 4 => 'adapters', 5 => 'root' );

/**
 * What lies outside the tree but belongs to a layer above: a class of the layers up to the key may not
 * name these classes or call these functions (WooCommerce and the REST API and WP-CLI are the adapters').
 */
const FOREIGN = array(
    2 => array('/^WC_/', '/^Automattic\\\\WooCommerce\\\\/', '/^wc_/', '/^woocommerce_/'),
    3 => array('/^WP_REST_/', '/^register_rest_route$/', '/^rest_ensure_response$/', '/^WP_CLI/'),
);

/**
 * Classes declared under $root and their dependencies:
 * [ class => [file, [ [to, line], … ], [ [name outside the tree or function, line], … ], parse error or null] ].
 * A dependency is any name in code (not comments or strings) that resolves to a class of the tree:
 * use imports, new, static calls and ::class, type hints, instanceof, catch, extends/implements, traits.
 */
function scan_tree(string $root): array {
    $files = array();
    $it    = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($root, FilesystemIterator::SKIP_DOTS));
    foreach ($it as $file) {
        if ($file->isFile() && str_ends_with($file->getFilename(), '.php')) {
            $files[] = $file->getPathname();
        }
    }
    sort($files);
    $parsed = array();
    foreach ($files as $path) {
        $parsed[$path] = scan_file($path);
    }
    $known = array();
    foreach ($parsed as $path => $p) {
        foreach ($p['declares'] as $class) {
            $known[strtolower($class)] = $class;
        }
    }
    $graph = array();
    foreach ($parsed as $path => $p) {
        if ($p['error'] !== null) {
            $graph["(unparsed) $path"] = array($path, array(), array(), $p['error']);
            continue;
        }
        if ($p['declares'] === array()) {
            continue;
        }
        $from    = $p['declares'][0];
        $edges   = array();
        $foreign = $p['calls'];
        foreach ($p['names'] as [$name, $line]) {
            $to = $known[strtolower($name)] ?? null;
            if ($to === null) {
                $foreign[] = array($name, $line);
            } elseif ($to !== $from) {
                $edges[] = array($to, $line);
            }
        }
        $graph[$from] = array($path, $edges, $foreign, null);
    }
    return $graph;
}

/**
 * One file's declared classes and the fully qualified names it mentions, with their lines.
 */
function scan_file(string $path): array {
    try {
        $all = token_get_all((string) file_get_contents($path), TOKEN_PARSE);
    } catch (ParseError $e) {
        return array('declares' => array(), 'names' => array(), 'calls' => array(), 'error' => $e->getMessage() . ' on line ' . $e->getLine());
    }
    $tokens = array_values(array_filter(
        $all,
        static fn ($t) => !is_array($t) || !in_array($t[0], array(T_WHITESPACE, T_COMMENT, T_DOC_COMMENT), true)
    ));
    $namespace = '';
    $imports   = array(); // lower-case alias => fully qualified class
    $declares  = array();
    $names     = array();
    $calls     = array();
    $depth     = 0;
    $n         = count($tokens);
    $text      = static fn ($t) => is_array($t) ? $t[1] : $t;
    $kind      = static fn ($t) => is_array($t) ? $t[0] : $t;
    $resolve   = static function (string $name) use (&$namespace, &$imports): ?string {
        if ($name[0] === '\\') {
            return substr($name, 1);
        }
        if (stripos($name, 'namespace\\') === 0) {
            return ltrim($namespace . '\\' . substr($name, 10), '\\');
        }
        $first = strtolower(explode('\\', $name)[0]);
        if (in_array($first, array('self', 'static', 'parent'), true)) {
            return null;
        }
        if (isset($imports[$first])) {
            $rest = substr($name, strlen($first));
            return $imports[$first] . $rest;
        }
        return ltrim($namespace . '\\' . $name, '\\');
    };
    for ($i = 0; $i < $n; $i++) {
        $t = $tokens[$i];
        $k = $kind($t);
        if ($k === '{' || $k === T_CURLY_OPEN || $k === T_DOLLAR_OPEN_CURLY_BRACES) {
            $depth++;
            continue;
        }
        if ($k === '}') {
            $depth--;
            continue;
        }
        if ($k === T_NAMESPACE && in_array($kind($tokens[$i + 1] ?? ''), array(T_STRING, T_NAME_QUALIFIED), true)) {
            $namespace = $text($tokens[++$i]);
            $imports   = array();
            continue;
        }
        if ($k === T_USE && $depth === 0) {
            $line = $t[2];
            $i++;
            $sort = $kind($tokens[$i]);
            if ($sort === T_FUNCTION || $sort === T_CONST) {
                while ($i < $n && $kind($tokens[$i]) !== ';') {
                    $i++;
                }
                continue;
            }
            $prefix = '';
            $last   = null;
            for (; $i < $n && $kind($tokens[$i]) !== ';'; $i++) {
                $tk = $tokens[$i];
                $kk = $kind($tk);
                if (in_array($kk, array(T_STRING, T_NAME_QUALIFIED, T_NAME_FULLY_QUALIFIED), true)) {
                    if ($last !== null && $kind($tokens[$i - 1]) === T_AS) {
                        $imports[strtolower($text($tk))] = $last;
                        continue;
                    }
                    $last = ltrim($prefix . ltrim($text($tk), '\\'), '\\');
                    if ($kind($tokens[$i + 1] ?? '') === T_NS_SEPARATOR) {
                        $prefix = $last . '\\'; // group use: A\B\{C, D}
                        $last   = null;
                        continue;
                    }
                    $parts = explode('\\', $last);
                    $imports[strtolower(end($parts))] = $last;
                    $names[] = array($last, $line);
                }
            }
            continue;
        }
        if (in_array($k, array(T_CLASS, T_INTERFACE, T_TRAIT, T_ENUM), true)) {
            $prev = $kind($tokens[$i - 1] ?? '');
            $next = $tokens[$i + 1] ?? '';
            if ($prev !== T_DOUBLE_COLON && $prev !== T_NEW && $kind($next) === T_STRING) {
                $declares[] = ltrim($namespace . '\\' . $text($next), '\\');
                $i++;
            }
            continue;
        }
        if (!in_array($k, array(T_STRING, T_NAME_QUALIFIED, T_NAME_FULLY_QUALIFIED, T_NAME_RELATIVE), true)) {
            continue;
        }
        $prev = $kind($tokens[$i - 1] ?? '');
        $next = $kind($tokens[$i + 1] ?? '');
        if (in_array($prev, array(T_OBJECT_OPERATOR, T_NULLSAFE_OBJECT_OPERATOR, T_DOUBLE_COLON, T_FUNCTION, T_CONST, T_GOTO, T_AS, T_INSTEADOF), true)) {
            continue; // a member, a declaration or a label, not a class
        }
        if ($next === '(' && $prev !== T_NEW) {
            $calls[] = array(ltrim($text($t), '\\'), $t[2]); // a function: the global one, as no plugin code declares any
            continue;
        }
        if ($next === ':') {
            continue; // a named argument, a label
        }
        $full = $resolve($text($t));
        if ($full !== null) {
            $names[] = array($full, $t[2]);
        }
    }
    return array('declares' => $declares, 'names' => $names, 'calls' => $calls, 'error' => null);
}

/**
 * The layer of a class: the longest prefix of LAYERS that names it or its namespace.
 */
function layer_of(string $class, array $layers): ?int {
    $best = null;
    $len  = -1;
    foreach ($layers as $prefix => $layer) {
        if (($class === $prefix || str_starts_with($class, $prefix . '\\')) && strlen($prefix) > $len) {
            $best = $layer;
            $len  = strlen($prefix);
        }
    }
    return $best;
}

/**
 * Strongly connected components with more than one class (Tarjan), each as a list of classes.
 */
function circles(array $graph): array {
    $index = array();
    $low   = array();
    $stack = array();
    $on    = array();
    $out   = array();
    $next  = 0;
    $visit = function (string $v) use (&$visit, &$index, &$low, &$stack, &$on, &$out, &$next, $graph): void {
        $index[$v] = $low[$v] = $next++;
        $stack[]   = $v;
        $on[$v]    = true;
        foreach ($graph[$v][1] as [$w]) {
            if (!isset($graph[$w])) {
                continue;
            }
            if (!isset($index[$w])) {
                $visit($w);
                $low[$v] = min($low[$v], $low[$w]);
            } elseif (isset($on[$w])) {
                $low[$v] = min($low[$v], $index[$w]);
            }
        }
        if ($low[$v] === $index[$v]) {
            $component = array();
            do {
                $w = array_pop($stack);
                unset($on[$w]);
                $component[] = $w;
            } while ($w !== $v);
            if (count($component) > 1) {
                sort($component);
                $out[] = $component;
            }
        }
    };
    foreach (array_keys($graph) as $v) {
        if (!isset($index[$v])) {
            $visit($v);
        }
    }
    usort($out, static fn ($a, $b) => count($b) <=> count($a) ?: strcmp($a[0], $b[0]));
    return $out;
}

/**
 * One shortest way round a circle from its first class, as "A (file:line) → B (file:line) → … → A".
 */
function describe_circle(array $component, array $graph, callable $where): string {
    $in    = array_flip($component);
    $start = $component[0];
    $from  = array($start => null);
    $queue = array($start);
    $back  = null;
    while ($queue !== array() && $back === null) {
        $v = array_shift($queue);
        foreach ($graph[$v][1] as [$w, $line]) {
            if (!isset($in[$w])) {
                continue;
            }
            if ($w === $start) {
                $back = array($v, $line);
                break;
            }
            if (!array_key_exists($w, $from)) {
                $from[$w] = array($v, $line);
                $queue[]  = $w;
            }
        }
    }
    $steps = array();
    [$v, $line] = $back;
    $steps[] = array($v, $line, $start);
    while ($from[$v] !== null) {
        [$u, $l] = $from[$v];
        $steps[] = array($u, $l, $v);
        $v       = $u;
    }
    $steps = array_reverse($steps);
    $text  = $start;
    foreach ($steps as [$u, $l, $w]) {
        $text .= ' (' . $where($graph[$u][0]) . ":$l) → $w";
    }
    return $text;
}

/**
 * The verdicts on one tree: a list of problem lines (empty when the layers hold).
 */
function check_tree(string $root, array $layers): array {
    $graph    = scan_tree($root);
    $base     = rtrim($root, '/') . '/';
    $where    = static fn (string $path) => str_starts_with($path, $base) ? substr($path, strlen($base)) : $path;
    $problems = array();
    foreach ($graph as $class => [$path, , , $error]) {
        if ($error !== null) {
            $problems[] = 'does not parse: ' . $where($path) . ": $error";
            unset($graph[$class]);
        }
    }
    foreach ($graph as $class => [$path]) {
        if (layer_of($class, $layers) === null) {
            $problems[] = "no layer: $class (" . $where($path) . ') — add it to LAYERS in bin/lib/check-layers.php';
        }
    }
    foreach (circles($graph) as $component) {
        $problems[] = 'import circle of ' . count($component) . ': ' . implode(', ', $component)
            . "\n    e.g. " . describe_circle($component, $graph, $where);
    }
    foreach ($graph as $class => [$path, $edges]) {
        $from = layer_of($class, $layers);
        $seen = array();
        foreach ($edges as [$to, $line]) {
            $up = layer_of($to, $layers);
            if ($from === null || $up === null || $up <= $from || isset($seen[$to])) {
                continue;
            }
            $seen[$to]  = true;
            $problems[] = sprintf(
                'arrow up: %s:%d %s (%s) → %s (%s)',
                $where($path),
                $line,
                $class,
                LAYER_NAMES[$from] ?? $from,
                $to,
                LAYER_NAMES[$up] ?? $up
            );
        }
    }
    foreach ($graph as $class => [$path, , $foreign]) {
        $layer = layer_of($class, $layers);
        $seen  = array();
        foreach ($foreign as [$name, $line]) {
            foreach (FOREIGN as $up_to => $patterns) {
                if ($layer === null || $layer > $up_to || isset($seen[$name])) {
                    continue;
                }
                foreach ($patterns as $pattern) {
                    if (preg_match($pattern, $name) === 1) {
                        $seen[$name] = true;
                        $problems[]  = sprintf('foreign: %s:%d %s (%s) uses %s, which belongs to a layer above', $where($path), $line, $class, LAYER_NAMES[$layer] ?? $layer, $name);
                        break;
                    }
                }
            }
        }
    }
    return $problems;
}

/**
 * Writes the files of a synthetic tree into a fresh temporary folder and returns it.
 */
function synthetic_tree(array $files): string {
    $dir = sys_get_temp_dir() . '/check-layers-' . bin2hex(random_bytes(6));
    foreach ($files as $name => $code) {
        @mkdir(dirname("$dir/$name"), 0700, true);
        file_put_contents("$dir/$name", "<?php\n" . $code);
    }
    return $dir;
}

function remove_tree(string $dir): void {
    $it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($dir, FilesystemIterator::SKIP_DOTS), RecursiveIteratorIterator::CHILD_FIRST);
    foreach ($it as $f) {
        $f->isDir() ? rmdir($f->getPathname()) : unlink($f->getPathname());
    }
    rmdir($dir);
}

/**
 * Each case: a tree and a pattern per problem the check must report (and nothing else).
 */
function self_test(): int {
    $domain = "namespace Omnistock\\Inventory;\n";
    $rest   = "namespace Omnistock\\Rest;\n";
    $cases  = array(
        'clean: calls go down, names in comments and strings do not count' => array(
            array(
                'Inventory/Ledger.php' => $domain . "/** @see \\Omnistock\\Rest\\Api */\nfinal class Ledger { public function f(): string { return 'Omnistock\\Rest\\Api'; } }",
                'Rest/Api.php'         => $rest . "use Omnistock\\Inventory\\Ledger;\nfinal class Api { public function __construct( private Ledger \$l ) {} }",
                'Plugin.php'           => "namespace Omnistock;\nfinal class Plugin { public static function boot(): void { new Rest\\Api( new Inventory\\Ledger() ); } }",
            ),
            array(),
        ),
        'circle of two in one layer' => array(
            array(
                'Inventory/A.php' => $domain . "final class A { public function b(): B { return new B(); } }",
                'Inventory/B.php' => $domain . "final class B { public function a( A \$a ): void {} }",
            ),
            array('/^import circle of 2: Omnistock\\\\Inventory\\\\A, Omnistock\\\\Inventory\\\\B\n    e\.g\. Omnistock\\\\Inventory\\\\A \(Inventory\/A\.php:3\) → Omnistock\\\\Inventory\\\\B \(Inventory\/B\.php:3\) → Omnistock\\\\Inventory\\\\A$/'),
        ),
        'up-arrows of every kind (use, new, static call, type hint, instanceof, catch, extends, implements)' => array(
            array(
                'Rest/Api.php'         => $rest . "class Api {}",
                'Rest/Port.php'        => $rest . "interface Port {}",
                'Rest/Failed.php'      => $rest . "final class Failed extends \\Exception {}",
                'Rest/Helper.php'      => $rest . "final class Helper { public static function integer(): int { return 1; } }",
                'Rest/Shape.php'       => $rest . "final class Shape {}",
                'Rest/Thing.php'       => $rest . "final class Thing {}",
                'Inventory/Uses.php'   => $domain . "use Omnistock\\Rest\\Thing;\nfinal class Uses {}",
                'Inventory/News.php'   => $domain . "final class News { public function f(): void { new \\Omnistock\\Rest\\Api(); } }",
                'Inventory/Calls.php'  => $domain . "use Omnistock\\Rest as R;\nfinal class Calls { public function f(): int {\nreturn R\\Helper::integer(); } }",
                'Inventory/Hints.php'  => $domain . "final class Hints { public function f( ?\\Omnistock\\Rest\\Shape \$s ): void {} }",
                'Inventory/Checks.php' => $domain . "final class Checks { public function f( object \$o ): bool {\n\n return \$o instanceof \\Omnistock\\Rest\\Thing; } }",
                'Inventory/Catches.php' => $domain . "final class Catches { public function f(): void { try {} catch ( \\Omnistock\\Rest\\Failed \$e ) {} } }",
                'Inventory/Child.php'  => $domain . "use Omnistock\\Rest\\{Api, Port};\nfinal class Child extends Api implements Port {}",
            ),
            array(
                '/^arrow up: Inventory\/Calls\.php:5 Omnistock\\\\Inventory\\\\Calls \(domain\) → Omnistock\\\\Rest\\\\Helper \(adapters\)$/',
                '/^arrow up: Inventory\/Catches\.php:3 .* → Omnistock\\\\Rest\\\\Failed \(adapters\)$/',
                '/^arrow up: Inventory\/Checks\.php:5 .* → Omnistock\\\\Rest\\\\Thing \(adapters\)$/',
                '/^arrow up: Inventory\/Child\.php:3 .* → Omnistock\\\\Rest\\\\Api \(adapters\)$/',
                '/^arrow up: Inventory\/Child\.php:3 .* → Omnistock\\\\Rest\\\\Port \(adapters\)$/',
                '/^arrow up: Inventory\/Hints\.php:3 .* → Omnistock\\\\Rest\\\\Shape \(adapters\)$/',
                '/^arrow up: Inventory\/News\.php:3 .* → Omnistock\\\\Rest\\\\Api \(adapters\)$/',
                '/^arrow up: Inventory\/Uses\.php:3 .* → Omnistock\\\\Rest\\\\Thing \(adapters\)$/',
            ),
        ),
        'WooCommerce in the domain, the REST API in a service' => array(
            array(
                'Inventory/Shop.php' => $domain . "final class Shop { public function f(): void {\n\\wc_get_product( 1 );\n\$p = new \\WC_Product(); } }",
                'Pos/Answer.php'     => "namespace Omnistock\\Pos;\nuse WP_REST_Response;\nfinal class Answer { public function f(): WP_REST_Response { return new WP_REST_Response(); } }",
                'Rest/Fine.php'      => $rest . "final class Fine { public function f(): \\WP_REST_Response { return rest_ensure_response( array() ); } }",
            ),
            array(
                '/^foreign: Inventory\/Shop\.php:4 Omnistock\\\\Inventory\\\\Shop \(domain\) uses wc_get_product, /',
                '/^foreign: Inventory\/Shop\.php:5 Omnistock\\\\Inventory\\\\Shop \(domain\) uses WC_Product, /',
                '/^foreign: Pos\/Answer\.php:3 Omnistock\\\\Pos\\\\Answer \(services\) uses WP_REST_Response, /',
            ),
        ),
        'a file that does not parse' => array(
            array('Inventory/Broken.php' => $domain . "final class Broken { } }"),
            array('/^does not parse: Inventory\/Broken\.php: /'),
        ),
        'a class with no layer' => array(
            array('Elsewhere/Loose.php' => "namespace Omnistock\\Elsewhere;\nfinal class Loose {}"),
            array('/^no layer: Omnistock\\\\Elsewhere\\\\Loose \(Elsewhere\/Loose\.php\)/'),
        ),
    );
    $failed = 0;
    foreach ($cases as $title => [$files, $expected]) {
        $dir = synthetic_tree($files);
        try {
            $problems = check_tree($dir, LAYERS);
        } finally {
            remove_tree($dir);
        }
        sort($problems);
        $ok = count($problems) === count($expected);
        foreach ($expected as $i => $pattern) {
            $ok = $ok && isset($problems[$i]) && preg_match($pattern, $problems[$i]) === 1;
        }
        echo ($ok ? 'ok   ' : 'FAIL ') . $title . "\n";
        if (!$ok) {
            $failed++;
            echo '  expected ' . count($expected) . " problem(s), got:\n  " . implode("\n  ", $problems ?: array('(none)')) . "\n";
        }
    }
    echo $failed === 0 ? "self-test: all verdicts right\n" : "self-test: $failed case(s) wrong\n";
    return $failed === 0 ? 0 : 1;
}

if (($argv[1] ?? '') === '--self-test') {
    exit(self_test());
}
$root = $argv[1] ?? dirname(__DIR__, 2) . '/wp-plugin/src';
if (!is_dir($root)) {
    fwrite(STDERR, "usage: check-layers.php <wp-plugin/src> | --self-test\n");
    exit(2);
}
$problems = check_tree($root, LAYERS);
if ($problems !== array()) {
    echo implode("\n", $problems), "\n", count($problems), " problem(s): calls must go down the layers at the top of bin/lib/check-layers.php\n";
    exit(1);
}
echo 'layers hold: ' . count(scan_tree($root)) . " classes, no import circle, no arrow up a layer\n";
exit(0);
