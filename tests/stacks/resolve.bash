#!/usr/bin/env bash
# Tests of bin/lib/stacks.sh: where each stack's WordPress and WooCommerce come from (environment,
# cache, checked download) and what it says when they cannot be had. The download is served by a
# local PHP server laid out as wordpress.org's (wordpress-X.zip + .sha1; plugin/woocommerce.X.zip +
# plugin-checksums/woocommerce/X.json), with small stand-in releases built here.
# Prints one line per case and "stacks: N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export OMNISTOCK_TOP=$top
export OMNISTOCK_WORK=${OMNISTOCK_WORK:-$top/.work}
work=$OMNISTOCK_WORK/stacks-test
port=${OMNISTOCK_DOWNLOAD_PORT:-23501}
rm -rf "$work" && mkdir -p "$work/mirror/plugin" "$work/mirror/plugin-checksums/woocommerce"

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
no() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }
expect() { local name=$1; shift; if "$@"; then ok "$name"; else no "$name"; fi; }

# Stand-in releases: a WordPress zip (top folder wordpress/) and a WooCommerce zip (woocommerce/).
mk_wordpress() { mkdir -p "$1/wordpress/wp-includes" && echo "<?php // $2" >"$1/wordpress/wp-settings.php" && echo "<?php \$wp_version = '$2';" >"$1/wordpress/wp-includes/version.php"; }
mk_woocommerce() { mkdir -p "$1/woocommerce/includes" && echo "<?php // Version: $2" >"$1/woocommerce/woocommerce.php" && echo "<?php // $2" >"$1/woocommerce/includes/class-wc.php"; }
checksums_json() {  # DIR -> wordpress.org's plugin-checksums JSON of DIR's files
  php -r '$d=$argv[1];$f=[];$it=new RecursiveIteratorIterator(new RecursiveDirectoryIterator($d,FilesystemIterator::SKIP_DOTS));foreach($it as $x){$p=substr($x->getPathname(),strlen($d)+1);$f[$p]=["md5"=>md5_file($x),"sha256"=>hash_file("sha256",$x)];}ksort($f);echo json_encode(["plugin"=>"woocommerce","files"=>$f]);' "$1"
}
src=$work/src
mk_wordpress "$src/wp" 6.8.8 && (cd "$src/wp" && zip -qr "$work/mirror/wordpress-6.8.8.zip" wordpress)
sha1sum "$work/mirror/wordpress-6.8.8.zip" | cut -d' ' -f1 >"$work/mirror/wordpress-6.8.8.zip.sha1"
mk_woocommerce "$src/wc" 10.2.4 && (cd "$src/wc" && zip -qr "$work/mirror/plugin/woocommerce.10.2.4.zip" woocommerce)
checksums_json "$src/wc/woocommerce" >"$work/mirror/plugin-checksums/woocommerce/10.2.4.json"

php -S "127.0.0.1:$port" -t "$work/mirror" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

# Each case resolves in a subshell with a clean environment of its own.
resolve() {  # NAME [VAR=VALUE...]: prints "WP|WC|MISSING", exit status of stack_resolve
  local name=$1; shift
  env -u OMNISTOCK_WORDPRESS -u OMNISTOCK_WOOCOMMERCE -u OMNISTOCK_WOOCOMMERCE_OLDEST -u OMNISTOCK_OFFLINE \
    OMNISTOCK_DOWNLOAD_BASE="http://127.0.0.1:$port" "$@" bash -c '
    . "$OMNISTOCK_TOP/bin/lib/stacks.sh"; stack_resolve "$0"; rc=$?; echo "$STACK_WP|$STACK_WC|$STACK_MISSING"; exit $rc' "$name" 2>"$work/stderr"
}
contains() { [[ $1 == *"$2"* ]]; }

cache=$work/cache
# 1. An empty cache and no network: one line saying what to put where, for both parts; nothing written.
out=$(resolve current OMNISTOCK_CACHE="$cache" OMNISTOCK_OFFLINE=1); rc=$?
expect "offline, empty cache: fails" [ "$rc" -ne 0 ]
expect "offline, empty cache: names WordPress's place" contains "$out" "$cache/wordpress-6.8.8/wp-settings.php"
expect "offline, empty cache: names WooCommerce's place" contains "$out" "$cache/woocommerce-10.2.4/woocommerce/woocommerce.php"
expect "offline, empty cache: names the variables" contains "$out" "OMNISTOCK_WORDPRESS"
expect "offline, empty cache: the cache stays empty" [ ! -e "$cache/wordpress-6.8.8" ]

# 2. The download: checked, unpacked into the cache, used.
out=$(resolve current OMNISTOCK_CACHE="$cache"); rc=$?
expect "download: resolves" [ "$rc" -eq 0 ]
expect "download: WordPress from the cache" [ "${out%%|*}" = "$cache/wordpress-6.8.8" ]
expect "download: WordPress unpacked" [ -f "$cache/wordpress-6.8.8/wp-settings.php" ]
expect "download: WooCommerce unpacked and checked" [ -f "$cache/woocommerce-10.2.4/woocommerce/includes/class-wc.php" ]
expect "download: no partial folders left" [ -z "$(find "$cache" -maxdepth 1 -name '*.part')" ]

# 3. Once cached, no network is needed.
kill $server 2>/dev/null; wait $server 2>/dev/null
out=$(resolve current OMNISTOCK_CACHE="$cache" OMNISTOCK_OFFLINE=1); rc=$?
expect "cached: resolves offline" [ "$rc" -eq 0 ]
expect "cached: uses the cache" [ "$out" = "$cache/wordpress-6.8.8|$cache/woocommerce-10.2.4/woocommerce|" ]
php -S "127.0.0.1:$port" -t "$work/mirror" >>"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

# 4. The environment wins over the cache: a folder, or the official zip.
out=$(resolve current OMNISTOCK_CACHE="$cache" OMNISTOCK_WORDPRESS="$src/wp/wordpress" OMNISTOCK_WOOCOMMERCE="$work/mirror/plugin/woocommerce.10.2.4.zip"); rc=$?
expect "environment: resolves" [ "$rc" -eq 0 ]
expect "environment: the WordPress folder given" [ "${out%%|*}" = "$src/wp/wordpress" ]
wc=${out#*|}; wc=${wc%%|*}
expect "environment: the WooCommerce zip given, unpacked" [ -f "$wc/woocommerce.php" ] && expect "environment: not the cache's" [ "$wc" != "$cache/woocommerce-10.2.4/woocommerce" ]
out=$(resolve current OMNISTOCK_CACHE="$cache" OMNISTOCK_WORDPRESS="$work/mirror/wordpress-6.8.8.zip" OMNISTOCK_WOOCOMMERCE="$src/wc"); rc=$?
expect "environment: a WordPress zip and a folder holding woocommerce/ resolve" [ "$rc" -eq 0 ]
wp=${out%%|*}; wc=${out#*|}; wc=${wc%%|*}
expect "environment: the WordPress zip given, unpacked" [ -f "$wp/wp-settings.php" ] && expect "environment: WordPress not the cache's" [ "$wp" != "$cache/wordpress-6.8.8" ]
expect "environment: the folder holding woocommerce/" [ "$wc" = "$src/wc/woocommerce" ]
out=$(resolve current OMNISTOCK_CACHE="$cache" OMNISTOCK_WORDPRESS="$work/mirror/plugin/woocommerce.10.2.4.zip"); rc=$?
expect "environment: a zip of something else is refused" [ "$rc" -ne 0 ]
expect "environment: ...saying what it is not" contains "$out" "is not a WordPress zip (no wordpress/wp-settings.php in it)"
out=$(resolve current OMNISTOCK_CACHE="$cache" OMNISTOCK_WOOCOMMERCE="$work/nowhere"); rc=$?
expect "environment: a wrong path fails" [ "$rc" -ne 0 ]
expect "environment: a wrong path is named with its variable" contains "$out" "OMNISTOCK_WOOCOMMERCE=$work/nowhere is neither a folder nor a zip"

# 5. A download that does not match the published checksums is not used.
cache2=$work/cache2
echo "<?php // tampered" >"$src/wp/wordpress/wp-settings.php"
(cd "$src/wp" && rm -f "$work/mirror/wordpress-6.8.8.zip" && zip -qr "$work/mirror/wordpress-6.8.8.zip" wordpress)
out=$(resolve current OMNISTOCK_CACHE="$cache2"); rc=$?
expect "tampered WordPress zip: fails" [ "$rc" -ne 0 ]
expect "tampered WordPress zip: says why" grep -q "has SHA-1 .*wordpress.org publishes" "$work/stderr"
expect "tampered WordPress zip: not cached" [ ! -e "$cache2/wordpress-6.8.8" ]
expect "tampered WordPress zip: WooCommerce still checked and cached" [ -f "$cache2/woocommerce-10.2.4/woocommerce/woocommerce.php" ]

cache3=$work/cache3
echo "// added" >>"$src/wc/woocommerce/includes/class-wc.php"
(cd "$src/wc" && rm -f "$work/mirror/plugin/woocommerce.10.2.4.zip" && zip -qr "$work/mirror/plugin/woocommerce.10.2.4.zip" woocommerce)
out=$(resolve current OMNISTOCK_CACHE="$cache3"); rc=$?
expect "altered WooCommerce file: fails" [ "$rc" -ne 0 ]
expect "altered WooCommerce file: named" grep -q "differs: includes/class-wc.php" "$work/stderr"
expect "altered WooCommerce file: not cached" [ ! -e "$cache3/woocommerce-10.2.4" ]
checksums_json "$src/wc/woocommerce" >"$work/mirror/plugin-checksums/woocommerce/10.2.4.json"
echo "<?php // not in the release" >"$src/wc/woocommerce/extra.php"
(cd "$src/wc" && rm -f "$work/mirror/plugin/woocommerce.10.2.4.zip" && zip -qr "$work/mirror/plugin/woocommerce.10.2.4.zip" woocommerce)
out=$(resolve current OMNISTOCK_CACHE="$cache3"); rc=$?
expect "added WooCommerce file: fails" [ "$rc" -ne 0 ]
expect "added WooCommerce file: named" grep -q "not published: extra.php" "$work/stderr"

# 6. The oldest stack: Debian's WordPress, WooCommerce 7.7.2 from its own place.
out=$(resolve oldest OMNISTOCK_CACHE="$work/cache4" OMNISTOCK_OFFLINE=1); rc=$?
expect "oldest, offline, empty cache: fails" [ "$rc" -ne 0 ]
expect "oldest: names WooCommerce 7.7.2's place and variable" contains "$out" "woocommerce-7.7.2/woocommerce/woocommerce.php exists, or set OMNISTOCK_WOOCOMMERCE_OLDEST"
if [ -f /usr/share/wordpress/wp-settings.php ]; then
  out=$(resolve oldest OMNISTOCK_CACHE="$work/cache4" OMNISTOCK_WOOCOMMERCE_OLDEST="$src/wc/woocommerce"); rc=$?
  expect "oldest: resolves with Debian's WordPress" [ "$rc" -eq 0 ] && expect "oldest: Debian's WordPress" [ "${out%%|*}" = /usr/share/wordpress ]
else
  no "oldest: Debian's wordpress package is not installed"
fi

echo "stacks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
