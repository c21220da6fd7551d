#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (the CTest fixture "postgres"):
#   postgres_server.sh start DIR [durable]
#                                  initdb into DIR/data, start on a free loopback port, write the
#                                  port to DIR/port (superuser "fiscpos", trust on loopback only);
#                                  "durable" keeps fsync on (for benchmarks)
#   postgres_server.sh stop DIR    stop it and remove DIR
# Debian's postgresql package provides the server (/usr/lib/postgresql/VERSION/bin). The server
# refuses to run as root, so as root it runs as the postgres user (or nobody). For tests it runs
# with fsync off: what it holds is thrown away at the end.
set -euo pipefail
action=${1:?usage: postgres_server.sh start|stop DIR}
dir=${2:?usage: postgres_server.sh start|stop DIR}
durability="-c fsync=off -c full_page_writes=off"
[ "${3:-}" != durable ] || durability="-c fsync=on"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
if [ -z "$bin" ]; then
    echo "postgres_server: no PostgreSQL server installed (Debian package postgresql;" \
        "scripts/install-deps.sh installs it)" >&2
    exit 1
fi
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        local user=postgres
        id "$user" >/dev/null 2>&1 || user=nobody
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}
case "$action" in
start)
    if [ -f "$dir/port" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        exit 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown "$(id -u postgres 2>/dev/null || id -u nobody)" "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U fiscpos -E UTF8 --locale=C --no-sync \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5; do
        port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=400 -c shared_buffers=64MB" \
            >/dev/null; then
            echo "$port" >"$dir/port"
            echo "postgres_server: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
            exit 0
        fi
        echo "postgres_server: start attempt $attempt on port $port failed" >&2
    done
    cat "$dir/server.log" >&2
    exit 1
    ;;
stop)
    if [ -d "$dir/data" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: postgres_server.sh start|stop DIR" >&2
    exit 2
    ;;
esac
