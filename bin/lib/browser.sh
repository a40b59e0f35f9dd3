# The POS terminal's browser tests (tests/browser/): the app built, a WordPress + WooCommerce +
# Omnistock site on a private MariaDB and PHP's built-in server, playwright-core driving Debian's chromium.
#   pos_build                     npm ci (first time) and the @wordpress/scripts build into wp-plugin/build/
#   pos_unit_tests                the app's JS unit tests (jest of @wordpress/scripts), with jest's counts
#   pos_lint                      npm run lint:js in wp-plugin/ (wp-scripts lint-js on assets/pos/src and tests/browser)
#   browser_suite SO [FILES]      all of it, then everything stopped; ends with "browser: N passed, N failed"
#                                 (the site's WordPress and WooCommerce: OMNISTOCK_WP_SOURCE, OMNISTOCK_WOOCOMMERCE;
#                                 HPOS: OMNISTOCK_BROWSER_HPOS=on|off, default off)
# OMNISTOCK_BROWSER_DB_PORT (23231) and OMNISTOCK_BROWSER_PORT (23384) move it.
# OMNISTOCK_STACK (current|oldest) reaches tests/browser/run.mjs: a test file exporting `stacks` runs only there.
# shellcheck shell=bash

BROWSER_DB_PORT=${OMNISTOCK_BROWSER_DB_PORT:-23231}
BROWSER_HTTP_PORT=${OMNISTOCK_BROWSER_PORT:-23384}

# npm ci when node_modules is missing or older than the lockfile; never touches the lockfile.
npm_ready() {
  local dir=$1
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund) || return 1
    touch "$dir/node_modules"
  fi
}

pos_build() {
  # Debian's own nodejs comes without npm (NodeSource's brings it).
  command -v npm >/dev/null || ensure_packages npm || return 1
  npm_ready "$OMNISTOCK_TOP/wp-plugin" && (cd "$OMNISTOCK_TOP/wp-plugin" && npm run build) \
    && [ -f "$OMNISTOCK_TOP/wp-plugin/build/index.asset.php" ]
}

# wp-plugin/assets/pos/test/: money.js, the cart reducer and the payment rules, money.js against the
# vectors (tests/lib/money-vectors.json) that the plugin's PHPUnit checks too. Log in $OMNISTOCK_WORK/pos-unit.log.
pos_unit_tests() {
  local log=$OMNISTOCK_WORK/pos-unit.log rc=0
  command -v npm >/dev/null || ensure_packages npm || return 1
  mkdir -p "$OMNISTOCK_WORK"
  npm_ready "$OMNISTOCK_TOP/wp-plugin" >"$log" 2>&1 || { tail -30 "$log"; return 1; }
  (cd "$OMNISTOCK_TOP/wp-plugin" && CI=true npm run --silent test:unit) >>"$log" 2>&1 || rc=$?
  grep -E '^Tests:' "$log" | sed 's/^/  /'
  if [ "$rc" -ne 0 ]; then grep -E '✕|●' "$log" | head -30; return 1; fi
  # Jest exits 1 when it finds no test; a run that passed none is a failure too.
  grep -qE '^Tests: +[1-9][0-9]* passed' "$log"
}

# The POS app's and the browser tests' JS, linted by wp-scripts lint-js (wp-plugin/.eslintrc.js).
pos_lint() {
  command -v npm >/dev/null || ensure_packages npm || return 1
  # tests/browser/node_modules too: the lint resolves its imports (playwright-core).
  npm_ready "$OMNISTOCK_TOP/wp-plugin" && npm_ready "$OMNISTOCK_TOP/tests/browser" \
    && (cd "$OMNISTOCK_TOP/wp-plugin" && npm run --silent lint:js)
}

browser_suite() {
  local so=$1; shift
  local dir=$OMNISTOCK_WORK/browser wc rc=0 pid
  # shellcheck source=mariadb.sh
  . "$OMNISTOCK_TOP/bin/lib/mariadb.sh"
  # shellcheck source=wordpress.sh
  . "$OMNISTOCK_TOP/bin/lib/wordpress.sh"
  wc=$(woocommerce_source) || return 1
  mkdir -p "$dir"
  rm -rf "$dir/out"
  echo "== building the POS app"
  pos_build >"$dir/build.log" 2>&1 || { tail -30 "$dir/build.log"; return 1; }
  npm_ready "$OMNISTOCK_TOP/tests/browser" >"$dir/npm.log" 2>&1 || { tail -30 "$dir/npm.log"; return 1; }
  if (exec 3<>"/dev/tcp/127.0.0.1/$BROWSER_HTTP_PORT") 2>/dev/null; then
    echo "port $BROWSER_HTTP_PORT is in use (set OMNISTOCK_BROWSER_PORT)"; return 1
  fi
  echo "== site on http://127.0.0.1:$BROWSER_HTTP_PORT, MariaDB on $BROWSER_DB_PORT"
  mariadb_start "$dir/mariadb" "$BROWSER_DB_PORT" || return 1
  if ! OMNISTOCK_WC_DIR=$wc OMNISTOCK_WC_HPOS=${OMNISTOCK_BROWSER_HPOS:-off} OMNISTOCK_WP_URL=http://127.0.0.1:$BROWSER_HTTP_PORT \
      wordpress_setup "$dir/site" "$BROWSER_DB_PORT" "$so" >"$dir/setup.log" 2>&1 \
    || ! OMNISTOCK_WP_DIR=$dir/site php -d "extension=$so" "$OMNISTOCK_TOP/tests/browser/lib/seed.php" >"$dir/seed.json" 2>"$dir/seed.log"; then
    tail -20 "$dir/setup.log" "$dir/seed.log"
    mariadb_stop "$dir/mariadb"
    return 1
  fi
  # No mail server here: the site's mails go to a file the tests read (receipt e-mails).
  mkdir -p "$dir/site/wp-content/mu-plugins"
  cat >"$dir/site/wp-content/mu-plugins/omnistock-test-mail.php" <<'PHP'
<?php
// Browser tests: every mail is appended to mail.log (one JSON line) instead of being sent.
add_filter(
	'pre_wp_mail',
	static function ( $short, $mail ) {
		file_put_contents( ABSPATH . 'mail.log', wp_json_encode( array( 'to' => $mail['to'], 'subject' => $mail['subject'], 'message' => $mail['message'] ) ) . "\n", FILE_APPEND | LOCK_EX );
		return true;
	},
	10,
	2
);
PHP
  PHP_CLI_SERVER_WORKERS=4 setsid php -d "extension=$so" -S "127.0.0.1:$BROWSER_HTTP_PORT" -t "$dir/site" >"$dir/server.log" 2>&1 &
  pid=$!
  local up=0
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$BROWSER_HTTP_PORT") 2>/dev/null; then up=1; break; fi
    sleep 0.2
  done
  if [ "$up" -eq 0 ]; then
    echo "the site did not start on 127.0.0.1:$BROWSER_HTTP_PORT:"; tail -5 "$dir/server.log"
    kill -TERM -- "-$pid" 2>/dev/null
    mariadb_stop "$dir/mariadb"
    return 1
  fi
  OMNISTOCK_BROWSER_BASE=http://127.0.0.1:$BROWSER_HTTP_PORT OMNISTOCK_BROWSER_OUT=$dir/out \
    OMNISTOCK_BROWSER_SEED=$dir/seed.json OMNISTOCK_WP_DIR=$dir/site OMNISTOCK_EXTENSION=$so \
    node "$OMNISTOCK_TOP/tests/browser/run.mjs" "$@" || rc=$?
  kill -TERM -- "-$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  mariadb_stop "$dir/mariadb"
  return "$rc"
}
