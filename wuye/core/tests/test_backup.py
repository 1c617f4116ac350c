"""Backups (``wuye/core/backup.py``, ``manage.py backup`` and ``restore``).

A backup restored into an empty installation gives the same row count in every table and the same files (by
sha256) as the original. The test suite runs inside pytest-django's test database, so the round trip runs in
subprocesses against temporary installations of the test run's database vendor: SQLite files under a temporary
directory, or two temporary databases on the test run's PostgreSQL server (dropped at the end). The second
installation is the first one copied right after ``migrate`` (an empty installation), so ``migrate`` runs once.

Bad input: a restore into a non-empty installation is refused in Chinese and changes nothing; a truncated or
tampered archive fails ``--verify`` and ``restore``. Plus retention and the backup log page.

With ``DJANGO_STORAGE=s3`` (.ci/run, against Ceph's RADOS Gateway) the installations keep their files in the
bucket, each under a folder of its own, and the files are read back from the bucket directly.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from wuye.core.backup import NAME_RE, BackupError, prune, verify_backup
from wuye.core.choices import BackupKind
from wuye.core.models import BackupRun
from wuye.core.testing import s3

MANAGE = str(settings.BASE_DIR / "manage.py")
VENDOR = connection.vendor

# Rows through the factories (the conftest world: users of every role, estates, customers…) and stored files,
# with Chinese names and nested folders; MD5 passwords keep it quick.
SEED = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test.utils import override_settings

from conftest import build_world

with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
    build_world()
default_storage.save("tickets/2026/11/漏水照片.jpg", ContentFile(b"\\xff\\xd8" + bytes(range(256)) * 400))
default_storage.save("imports/客户.xlsx", ContentFile(b"PK" + b"x" * 5000))
default_storage.save("a/b/c.txt", ContentFile("你好".encode()))
"""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Installation:
    root: Path
    database_url: str
    vendor: str
    pg: dict | None = None   # connection keywords of a PostgreSQL database
    s3_prefix: str = field(default_factory=lambda: f"tests/backup-{uuid.uuid4().hex}")  # DJANGO_STORAGE=s3

    @property
    def media(self) -> Path:
        return self.root / "media"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "PYTEST_"))}
        env.update(DJANGO_SETTINGS_MODULE="config.settings.local", DJANGO_ENV_FILE=os.devnull, DJANGO_DEBUG="False",
                   DATABASE_URL=self.database_url, DJANGO_MEDIA_ROOT=str(self.media),
                   DJANGO_BACKUP_DIR=str(self.backups), DJANGO_LOG_LEVEL="WARNING")
        if s3.S3_TESTS:
            env.update({k: v for k, v in os.environ.items() if k.startswith("DJANGO_S3_")},
                       DJANGO_STORAGE="s3", DJANGO_S3_PREFIX=self.s3_prefix)
        return env

    def store(self, name: str, data: bytes) -> None:
        """Put a file among the installation's stored files, by hand (not through the code under test)."""
        if s3.S3_TESTS:
            s3.put(self.s3_prefix, name, data)
            return
        (self.media / name).parent.mkdir(parents=True, exist_ok=True)
        (self.media / name).write_bytes(data)

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, MANAGE, *args], env=self.env(), cwd=settings.BASE_DIR,
                                capture_output=True, text=True, timeout=300)
        if check:
            assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result

    def counts(self) -> dict[str, int]:
        """Row count of every table, read directly (not through the code under test)."""
        if self.vendor == "sqlite":
            path = self.database_url.removeprefix("sqlite:///")
            if not Path(path).exists():
                return {}
            with closing(sqlite3.connect(path)) as db:
                tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                   "AND name NOT LIKE 'sqlite_%'")]
                return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        import psycopg

        with psycopg.connect(**self.pg) as db:
            tables = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
            return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}

    def files(self) -> dict[str, str]:
        if s3.S3_TESTS:
            return {name: _sha256(data) for name, data in sorted(s3.objects(self.s3_prefix).items())}
        if not self.media.exists():
            return {}
        return {p.relative_to(self.media).as_posix(): _sha256(p.read_bytes())
                for p in sorted(self.media.rglob("*")) if p.is_file()}


class Server:
    """Temporary databases on the test run's PostgreSQL server."""

    def __init__(self):
        s = connection.settings_dict
        self.params = {k: v for k, v in {"host": s["HOST"], "port": s["PORT"], "user": s["USER"],
                                         "password": s["PASSWORD"]}.items() if v}
        self.created: list[str] = []

    def _admin(self, sql: str):
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as db:
            db.execute(sql)

    def create(self, name: str, template: str | None = None):
        self._admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.created.append(name)

    def installation(self, root: Path, name: str) -> Installation:
        user = quote(self.params.get("user", ""))
        password = f":{quote(self.params['password'])}" if self.params.get("password") else ""
        url = (f"postgres://{user}{password}@{self.params.get('host', '')}:{self.params.get('port', 5432)}/{name}")
        return Installation(root, url, "postgresql", pg={"dbname": name, **self.params})

    def drop_all(self):
        for name in self.created:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Pair:
    source: Installation
    target: Installation
    archive: Path
    counts: dict[str, int]      # the source's rows when the backup was made
    files: dict[str, str]       # the source's files then
    output: str                 # what `manage.py backup` printed
    new_installation: object    # () -> an Installation with nothing in it (no tables, no files)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    root = tmp_path_factory.mktemp("backup")
    server = Server() if VENDOR == "postgresql" else None
    prefix = f"bk_{uuid.uuid4().hex[:8]}"

    def new_installation(name: str, template: Installation | None = None) -> Installation:
        if server is None:
            inst = Installation(root / name, f"sqlite:///{root / name / 'db.sqlite3'}", "sqlite")
            inst.root.mkdir()
            if template is not None:  # an exact copy of the template's database file
                src = template.database_url.removeprefix("sqlite:///")
                with closing(sqlite3.connect(src)) as a, closing(sqlite3.connect(inst.root / "db.sqlite3")) as b:
                    a.backup(b)
            return inst
        server.create(f"{prefix}_{name}", template=f"{prefix}_source" if template is not None else None)
        inst = server.installation(root / name, f"{prefix}_{name}")
        inst.root.mkdir()
        return inst

    try:
        if server is None:
            source = new_installation("source")
        else:
            server.create(f"{prefix}_source")
            source = server.installation(root / "source", f"{prefix}_source")
            source.root.mkdir()
        source.manage("migrate", "--noinput", "-v", "0")
        target = new_installation("target", template=source)  # migrated, nothing else: an empty installation
        source.manage("shell", "-c", SEED)
        source.backups.mkdir(mode=0o700)
        (source.backups / "wuye-backup-20000101-000000.tar.gz").write_bytes(b"an old archive")
        (source.backups / "notes.txt").write_text("not an archive")
        counts, files = source.counts(), source.files()
        output = source.manage("backup", "--keep", "1").stdout
        archives = sorted(p for p in source.backups.iterdir() if NAME_RE.match(p.name))
        assert len(archives) == 1, archives
        counter = iter(range(1000))
        yield Pair(source, target, archives[0], counts, files, output,
                   lambda: new_installation(f"new{next(counter)}"))
    finally:
        if server is not None:
            server.drop_all()


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def _rewrite(archive: Path, dest: Path, change) -> Path:
    """A copy of the archive with ``change(name, data) -> data`` applied to each member (None drops it)."""
    with tarfile.open(dest, "w:gz", format=tarfile.PAX_FORMAT) as out:
        for name, data in _members(archive).items():
            data = change(name, data)
            if data is not None:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                out.addfile(info, io.BytesIO(data))
    return dest


# --- the round trip ------------------------------------------------------------------------------------------


def test_backup_writes_one_archive_whose_manifest_describes_the_installation(pair):
    assert pair.counts["auth_user"] > 0 and len(pair.files) == 3
    members = _members(pair.archive)
    manifest = json.loads(members["manifest.json"])
    assert manifest["database"]["vendor"] == VENDOR
    dump = members[manifest["database"]["member"]]
    assert (len(dump), _sha256(dump)) == (manifest["database"]["size"], manifest["database"]["sha256"])
    assert manifest["tables"] == pair.counts
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == pair.files
    assert {name for name in members if name.startswith("media/")} == {f"media/{p}" for p in pair.files}
    assert manifest["migrations"]["core"] and manifest["migrations"]["tickets"]
    assert oct(pair.archive.stat().st_mode & 0o777) == "0o600"  # personal data: owner only
    # retention (--keep 1): the older archive of the tool is gone, other files stay
    assert sorted(p.name for p in pair.source.backups.iterdir()) == sorted([pair.archive.name, "notes.txt"])
    assert pair.archive.name in pair.output and "wuye-backup-20000101-000000.tar.gz" in pair.output
    # the run is in the source's backup log
    assert pair.source.counts()["core_backuprun"] == pair.counts["core_backuprun"] + 1


def test_restore_gives_the_same_rows_and_files(pair):
    result = pair.target.manage("restore", str(pair.archive))
    after = pair.target.counts()
    # the same rows in every table; the restore's own run is added to the restored backup log
    assert after == {**pair.counts, "core_backuprun": pair.counts["core_backuprun"] + 1}
    assert pair.target.files() == pair.files
    assert f"{sum(pair.counts.values()):,}" in result.stdout, result.stdout
    verified = pair.target.manage("backup", "--verify", str(pair.archive))
    assert pair.archive.name in verified.stdout


def test_restore_into_a_non_empty_installation_is_refused_and_changes_nothing(pair):
    counts, files = pair.source.counts(), pair.source.files()
    result = pair.source.manage("restore", str(pair.archive), check=False)
    assert result.returncode != 0
    assert "拒绝恢复" in result.stderr and "未做任何更改" in result.stderr, result.stderr  # in the user's language
    assert pair.source.counts() == counts and pair.source.files() == files

    # a stored file alone makes an installation non-empty too
    other = pair.new_installation()
    other.store("x/a.txt", b"a")
    result = other.manage("restore", str(pair.archive), check=False)
    assert result.returncode != 0 and "拒绝恢复" in result.stderr, result.stderr
    assert other.counts() == {} and other.files() == {"x/a.txt": _sha256(b"a")}


def _newer_version(name, data):
    """The manifest of an archive made by a newer version: a migration this code does not know, checksum redone."""
    if name != "manifest.json":
        return data
    from wuye.core.backup import _manifest_checksum

    manifest = json.loads(data)
    manifest["migrations"]["core"] = "9999_from_the_future"
    manifest["checksum"] = _manifest_checksum(manifest)
    return json.dumps(manifest).encode()


# Damage found at the start of the archive, in its middle, and only at its end (the manifest): the restore reads
# the archive once, loading the database and staging the files as it goes, and must still change nothing.
REFUSED = {
    "truncated half way": (lambda archive, dest: _write(dest, archive.read_bytes()[: archive.stat().st_size // 2]),
                           "已损坏或不完整"),
    "byte flipped in a stored file": (lambda archive, dest: _rewrite(
        archive, dest, lambda name, data: _flip_byte(data, 10) if name.endswith(".jpg") else data), "已损坏或不完整"),
    "manifest edited": (lambda archive, dest: _rewrite(archive, dest, _edit_manifest), "已损坏或不完整"),
    "from a newer version": (lambda archive, dest: _rewrite(archive, dest, _newer_version), "9999_from_the_future"),
}


@pytest.mark.parametrize("how", list(REFUSED))
def test_a_damaged_or_newer_archive_is_refused_by_restore_and_changes_nothing(pair, tmp_path, how):
    make, expected = REFUSED[how]
    bad = make(pair.archive, tmp_path / "wuye-backup-20260101-000000.tar.gz")
    new = pair.new_installation()
    if how == "truncated half way":
        result = new.manage("backup", "--verify", str(bad), check=False)
        assert result.returncode != 0 and expected in result.stderr, result.stderr
    result = new.manage("restore", str(bad), check=False)
    assert result.returncode != 0, result.stdout
    assert expected in result.stderr and "Traceback" not in result.stderr, result.stderr
    # nothing: no table (PostgreSQL rolled the loaded dump back), no file, no staging folder left behind
    assert new.counts() == {} and new.files() == {}
    assert not new.media.exists() or list(new.media.iterdir()) == []
    assert not new.backups.exists() or list(new.backups.iterdir()) == []
    # the same archive, intact, restores into that installation afterwards
    if how == "manifest edited":
        new.manage("restore", str(pair.archive))
        assert new.files() == pair.files and new.counts()["auth_user"] == pair.counts["auth_user"]


# --- verification, in this process ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_accepts_the_archive_and_logs_the_run(pair):
    manifest = verify_backup(pair.archive)
    assert manifest["tables"] == pair.counts
    run = BackupRun.objects.get()
    assert (run.kind, run.ok, run.file_name, run.size_bytes) == (
        BackupKind.VERIFY, True, pair.archive.name, pair.archive.stat().st_size)
    assert run.counts["rows"] == sum(pair.counts.values()) and run.counts["files"] == 3


def _flip_byte(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


def _edit_manifest(name, data):
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["tables"]["auth_user"] += 1
    return json.dumps(manifest).encode()


def _write(dest: Path, data: bytes) -> Path:
    dest.write_bytes(data)
    return dest


TAMPERING = {
    "truncated": lambda archive, dest: _write(dest, archive.read_bytes()[:-2000]),
    "byte flipped in the compressed file": lambda archive, dest: _write(
        dest, _flip_byte(archive.read_bytes(), archive.stat().st_size // 2)),
    "byte flipped in a stored file": lambda archive, dest: _rewrite(
        archive, dest, lambda name, data: _flip_byte(data, 10) if name.endswith(".jpg") else data),
    "byte flipped in the database dump": lambda archive, dest: _rewrite(
        archive, dest, lambda name, data: _flip_byte(data, len(data) // 2) if name.startswith("database.") else data),
    "a stored file missing": lambda archive, dest: _rewrite(
        archive, dest, lambda name, data: None if name.endswith(".txt") else data),
    "a file added": lambda archive, dest: _add_file(archive, dest),
    "manifest edited": lambda archive, dest: _rewrite(archive, dest, _edit_manifest),
    "manifest missing": lambda archive, dest: _rewrite(
        archive, dest, lambda name, data: None if name == "manifest.json" else data),
    "not a backup": lambda archive, dest: _write(dest, b"hello, not a tar file"),
}


def _add_file(archive: Path, dest: Path) -> Path:
    members = _members(archive)
    manifest = members.pop("manifest.json")
    with tarfile.open(dest, "w:gz") as out:
        for name, data in [*members.items(), ("media/extra.txt", b"extra"), ("manifest.json", manifest)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return dest


@pytest.mark.django_db
@pytest.mark.parametrize("how", list(TAMPERING))
def test_a_tampered_or_truncated_archive_fails_verification(pair, tmp_path, how):
    tampered = TAMPERING[how](pair.archive, tmp_path / "wuye-backup-20260101-000000.tar.gz")
    with pytest.raises(BackupError) as caught:
        verify_backup(tampered)
    assert tampered.name in str(caught.value)
    run = BackupRun.objects.get()
    assert run.kind == BackupKind.VERIFY and not run.ok and run.message == str(caught.value)


@pytest.mark.django_db
def test_a_member_outside_the_archive_root_is_refused(pair, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    members = _members(pair.archive)
    with tarfile.open(evil, "w:gz") as out:
        for name, data in [("media/../../escaped.txt", b"x"), *members.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match="escaped.txt"):
        verify_backup(evil)


@pytest.mark.django_db
def test_the_restores_final_check_finds_a_file_written_wrong_or_lost(settings, tmp_path):
    """The restore hashes each file as it writes it and then lists the store once (sizes): a file whose written
    bytes differ from the manifest, or that is missing or of another size in the store, is reported."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from wuye.core.backup import _check_restored, _live_state

    settings.MEDIA_ROOT = str(tmp_path / "media")
    data = {"a/照片.jpg": b"\xff\xd8" + b"j" * 300, "b.txt": b"hello", "c/d/e.bin": bytes(range(256))}
    for name, content in data.items():
        assert default_storage.save(name, ContentFile(content)) == name
    tables, _migrations = _live_state()
    files = [{"path": name, "size": len(content), "sha256": _sha256(content)} for name, content in data.items()]
    manifest = {"tables": tables, "files": files}
    written = {f["path"]: (f["size"], f["sha256"]) for f in files}
    assert _check_restored(manifest, written) == []

    # the bytes written differ from the manifest's (the archive changed between verification and restore)
    assert _check_restored(manifest, {**written, "b.txt": (5, _sha256(b"HELLO"))}) == ["文件 b.txt 与备份不一致"]
    # never written
    assert _check_restored(manifest, {k: v for k, v in written.items() if k != "c/d/e.bin"}) == [
        "文件 c/d/e.bin 与备份不一致"]
    # written right, then lost or cut short in the store
    default_storage.delete("a/照片.jpg")
    default_storage.delete("b.txt")
    default_storage.save("b.txt", ContentFile(b"hell"))
    assert sorted(_check_restored(manifest, written)) == ["文件 a/照片.jpg 与备份不一致", "文件 b.txt 与备份不一致"]
    # a table whose row count differs
    assert _check_restored({**manifest, "tables": {**tables, "auth_user": tables["auth_user"] + 1}}, written)[0] \
        .startswith("表 auth_user")


def test_staged_files_are_moved_into_place_and_taken_back_when_the_restore_fails(tmp_path):
    """The folder store's publish (renames into MEDIA_ROOT, merging into folders already there) and its undo."""
    from pathlib import PurePosixPath

    from wuye.core.backup import _FolderStore, _Stager

    root = tmp_path / "media"
    (root / "documents" / "2026").mkdir(parents=True)  # an empty folder left by an earlier installation
    store = _FolderStore(root)
    staged = store.staging()
    assert staged.parent == root and staged.name.startswith(".wuye-restore-")
    stager = _Stager(staged)
    files = {"documents/2026/规程.pdf": b"%PDF-1.7 x", "documents/gen/ab/1.txt": b"one", "tickets/a.jpg": b"\xff\xd8"}
    for name, data in files.items():
        assert stager.write(PurePosixPath(name), io.BytesIO(data), 1_700_000_000) == (len(data), _sha256(data))
    published: list[str] = []
    store.publish(staged, published)
    assert {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()} == files
    assert (root / "tickets" / "a.jpg").stat().st_mtime == 1_700_000_000
    assert sorted(Path(p).relative_to(root).as_posix() for p in published) == [
        "documents/2026/规程.pdf", "documents/gen", "tickets"]  # whole folders moved where there were none
    assert [p for p in staged.rglob("*") if not p.is_dir()] == []  # only emptied folders stay (then removed)
    store.unpublish(published)
    assert [p for p in root.rglob("*") if p.is_file()] == [] and (root / "documents" / "2026").is_dir()

    # a file that appeared in MEDIA_ROOT meanwhile is never overwritten
    staged = store.staging()
    _Stager(staged).write(PurePosixPath("x/a.txt"), io.BytesIO(b"new"), 0)
    (root / "x").mkdir()
    (root / "x" / "a.txt").write_bytes(b"there first")
    with pytest.raises(BackupError, match="a.txt"):
        store.publish(staged, [])
    assert (root / "x" / "a.txt").read_bytes() == b"there first"


# --- retention -----------------------------------------------------------------------------------------------


def test_prune_keeps_the_newest_archives_of_the_tool_only(tmp_path):
    names = ["wuye-backup-20261101-023000.tar.gz", "wuye-backup-20261102-023000.tar.gz",
             "wuye-backup-20261102-023000-2.tar.gz", "wuye-backup-20261103-023000.tar.gz",
             "wuye-backup-20261030-023000.tar.gz"]
    foreign = ["wuye-backup-notes.txt", "db.dump", "wuye-backup-20261001-023000.tar.gz.bak", ".partial"]
    for name in names + foreign:
        (tmp_path / name).write_bytes(b"x")
    assert prune(0, tmp_path) == []
    deleted = prune(3, tmp_path)
    assert sorted(p.name for p in deleted) == ["wuye-backup-20261030-023000.tar.gz",
                                                "wuye-backup-20261101-023000.tar.gz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(foreign + [
        "wuye-backup-20261102-023000.tar.gz", "wuye-backup-20261102-023000-2.tar.gz",
        "wuye-backup-20261103-023000.tar.gz"])


# --- the backup log page -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_backup_log_is_shown_to_the_administrator_only(client_for):
    BackupRun.objects.create(kind=BackupKind.BACKUP, file_name="wuye-backup-20261128-023000.tar.gz",
                             size_bytes=5 * 1024 * 1024, ok=True, counts={"tables": 60, "rows": 1234, "files": 5})
    BackupRun.objects.create(kind=BackupKind.RESTORE, file_name="wuye-backup-20261127-023000.tar.gz", ok=False,
                             message="磁盘已满")
    url = reverse("core:backuprun_list")
    response = client_for("admin").get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "wuye-backup-20261128-023000.tar.gz" in page and "磁盘已满" in page and "5.0" in page
    assert "成功" in page and "失败" in page
    assert url in client_for("admin").get(reverse("home")).content.decode()  # in the System menu
    assert client_for("agent").get(url).status_code == 403
    assert client_for("cs_manager").get(url).status_code == 403


def test_pg_tools_are_found_when_postgresql_is_used():
    if VENDOR != "postgresql":
        pytest.skip("the test run uses SQLite")
    from wuye.core.backup import _pg_tool

    assert all(Path(_pg_tool(tool)).exists() for tool in ("pg_dump", "pg_restore", "psql"))


def test_a_tool_that_stops_reading_its_input_fails_with_its_own_message(tmp_path):
    """PostgreSQL's dump is fed to pg_restore's standard input: a pg_restore that fails part way (and so stops
    reading) ends the restore with its message, not a broken pipe, after the dump has been read to its end (the
    restore still checks the rest of the archive, so that a damaged dump is reported as damage)."""
    from wuye.core.backup import Tool

    script = tmp_path / "fails.sh"
    script.write_text("#!/bin/sh\nhead -c 10 >/dev/null\necho 'pg_restore: error: could not read input' >&2\nexit 1\n")
    script.chmod(0o755)
    tool = Tool([str(script)], dict(os.environ), stdin=True)
    source = io.BytesIO(b"x" * (8 * 1024 * 1024))
    with pytest.raises(BackupError, match="could not read input"):
        tool.feed(source)
    assert source.tell() == 8 * 1024 * 1024
    copy = tmp_path / "copy"
    accepted = Tool(["/bin/sh", "-c", f"cat > {copy}"], dict(os.environ), stdin=True)
    data = b"y" * 3_000_000
    accepted.feed(io.BytesIO(data))
    accepted.wait()
    assert copy.read_bytes() == data


@pytest.mark.parametrize("flip", ["in the database dump", "nowhere"])
def test_a_database_tool_failing_is_reported_after_the_archive_is_checked(pair, tmp_path, flip):
    """A flipped byte in the dump makes the database's own restore fail (PostgreSQL: pg_restore or psql); the
    restore reads on, and reports the archive as damaged, changing nothing. With an intact archive the same
    restore succeeds (the control)."""
    archive = pair.archive
    if flip != "nowhere":
        archive = _rewrite(pair.archive, tmp_path / "wuye-backup-20260101-000000.tar.gz",
                           lambda name, data: _flip_byte(data, len(data) // 3) if name.startswith("database.")
                           else data)
    new = pair.new_installation()
    result = new.manage("restore", str(archive), check=False)
    if flip == "nowhere":
        assert result.returncode == 0, result.stderr
        assert new.files() == pair.files
        return
    assert result.returncode != 0
    assert "已损坏或不完整" in result.stderr and "database." in result.stderr, result.stderr
    assert new.counts() == {} and new.files() == {}
