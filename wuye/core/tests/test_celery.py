"""Celery and Redis for real (config/celery.py, every app's ``tasks.py``, ``CELERY_*`` in config/settings/base.py).

A session fixture starts a throwaway ``redis-server`` on a free 127.0.0.1 port (no persistence); the tests start
real ``celery -A config worker`` and ``celery -A config beat`` processes on the test database (a file on SQLite,
config/settings/test.py; the test's PostgreSQL database otherwise) and prove that

- a request queues a task and the worker runs it: the administrator's "Back up now" (``core:backup_run``) puts one
  message in Redis, nothing runs in the web process, and once a worker starts a backup appears in the log;
- beat queues the periodic jobs: with the ticket escalation due every second, an overdue ticket gets marked;
- a task whose worker is killed with ``kill -9`` mid-task is not lost (acks late): another worker runs it again;
- without a broker (development, ``make run``) tasks run in the calling process;
- every periodic job of a systemd timer (docs/deploy/*.timer) has its task in ``CELERY_BEAT_SCHEDULE`` at the
  timer's time.

``redis-server`` missing fails these tests (CI installs it); ``WUYE_SKIP_CELERY=1`` skips the ones that need it.
Every process started here is stopped by a finalizer, whatever happens.
"""

from __future__ import annotations

import configparser
import importlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import pytest
from celery import shared_task

BASE_DIR = Path(__file__).resolve().parents[3]
REDIS_SERVER = os.environ.get("WUYE_REDIS_SERVER") or shutil.which("redis-server") or "/usr/bin/redis-server"
SKIP_LIVE = os.environ.get("WUYE_SKIP_CELERY") == "1"
live = pytest.mark.skipif(SKIP_LIVE, reason="WUYE_SKIP_CELERY=1: the tests that need redis-server are skipped")
QUEUE = "wuye"

# The management command each systemd timer runs -> the Celery task that does the same job under beat.
COMMAND_TASK = {
    "escalate_tickets": "wuye.tickets.tasks.escalate_tickets",
    "backup": "wuye.core.tasks.backup_run",
    "contracts_refresh": "wuye.contracts.tasks.contracts_refresh",
    "remind_loans": "wuye.documents.tasks.documents_remind",
    "review_regulations": "wuye.documents.tasks.documents_remind",
    "quality_remind": "wuye.quality.tasks.quality_remind",
    "surveys_remind": "wuye.surveys.tasks.surveys_remind",
    "training_remind": "wuye.training.tasks.training_remind",
    "incidents_remind": "wuye.incidents.tasks.incidents_remind",
}


@shared_task(name="wuye.tests.celery.slow_once")
def slow_once(path: str, seconds: float = 60.0) -> None:
    """Test-only task (the worker loads it with ``-I``): notes each start in ``path``; the first run then sleeps
    ``seconds`` (long enough to be killed in), a run delivered again finishes at once."""
    marker = Path(path)
    first = not marker.exists()
    with marker.open("a") as f:
        f.write(f"start {os.getpid()}\n")
    if first:
        time.sleep(seconds)
    with marker.open("a") as f:
        f.write("done\n")


# --- processes ---------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """SIGTERM to the process group (the process and its children), then SIGKILL after ``grace`` seconds."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A throwaway redis-server on 127.0.0.1 for the whole session: its URL."""
    if SKIP_LIVE:
        pytest.skip("WUYE_SKIP_CELERY=1")
    if not (os.path.isfile(REDIS_SERVER) and os.access(REDIS_SERVER, os.X_OK)):
        pytest.fail(f"redis-server not found ({REDIS_SERVER}): install it (apt-get install redis-server), "
                    "or set WUYE_SKIP_CELERY=1 to skip the Celery tests")
    import redis

    workdir = tmp_path_factory.mktemp("redis")
    port = _free_port()
    log = workdir / "redis.log"
    proc = subprocess.Popen([REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                             "--appendonly", "no", "--dir", str(workdir), "--logfile", str(log)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not start on 127.0.0.1:{port}:\n{_tail(log)}")
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        _stop(proc)


@pytest.fixture
def redis_client(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()  # each test starts with empty queues
    yield client
    client.close()


@pytest.fixture
def live_broker(redis_client, redis_url):
    """This (the test) process sends tasks to the real Redis instead of running them eagerly."""
    from config.celery import app

    keys = ("broker_url", "task_always_eager", "result_backend")
    saved = {key: app.conf[key] for key in keys}

    def reset_pools():  # kombu keeps its connection and producer pools per process: start afresh
        kombu.pools.reset()
        app._pool = None
        amqp = app.__dict__.get("amqp")
        if amqp is not None:
            amqp._producer_pool = None

    reset_pools()
    app.conf.update(broker_url=redis_url, task_always_eager=False, result_backend=None)
    yield app
    reset_pools()
    app.conf.update(saved)


def _database_url() -> str:
    """The URL of the test database this test process uses, for the worker and beat processes."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(s["NAME"])
        assert "memory" not in name and name != ":memory:", \
            "the SQLite test database must be a file (config/settings/test.py) for the worker to see it"
        return f"sqlite:///{name}"
    user = quote(s.get("USER") or "")
    password = f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


class Processes:
    """Celery processes started by one test (each in its own process group), all stopped at the end."""

    def __init__(self, redis_url: str, workdir: Path):
        self.redis_url = redis_url
        self.workdir = workdir
        self.started: list[tuple[subprocess.Popen, Path]] = []
        self.backup_dir = workdir / "backups"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DJANGO_", "DATABASE_URL", "PYTEST_", "WUYE_CELERY"))}
        env.update(DJANGO_SETTINGS_MODULE="config.settings.test", DJANGO_ENV_FILE=os.devnull,
                   DATABASE_URL=_database_url(), DJANGO_REDIS_URL=self.redis_url, WUYE_CELERY_LIVE="1",
                   DJANGO_BACKUP_DIR=str(self.backup_dir), DJANGO_LOG_LEVEL="INFO", PYTHONUNBUFFERED="1",
                   PYTHONDONTWRITEBYTECODE="1")
        env.update(extra)
        return env

    def _start(self, label: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = self.workdir / f"{label}-{len(self.started)}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "config", *args], cwd=BASE_DIR, env=env,
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append((proc, log))
        return proc

    def worker(self, *, include: str | None = None, visibility_timeout: int | None = None) -> subprocess.Popen:
        args = ["worker", "--pool=solo", "-Q", QUEUE, "--loglevel=INFO", "-n", f"test-{uuid.uuid4().hex[:8]}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat"]
        if include:
            args += ["-I", include]
        extra = {"DJANGO_CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout)} if visibility_timeout else {}
        return self._start("worker", args, self.env(**extra))

    def beat(self, *, every_second: list[str]) -> subprocess.Popen:
        args = ["beat", "--loglevel=INFO", "-s", str(self.workdir / "beat-schedule"),
                "--pidfile", str(self.workdir / f"beat-{uuid.uuid4().hex[:8]}.pid")]
        return self._start("beat", args, self.env(WUYE_CELERY_BEAT_EVERY_SECOND=",".join(every_second)))

    def logs(self) -> str:
        return "\n".join(f"--- {log.name} (exit {proc.poll()})\n{_tail(log)}" for proc, log in self.started)

    def stop_all(self) -> None:
        for proc, _log in self.started:
            _stop(proc)


@pytest.fixture
def celery_processes(redis_url, tmp_path):
    processes = Processes(redis_url, tmp_path)
    yield processes
    processes.stop_all()


def wait_for(check, *, timeout: float, processes: Processes, what: str):
    """Poll ``check()`` until it returns something truthy; fail with the processes' logs after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout:.0f} s\n{processes.logs()}")
        time.sleep(0.2)


# --- the real thing ------------------------------------------------------------------------------------------------


@live
@pytest.mark.django_db(transaction=True)
def test_back_up_now_is_queued_by_the_request_and_run_by_the_worker(world, client_for, live_broker, redis_client,
                                                                      celery_processes):
    from django.urls import reverse

    from wuye.core.choices import BackupKind
    from wuye.core.models import AuditEvent, BackupRun

    response = client_for("admin").post(reverse("core:backup_run"))
    assert response.status_code == 302 and response["Location"] == reverse("core:backuprun_list")
    # queued, not run: one message waits in Redis, and no backup has happened in the web process
    assert redis_client.llen(QUEUE) == 1
    assert not BackupRun.objects.exists()
    assert AuditEvent.objects.filter(event_type="backup.queue", actor=world.users["admin"]).count() == 1

    celery_processes.worker()
    run = wait_for(lambda: BackupRun.objects.filter(kind=BackupKind.BACKUP).first(), timeout=90,
                   processes=celery_processes, what="the worker's backup in the backup log")
    assert run.ok, run.message
    archive = celery_processes.backup_dir / run.file_name
    assert archive.is_file() and archive.stat().st_size == run.size_bytes  # written by the worker, in its folder
    assert run.counts  # the manifest's figures
    wait_for(lambda: redis_client.llen(QUEUE) == 0 and not redis_client.hlen("unacked"), timeout=10,
             processes=celery_processes, what="the message acknowledged")


@live
@pytest.mark.django_db(transaction=True)
def test_beat_queues_the_periodic_job_and_the_worker_runs_it(world, redis_client, celery_processes):
    import datetime as dt

    from django.utils import timezone

    from wuye.tickets.choices import Priority
    from wuye.tickets.models import Ticket
    from wuye.tickets.tests.factories import make_ticket

    ticket = make_ticket(world, priority=Priority.URGENT)
    Ticket.objects.filter(pk=ticket.pk).update(response_due=timezone.now() - dt.timedelta(minutes=1))
    assert not Ticket.objects.get(pk=ticket.pk).is_overdue

    celery_processes.worker()
    celery_processes.beat(every_second=["wuye.tickets.tasks.escalate_tickets"])
    ticket = wait_for(lambda: Ticket.objects.filter(pk=ticket.pk, is_overdue=True).first(), timeout=90,
                      processes=celery_processes, what="the overdue ticket marked by the escalation under beat")
    assert ticket.overdue_limits == ["response"]
    # beat goes on queueing it every second; the job is idempotent, so the ticket is marked once
    time.sleep(2.5)
    ticket.refresh_from_db()
    assert ticket.overdue_limits == ["response"]
    assert ticket.events.filter(step="escalate").count() == 1


@live
def test_a_task_whose_worker_is_killed_mid_task_runs_again(live_broker, redis_client, celery_processes, tmp_path):
    marker = tmp_path / "slow.log"
    visibility = 3  # seconds before Redis gives an unacknowledged task to another worker
    first = celery_processes.worker(include=__name__, visibility_timeout=visibility)
    slow_once.delay(str(marker), 120)
    wait_for(lambda: marker.exists() and "start" in marker.read_text(), timeout=90, processes=celery_processes,
             what="the slow task started on the first worker")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert "done" not in marker.read_text()
    assert redis_client.hlen("unacked") == 1  # acks late: the message is still Redis's, not lost with the worker

    time.sleep(visibility + 1)
    celery_processes.worker(include=__name__, visibility_timeout=visibility)
    wait_for(lambda: "done" in marker.read_text(), timeout=90, processes=celery_processes,
             what="the killed task delivered again and run by the second worker")
    starts = [line for line in marker.read_text().splitlines() if line.startswith("start")]
    assert len(starts) == 2 and starts[0] != starts[1]  # two attempts, in two processes
    wait_for(lambda: not redis_client.hlen("unacked") and not redis_client.llen(QUEUE), timeout=10,
             processes=celery_processes, what="the message acknowledged after the second run")


# --- without a broker, and the schedule ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # committed for real: the backup (pg_dump) sees the rows
def test_without_a_broker_tasks_run_in_the_calling_process(world, client_for, settings, tmp_path):
    """The embedded default (no DJANGO_REDIS_URL): "Back up now" backs up in the request, once it has committed."""
    from django.urls import reverse

    from config.celery import app
    from wuye.core.models import BackupRun

    assert app.conf.task_always_eager and app.conf.broker_url == "memory://"
    settings.WUYE_BACKUP_DIR = str(tmp_path / "backups")
    response = client_for("admin").post(reverse("core:backup_run"))
    assert response.status_code == 302
    run = BackupRun.objects.get()
    assert run.ok, run.message
    assert (tmp_path / "backups" / run.file_name).is_file()


def test_the_periodic_tasks_do_the_commands_work(world):
    """The beat tasks call the same services as the commands (run eagerly here)."""
    import datetime as dt

    from django.utils import timezone

    from wuye.tickets.choices import Priority
    from wuye.tickets.models import Ticket
    from wuye.tickets.tasks import escalate_tickets
    from wuye.tickets.tests.factories import make_ticket

    ticket = make_ticket(world, priority=Priority.URGENT)
    Ticket.objects.filter(pk=ticket.pk).update(response_due=timezone.now() - dt.timedelta(minutes=1))
    assert escalate_tickets.delay().get() == 1
    assert Ticket.objects.get(pk=ticket.pk).overdue_limits == ["response"]
    assert escalate_tickets.delay().get() == 0  # idempotent
    for name in sorted(set(COMMAND_TASK.values()) - {"wuye.core.tasks.backup_run"}):
        _task(name).delay().get()  # each runs on an ordinary database without error


def _task(name: str):
    module, attr = name.rsplit(".", 1)
    task = getattr(importlib.import_module(module), attr)
    assert task.name == name
    return task


def _timers() -> list[tuple[str, configparser.ConfigParser, list[str]]]:
    """Each docs/deploy/*.timer with the management commands its service runs."""
    found = []
    for timer in sorted((BASE_DIR / "docs" / "deploy").glob("*.timer")):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str
        parser.read(timer)
        service = timer.with_suffix(".service").read_text()
        commands = [line.split("manage.py", 1)[1].split()[0] for line in service.splitlines()
                    if line.startswith("ExecStart=") and "manage.py" in line]
        found.append((timer.stem, parser, commands))
    return found


def test_every_timer_job_has_its_task_in_the_beat_schedule_at_the_same_time(settings):
    from celery.schedules import crontab

    timers = _timers()
    assert len(timers) >= 8
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE
    for stem, parser, commands in timers:
        assert commands, f"{stem}.service runs no manage.py command"
        for command in commands:
            assert command in COMMAND_TASK, f"{stem}: `manage.py {command}` has no Celery task (add one and its "
            "beat entry in CELERY_BEAT_SCHEDULE)"
            task = COMMAND_TASK[command]
            _task(task)
            assert task in schedule, f"{task} is not in CELERY_BEAT_SCHEDULE"
            entry = schedule[task]
            assert isinstance(entry, crontab)
            timer = parser["Timer"]
            if "OnCalendar" in timer:
                hour, minute, _second = timer["OnCalendar"].split()[-1].split(":")
                assert (entry.hour, entry.minute) == ({int(hour)}, {int(minute)}), (stem, task)
            else:  # every N minutes
                every = int(timer["OnUnitActiveSec"].removesuffix("min"))
                assert entry.minute == set(range(0, 60, every)) and len(entry.hour) == 24, (stem, task)


def test_reliability_settings():
    """Acks late and requeue on a lost worker: a worker killed mid-task does not lose it."""
    from config.celery import app

    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.timezone == "Asia/Shanghai"
