<?php
/**
 * Fails when package.xml and the tree disagree: every file the extension is built, documented
 * and tested from must be listed (with a role), and every listed file must exist.
 * Plugin, browser, benchmark, fake provider server (tests/providers), stack-resolution and static-analysis files (and the money vectors the
 * plugin's PHP and JS share, and the benchmarks' tests/lib/bench.php) are not part of the PECL package.
 */
$top = $argv[1] ?? dirname(__DIR__, 2);
$xml = simplexml_load_file("$top/package.xml");
if ($xml === false) {
    fwrite(STDERR, "package.xml does not parse\n");
    exit(1);
}
$xml->registerXPathNamespace('p', 'http://pear.php.net/dtd/package-2.0');

$listed = [];
$walk = function (SimpleXMLElement $dir, string $prefix) use (&$walk, &$listed): void {
    foreach ($dir->children() as $child) {
        $name = (string) $child['name'];
        $path = ltrim($prefix . '/' . $name, '/');
        if ($child->getName() === 'dir') {
            $walk($child, $name === '/' ? '' : $path);
        } elseif ($child->getName() === 'file') {
            if ((string) $child['role'] === '') {
                fwrite(STDERR, "package.xml: $path has no role\n");
                exit(1);
            }
            $listed[$path] = true;
        }
    }
};
$walk($xml->contents, '');

$tracked = [];
exec('git -C ' . escapeshellarg($top) . ' ls-files --cached --others --exclude-standard', $tracked, $rc);
if ($rc !== 0) {
    fwrite(STDERR, "git ls-files failed\n");
    exit(1);
}
$wanted = array_filter($tracked, static fn ($f) =>
    in_array($f, ['config.m4', 'config.w32', 'LICENSE', 'README.md'], true)
    || preg_match('~^(ext|php-stubs)/~', $f)
    || (preg_match('~^tests/~', $f) && !preg_match('~^tests/(bench|plugin|browser|stacks|phpstan|providers)/|^tests/lib/(money-vectors\.json|bench\.php)$~', $f)));

$problems = 0;
foreach ($wanted as $f) {
    if (!isset($listed[$f])) {
        echo "package.xml does not list $f\n";
        $problems++;
    }
}
foreach (array_keys($listed) as $f) {
    if (!is_file("$top/$f")) {
        echo "package.xml lists $f, which does not exist\n";
        $problems++;
    }
}
if ($problems === 0) {
    echo 'package.xml lists all ' . count($listed) . " files\n";
}
exit($problems === 0 ? 0 : 1);
