# The releases users install: the WordPress plugin's zip and the extension's PECL package, in dist/.
#   release_version               the version every file agrees on (refuses on a mismatch, naming both)
#   release_build                 dist/omnistock-<version>.zip (plugin + build/ + readme.txt + .pot) and .tgz (PECL)
#   release_zip                   prints the zip's path for this checkout's version
#   release_check_zip ZIP         fails naming every entry that must not be there and every one missing
#   release_install_test SO ZIP   a fresh WordPress + WooCommerce (OMNISTOCK_WP_SOURCE, OMNISTOCK_WOOCOMMERCE) on its
#                                 own MariaDB, the zip installed and activated through WordPress's upgrader, then checked
# Needs common.sh (and, for release_build, browser.sh's pos_build) sourced first.
# shellcheck shell=bash

RELEASE_DIST=${OMNISTOCK_DIST:-$OMNISTOCK_TOP/dist}

# What building and install-testing a release needs besides the plugin's packages (xgettext, zip, curl).
RELEASE_PACKAGES=(gettext zip unzip curl)

# Entries (paths inside the plugin folder) a release must not carry: development files, tests,
# dependencies and outputs of the build tools. No source maps: a production build makes none, and
# assets/pos/src/ (the readable source of build/index.js, as wordpress.org asks) is shipped instead.
RELEASE_FORBIDDEN='(^|/)(node_modules|tests?|\.work|\.git|\.github|\.wordpress-org)(/|$)|(^|/)(package(-lock)?\.json|npm-shrinkwrap\.json|phpcs\.xml(\.dist)?|\.phpcs\.xml(\.dist)?|phpunit\.xml(\.dist)?|phpstan\.neon(\.dist)?|composer\.(json|lock)|\.gitignore|\.gitattributes|\.editorconfig|\.eslintrc[^/]*|\.prettierrc[^/]*|\.DS_Store|Thumbs\.db)$|\.(map|log|orig|rej|swp|tgz)$|~$'

# What a release must carry (besides every PHP file of wp-plugin/ that git tracks).
RELEASE_REQUIRED=(omnistock.php uninstall.php readme.txt languages/omnistock.pot build/index.js build/index.asset.php
  src/Autoloader.php src/Plugin.php)

# WordPress's translation functions for xgettext (those of WP-CLI's `wp i18n make-pot`), PHP and @wordpress/i18n.
RELEASE_GETTEXT_KEYWORDS=(-k__:1 -k_e:1 -k_x:1,2c -k_ex:1,2c -k_n:1,2 -k_nx:1,2,4c -k_n_noop:1,2 -k_nx_noop:1,2,3c
  -kesc_html__:1 -kesc_html_e:1 -kesc_html_x:1,2c -kesc_attr__:1 -kesc_attr_e:1 -kesc_attr_x:1,2c)

# "Tested up to" while the plugin header does not say it: the newest WordPress the release is installed on (6.8.8).
RELEASE_TESTED_UP_TO=6.8

# A field of a plugin header ($2, default wp-plugin/omnistock.php): " * Version:   0.1.0" -> 0.1.0.
release_header_field() {
  local field=$1 file=${2:-$OMNISTOCK_TOP/wp-plugin/omnistock.php}
  sed -n "s/^[ *]*$field:[[:space:]]*\(.*[^[:space:]]\)[[:space:]]*\$/\1/p" "$file" | head -n1
}

release_version() {
  local top=$OMNISTOCK_TOP name value first='' first_name=''
  local -a names=("wp-plugin/omnistock.php Version" "wp-plugin/omnistock.php OMNISTOCK_PLUGIN_VERSION"
    "package.xml <release>" "ext/php_omnistock.h PHP_OMNISTOCK_VERSION")
  local -a values=(
    "$(release_header_field Version)"
    "$(sed -n "s/^define( *'OMNISTOCK_PLUGIN_VERSION', *'\([^']*\)'.*/\1/p" "$top/wp-plugin/omnistock.php")"
    "$(php -r '$x = simplexml_load_file($argv[1]); echo $x->version->release;' "$top/package.xml")"
    "$(sed -n 's/^#define PHP_OMNISTOCK_VERSION "\(.*\)"/\1/p' "$top/ext/php_omnistock.h")"
  )
  local i
  for i in "${!names[@]}"; do
    name=${names[$i]} value=${values[$i]}
    [ -n "$value" ] || { echo "release: no version found for $name" >&2; return 1; }
    if [ -z "$first" ]; then first=$value first_name=$name
    elif [ "$value" != "$first" ]; then
      echo "release: version mismatch: $first_name is $first, $name is $value" >&2; return 1
    fi
  done
  echo "$first"
}

# readme.txt for wordpress.org from bin/lib/release-readme.txt, its header fields taken from the plugin header.
release_readme() {
  local version=$1 out=$2 field value
  local tested
  tested=$(release_header_field 'Tested up to'); tested=${tested:-$RELEASE_TESTED_UP_TO}
  local -a subst=(-e "s|@VERSION@|$version|g" -e "s|@TESTED_UP_TO@|$tested|g")
  for field in 'Requires at least' 'Requires PHP' 'WC requires at least' 'WC tested up to' License; do
    value=$(release_header_field "$field")
    [ -n "$value" ] || { echo "release: wp-plugin/omnistock.php has no '$field' header" >&2; return 1; }
    subst+=(-e "s|@$(echo "$field" | tr 'a-z ' 'A-Z_')@|$value|g")
  done
  sed "${subst[@]}" "$OMNISTOCK_TOP/bin/lib/release-readme.txt" >"$out" || return 1
  ! grep -n '@[A-Z_]*@' "$out" >&2 || { echo "release: placeholders left in readme.txt" >&2; return 1; }
  grep -q "^= $version =\$" "$out" || { echo "release: readme.txt's Changelog has no '= $version =' entry (bin/lib/release-readme.txt)" >&2; return 1; }
}

# languages/omnistock.pot of the staged plugin folder $1 (xgettext over its PHP and the POS app's
# JavaScript source, plus the plugin header's strings, as `wp i18n make-pot` makes it).
release_pot() {
  local dir=$1 version=$2 pot=$1/languages/omnistock.pot
  mkdir -p "$dir/languages"
  local -a php js
  mapfile -t php < <(cd "$dir" && find . -name '*.php' -not -path './build/*' | sed 's|^\./||' | LC_ALL=C sort)
  mapfile -t js < <(cd "$dir" && find assets -name '*.js' 2>/dev/null | LC_ALL=C sort)
  local -a opts=(--from-code=UTF-8 --add-comments=translators: --no-wrap "${RELEASE_GETTEXT_KEYWORDS[@]}"
    --package-name=Omnistock --package-version="$version" --copyright-holder=Omnistock -o languages/omnistock.pot)
  (
    cd "$dir" || exit 1
    xgettext -L PHP --force-po "${opts[@]}" "${php[@]}" || exit 1
    if [ ${#js[@]} -gt 0 ]; then
      xgettext -L JavaScript -j "${opts[@]}" "${js[@]}" || exit 1
      # xgettext's JavaScript parser can lose its place in JSX (a template literal with ${} there)
      # and then silently skips the rest of the file: every call must have its reference.
      local calls refs
      calls=$(grep -oE '(^|[^A-Za-z0-9_])(__|_x|_n|_nx)\(' "${js[@]}" | wc -l)
      refs=$(grep -oE 'assets/[^ ]+\.js:[0-9]+' languages/omnistock.pot | wc -l)
      [ "$calls" -eq "$refs" ] || { echo "release: the .pot has $refs of the $calls translation calls in assets/ (xgettext lost its place)" >&2; exit 1; }
    fi
    # The header's strings, which WordPress translates on the Plugins screen.
    local field
    for field in 'Plugin Name' Description Author; do
      printf '\n#. %s of the plugin\n#: omnistock.php\nmsgid "%s"\nmsgstr ""\n' "$field" \
        "$(release_header_field "$field" omnistock.php | sed 's/\\/\\\\/g; s/"/\\"/g')" >>languages/omnistock.pot
    done
    msguniq --use-first --no-wrap -o languages/omnistock.pot languages/omnistock.pot || exit 1
  ) || return 1
  # A template, not a translation: no "fuzzy" header, a real charset, the text domain named; the
  # creation date is the last commit's, so the same commit makes the same file.
  local date
  date=$(git -C "$OMNISTOCK_TOP" log -1 --format=%cd --date=format-local:'%Y-%m-%d %H:%M+0000' 2>/dev/null || date -u '+%Y-%m-%d %H:%M+0000')
  TZ=UTC sed -i -e '/^#, fuzzy$/d' -e 's/charset=CHARSET/charset=UTF-8/' \
    -e "s/^\"POT-Creation-Date: .*\"\$/\"POT-Creation-Date: $date\\\\n\"/" \
    -e 's/^# SOME DESCRIPTIVE TITLE\.$/# Omnistock translation template./' \
    -e 's/^# This file is distributed under the same license as the Omnistock package\.$/# This file is distributed under the MIT license, as Omnistock is./' \
    -e "s/^# Copyright (C) YEAR /# Copyright (C) ${date%%-*} /" -e '/^# FIRST AUTHOR <EMAIL@ADDRESS>, YEAR\.$/d' \
    -e '/^"Content-Transfer-Encoding: /a "X-Domain: omnistock\\n"' "$pot"
  msgcat "$pot" >/dev/null || { echo "release: $pot does not parse" >&2; return 1; }
}

release_zip() {
  local version
  version=$(release_version) || return 1
  echo "$RELEASE_DIST/omnistock-$version.zip"
}

release_build() {
  local version stage zip
  version=$(release_version) || return 1
  ensure_packages "${RELEASE_PACKAGES[@]}" || return 1
  say "release $version: building the POS app" >&2
  pos_build >"$OMNISTOCK_WORK/release-pos-build.log" 2>&1 || { tail -30 "$OMNISTOCK_WORK/release-pos-build.log" >&2; return 1; }
  stage=$OMNISTOCK_WORK/release/omnistock
  rm -rf "$OMNISTOCK_WORK/release" && mkdir -p "$stage"
  say "release $version: staging wp-plugin/ (the files git tracks, and build/)" >&2
  local f
  # Only what git tracks (never a developer's leftovers), then the POS app's build.
  while IFS= read -r f; do
    f=${f#wp-plugin/}
    if [[ $f =~ $RELEASE_FORBIDDEN ]]; then continue; fi
    mkdir -p "$stage/$(dirname "$f")" && cp -p "$OMNISTOCK_TOP/wp-plugin/$f" "$stage/$f" || return 1
  done < <(git -C "$OMNISTOCK_TOP" ls-files wp-plugin)
  while IFS= read -r f; do
    if [[ build/$f =~ $RELEASE_FORBIDDEN ]]; then continue; fi
    mkdir -p "$stage/build/$(dirname "$f")" && cp -p "$OMNISTOCK_TOP/wp-plugin/build/$f" "$stage/build/$f" || return 1
  done < <(cd "$OMNISTOCK_TOP/wp-plugin/build" && find . -type f | sed 's|^\./||')
  release_readme "$version" "$stage/readme.txt" || return 1
  say "release $version: languages/omnistock.pot (xgettext)" >&2
  release_pot "$stage" "$version" || return 1
  mkdir -p "$RELEASE_DIST"
  zip=$RELEASE_DIST/omnistock-$version.zip
  rm -f "$zip"
  (cd "$OMNISTOCK_WORK/release" && find omnistock -type f | LC_ALL=C sort | zip -q -X "$zip" -@) || return 1
  say "release $version: the PECL package" >&2
  pecl_package || return 1
  rm -f "$RELEASE_DIST"/omnistock-*.tgz
  cp "$OMNISTOCK_WORK/omnistock-$version.tgz" "$RELEASE_DIST/" || { echo "release: pecl package made no omnistock-$version.tgz" >&2; return 1; }
  echo "$zip"
  echo "$RELEASE_DIST/omnistock-$version.tgz"
}

release_check_zip() {
  local zip=$1 bad=0 entry
  [ -f "$zip" ] || { echo "release_check_zip: no $zip" >&2; return 1; }
  local -a entries
  mapfile -t entries < <(unzip -Z1 "$zip") || return 1
  for entry in "${entries[@]}"; do
    case $entry in
      omnistock/*) ;;
      *) echo "$zip: $entry is outside the top folder omnistock/"; bad=1; continue ;;
    esac
    if [[ ${entry#omnistock/} =~ $RELEASE_FORBIDDEN ]]; then echo "$zip: must not contain $entry"; bad=1; fi
  done
  local -a required=("${RELEASE_REQUIRED[@]}")
  mapfile -t -O ${#required[@]} required < <(git -C "$OMNISTOCK_TOP" ls-files 'wp-plugin/*.php' | sed 's|^wp-plugin/||')
  local want
  local -A present=()
  for entry in "${entries[@]}"; do present[$entry]=1; done
  for want in "${required[@]}"; do
    [ -n "${present[omnistock/$want]:-}" ] || { echo "$zip: must contain omnistock/$want"; bad=1; }
  done
  # The readme is wordpress.org's format, and its Stable tag is the version of the plugin in the zip.
  local tmp version stable
  tmp=$(mktemp -d) || return 1
  # (What is missing was named above; its checks below fail too.)
  unzip -q "$zip" omnistock/omnistock.php omnistock/readme.txt omnistock/languages/omnistock.pot -d "$tmp" 2>/dev/null
  mkdir -p "$tmp/omnistock/languages" && touch "$tmp/omnistock/omnistock.php" "$tmp/omnistock/readme.txt" "$tmp/omnistock/languages/omnistock.pot" 2>/dev/null
  version=$(release_header_field Version "$tmp/omnistock/omnistock.php")
  stable=$(release_header_field 'Stable tag' "$tmp/omnistock/readme.txt")
  [ "$stable" = "$version" ] || { echo "$zip: readme.txt Stable tag is '$stable', omnistock.php Version is '$version'"; bad=1; }
  local section
  for section in '=== Omnistock ===' '== Description ==' '== Installation ==' '== Changelog ==' "= $version ="; do
    grep -qxF "$section" "$tmp/omnistock/readme.txt" || { echo "$zip: readme.txt has no '$section'"; bad=1; }
  done
  for section in Contributors 'Requires at least' 'Tested up to' 'Requires PHP' 'WC requires at least' 'WC tested up to' License; do
    [ -n "$(release_header_field "$section" "$tmp/omnistock/readme.txt")" ] || { echo "$zip: readme.txt has no '$section:'"; bad=1; }
  done
  # The .pot parses and holds the plugin's strings (the POS screen's title is one).
  local n
  n=$(grep -c '^msgid "[^"]' "$tmp/omnistock/languages/omnistock.pot")
  if ! msgcat "$tmp/omnistock/languages/omnistock.pot" >/dev/null || ! grep -qxF 'msgid "POS"' "$tmp/omnistock/languages/omnistock.pot"; then
    echo "$zip: languages/omnistock.pot does not parse or lacks the plugin's strings ($n msgids)"; bad=1
  fi
  rm -rf "$tmp"
  [ "$bad" -eq 0 ] && echo "$zip: ${#entries[@]} entries, version $version, $n strings to translate"
}

# release_build, then release_check_zip of what it made (bin/test's check).
release_build_and_check() {
  local out
  out=$(release_build) || return 1
  release_check_zip "$(echo "$out" | head -n1)"
}

release_install_test() {
  local so=$1 zip=$2 wc rc=0
  zip=$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")
  local dir=$OMNISTOCK_WORK/release-site port=${OMNISTOCK_WC_HTTP_PORT:-23380}
  # shellcheck source=mariadb.sh
  . "$OMNISTOCK_TOP/bin/lib/mariadb.sh"
  # shellcheck source=wordpress.sh
  . "$OMNISTOCK_TOP/bin/lib/wordpress.sh"
  ensure_packages "${RELEASE_PACKAGES[@]}" || return 1
  wordpress_tools || return 1
  wc=$(woocommerce_source) || return 1
  mariadb_start "$dir/mariadb" "$PLUGIN_DB_PORT" || return 1
  # Setting up and installing stop at the first failure; the checks after it each run and report.
  echo "== a fresh site: WordPress from ${OMNISTOCK_WP_SOURCE:-/usr/share/wordpress}, WooCommerce from $wc, no Omnistock"
  if ! OMNISTOCK_PLUGIN_LINK=no OMNISTOCK_WC_DIR=$wc OMNISTOCK_WC_HPOS=on OMNISTOCK_WP_URL=http://127.0.0.1:$port \
      wordpress_setup "$dir/site" "$PLUGIN_DB_PORT" "$so"; then
    echo "the fresh site could not be set up"; mariadb_stop "$dir/mariadb"; return 1
  fi
  echo "== installing $(basename "$zip") as an upload (Plugin_Upgrader), activating it"
  if ! OMNISTOCK_WP_DIR=$dir/site php -d "extension=$so" "$OMNISTOCK_TOP/bin/lib/release-install.php" install "$zip"; then
    mariadb_stop "$dir/mariadb"; return 1
  fi
  echo "== checking it in a new process"
  OMNISTOCK_WP_DIR=$dir/site OMNISTOCK_TOP=$OMNISTOCK_TOP php -d "extension=$so" "$OMNISTOCK_TOP/bin/lib/release-install.php" check "$(release_header_field Version)" || rc=1
  echo "== a translation in the installed languages/ folder"
  OMNISTOCK_WP_DIR=$dir/site php -d "extension=$so" "$OMNISTOCK_TOP/bin/lib/release-install.php" i18n || rc=1
  # WooCommerce's CLI ends the process (exit, status 0, no output) when WP-CLI's Plugin_Command is
  # missing, and the Composer registry here serves WP-CLI without wp-cli/extension-command: the
  # command runs with WooCommerce skipped (the check above ran the same report with it loaded),
  # and its output must be there, no row's status "error".
  echo "== wp omnistock doctor (WP-CLI, --skip-plugins=woocommerce)"
  php -d "extension=$so" "$OMNISTOCK_WORK/tools/vendor/wp-cli/wp-cli/php/boot-fs.php" --path="$dir/site" --allow-root \
    --skip-plugins=woocommerce omnistock doctor --format=json | php -r '$r = json_decode(stream_get_contents(STDIN), true);
      if (!is_array($r) || count($r) < 5) { fwrite(STDERR, "wp omnistock doctor printed no report\n"); exit(1); }
      $bad = array_filter($r, fn($row) => "error" === $row["status"]);
      echo count($r), " rows, ", count($bad), " errors\n";
      foreach ($bad as $row) { fwrite(STDERR, "{$row["check"]}: {$row["detail"]}\n"); }
      exit($bad ? 1 : 0);' || rc=1
  release_pos_page "$so" "$dir/site" "$port" || rc=1
  mariadb_stop "$dir/mariadb"
  return "$rc"
}

# The POS screen as the admin sees it over HTTP: the page names the zip's build/index.js, which is served.
release_pos_page() {
  local so=$1 site=$2 port=$3 pid jar page src rc=0
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use (set OMNISTOCK_WC_HTTP_PORT)"; return 1; fi
  echo "== the POS screen over HTTP on 127.0.0.1:$port"
  setsid php -d "extension=$so" -S "127.0.0.1:$port" -t "$site" >"$site/server.log" 2>&1 &
  pid=$!
  local _
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  jar=$(mktemp)
  curl -sS -o /dev/null -c "$jar" -b "$jar" -d log=admin -d pwd=admin-password -d testcookie=1 -b wordpress_test_cookie=WP%20Cookie%20check \
    "http://127.0.0.1:$port/wp-login.php" || rc=1
  page=$(curl -sS -b "$jar" "http://127.0.0.1:$port/wp-admin/admin.php?page=omnistock-pos") || rc=1
  # Here-strings, not printf | grep -q: under pipefail (bin/test) grep -q's early exit fails printf with SIGPIPE.
  src=$(grep -o "src=['\"][^'\"]*/wp-content/plugins/omnistock/build/index\.js[^'\"]*" <<<"$page" | head -n1 | sed "s/^src=['\"]//; s/&#038;/\&/g")
  if [ -z "$src" ]; then
    echo "the POS page does not load wp-content/plugins/omnistock/build/index.js (the page's title and notice:)"
    grep -o -E '<title>[^<]*|The terminal is not built[^<]*' <<<"$page" | head -n3; rc=1
  elif ! grep -q 'id="omnistock-pos" class="omnistock-pos"' <<<"$page"; then
    echo "the POS page has no mount point for the app"; rc=1
  elif [ "$(curl -sS -o /dev/null -w '%{http_code}' "$src")" != 200 ]; then
    echo "$src is not served"; rc=1
  else
    echo "POS page loads $src (served)"
  fi
  rm -f "$jar"
  kill -TERM -- "-$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return "$rc"
}
