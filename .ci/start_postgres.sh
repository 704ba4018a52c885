#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the store tests (tests/test_store*.py, marker postgres).
#
# Works on a fresh Debian machine after `apt-get install -y postgresql`, as root (the server then
# runs as the `postgres` user) or as any non-root user. The server lives in a new temporary
# directory, listens on 127.0.0.1 only, on a free port, with trust authentication (local tests
# only), and holds one UTF-8 database. It does not touch Debian's own cluster.
#
# Usage:
#   eval "$(.ci/start_postgres.sh)"      # exports VAGTPLAN_TEST_PG_URL and VAGTPLAN_TEST_PG_DIR
#   .ci/start_postgres.sh stop DIR        # stops the server started in DIR and removes DIR
#
# stdout carries only the `export` lines; progress and errors go to stderr.
set -euo pipefail

log() { printf 'start_postgres: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

pg_bin() {
    local dir
    dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] || die "no PostgreSQL server found under /usr/lib/postgresql (apt-get install -y postgresql)"
    printf '%s\n' "$dir"
}

# Run a command as the server's owner: `postgres` when we are root (initdb refuses root).
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_is_free() {
    # A refused connection means nothing listens there.
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
    local port tries=0
    while [ "$tries" -lt 200 ]; do
        port=$(( 20000 + RANDOM % 40000 ))
        if port_is_free "$port"; then
            printf '%s\n' "$port"
            return 0
        fi
        tries=$(( tries + 1 ))
    done
    die "no free TCP port found on 127.0.0.1"
}

stop() {
    local dir=${1:?usage: start_postgres.sh stop DIR}
    local bin
    bin=$(pg_bin)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    fi
    rm -rf -- "$dir"
    log "stopped and removed $dir"
}

start() {
    local bin dir port db=vagtplan_test
    bin=$(pg_bin)
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "user 'postgres' does not exist (apt-get install -y postgresql creates it)"
    fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/vagtplan-pg.XXXXXX")
    chmod 700 "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
    fi
    log "initdb in $dir/data ($bin)"
    # C locale with UTF-8 encoding: queue names carry æøå; no OS locale needs to be installed.
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

    local attempt
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        log "starting on 127.0.0.1:$port (attempt $attempt)"
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >&2; then
            break
        fi
        port=""
        tail -n 20 "$dir/server.log" >&2 || true
    done
    [ -n "$port" ] || die "the server did not start; see $dir/server.log"

    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres -E UTF8 -T template0 "$db" \
        || die "createdb $db failed"
    log "ready: database $db on 127.0.0.1:$port (stop with: $0 stop $dir)"
    printf 'export VAGTPLAN_TEST_PG_URL=%q\n' "postgresql+psycopg://postgres@127.0.0.1:$port/$db"
    printf 'export VAGTPLAN_TEST_PG_DIR=%q\n' "$dir"
}

case "${1:-start}" in
    start) start ;;
    stop) shift; stop "$@" ;;
    *) die "unknown command '$1'; expected start or stop DIR" ;;
esac
