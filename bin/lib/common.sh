# Shared by bin/test and bin/demo: installing what is missing, building the extension.
# shellcheck shell=bash

OMNISTOCK_TOP=${OMNISTOCK_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
OMNISTOCK_WORK=${OMNISTOCK_WORK:-$OMNISTOCK_TOP/.work}
mkdir -p "$OMNISTOCK_WORK"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }

# Installs the Debian packages that are not installed yet (apt-get update once, only when needed).
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    return 1
  fi
  say "installing ${missing[*]}"
  if [ -z "${OMNISTOCK_APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null || return 1
    export OMNISTOCK_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What building and testing the extension needs (libphp8.2-embed: the ledger's fuzz target runs a PHP).
EXTENSION_PACKAGES=(php8.2-cli php8.2-dev php-parser php-pear pkg-config build-essential autoconf
  libsodium-dev libcurl4-openssl-dev valgrind openssl clang libclang-rt-14-dev libphp8.2-embed)

# What the benchmarks need besides (tests/bench/holds.php: a private MariaDB, mysqli).
BENCH_PACKAGES=(mariadb-server mariadb-client php8.2-mysql)

# What the plugin's tests need: Debian's WordPress, MariaDB, PHPUnit 9.6; Composer for WP-CLI and PHPCS.
PLUGIN_PACKAGES=(wordpress mariadb-server mariadb-client php8.2-mysql php8.2-xml php8.2-mbstring php8.2-curl
  phpunit composer zip unzip curl wordpress-theme-twentytwentyone)

# What the POS terminal's build and browser tests need (Node.js brings npm; tests/browser/ drives chromium).
BROWSER_PACKAGES=(nodejs chromium)

# phpize + configure + make in the source tree; outputs are git-ignored. Prints the .so path.
build_extension() {
  local cflags=${1:--O2 -g -Wall -Wextra -Werror}
  (
    cd "$OMNISTOCK_TOP" || exit 1
    if [ ! -f configure ] || [ config.m4 -nt configure ]; then
      phpize >"$OMNISTOCK_WORK/phpize.log" 2>&1 || { cat "$OMNISTOCK_WORK/phpize.log"; exit 1; }
    fi
    if [ ! -f Makefile ] || [ configure -nt Makefile ] || [ "$(cat "$OMNISTOCK_WORK/cflags" 2>/dev/null)" != "$cflags" ]; then
      ./configure --enable-omnistock CFLAGS="$cflags" >"$OMNISTOCK_WORK/configure.log" 2>&1 \
        || { tail -30 "$OMNISTOCK_WORK/configure.log"; exit 1; }
      echo "$cflags" >"$OMNISTOCK_WORK/cflags"
      make clean >/dev/null 2>&1
    fi
    make -j"$(nproc)" >"$OMNISTOCK_WORK/make.log" 2>&1 || { grep -E 'error|warning' "$OMNISTOCK_WORK/make.log" | head -40; exit 1; }
  ) || return 1
  echo "$OMNISTOCK_TOP/modules/omnistock.so"
}

# An AddressSanitizer + UBSan build of the extension, out of tree in $OMNISTOCK_WORK/asan, and the
# preload shim that lets Debian's (non-ASAN) PHP load it. Prints the .so path.
build_extension_asan() {
  local dir="$OMNISTOCK_WORK/asan"
  (
    cd "$OMNISTOCK_TOP" || exit 1
    mkdir -p "$dir"
    # A changed config.m4 (a new source file) means configuring again.
    cmp -s config.m4 "$dir/config.m4" || rm -f "$dir/Makefile"
    git ls-files config.m4 config.w32 ext | while read -r f; do
      if ! cmp -s "$f" "$dir/$f"; then mkdir -p "$dir/$(dirname "$f")"; cp "$f" "$dir/$f"; fi
    done
    cd "$dir" || exit 1
    if [ ! -f Makefile ]; then
      phpize >phpize.log 2>&1 || { cat phpize.log; exit 1; }
      ./configure --enable-omnistock \
        CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
        LDFLAGS="-fsanitize=address,undefined" >configure.log 2>&1 || { tail -30 configure.log; exit 1; }
    fi
    make -j"$(nproc)" >make.log 2>&1 || { grep -E 'error' make.log | head -20; exit 1; }
    gcc -shared -fPIC -O2 -Wall -Wextra -o no-deepbind.so "$OMNISTOCK_TOP/bin/lib/asan-no-deepbind.c" -ldl || exit 1
  ) >&2 || return 1
  echo "$dir/modules/omnistock.so"
}

# Exports what a PHP process needs to run the ASAN build (USE_ZEND_ALLOC=0 so ASAN sees every
# allocation; leaks are valgrind's job). The shim must come before libasan, hence the link-order flag.
asan_export_env() {
  export LD_PRELOAD="$OMNISTOCK_WORK/asan/no-deepbind.so $(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
  export ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0:halt_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export USE_ZEND_ALLOC=0
}

# The PECL package of this checkout: `pecl package` into $OMNISTOCK_WORK (the .tgz users install).
pecl_package() {
  rm -f "$OMNISTOCK_WORK"/omnistock-*.tgz
  (cd "$OMNISTOCK_WORK" && pecl package "$OMNISTOCK_TOP/package.xml" >pecl-package.log 2>&1) || { cat "$OMNISTOCK_WORK/pecl-package.log"; return 1; }
  ls "$OMNISTOCK_WORK"/omnistock-*.tgz >/dev/null
}

# `pecl install` of that package into this PHP's extension directory, as a shop host installs it;
# the installed module must load (by name: -d extension=omnistock) and report package.xml's version.
pecl_install() {
  local tgz
  tgz=$(ls "$OMNISTOCK_WORK"/omnistock-*.tgz) || return 1
  pecl install -f "$tgz" >"$OMNISTOCK_WORK/pecl-install.log" 2>&1 || { tail -30 "$OMNISTOCK_WORK/pecl-install.log"; return 1; }
  # The installed module must load and report the version package.xml names.
  local want got
  want=$(php -r '$x = simplexml_load_file($argv[1]); echo $x->version->release;' "$OMNISTOCK_TOP/package.xml")
  got=$(php -n -d extension=omnistock -r 'echo phpversion("omnistock");')
  [ "$got" = "$want" ] || { echo "installed omnistock reports '$got', package.xml says '$want'"; return 1; }
}
