# A private MariaDB server for tests, benchmarks and the demo: its own data directory, socket and
# port on 127.0.0.1, so that several checkouts (and a system MariaDB) never collide.
#   mariadb_start DIR PORT   start (initialising DIR on first use); database "omnistock",
#                            user "omnistock" / password "omnistock" on 127.0.0.1:PORT
#   mariadb_stop DIR         stop it
# shellcheck shell=bash

mariadb_start() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local server
  server=$(command -v mariadbd || command -v mysqld || ls /usr/sbin/mariadbd 2>/dev/null) \
    || { echo "mariadb_start: mariadb-server is not installed" >&2; return 1; }
  if [ -S "$dir/mysqld.sock" ] && mariadb-admin --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1; then
    return 0
  fi
  if [ ! -d "$dir/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
      --skip-test-db --user="$(id -un)" >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; return 1; }
  fi
  "$server" --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" \
    --bind-address=127.0.0.1 --port="$port" --user="$(id -un)" --skip-name-resolve \
    --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 --max-connections=300 \
    --log-error="$dir/error.log" >/dev/null 2>&1 &
  local i
  for i in $(seq 1 100); do
    mariadb-admin --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 && break
    sleep 0.2
  done
  mariadb-admin --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 \
    || { echo "mariadb_start: server did not come up; see $dir/error.log" >&2; tail -20 "$dir/error.log" >&2; return 1; }
  mariadb --socket="$dir/mysqld.sock" -uroot <<'SQL'
CREATE DATABASE IF NOT EXISTS omnistock CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'omnistock'@'127.0.0.1' IDENTIFIED BY 'omnistock';
CREATE USER IF NOT EXISTS 'omnistock'@'localhost' IDENTIFIED BY 'omnistock';
GRANT ALL ON *.* TO 'omnistock'@'127.0.0.1';
GRANT ALL ON *.* TO 'omnistock'@'localhost';
SQL
}

mariadb_stop() {
  local dir=$1
  [ -f "$dir/mysqld.pid" ] || return 0
  local pid
  pid=$(cat "$dir/mysqld.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || return 0
  local i
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null
}
