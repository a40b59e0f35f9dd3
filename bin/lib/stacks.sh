# The two WordPress + WooCommerce stacks Omnistock supports, and where each comes from.
#   current   WordPress 6.8.8 + WooCommerce 10.2.4 (what shops run: HPOS on, block checkout)
#   oldest    Debian's WordPress 6.1 (package wordpress) + WooCommerce 7.7.2
#
#   stack_resolve NAME     sets STACK_WP (a WordPress folder), STACK_WC (a WooCommerce plugin folder),
#                          STACK_LABEL, and STACK_MISSING (empty, or one line saying what to put where)
#   stack_run NAME CMD...  runs CMD with the stack's WordPress and WooCommerce (OMNISTOCK_WP_SOURCE,
#                          OMNISTOCK_WOOCOMMERCE, OMNISTOCK_STACK) in its environment
#
# Each part is looked for in this order: the environment (OMNISTOCK_WORDPRESS and OMNISTOCK_WOOCOMMERCE
# for the current stack, OMNISTOCK_WOOCOMMERCE_OLDEST for the oldest: a folder, or the official zip);
# the cache (OMNISTOCK_CACHE, default ~/.cache/omnistock: wordpress-6.8.8/, woocommerce-10.2.4/woocommerce/,
# woocommerce-7.7.2/woocommerce/); else the official release zip is downloaded from wordpress.org
# (OMNISTOCK_DOWNLOAD_BASE replaces https://downloads.wordpress.org and https://wordpress.org, for a
# mirror), checked against the checksums wordpress.org publishes and kept in the cache.
# OMNISTOCK_OFFLINE=1 never downloads. The oldest stack's WordPress is Debian's package.
# shellcheck shell=bash

STACK_CURRENT_WP=6.8.8
STACK_CURRENT_WC=10.2.4
STACK_OLDEST_WC=7.7.2
STACK_CACHE=${OMNISTOCK_CACHE:-${HOME:-/root}/.cache/omnistock}

# Prints the folder of a WordPress (KIND wordpress, marker wp-settings.php) or WooCommerce
# (woocommerce, woocommerce.php) that the user gave as GIVEN in variable VAR: the folder itself, a
# folder holding it (as the zip unpacks), or the official zip, unpacked once into $OMNISTOCK_WORK.
stack_given() {
  local kind=$1 given=$2 var=$3 marker name
  case $kind in
    wordpress) marker=wp-settings.php name=WordPress ;;
    *) marker=woocommerce.php name=WooCommerce ;;
  esac
  if [ -d "$given" ]; then
    [ -f "$given/$marker" ] && { (cd "$given" && pwd); return 0; }
    [ -f "$given/$kind/$marker" ] && { (cd "$given/$kind" && pwd); return 0; }
    echo "$var=$given holds no $name (no $marker)"; return 1
  fi
  [ -f "$given" ] || { echo "$var=$given is neither a folder nor a zip"; return 1; }
  local dest
  dest=$OMNISTOCK_WORK/given/$kind-$(sha256sum "$given" | cut -c1-16)
  if [ ! -f "$dest/$kind/$marker" ]; then
    rm -rf "$dest" && mkdir -p "$dest"
    unzip -q "$given" -d "$dest" 2>/dev/null && [ -f "$dest/$kind/$marker" ] \
      || { rm -rf "$dest"; echo "$var=$given is not a $name zip (no $kind/$marker in it)"; return 1; }
  fi
  echo "$dest/$kind"
}

# Downloads URL to FILE; fails quietly (the caller says what is missing).
stack_fetch() {
  local url=$1 file=$2
  [ "${OMNISTOCK_OFFLINE:-0}" = 1 ] && return 1
  curl -fsSL --connect-timeout 10 --max-time 600 -o "$file.part" "$url" 2>/dev/null && mv "$file.part" "$file"
}

# WordPress VERSION into the cache: the release zip and its published SHA-1 (wordpress.org/wordpress-X.zip.sha1).
stack_download_wordpress() {
  local version=$1 base=${OMNISTOCK_DOWNLOAD_BASE:-https://wordpress.org}
  local tmp=$OMNISTOCK_WORK/download zip sum want
  mkdir -p "$tmp"
  zip=$tmp/wordpress-$version.zip
  stack_fetch "$base/wordpress-$version.zip" "$zip" || return 1
  stack_fetch "$base/wordpress-$version.zip.sha1" "$zip.sha1" || { echo "no published checksum for wordpress-$version.zip" >&2; return 1; }
  want=$(tr -dc '0-9a-f' <"$zip.sha1" | cut -c1-40)
  sum=$(sha1sum "$zip" | cut -d' ' -f1)
  if [ "$sum" != "$want" ]; then
    echo "wordpress-$version.zip from $base has SHA-1 $sum, wordpress.org publishes $want: not used" >&2
    rm -f "$zip"; return 1
  fi
  local dest=$STACK_CACHE/wordpress-$version
  rm -rf "$dest.part" && mkdir -p "$dest.part" && unzip -q "$zip" -d "$dest.part" \
    && [ -f "$dest.part/wordpress/wp-settings.php" ] || { rm -rf "$dest.part"; return 1; }
  rm -rf "$dest" && mv "$dest.part/wordpress" "$dest" && rm -rf "$dest.part" "$zip" "$zip.sha1"
}

# WooCommerce VERSION into the cache: the plugin zip, each file checked against the SHA-256 that
# wordpress.org's plugin-checksums API publishes for that version (no file missing, none added).
stack_download_woocommerce() {
  local version=$1 base=${OMNISTOCK_DOWNLOAD_BASE:-https://downloads.wordpress.org}
  local tmp=$OMNISTOCK_WORK/download zip sums
  mkdir -p "$tmp"
  zip=$tmp/woocommerce.$version.zip
  sums=$tmp/woocommerce-$version.checksums.json
  stack_fetch "$base/plugin/woocommerce.$version.zip" "$zip" || return 1
  stack_fetch "$base/plugin-checksums/woocommerce/$version.json" "$sums" || { echo "no published checksums for woocommerce $version" >&2; return 1; }
  local dest=$STACK_CACHE/woocommerce-$version
  rm -rf "$dest.part" && mkdir -p "$dest.part" && unzip -q "$zip" -d "$dest.part" || { rm -rf "$dest.part"; return 1; }
  if ! php "$OMNISTOCK_TOP/bin/lib/plugin-checksums.php" "$sums" "$dest.part/woocommerce" >&2; then
    echo "woocommerce.$version.zip from $base does not match wordpress.org's checksums: not used" >&2
    rm -rf "$dest.part" "$zip"; return 1
  fi
  rm -rf "$dest" && mv "$dest.part" "$dest" && rm -f "$zip" "$sums"
}

# Sets STACK_WP / STACK_WC / STACK_LABEL / STACK_MISSING for NAME (current or oldest).
stack_resolve() {
  local name=$1 wp_version wc_version wp_var wc_var wp_given wc_given out
  STACK_WP= STACK_WC= STACK_MISSING=
  case $name in
    current)
      wp_version=$STACK_CURRENT_WP wc_version=$STACK_CURRENT_WC
      wp_var=OMNISTOCK_WORDPRESS wc_var=OMNISTOCK_WOOCOMMERCE
      wp_given=${OMNISTOCK_WORDPRESS:-} wc_given=${OMNISTOCK_WOOCOMMERCE:-} ;;
    oldest)
      wp_version=6.1 wc_version=$STACK_OLDEST_WC
      wp_var= wc_var=OMNISTOCK_WOOCOMMERCE_OLDEST
      wp_given= wc_given=${OMNISTOCK_WOOCOMMERCE_OLDEST:-} ;;
    *) STACK_MISSING="no stack named '$name' (current or oldest)"; return 1 ;;
  esac
  STACK_LABEL="WordPress $wp_version + WooCommerce $wc_version"
  local missing=()

  if [ "$name" = oldest ]; then
    # Debian's package (bin/test installs it); its version is what Debian ships for bookworm.
    if [ -f /usr/share/wordpress/wp-settings.php ]; then
      STACK_WP=/usr/share/wordpress
      STACK_LABEL="WordPress $(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" /usr/share/wordpress/wp-includes/version.php) + WooCommerce $wc_version"
    else
      missing+=("Debian's wordpress package (apt-get install wordpress)")
    fi
  elif [ -n "$wp_given" ]; then
    out=$(stack_given wordpress "$wp_given" "$wp_var") && STACK_WP=$out || missing+=("$out")
  elif [ -f "$STACK_CACHE/wordpress-$wp_version/wp-settings.php" ] || stack_download_wordpress "$wp_version"; then
    STACK_WP=$STACK_CACHE/wordpress-$wp_version
  else
    missing+=("WordPress $wp_version: unpack wordpress-$wp_version.zip (wordpress.org) so that $STACK_CACHE/wordpress-$wp_version/wp-settings.php exists, or set $wp_var to its folder or zip")
  fi

  if [ -n "$wc_given" ]; then
    out=$(stack_given woocommerce "$wc_given" "$wc_var") && STACK_WC=$out || missing+=("$out")
  elif [ -f "$STACK_CACHE/woocommerce-$wc_version/woocommerce/woocommerce.php" ] || stack_download_woocommerce "$wc_version"; then
    STACK_WC=$STACK_CACHE/woocommerce-$wc_version/woocommerce
  else
    missing+=("WooCommerce $wc_version: unpack woocommerce.$wc_version.zip (downloads.wordpress.org) so that $STACK_CACHE/woocommerce-$wc_version/woocommerce/woocommerce.php exists, or set $wc_var to its folder or zip")
  fi

  if [ ${#missing[@]} -gt 0 ]; then
    local IFS=';'
    STACK_MISSING="${missing[*]}"
    STACK_MISSING=${STACK_MISSING//;/; }
    return 1
  fi
}

# Runs a command with the stack's WordPress and WooCommerce as the test libraries expect them.
stack_run() {
  local name=$1; shift
  stack_resolve "$name" || { echo "$STACK_MISSING" >&2; return 1; }
  OMNISTOCK_STACK=$name OMNISTOCK_WP_SOURCE=$STACK_WP OMNISTOCK_WOOCOMMERCE=$STACK_WC "$@"
}
