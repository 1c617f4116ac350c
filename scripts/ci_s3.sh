#!/usr/bin/env bash
# A throwaway S3-compatible server for CI and local runs: a real single-node Ceph cluster with a RADOS Gateway,
# on 127.0.0.1 only (no mocks). Source this file, then:
#
#   s3_start    creates a Ceph cluster in a fresh temp dir (own ceph.conf, fsid and cephx keyrings; nothing in
#               /etc/ceph or /var/lib/ceph, no systemd): one ceph-mon, one ceph-osd (memstore: objects in RAM,
#               capped by S3_MEMSTORE_BYTES), no ceph-mgr (radosgw does not need one), and one radosgw (beast) on
#               a free loopback port; creates the rgw user "wuye" with generated keys and waits until the S3
#               endpoint answers. Exports S3_ENDPOINT_URL (http://127.0.0.1:PORT), S3_ACCESS_KEY, S3_SECRET_KEY,
#               S3_TMP (the cluster directory: ceph.conf, keyring, log/) and S3_MON_PID, S3_OSD_PID, S3_RGW_PID.
#               On failure prints the tail of every daemon log to stderr, cleans up and returns 1.
#   s3_stop     stops every daemon s3_start started (TERM, then KILL after S3_STOP_WAIT seconds) and removes
#               the directory; also safe when nothing started.
#
# Call s3_stop from the caller's EXIT trap, e.g.  trap 's3_stop; redis_stop' EXIT
# Needs: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common   (Ceph 16 on Debian 12)
# Requests to the gateway must be signed (the bucket and objects belong to the user); anonymous GET / answers an
# empty ListAllMyBucketsResult. Timeouts: S3_START_TIMEOUT (seconds for the whole start, default 60;
# it takes ~1.5 s on a 2-core machine), S3_STOP_WAIT (default 5).

S3_START_TIMEOUT=${S3_START_TIMEOUT:-60}
S3_STOP_WAIT=${S3_STOP_WAIT:-5}
S3_MEMSTORE_BYTES=${S3_MEMSTORE_BYTES:-536870912}   # 512 MiB: the OSD's whole "disk", held in RAM
S3_TMP=""
S3_MON_PID=""
S3_OSD_PID=""
S3_RGW_PID=""

_s3_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

_s3_uuid() {
    python3 -c 'import uuid; print(uuid.uuid4())'
}

# true while PID runs (a zombie, dead but not yet reaped, counts as stopped)
_s3_alive() {
    local stat
    [ -n "$1" ] && read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != "Z" ]
}

# true if PID is a daemon of this cluster (its command line names our ceph.conf), not a reused pid
_s3_ours() {
    [ -n "$S3_TMP" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$S3_TMP/ceph.conf"
}

# seconds left before the start deadline (at least 1)
_s3_left() {
    local left=$((_S3_DEADLINE - $(date +%s)))
    [ "$left" -lt 1 ] && left=1
    echo "$left"
}

# waits until the daemon NAME has written its pid file and prints the pid (daemons fork, then write it)
_s3_pid() {
    local f="$S3_TMP/run/$1.pid" i
    for i in $(seq 1 100); do
        [ -s "$f" ] && { cat "$f"; return 0; }
        sleep 0.1
    done
    return 1
}

_s3_fail() {
    local f
    echo "s3_start: $*" >&2
    if [ -n "$S3_TMP" ] && [ -d "$S3_TMP/log" ]; then
        for f in "$S3_TMP"/log/*; do
            [ -s "$f" ] || continue
            echo "---- $(basename "$f") (last 25 lines)" >&2
            tail -n 25 "$f" >&2
        done
    fi
    s3_stop
    return 1
}

s3_start() {
    local b
    for b in ceph-authtool monmaptool ceph-mon ceph-osd radosgw radosgw-admin ceph; do
        if ! command -v "$b" >/dev/null; then
            echo "s3_start: $b not found (apt-get install -y --no-install-recommends" \
                "ceph-mon ceph-osd radosgw ceph-common)" >&2
            return 1
        fi
    done
    if [ -n "$S3_TMP" ]; then
        echo "s3_start: already started in $S3_TMP (s3_stop first)" >&2
        return 1
    fi
    local t0 fsid osd_uuid mon_port rgw_port conf
    t0=$(date +%s.%N)
    _S3_DEADLINE=$(($(date +%s) + S3_START_TIMEOUT))
    S3_TMP=$(mktemp -d /tmp/wuye-s3.XXXXXX)
    mkdir -p "$S3_TMP/mon.a" "$S3_TMP/osd.0" "$S3_TMP/rgw" "$S3_TMP/run" "$S3_TMP/log" "$S3_TMP/crash"
    fsid=$(_s3_uuid)
    osd_uuid=$(_s3_uuid)
    mon_port=$(_s3_free_port)
    rgw_port=$(_s3_free_port)
    while [ "$rgw_port" = "$mon_port" ]; do rgw_port=$(_s3_free_port); done
    conf="$S3_TMP/ceph.conf"
    # msgr v2 only, IPv4 loopback only; everything (data, keyring, sockets, pid files, logs) inside $S3_TMP.
    cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon_port]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind ipv6 = false
keyring = $S3_TMP/keyring
run dir = $S3_TMP/run
admin socket = $S3_TMP/run/\$name.asok
pid file = $S3_TMP/run/\$name.pid
log file = $S3_TMP/log/\$name.log
crash dir = $S3_TMP/crash
auth allow insecure global id reclaim = false
# one OSD: pools of size 1, placement across OSDs (type 0) instead of hosts, few PGs, no autoscaler (no mgr)
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off

[mon]
mon data = $S3_TMP/mon.\$id
mon cluster log file = default=$S3_TMP/log/cluster.\$channel.log cluster=$S3_TMP/log/cluster.log
# the mon batches map changes for 1 s by default; radosgw's start is a chain of ~10 osdmap changes (OSD boot,
# then create + "application enable" for each of its pools), so batching would cost ~1 s per step
paxos propose interval = 0.01
# /tmp may be fuller than Ceph likes: never stop the mon for that
mon data avail warn = 1
mon data avail crit = 0

[osd]
osd data = $S3_TMP/osd.\$id
osd objectstore = memstore
memstore device bytes = $S3_MEMSTORE_BYTES

[client.rgw]
rgw data = $S3_TMP/rgw
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw thread pool size = 32
# bucket lifecycle rules can still be set and read; only their execution (a nightly run, 00:00-06:00 UTC) is off:
# its workers sleep 5 s between attempts and so held up radosgw's shutdown by ~5 s
rgw enable lc threads = false
EOF
    # cephx: one keyring with every key; ceph-mon --mkfs imports it into the cluster's auth database.
    ceph-authtool --create-keyring "$S3_TMP/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null &&
        ceph-authtool "$S3_TMP/keyring" --gen-key -n client.admin \
            --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null &&
        ceph-authtool "$S3_TMP/keyring" --gen-key -n osd.0 \
            --cap mon 'allow profile osd' --cap osd 'allow *' --cap mgr 'allow profile osd' >/dev/null &&
        ceph-authtool "$S3_TMP/keyring" --gen-key -n client.rgw \
            --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw' >/dev/null &&
        monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$S3_TMP/monmap" >/dev/null ||
        { _s3_fail "could not create keyring/monmap"; return 1; }

    # monitor (the daemons fork; the parent returns once the child is initialised)
    ceph-mon -c "$conf" --mkfs -i a --monmap "$S3_TMP/monmap" --keyring "$S3_TMP/keyring" \
        >"$S3_TMP/log/mkfs-mon.out" 2>&1 || { _s3_fail "ceph-mon --mkfs failed"; return 1; }
    ceph-mon -c "$conf" -i a >"$S3_TMP/log/mon.a.out" 2>&1 || { _s3_fail "ceph-mon did not start"; return 1; }
    S3_MON_PID=$(_s3_pid mon.a) || { _s3_fail "ceph-mon wrote no pid file"; return 1; }

    # OSD 0: registered with the mon, then a memstore object store made and started
    timeout "$(_s3_left)" ceph -c "$conf" --connect-timeout "$(_s3_left)" osd new "$osd_uuid" 0 \
        >"$S3_TMP/log/osd-new.out" 2>&1 || { _s3_fail "ceph osd new failed (mon on 127.0.0.1:$mon_port)"; return 1; }
    ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >"$S3_TMP/log/mkfs-osd.out" 2>&1 ||
        { _s3_fail "ceph-osd --mkfs failed"; return 1; }
    ceph-osd -c "$conf" -i 0 >"$S3_TMP/log/osd.0.out" 2>&1 || { _s3_fail "ceph-osd did not start"; return 1; }
    S3_OSD_PID=$(_s3_pid osd.0) || { _s3_fail "ceph-osd wrote no pid file"; return 1; }

    # gateway: creates its pools (.rgw.root, default.rgw.*) once the OSD is up, then listens
    radosgw -c "$conf" -n client.rgw >"$S3_TMP/log/rgw.out" 2>&1 || { _s3_fail "radosgw did not start"; return 1; }
    S3_RGW_PID=$(_s3_pid client.rgw) || { _s3_fail "radosgw wrote no pid file"; return 1; }
    if ! python3 - "http://127.0.0.1:$rgw_port/" "$(_s3_left)" "$S3_MON_PID" "$S3_OSD_PID" "$S3_RGW_PID" <<'PY'
import os, sys, time, urllib.error, urllib.request
url, left, pids = sys.argv[1], float(sys.argv[2]), [int(p) for p in sys.argv[3:]]
deadline = time.monotonic() + left
def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
while time.monotonic() < deadline:
    dead = [p for p in pids if not alive(p)]
    if dead:
        sys.exit(f"s3_start: daemon pid(s) {dead} exited")
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            body = r.read()
    except urllib.error.HTTPError as e:
        body = e.read()
    except OSError:
        time.sleep(0.1)
        continue
    if b"<?xml" in body and b"ListAllMyBucketsResult" in body:
        sys.exit(0)
    sys.exit(f"s3_start: unexpected answer from {url}: {body[:200]!r}")
sys.exit(f"s3_start: no answer from {url} in {left:.0f} s")
PY
    then
        _s3_fail "radosgw did not answer on 127.0.0.1:$rgw_port"
        return 1
    fi

    # the S3 user: keys generated here, never reused
    local keys
    keys=$(python3 -c 'import secrets, string
a = string.ascii_uppercase + string.digits
print("".join(secrets.choice(a) for _ in range(20)), secrets.token_urlsafe(30)[:40])')
    S3_ACCESS_KEY=${keys% *}
    S3_SECRET_KEY=${keys#* }
    timeout "$(_s3_left)" radosgw-admin -c "$conf" user create --uid wuye --display-name wuye \
        --access-key "$S3_ACCESS_KEY" --secret-key "$S3_SECRET_KEY" >"$S3_TMP/log/user-create.out" 2>&1 ||
        { _s3_fail "radosgw-admin user create failed"; return 1; }

    export S3_ENDPOINT_URL="http://127.0.0.1:$rgw_port" S3_ACCESS_KEY S3_SECRET_KEY S3_TMP
    export S3_MON_PID S3_OSD_PID S3_RGW_PID
    echo "S3 (Ceph radosgw) on $S3_ENDPOINT_URL ($(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" \
        "$t0" "$(date +%s.%N)")s)"
}

s3_stop() {
    local pid name i pids=()
    # pids from the pid files too, in case s3_start failed before it recorded them
    for name in client.rgw osd.0 mon.a; do
        if [ -n "$S3_TMP" ] && [ -s "$S3_TMP/run/$name.pid" ]; then pids+=("$(cat "$S3_TMP/run/$name.pid")"); fi
    done
    for pid in "$S3_RGW_PID" "$S3_OSD_PID" "$S3_MON_PID"; do
        [ -n "$pid" ] && [[ " ${pids[*]} " != *" $pid "* ]] && pids+=("$pid")
    done
    # one at a time, the gateway first, then the OSD, then the mon (a daemon whose peers are gone hangs in its
    # shutdown), all within one S3_STOP_WAIT budget; when it is spent, KILL whatever is left
    local deadline=$(($(date +%s%N) / 1000000 + S3_STOP_WAIT * 1000)) left=()
    for pid in "${pids[@]}"; do
        _s3_alive "$pid" && _s3_ours "$pid" || continue
        kill -TERM "$pid" 2>/dev/null || true
        while _s3_alive "$pid" && [ $(($(date +%s%N) / 1000000)) -lt "$deadline" ]; do sleep 0.05; done
    done
    for pid in "${pids[@]}"; do _s3_alive "$pid" && _s3_ours "$pid" && left+=("$pid"); done
    if [ ${#left[@]} -gt 0 ]; then
        echo "s3_stop: pid(s) ${left[*]} did not stop in ${S3_STOP_WAIT} s: SIGKILL" >&2
        kill -KILL "${left[@]}" 2>/dev/null || true
        for i in $(seq 1 50); do
            left=()
            for pid in "${pids[@]}"; do _s3_alive "$pid" && left+=("$pid"); done
            [ ${#left[@]} -eq 0 ] && break
            sleep 0.1
        done
    fi
    [ -n "$S3_TMP" ] && rm -rf "$S3_TMP"
    S3_TMP="" S3_MON_PID="" S3_OSD_PID="" S3_RGW_PID=""
    unset S3_ENDPOINT_URL S3_ACCESS_KEY S3_SECRET_KEY
    return 0
}
