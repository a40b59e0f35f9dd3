# A throw-away WordPress for the plugin's tests: Debian's WordPress copied into .work, configured for
# the private MariaDB, installed with wp_install() and with Omnistock active; plus the test tools.
#   wordpress_tools               composer install of WP-CLI and PHPCS into $OMNISTOCK_WORK/tools
#   phpstan_tools                 composer install of PHPStan and the WordPress/WooCommerce stubs
#                                 (tests/phpstan/composer.json) into $OMNISTOCK_WORK/phpstan-tools
#   plugin_phpstan                PHPStan on wp-plugin/ (tests/phpstan/phpstan.neon: the level and why)
#   wordpress_setup DIR PORT SO   fresh site in DIR on the MariaDB at 127.0.0.1:PORT, extension SO
#                                 (OMNISTOCK_PLUGIN_LINK=no: without Omnistock, for installing a release zip)
#   plugin_suite SO [ARGS]        all of it: MariaDB up, site, PHPUnit, MariaDB down
#   plugin_bench SO               the same around tests/bench/inventory.php
#   woocommerce_source            the WooCommerce folder named by OMNISTOCK_WOOCOMMERCE (a zip is unpacked)
#   woocommerce_suite SO [ARGS]   the WooCommerce suites: site with WooCommerce + Omnistock, PHPUnit
#                                 (tests/plugin/woocommerce/), once per holds backend (OMNISTOCK_WC_BACKENDS,
#                                 default "shm database") and HPOS mode (OMNISTOCK_WC_HPOS=off|on|both, default both)
#   woocommerce_bench SO [SCRIPT] the WooCommerce shop (HPOS off) around tests/bench/checkout.php (or SCRIPT)
# shellcheck shell=bash

# The servers the tests start listen on fixed ports below Linux's ephemeral range (32768-60999):
# a port in that range can be taken at any moment by the local end of an outgoing connection, and
# under load a server then fails with "Address already in use".
PLUGIN_DB_PORT=${OMNISTOCK_PLUGIN_DB_PORT:-23201}

wordpress_tools() {
  local dir=$OMNISTOCK_WORK/tools
  mkdir -p "$dir"
  if [ ! -x "$dir/vendor/bin/wp" ] || ! cmp -s "$OMNISTOCK_TOP/tests/plugin/composer.json" "$dir/composer.json"; then
    cp "$OMNISTOCK_TOP/tests/plugin/composer.json" "$dir/composer.json"
    (cd "$dir" && COMPOSER_ALLOW_SUPERUSER=1 composer install --no-interaction --no-progress -q) >"$OMNISTOCK_WORK/composer.log" 2>&1 \
      || { tail -20 "$OMNISTOCK_WORK/composer.log"; return 1; }
  fi
  # WPCS 2.3 is found through installed_paths (its Composer installer plugin is not needed).
  "$dir/vendor/bin/phpcs" --config-set installed_paths "$dir/vendor/wp-coding-standards/wpcs" >/dev/null
}

phpstan_tools() {
  local dir=$OMNISTOCK_WORK/phpstan-tools
  mkdir -p "$dir"
  if [ ! -x "$dir/vendor/bin/phpstan" ] || ! cmp -s "$OMNISTOCK_TOP/tests/phpstan/composer.json" "$dir/composer.json"; then
    cp "$OMNISTOCK_TOP/tests/phpstan/composer.json" "$dir/composer.json"
    (cd "$dir" && COMPOSER_ALLOW_SUPERUSER=1 composer install --no-interaction --no-progress -q) >"$OMNISTOCK_WORK/composer-phpstan.log" 2>&1 \
      || { tail -20 "$OMNISTOCK_WORK/composer-phpstan.log"; return 1; }
  fi
}

plugin_phpstan() {
  phpstan_tools || return 1
  OMNISTOCK_PHPSTAN_TOOLS=$OMNISTOCK_WORK/phpstan-tools "$OMNISTOCK_WORK/phpstan-tools/vendor/bin/phpstan" analyse \
    -c "$OMNISTOCK_TOP/tests/phpstan/phpstan.neon" --memory-limit=1G --no-progress --no-interaction
}

wordpress_setup() {
  local dir=$1 port=$2 so=$3
  # OMNISTOCK_WP_SOURCE: a WordPress folder to copy (default Debian's package, WordPress 6.1).
  local src=${OMNISTOCK_WP_SOURCE:-/usr/share/wordpress}
  [ -f "$src/wp-settings.php" ] || { echo "wordpress_setup: no WordPress at $src (Debian's wordpress package, or OMNISTOCK_WP_SOURCE)" >&2; return 1; }
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -a "$src/." "$dir/"
  # Debian's WordPress links the libraries it shares with other packages (underscore.js, getID3…)
  # relatively into /usr/share: in a copy those links break. Point them at their real targets.
  local link target
  while IFS= read -r link; do
    target=$(readlink -f "$src/$link") && [ -e "$target" ] && ln -sfn "$target" "$dir/$link"
  done < <(cd "$src" && find . -type l)
  rm -f "$dir/wp-config.php"
  mkdir -p "$dir/wp-content/plugins" "$dir/wp-content/uploads"
  # OMNISTOCK_PLUGIN_LINK=no: no Omnistock at all (bin/lib/release.sh installs it from the release
  # zip as a user does); otherwise the checkout's wp-plugin/, linked and activated.
  if [ "${OMNISTOCK_PLUGIN_LINK:-yes}" != no ]; then
    ln -sfn "$OMNISTOCK_TOP/wp-plugin" "$dir/wp-content/plugins/omnistock"
  fi
  if [ -n "${OMNISTOCK_WC_DIR:-}" ]; then
    ln -sfn "$OMNISTOCK_WC_DIR" "$dir/wp-content/plugins/woocommerce"
  fi
  cat >"$dir/wp-config.php" <<PHP
<?php
// Test site of bin/test (bin/lib/wordpress.sh): private MariaDB on 127.0.0.1:$port.
define( 'DB_NAME', 'omnistock_wp' );
define( 'DB_USER', 'omnistock' );
define( 'DB_PASSWORD', 'omnistock' );
define( 'DB_HOST', '127.0.0.1:$port' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as \$omnistock_key ) {
	define( \$omnistock_key, 'omnistock-test-' . \$omnistock_key );
}
\$table_prefix = 'wp_';
define( 'WP_HOME', '${OMNISTOCK_WP_URL:-http://127.0.0.1}' );
define( 'WP_SITEURL', '${OMNISTOCK_WP_URL:-http://127.0.0.1}' );
define( 'COOKIEHASH', 'omnistocktest' );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_DISPLAY', false );
define( 'WP_DEBUG_LOG', __DIR__ . '/debug.log' );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'WP_CONTENT_DIR', __DIR__ . '/wp-content' );
if ( getenv( 'OMNISTOCK_HOLDS_BACKEND' ) ) {
	define( 'OMNISTOCK_HOLDS_BACKEND', getenv( 'OMNISTOCK_HOLDS_BACKEND' ) );
}
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
PHP
  mariadb -h127.0.0.1 -P"$port" -uomnistock -pomnistock -e 'DROP DATABASE IF EXISTS omnistock_wp; CREATE DATABASE omnistock_wp CHARACTER SET utf8mb4' || return 1
  # A new database is a new site: the holds segment a previous site of the same name left (a run
  # that was killed before its holds were released) would otherwise hold units of the new site's
  # cells, whose ids start again from 1. Its name is ShmHolds::segment_name() of this database.
  rm -f "/dev/shm/omnistock-holds-omnistock-$(printf '%s' "127.0.0.1:$port/omnistock_wp/wp_" | md5sum | cut -c1-20)"
  OMNISTOCK_WP_DIR=$dir OMNISTOCK_PLUGIN_LINK=${OMNISTOCK_PLUGIN_LINK:-yes} php -d "extension=$so" "$OMNISTOCK_TOP/tests/plugin/install.php"
}

# Prints the WooCommerce plugin folder named by OMNISTOCK_WOOCOMMERCE: a folder holding
# woocommerce.php, or a zip of one (as wordpress.org ships it), unpacked once into $OMNISTOCK_WORK.
woocommerce_source() {
  local given=${OMNISTOCK_WOOCOMMERCE:-}
  [ -n "$given" ] || { echo "OMNISTOCK_WOOCOMMERCE is not set" >&2; return 1; }
  if [ -d "$given" ]; then
    given=$(cd "$given" && pwd)
    [ -f "$given/woocommerce.php" ] || { echo "OMNISTOCK_WOOCOMMERCE=$given has no woocommerce.php" >&2; return 1; }
    echo "$given"
    return 0
  fi
  [ -f "$given" ] || { echo "OMNISTOCK_WOOCOMMERCE=$given is neither a folder nor a zip" >&2; return 1; }
  local sum dest
  sum=$(sha256sum "$given" | cut -c1-16)
  dest=$OMNISTOCK_WORK/woocommerce-$sum
  if [ ! -f "$dest/woocommerce/woocommerce.php" ]; then
    rm -rf "$dest" && mkdir -p "$dest"
    unzip -q "$given" -d "$dest" || { echo "could not unpack $given" >&2; return 1; }
    [ -f "$dest/woocommerce/woocommerce.php" ] || { echo "$given holds no woocommerce/woocommerce.php" >&2; return 1; }
  fi
  echo "$dest/woocommerce"
}

# The Version: line of a WooCommerce plugin folder's woocommerce.php.
woocommerce_version() { sed -n 's/^ \* Version: *//p' "$1/woocommerce.php" | head -n1; }

woocommerce_suite() {
  local so=$1; shift
  local db=$OMNISTOCK_WORK/mariadb-woocommerce wp=$OMNISTOCK_WORK/wordpress-woocommerce rc=0 wc hpos
  # shellcheck source=mariadb.sh
  . "$OMNISTOCK_TOP/bin/lib/mariadb.sh"
  wc=$(woocommerce_source) || return 1
  mariadb_start "$db" "$PLUGIN_DB_PORT" || return 1
  # The runs: OMNISTOCK_WC_MATRIX lists them as HPOS:BACKEND pairs ("off:shm on:database"), a pair
  # with a third field running only that PHPUnit group ("off:shm:concurrency"); else every HPOS mode
  # of OMNISTOCK_WC_HPOS (off|on|both) with every backend of OMNISTOCK_WC_BACKENDS.
  local matrix=${OMNISTOCK_WC_MATRIX:-} mode backend
  if [ -z "$matrix" ]; then
    local modes
    case ${OMNISTOCK_WC_HPOS:-both} in
      on) modes=on ;; off) modes=off ;; *) modes="off on" ;;
    esac
    for hpos in $modes; do
      for backend in ${OMNISTOCK_WC_BACKENDS:-shm database}; do matrix="$matrix $hpos:$backend"; done
    done
  fi
  # Tests of what only the current stack has (the Checkout block, WooCommerce 10's screens) are in the
  # group current-stack: on the oldest stack they are left out, not skipped.
  local exclude=()
  [ "${OMNISTOCK_STACK:-current}" = oldest ] && exclude=(--exclude-group current-stack)
  local group only
  for mode in $matrix; do
    hpos=${mode%%:*} backend=${mode#*:} group= only=()
    case $backend in *:*) group=${backend#*:} backend=${backend%%:*} only=(--group "$group") ;; esac
    echo "== WooCommerce suites: ${OMNISTOCK_STACK_LABEL:-WooCommerce $(woocommerce_version "$wc")}, HPOS $hpos, holds backend $backend${group:+, only @group $group}"
    # The site's URL names the port its HTTP tests serve it on (else WordPress redirects pages to port 80).
    if OMNISTOCK_WC_DIR=$wc OMNISTOCK_WC_HPOS=$hpos OMNISTOCK_WP_URL=http://127.0.0.1:${OMNISTOCK_WC_HTTP_PORT:-23380} \
      wordpress_setup "$wp" "$PLUGIN_DB_PORT" "$so"; then
      OMNISTOCK_WP_DIR=$wp OMNISTOCK_EXTENSION=$so OMNISTOCK_TOOLS=$OMNISTOCK_WORK/tools OMNISTOCK_WC_HPOS=$hpos OMNISTOCK_HOLDS_BACKEND=$backend \
        php -d "extension=$so" /usr/bin/phpunit -c "$OMNISTOCK_TOP/tests/plugin/woocommerce/phpunit.xml.dist" "${exclude[@]}" "${only[@]}" "$@" || rc=$?
    else
      rc=1
      echo "Tests: 1, Assertions: 0, Errors: 1 (the WooCommerce test site could not be set up)"
    fi
  done
  mariadb_stop "$db"
  return "$rc"
}

plugin_suite() {
  local so=$1; shift
  local db=$OMNISTOCK_WORK/mariadb-plugin wp=$OMNISTOCK_WORK/wordpress rc=0
  # shellcheck source=mariadb.sh
  . "$OMNISTOCK_TOP/bin/lib/mariadb.sh"
  wordpress_tools || return 1
  mariadb_start "$db" "$PLUGIN_DB_PORT" || return 1
  if wordpress_setup "$wp" "$PLUGIN_DB_PORT" "$so"; then
    OMNISTOCK_WP_DIR=$wp OMNISTOCK_EXTENSION=$so OMNISTOCK_TOOLS=$OMNISTOCK_WORK/tools \
      php -d "extension=$so" /usr/bin/phpunit -c "$OMNISTOCK_TOP/tests/plugin/phpunit.xml.dist" "$@" || rc=$?
  else
    rc=1
  fi
  mariadb_stop "$db"
  return "$rc"
}

plugin_bench() {
  local so=$1
  local db=$OMNISTOCK_WORK/mariadb-plugin wp=$OMNISTOCK_WORK/wordpress rc=0
  # shellcheck source=mariadb.sh
  . "$OMNISTOCK_TOP/bin/lib/mariadb.sh"
  mariadb_start "$db" "$PLUGIN_DB_PORT" || return 1
  if wordpress_setup "$wp" "$PLUGIN_DB_PORT" "$so"; then
    OMNISTOCK_WP_DIR=$wp OMNISTOCK_EXTENSION=$so php -d "extension=$so" "$OMNISTOCK_TOP/tests/bench/inventory.php" || rc=$?
  else
    rc=1
  fi
  mariadb_stop "$db"
  return "$rc"
}

woocommerce_bench() {
  local so=$1 script=${2:-tests/bench/checkout.php}
  local db=$OMNISTOCK_WORK/mariadb-woocommerce wp=$OMNISTOCK_WORK/wordpress-woocommerce rc=0 wc
  # shellcheck source=mariadb.sh
  . "$OMNISTOCK_TOP/bin/lib/mariadb.sh"
  wc=$(woocommerce_source) || return 1
  mariadb_start "$db" "$PLUGIN_DB_PORT" || return 1
  # The site's URL carries the port a benchmark serves it on (tests/bench/sync-gap.php: php -S).
  if OMNISTOCK_WC_DIR=$wc OMNISTOCK_WC_HPOS=off OMNISTOCK_WP_URL=${OMNISTOCK_WP_URL:-http://127.0.0.1:${OMNISTOCK_WC_HTTP_PORT:-23380}} \
    wordpress_setup "$wp" "$PLUGIN_DB_PORT" "$so" >/dev/null; then
    OMNISTOCK_WP_DIR=$wp OMNISTOCK_EXTENSION=$so php -d "extension=$so" "$OMNISTOCK_TOP/$script" || rc=$?
  else
    rc=1
  fi
  mariadb_stop "$db"
  return "$rc"
}
