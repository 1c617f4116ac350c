#!/usr/bin/env bash
# The load and fault test (`make loadtest`; not part of `make test`). Loopback only, bounded in time.
#
#   1. starts a throwaway PostgreSQL 15 (fsync on: the durability is what is tested) and Redis on free ports of
#      127.0.0.1, with the production settings (config.settings.production, fresh keys);
#   2. migrates, loads the demo data, generates bulk data (LOADTEST_CUSTOMERS customers, LOADTEST_TICKETS tickets)
#      and the load test's users (loadtest/seed.py: LOADTEST_AGENTS agents, LOADTEST_RESIDENTS residents);
#   3. starts gunicorn (LOADTEST_GUNICORN_WORKERS workers, TLS with a throwaway self-signed certificate, as the
#      cookies are Secure in production) and a Celery worker;
#   4. runs locust headless (loadtest/locustfile.py) for LOADTEST_MINUTES minutes with agents + residents;
#   5. meanwhile injects the faults, each recorded as a time window in faults.jsonl:
#        - at 35 % of the run PostgreSQL is restarted (immediate mode: a crash, then recovery),
#        - at 55 % a Celery worker is killed with kill -9 in the middle of a backup task, and started again
#          (the task, acknowledged late, must be run again by the new worker),
#        - at 75 % the app server (gunicorn's master and all its workers) is killed with kill -9 while the users
#          write, and started again;
#   6. prints the report (loadtest/report.py: throughput, p50/p95/p99 per operation, errors inside/outside the
#      fault windows) and checks the database (loadtest/verify.py: every acknowledged write is there, no ticket is
#      half-written), then stops everything it started.
#
# Results: var/loadtest/<UTC time>/ (locust CSV, acknowledged writes, failures, faults, report.md, server logs).
# Exit status: 0 only when no 5xx/connection error happened outside the fault windows, no acknowledged write is
# missing, no ticket is half-written, and the killed Celery task ran again.
#
# Quick run: LOADTEST_MINUTES=1 LOADTEST_AGENTS=10 LOADTEST_RESIDENTS=40 loadtest/run.sh
set -Eeuo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
MINUTES=${LOADTEST_MINUTES:-5}
AGENTS=${LOADTEST_AGENTS:-50}
RESIDENTS=${LOADTEST_RESIDENTS:-200}
SPAWN_RATE=${LOADTEST_SPAWN_RATE:-5}
WORKERS=${LOADTEST_GUNICORN_WORKERS:-4}
CUSTOMERS=${LOADTEST_CUSTOMERS:-3000}
TICKETS=${LOADTEST_TICKETS:-20000}
FAULTS=${LOADTEST_FAULTS:-1}
PG_MAJOR=15
PGBIN=/usr/lib/postgresql/$PG_MAJOR/bin
PY=$ROOT/.venv/bin/python
BIN=$ROOT/.venv/bin
OUT=$ROOT/var/loadtest/$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/wuye-loadtest.XXXXXX)
DURATION=$((MINUTES * 60))

log() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
now() { python3 -c 'import time; print(f"{time.time():.3f}")'; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
fault() {  # fault NAME START END NOTE
    printf '{"name": "%s", "start": %s, "end": %s, "note": "%s"}\n' "$1" "$2" "$3" "$4" >> "$OUT/faults.jsonl"
}

# --- processes we start, stopped by the trap whatever happens -------------------------------------------------
PG_STARTED=0
GUNICORN_PID=""
CELERY_PID=""
LOCUST_PID=""
# shellcheck source=../scripts/ci_services.sh
. "$ROOT/scripts/ci_services.sh"
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres: "$TMP"
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi
stop_group() {  # stop_group PID [SIGNAL]: the process group led by PID (started with setsid)
    local pid=$1 sig=${2:-TERM}
    [ -n "$pid" ] || return 0
    kill -"$sig" -- "-$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 100); do kill -0 -- "-$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 -- "-$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    set +e
    stop_group "$LOCUST_PID"
    stop_group "$GUNICORN_PID"
    stop_group "$CELERY_PID"
    redis_stop
    [ "$PG_STARTED" = 1 ] && as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -m fast -w stop >/dev/null 2>&1
    cp "$TMP"/*.log "$OUT/" 2>/dev/null
    rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. PostgreSQL, Redis, settings ----------------------------------------------------------------------------
log "PostgreSQL and Redis"
PGPORT=$(free_port)
as_pg "$PGBIN/initdb" -D "$TMP/data" -E UTF8 --locale=C.UTF-8 -U postgres -A trust >/dev/null
PG_OPTS="-c listen_addresses=127.0.0.1 -p $PGPORT -k $TMP -c max_connections=100 -c shared_buffers=256MB"
# fsync off while the data is loaded (minutes saved); the restart before the load turns it on
as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/postgresql.log" -w -t 60 -o "$PG_OPTS -c fsync=off" start >/dev/null
PG_STARTED=1
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres wuye
redis_start

export DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_ENV_FILE=/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/wuye"
DJANGO_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(60))')
DJANGO_FIELD_ENCRYPTION_KEYS=$(python3 -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
DJANGO_FIELD_DIGEST_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(40))')
export DJANGO_SECRET_KEY DJANGO_FIELD_ENCRYPTION_KEYS DJANGO_FIELD_DIGEST_KEY
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_MEDIA_ROOT=$TMP/media DJANGO_STATIC_ROOT=$TMP/static DJANGO_BACKUP_DIR=$TMP/backups
export DJANGO_LOG_LEVEL=WARNING
# a task whose worker was killed is handed out again after this many seconds (production: 3600)
export DJANGO_CELERY_VISIBILITY_TIMEOUT=${LOADTEST_VISIBILITY_TIMEOUT:-20}
export PATH="$PGBIN:$PATH"   # pg_dump for the backup task

# --- 2. schema, data, users -----------------------------------------------------------------------------------
log "migrate, demo data, $CUSTOMERS customers and $TICKETS tickets, $AGENTS agents and $RESIDENTS residents"
t=$(date +%s)
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py collectstatic --noinput -v 0
"$PY" manage.py load_demo >/dev/null
"$PY" manage.py generate_data --customers "$CUSTOMERS" --estates 3 --tickets "$TICKETS" >/dev/null
"$PY" loadtest/seed.py --agents "$AGENTS" --residents "$RESIDENTS" --output "$OUT/users.json"
echo "data ready in $(($(date +%s) - t)) s"
# from here on PostgreSQL runs as in production: fsync on (the stop writes everything to disk first)
as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -m fast -w stop >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/postgresql.log" -w -t 60 -o "$PG_OPTS" start >/dev/null

# --- 3. gunicorn and a Celery worker --------------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
    -keyout "$TMP/tls.key" -out "$TMP/tls.crt" >/dev/null 2>&1
PORT=$(free_port)
URL="https://127.0.0.1:$PORT"
start_gunicorn() {
    # the command of docs/deploy/wuye.service, with TLS in place of nginx
    setsid "$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" --timeout 120 \
        --max-requests 2000 --max-requests-jitter 200 --certfile "$TMP/tls.crt" --keyfile "$TMP/tls.key" \
        --error-logfile - >> "$TMP/gunicorn.log" 2>&1 &
    GUNICORN_PID=$!
    local i
    for i in $(seq 1 300); do
        if curl -ksf -o /dev/null "$URL/accounts/login/"; then return 0; fi
        sleep 0.1
    done
    echo "gunicorn did not answer on $URL"; tail -n 30 "$TMP/gunicorn.log"; return 1
}
start_celery() {  # start_celery N: started when the log shows more than N "ready." lines
    # the command of docs/deploy/wuye-celery-worker.service (its INFO log tells when it is ready)
    DJANGO_LOG_LEVEL=INFO setsid "$BIN/celery" -A config worker --queues wuye --concurrency 2 \
        --max-tasks-per-child 100 --hostname "wuye@loadtest" --loglevel INFO >> "$TMP/celery-worker.log" 2>&1 &
    CELERY_PID=$!
    local i
    for i in $(seq 1 300); do
        if [ "$(grep -c "ready\." "$TMP/celery-worker.log" 2>/dev/null)" -gt "$1" ]; then return 0; fi
        sleep 0.1
    done
    echo "the Celery worker did not start"; tail -n 30 "$TMP/celery-worker.log"; return 1
}
log "gunicorn ($WORKERS workers) on $URL, Celery worker"
start_gunicorn
start_celery 0

# --- 4. locust ------------------------------------------------------------------------------------------------
log "locust: $AGENTS agents + $RESIDENTS residents for $MINUTES min"
export LOADTEST_USERS=$OUT/users.json LOADTEST_OUT=$OUT LOADTEST_AGENTS=$AGENTS LOADTEST_RESIDENTS=$RESIDENTS
setsid "$BIN/locust" -f loadtest/locustfile.py --headless -H "$URL" -u $((AGENTS + RESIDENTS)) -r "$SPAWN_RATE" \
    -t "${DURATION}s" --stop-timeout 10 --csv "$OUT/stats" --only-summary --loglevel WARNING \
    > "$OUT/locust.txt" 2>&1 &
LOCUST_PID=$!
T0=$(date +%s)
at() {  # at FRACTION: sleep until that fraction of the run
    local target=$((T0 + DURATION * $1 / 100))
    while [ "$(date +%s)" -lt "$target" ] && kill -0 "$LOCUST_PID" 2>/dev/null; do sleep 1; done
}

# --- 5. faults ------------------------------------------------------------------------------------------------
CELERY_REDELIVERED=skipped
if [ "$FAULTS" = 1 ]; then
    at 35
    log "fault 1: PostgreSQL restarted (immediate: crash and recovery)"
    s=$(now)
    as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -m immediate -w stop >/dev/null
    as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/postgresql.log" -w -t 60 -o "$PG_OPTS" start >/dev/null
    fault postgresql-restart "$s" "$(now)" "pg_ctl stop -m immediate, start"

    at 55
    log "fault 2: a Celery worker killed (kill -9) in the middle of a backup task"
    before=$("$PY" manage.py shell -v 0 -c "from wuye.core.models import BackupRun; \
print(BackupRun.objects.filter(kind='backup', ok=True).count())" 2>/dev/null | tail -n 1)
    # 200 MB of incompressible uploads make the backup take long enough (gzip) to be killed in the middle
    mkdir -p "$DJANGO_MEDIA_ROOT/loadtest"
    head -c 200M /dev/urandom > "$DJANGO_MEDIA_ROOT/loadtest/ballast.bin"
    s=$(now)
    "$PY" manage.py shell -v 0 -c "from wuye.core.tasks import backup_run; backup_run.delay()"
    for i in $(seq 1 200); do grep -q "Task wuye.core.tasks.backup_run\[.*\] received" "$TMP/celery-worker.log" \
        && break; sleep 0.1; done
    sleep 0.5   # the task is running: pg_dump of the database
    ready=$(grep -c "ready\." "$TMP/celery-worker.log")
    finished=$(grep -c "Task wuye.core.tasks.backup_run\[.*\] succeeded" "$TMP/celery-worker.log" || true)
    stop_group "$CELERY_PID" 9
    [ "$finished" = 0 ] || echo "note: the backup task had already finished when the worker was killed"
    start_celery "$ready"
    fault celery-worker-kill "$s" "$(now)" "kill -9 of the worker (main process and children) mid-task, restart"
    CELERY_BEFORE=$before

    at 75
    log "fault 3: the app server killed (kill -9 of gunicorn's master and workers) while users write"
    s=$(now)
    stop_group "$GUNICORN_PID" 9
    start_gunicorn
    fault gunicorn-kill "$s" "$(now)" "kill -9 of the master and all workers, restart"
fi

wait "$LOCUST_PID" || true
LOCUST_PID=""
tail -n 60 "$OUT/locust.txt"

# --- 6. report and checks -------------------------------------------------------------------------------------
rc=0
if [ "$FAULTS" = 1 ]; then
    log "the killed Celery task ran again"
    CELERY_REDELIVERED=no
    for i in $(seq 1 $((DJANGO_CELERY_VISIBILITY_TIMEOUT * 3 + 30))); do
        after=$("$PY" manage.py shell -v 0 -c "from wuye.core.models import BackupRun; \
print(BackupRun.objects.filter(kind='backup', ok=True).count())" 2>/dev/null | tail -n 1)
        if [ "${after:-0}" -gt "${CELERY_BEFORE:-0}" ]; then CELERY_REDELIVERED=yes; break; fi
        sleep 1
    done
    echo "backup task after the worker was killed: ran again = $CELERY_REDELIVERED"
    [ "$CELERY_REDELIVERED" = yes ] || rc=1
fi
log "report"
{
    echo "# Load test $(date -u '+%Y-%m-%d %H:%M UTC'): $AGENTS agents + $RESIDENTS residents, $MINUTES min,"
    echo "gunicorn $WORKERS workers (TLS), PostgreSQL $PG_MAJOR, Redis, 1 Celery worker; $(nproc) CPU cores shared"
    echo "with locust. Data: demo + $CUSTOMERS customers + $TICKETS tickets."
    echo
    "$PY" loadtest/report.py "$OUT" || rc=1
    echo "- Celery task killed mid-run ran again: $CELERY_REDELIVERED"
    echo
    "$PY" loadtest/verify.py "$OUT/acked.jsonl" || rc=1
} | tee "$OUT/report.md"
[ "${PIPESTATUS[0]}" = 0 ] || rc=1
grep -q "verify: FAIL\|outside the fault windows: [1-9]" "$OUT/report.md" && rc=1
echo
echo "results in $OUT ($([ $rc = 0 ] && echo PASSED || echo FAILED))"
exit $rc
