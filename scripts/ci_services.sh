#!/usr/bin/env bash
# Throwaway services for CI and local runs, on 127.0.0.1 only. Source this file, then:
#
#   redis_start            starts redis-server on a free loopback port, no persistence, data in a temp dir;
#                          exports REDIS_PORT, REDIS_URL (redis://127.0.0.1:PORT/0) and DJANGO_REDIS_URL;
#   redis_stop             stops it again (also safe when it never started) and removes its directory.
#
# Call redis_stop from the caller's EXIT trap, e.g.  trap 'redis_stop; other_cleanup' EXIT
# REDIS_SERVER names another binary (default: redis-server from PATH, /usr/bin/redis-server).

REDIS_SERVER=${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}
REDIS_TMP=""
REDIS_PID=""

_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

redis_start() {
    if [ ! -x "$REDIS_SERVER" ]; then
        echo "redis_start: $REDIS_SERVER not found (apt-get install redis-server)" >&2
        return 1
    fi
    REDIS_TMP=$(mktemp -d /tmp/wuye-redis.XXXXXX)
    REDIS_PORT=$(_free_port)
    "$REDIS_SERVER" --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --protected-mode yes \
        --dir "$REDIS_TMP" --logfile "$REDIS_TMP/redis.log" --pidfile "$REDIS_TMP/redis.pid" --daemonize yes
    local i
    for i in $(seq 1 100); do
        if [ -s "$REDIS_TMP/redis.pid" ] && python3 - "$REDIS_PORT" <<'PY' 2>/dev/null; then
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
    s.sendall(b"PING\r\n")
    sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
PY
            REDIS_PID=$(cat "$REDIS_TMP/redis.pid")
            export REDIS_PORT REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
            export DJANGO_REDIS_URL="$REDIS_URL"
            echo "Redis on 127.0.0.1:$REDIS_PORT (pid $REDIS_PID)"
            return 0
        fi
        sleep 0.1
    done
    echo "redis_start: redis-server did not answer on 127.0.0.1:$REDIS_PORT" >&2
    [ -f "$REDIS_TMP/redis.log" ] && tail -n 20 "$REDIS_TMP/redis.log" >&2
    redis_stop
    return 1
}

redis_stop() {
    if [ -z "$REDIS_PID" ] && [ -n "$REDIS_TMP" ] && [ -s "$REDIS_TMP/redis.pid" ]; then
        REDIS_PID=$(cat "$REDIS_TMP/redis.pid")
    fi
    if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
        kill "$REDIS_PID" 2>/dev/null || true
        local i
        for i in $(seq 1 50); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$REDIS_PID" 2>/dev/null || true
    fi
    [ -n "$REDIS_TMP" ] && rm -rf "$REDIS_TMP"
    REDIS_PID="" REDIS_TMP=""
    unset DJANGO_REDIS_URL
}
