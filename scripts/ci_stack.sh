#!/usr/bin/env bash
# The production stack, started for real on 127.0.0.1 and checked from outside (issue 10):
#
#   scripts/ci_stack.sh DATABASE_URL
#
# Given an empty PostgreSQL database, with config.settings.production and the environment docs/deploy.md sets
# (generated secret and field keys, DJANGO_ALLOWED_HOSTS=127.0.0.1, DJANGO_REDIS_URL, backup/media/static
# directories in a temp dir, no env file), this script
#
#   1. with Ceph installed (.ci/run installs it), starts its RADOS Gateway (scripts/ci_s3.sh) and keeps the uploaded
#      files in a bucket (DJANGO_STORAGE=s3, as on several servers); runs the install steps of docs/deploy.md
#      section 5: check --deploy, migrate, compilemessages, collectstatic; then load_demo (the demo logins
#      stack_check.py uses);
#   2. starts Redis (scripts/ci_services.sh), gunicorn (as docs/deploy/wuye.service, 2 workers, on a free port),
#      a Celery worker (as wuye-celery-worker.service) and Celery beat (as wuye-celery-beat.service, the normal
#      CELERY_BEAT_SCHEDULE; see "beat" below), and nginx (when installed: .ci/run installs it) with the site file
#      docs/deploy/nginx.conf itself, only its ports, certificate (self-signed for 127.0.0.1) and log paths
#      rewritten, after `nginx -t`;
#   3. runs scripts/stack_check.py against it, through nginx over TLS (pages and static files, "Back up now" run by the worker, the
#      periodic jobs sent by beat and run by the worker, a ticket written through the page and read back, a caller
#      looked up by a full phone number), then checks that gunicorn's and nginx's access logs name that request
#      but not the number (no query strings logged: config/gunicorn.py, docs/deploy/nginx.conf);
#      and, with the bucket, that the demo's files are in it (none in DJANGO_MEDIA_ROOT) and in the latest backup;
#   4. stops everything it started (EXIT trap, whatever happens), prints the tail of every process log on failure
#      and exits non-zero on failure.
#
# Beat: the real schedule is daily (and every 5 minutes for the ticket escalation). Beat keeps the last run of each
# job in its schedule file (--schedule); the script writes that file first with every job's last run two days ago,
# as after a long stop of the server, so beat finds every job of CELERY_BEAT_SCHEDULE due at once and sends it —
# the same code path as at 02:30, without a test-only schedule in the production settings.
#
# STACK_STATIC_ROOT=DIR (local reruns only) reuses the files of an earlier collectstatic instead of running it.
#
# Bounded: every step and wait has a timeout (STATIC_TIMEOUT, MIGRATE_TIMEOUT, STACK_TIMEOUT for stack_check.py).
# Nothing here uses the network beyond 127.0.0.1.
set -Eeuo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 DATABASE_URL   (an empty PostgreSQL database)" >&2
    exit 2
fi

cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV_BIN=${VENV_BIN:-$ROOT/.venv/bin}
PY="$VENV_BIN/python"
STACK_TIMEOUT=${STACK_TIMEOUT:-150}       # seconds for stack_check.py
STATIC_TIMEOUT=${STATIC_TIMEOUT:-600}     # seconds for collectstatic
MIGRATE_TIMEOUT=${MIGRATE_TIMEOUT:-600}   # seconds for migrate, and again for load_demo
T0=$(date +%s)

# shellcheck source=scripts/ci_services.sh
source "$ROOT/scripts/ci_services.sh"

STACK_TMP=$(mktemp -d /tmp/wuye-stack.XXXXXX)
LOGS="$STACK_TMP/logs"
mkdir -p "$LOGS" "$STACK_TMP/backups" "$STACK_TMP/media" "$STACK_TMP/static"
PIDS=()        # process groups started here (each in its own session: setsid)
NAMES=()
FAILED=0

log() { printf '\n\033[1m== stack: %s\033[0m (%ss)\n' "$*" "$(($(date +%s) - T0))"; }

stop_all() {
    local i pid
    if [ -n "${STATIC_PID:-}" ] && kill -0 "$STATIC_PID" 2>/dev/null; then
        kill -TERM -- "-$STATIC_PID" 2>/dev/null || true
    fi
    # reverse order: beat, worker, gunicorn
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        pid=${PIDS[$i]}
        kill -0 "$pid" 2>/dev/null && kill -TERM -- "-$pid" 2>/dev/null || true
    done
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        pid=${PIDS[$i]}
        local n
        for n in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && { echo "stack: ${NAMES[$i]} did not stop in 10 s: SIGKILL"; \
            kill -KILL -- "-$pid" 2>/dev/null || true; }
    done
    PIDS=()
}

show_logs() {
    local f
    for f in "$LOGS"/*.log; do
        [ -s "$f" ] || continue
        echo "--- $(basename "$f") (last 40 lines)"
        tail -n 40 "$f"
    done
    if [ -n "${REDIS_TMP:-}" ] && [ -s "$REDIS_TMP/redis.log" ]; then
        echo "--- redis.log (last 10 lines)"; tail -n 10 "$REDIS_TMP/redis.log"
    fi
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    [ $rc = 0 ] && [ "$FAILED" = 0 ] || { echo; echo "stack: FAILED (exit $rc)"; show_logs; }
    stop_all
    redis_stop
    if declare -F s3_stop >/dev/null; then s3_stop; fi
    rm -rf "$STACK_TMP"
    echo "stack: total $(($(date +%s) - T0))s"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME CMD...: runs CMD in its own session (so its whole process tree can be stopped), output to LOGS/NAME.log
start() {
    local name=$1; shift
    setsid "$@" >"$LOGS/$name.log" 2>&1 < /dev/null &
    PIDS+=($!)
    NAMES+=("$name")
    echo "stack: $name started (pid $!)"
}

# wait_for SECONDS DESCRIPTION CMD...: polls CMD every 0.2 s; fails when a started process died or time is up
wait_for() {
    local seconds=$1 what=$2; shift 2
    local deadline=$(($(date +%s) + seconds)) i
    while ! "$@" >/dev/null 2>&1; do
        for i in "${!PIDS[@]}"; do
            kill -0 "${PIDS[$i]}" 2>/dev/null || { echo "stack: ${NAMES[$i]} exited while waiting for $what"; return 1; }
        done
        [ "$(date +%s)" -lt "$deadline" ] || { echo "stack: timed out after ${seconds}s waiting for $what"; return 1; }
        sleep 0.2
    done
    echo "stack: $what (after $(($(date +%s) - deadline + seconds))s)"
}

# --- the environment docs/deploy.md section 4 sets (secrets generated for this run) -----------------------------
keys=$("$PY" - <<'PY'
import secrets
from cryptography.fernet import Fernet
print(secrets.token_urlsafe(60), Fernet.generate_key().decode(), secrets.token_urlsafe(48))
PY
)
read -r SECRET FIELD_KEY DIGEST_KEY <<<"$keys"
export DJANGO_SETTINGS_MODULE=config.settings.production
export DJANGO_ENV_FILE=/dev/null            # a developer's .env must not leak into the check
export DATABASE_URL="$1"
export DJANGO_SECRET_KEY="$SECRET" DJANGO_FIELD_ENCRYPTION_KEYS="$FIELD_KEY" DJANGO_FIELD_DIGEST_KEY="$DIGEST_KEY"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_BACKUP_DIR="$STACK_TMP/backups" DJANGO_MEDIA_ROOT="$STACK_TMP/media" DJANGO_STATIC_ROOT="$STACK_TMP/static"
export DJANGO_SITE_URL=https://127.0.0.1 PYTHONUNBUFFERED=1
NGINX=${NGINX:-/usr/sbin/nginx}
if [ -x "$NGINX" ]; then
    HTTP_PORT=$(_free_port)
    HTTPS_PORT=$(_free_port)
    # the site's address as the browser sees it (in production port 443, which the default already covers)
    export DJANGO_CSRF_TRUSTED_ORIGINS="https://127.0.0.1:$HTTPS_PORT"
fi
unset DJANGO_SECURE_SSL_REDIRECT DJANGO_SECURE_HSTS_SECONDS DJANGO_DEBUG WUYE_CELERY_LIVE WUYE_CELERY_BEAT_EVERY_SECOND

# Uploaded files in a bucket of a real S3-compatible server, as on several servers (docs/deploy.md section 11): Ceph's
# RADOS Gateway (scripts/ci_s3.sh) when its packages are installed (.ci/run installs them); else the folder.
unset DJANGO_STORAGE DJANGO_S3_PREFIX DJANGO_S3_REGION DJANGO_S3_ADDRESSING_STYLE DJANGO_S3_CA_BUNDLE
if command -v radosgw >/dev/null && [ "${STACK_S3:-1}" != 0 ]; then
    log "S3 storage: Ceph's RADOS Gateway"
    # shellcheck source=scripts/ci_s3.sh
    source "$ROOT/scripts/ci_s3.sh"
    s3_start
    export DJANGO_STORAGE=s3 DJANGO_S3_BUCKET=wuye-media DJANGO_S3_ENDPOINT_URL="$S3_ENDPOINT_URL" \
        DJANGO_S3_ACCESS_KEY="$S3_ACCESS_KEY" DJANGO_S3_SECRET_KEY="$S3_SECRET_KEY"
    # the bucket is made beforehand, private, as docs/deploy.md says
    "$PY" -c 'import os, boto3
boto3.client("s3", endpoint_url=os.environ["DJANGO_S3_ENDPOINT_URL"], region_name="us-east-1",
             aws_access_key_id=os.environ["DJANGO_S3_ACCESS_KEY"],
             aws_secret_access_key=os.environ["DJANGO_S3_SECRET_KEY"]).create_bucket(Bucket="wuye-media")'
fi

# --- 1. install steps (docs/deploy.md section 5), then the services -----------------------------------------------
# collectstatic (CPU: hashing and compressing every file, minutes for the vendor libraries) runs beside migrate and
# load_demo (the database); gunicorn starts once it is done, the worker and beat as soon as the data is there.
log "check --deploy, compilemessages; collectstatic beside migrate and load_demo"
timeout 120 "$PY" manage.py check --deploy --fail-level WARNING
timeout 120 "$PY" manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=var -v 0
STATIC_PID=""
if [ -n "${STACK_STATIC_ROOT:-}" ] && [ -s "$STACK_STATIC_ROOT/staticfiles.json" ]; then
    # local reruns only (CI leaves it unset): the files of an earlier collectstatic of the same tree
    export DJANGO_STATIC_ROOT="$STACK_STATIC_ROOT"
    echo "stack: STACK_STATIC_ROOT=$STACK_STATIC_ROOT: collectstatic skipped"
else
    setsid timeout "$STATIC_TIMEOUT" "$PY" manage.py collectstatic --noinput -v 1 >"$LOGS/collectstatic.log" 2>&1 &
    STATIC_PID=$!
fi
timeout "$MIGRATE_TIMEOUT" "$PY" manage.py migrate --noinput -v 0
log "load_demo"
timeout "$MIGRATE_TIMEOUT" "$PY" manage.py load_demo >"$LOGS/load_demo.log" 2>&1
grep -q "Demo data ready" "$LOGS/load_demo.log"

log "Redis, Celery worker and beat"
redis_start
export DJANGO_REDIS_URL                     # set by redis_start
# the worker as in docs/deploy/wuye-celery-worker.service
start worker "$VENV_BIN/celery" -A config worker --queues wuye --concurrency 2 --max-tasks-per-child 100 \
    --hostname "wuye-ci@%h" --loglevel INFO
# beat as in docs/deploy/wuye-celery-beat.service; its schedule file says every job last ran two days ago
SCHEDULE="$STACK_TMP/celerybeat-schedule"
"$PY" - "$SCHEDULE" "$STACK_TMP/beat-jobs" <<'PY'
import sys
from datetime import timedelta

from celery.beat import PersistentScheduler

from config.celery import app

scheduler = PersistentScheduler(app=app, schedule_filename=sys.argv[1], lazy=True)
scheduler.setup_schedule()
two_days_ago = app.now() - timedelta(days=2)
with open(sys.argv[2], "w") as jobs:
    for name, entry in app.conf.beat_schedule.items():
        scheduler.schedule[name].last_run_at = two_days_ago
        jobs.write(f"{name} {entry['task']}\n")
scheduler.sync()
scheduler._store.close()
print(f"stack: beat schedule file: {len(app.conf.beat_schedule)} jobs, last run {two_days_ago:%Y-%m-%d %H:%M}")
PY
wait_for 120 "the worker is ready" grep -q "ready\." "$LOGS/worker.log"
start beat "$VENV_BIN/celery" -A config beat --schedule "$SCHEDULE" --loglevel INFO

log "gunicorn (once collectstatic is done)"
if [ -n "$STATIC_PID" ]; then
    rc=0; wait "$STATIC_PID" || rc=$?
    STATIC_PID=""
    [ $rc = 0 ] || { echo "stack: collectstatic failed (exit $rc$([ $rc = 124 ] && echo ": timed out"))"; exit 1; }
    tail -n 1 "$LOGS/collectstatic.log"
fi
PORT=$(_free_port)
BASE_URL="http://127.0.0.1:$PORT"
# gunicorn as in docs/deploy/wuye.service (2 workers: CI has 2 cores)
start gunicorn "$VENV_BIN/gunicorn" config.wsgi:application --config python:config.gunicorn --bind "127.0.0.1:$PORT" --workers 2 --timeout 120 \
    --max-requests 2000 --max-requests-jitter 200 --forwarded-allow-ips 127.0.0.1 \
    --access-logfile - --error-logfile -
wait_for 120 "gunicorn answers" python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)"

# nginx with docs/deploy/nginx.conf: only the listen addresses, the certificate and the log paths are rewritten
CHECK_ARGS=("$BASE_URL")
if [ -x "$NGINX" ]; then
    log "nginx (docs/deploy/nginx.conf) on 127.0.0.1:$HTTP_PORT and :$HTTPS_PORT"
    NGX="$STACK_TMP/nginx"
    mkdir -p "$NGX"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
        -keyout "$NGX/key.pem" -out "$NGX/cert.pem" 2>/dev/null
    sed -e "s#server 127.0.0.1:8000 #server 127.0.0.1:$PORT #" \
        -e "s#listen 80;#listen 127.0.0.1:$HTTP_PORT;#" -e "s#listen 443 ssl#listen 127.0.0.1:$HTTPS_PORT ssl#" \
        -e '/listen \[::\]/d' \
        -e "s#/etc/ssl/certs/wuye.example.com.pem#$NGX/cert.pem#" \
        -e "s#/etc/ssl/private/wuye.example.com.key#$NGX/key.pem#" \
        -e "s#/var/log/nginx/wuye.#$LOGS/nginx-#" docs/deploy/nginx.conf > "$NGX/site.conf"
    for expected in "127.0.0.1:$PORT" "127.0.0.1:$HTTP_PORT;" "127.0.0.1:$HTTPS_PORT ssl" "$NGX/cert.pem" "$LOGS/nginx-"; do
        grep -qF "$expected" "$NGX/site.conf" || { echo "stack: docs/deploy/nginx.conf changed shape: no $expected"; exit 1; }
    done
    {
        [ "$(id -u)" = 0 ] && echo "user root;"   # CI runs as root: workers may then use the temp directories
        echo "worker_processes 1;"
        echo "pid $NGX/nginx.pid;"
        echo "error_log $LOGS/nginx-main-error.log;"
        echo "events { worker_connections 256; }"
        echo "http {"
        echo "    include /etc/nginx/mime.types;"
        for kind in client_body proxy fastcgi uwsgi scgi; do echo "    ${kind}_temp_path $NGX/$kind;"; done
        echo "    include $NGX/site.conf;"
        echo "}"
    } > "$NGX/nginx.conf"
    "$NGINX" -t -q -p "$NGX" -c "$NGX/nginx.conf"
    start nginx "$NGINX" -p "$NGX" -c "$NGX/nginx.conf" -g "daemon off;"
    wait_for 30 "nginx answers" python3 -c "import socket; socket.create_connection(('127.0.0.1', $HTTPS_PORT), 1)"
    CHECK_ARGS=("http://127.0.0.1:$HTTP_PORT" --https-url "https://127.0.0.1:$HTTPS_PORT" --cafile "$NGX/cert.pem")
else
    echo "stack: $NGINX not found: checking gunicorn directly, with the headers nginx would add"
fi

# --- 3. the check --------------------------------------------------------------------------------------------------
log "stack_check.py ${CHECK_ARGS[*]}"
if ! timeout --kill-after=10 "$STACK_TIMEOUT" "$PY" scripts/stack_check.py "${CHECK_ARGS[@]}" \
        --worker-log "$LOGS/worker.log" --beat-log "$LOGS/beat.log" \
        --beat-jobs "$STACK_TMP/beat-jobs" --timeout "$((STACK_TIMEOUT - 10))"; then
    FAILED=1
    exit 1
fi
# nothing of the stack may have died on the way
for i in "${!PIDS[@]}"; do
    kill -0 "${PIDS[$i]}" 2>/dev/null || { echo "stack: ${NAMES[$i]} is no longer running"; FAILED=1; exit 1; }
done
# the access logs keep paths, never query strings: the full number stack_check.py looked up is in none of them
LOOKUP_NUMBER=$("$PY" -c 'import runpy; print(runpy.run_path("scripts/stack_check.py")["LOOKUP_NUMBER"])')
ACCESS_LOGS=("$LOGS/gunicorn.log")
[ -x "$NGINX" ] && ACCESS_LOGS+=("$LOGS/nginx-access.log")
for f in "${ACCESS_LOGS[@]}"; do
    grep -q "GET /estates/lookup/ " "$f" || { echo "stack: $f does not log the lookup request"; FAILED=1; exit 1; }
    if grep -n -- "$LOOKUP_NUMBER" "$f"; then
        echo "stack: $f holds the phone number looked up (a query string or Referer is logged)"; FAILED=1; exit 1
    fi
done
echo "stack: the access logs (${ACCESS_LOGS[*]##*/}) name the lookup without the number"
# with the bucket: the demo's files are there and nowhere else, and the backups (the beat's and "Back up now")
# archived every one of them
if [ "${DJANGO_STORAGE:-}" = s3 ]; then
    "$PY" - "$STACK_TMP/media" "$STACK_TMP/backups" <<'PY' || { FAILED=1; exit 1; }
import json, os, sys, tarfile
from pathlib import Path

import boto3

s3 = boto3.client("s3", endpoint_url=os.environ["DJANGO_S3_ENDPOINT_URL"], region_name="us-east-1",
                  aws_access_key_id=os.environ["DJANGO_S3_ACCESS_KEY"],
                  aws_secret_access_key=os.environ["DJANGO_S3_SECRET_KEY"])
keys = set()
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=os.environ["DJANGO_S3_BUCKET"]):
    keys |= {item["Key"] for item in page.get("Contents", [])}
local = [p for p in Path(sys.argv[1]).rglob("*") if p.is_file()]
archives = sorted(Path(sys.argv[2]).glob("wuye-backup-*.tar.gz"))
if not keys or local or not archives:
    sys.exit(f"stack: S3 storage: {len(keys)} objects in the bucket, {len(local)} files in DJANGO_MEDIA_ROOT, "
             f"{len(archives)} backups (expected some, none, some)")
with tarfile.open(archives[-1]) as tar:
    manifest = json.load(tar.extractfile("manifest.json"))
archived = {f["path"] for f in manifest["files"]}
if archived != keys:
    sys.exit(f"stack: S3 storage: the backup {archives[-1].name} holds {len(archived)} files, the bucket "
             f"{len(keys)}; differing: {sorted(archived ^ keys)[:5]}")
print(f"stack: S3 storage: {len(keys)} files in the bucket, none in DJANGO_MEDIA_ROOT; {archives[-1].name} "
      f"archived every one")
PY
fi
if grep -E "Traceback|CRITICAL" "$LOGS"/gunicorn.log "$LOGS"/worker.log "$LOGS"/beat.log; then
    echo "stack: a traceback in a process log"; FAILED=1; exit 1
fi
log "OK: $([ -x "$NGINX" ] && echo "nginx, ")gunicorn, PostgreSQL, Redis, Celery worker and beat$(
    [ "${DJANGO_STORAGE:-}" = s3 ] && echo ", files in Ceph's S3 gateway") (production settings)"
