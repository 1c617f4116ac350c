"""Backups: one archive holding a consistent database dump and every stored file, checked by a manifest.

``make_backup(output=None, keep=None)``  writes an archive (and, given ``keep``, prunes old ones) -> BackupResult
``verify_backup(path)``                  reads an archive through and checks it -> its manifest, or BackupError
``restore_backup(path)``                 restores an archive into an empty installation -> RestoreResult
``prune(keep)``                          deletes this tool's oldest archives in the backup directory beyond ``keep``

Every run is written to the backup log (``BackupRun``), failed runs with their error, except a restore refused
before it changed anything (the refusal changes nothing, not even the log; the command still reports it).
Errors are ``BackupError`` with a message in the user's language. See docs/backups.md.

The archive, ``wuye-backup-YYYYmmdd-HHMMSS.tar.gz`` in ``settings.WUYE_BACKUP_DIR`` (tar, PAX format, gzip;
plain tar when ``--output`` names a ``.tar``), holds in this order:

- ``database.sqlite3`` (SQLite: a copy made with the online backup API from Django's connection) or
  ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom`` of an exported snapshot);
- ``media/<path>``: every stored file: under MEDIA_ROOT, or in the bucket with ``DJANGO_STORAGE=s3`` (read and
  written through Django's storage API, under the storage's own prefix);
- ``manifest.json``: format and version, creation time, database vendor, the latest applied migration per app,
  the row count of every table (counted in the dump's own snapshot, so they match it exactly), the dump's size
  and sha256, and for every file its path, size and sha256; and ``checksum``, the sha256 of the manifest
  itself without that key, so an edited manifest is found out. The checksum detects damage and careless edits,
  not a forger (who can recompute it): keep copies where nobody can change them.

A restore refuses unless the installation is empty: no rows in ``auth_user`` (or no such table yet) and no
stored file (under MEDIA_ROOT, or in the bucket). It reads the archive once, doing ``--verify``'s checks as it
goes while the database loads (PostgreSQL: ``pg_restore --clean --if-exists --no-owner`` turning the dump,
streamed from the archive, into SQL that ``psql`` runs in a transaction left open; SQLite: the dump kept in a
temporary file) and the files are written to a staging folder, each hashed as it is written. Only an archive
that passed every check, of this vendor and of no newer version, is then put in place: the files moved into
MEDIA_ROOT (renames; or uploaded to the bucket), then the database committed (SQLite: the backup API writes the
dump into the database file). A refused archive changes nothing. Last, row counts, file checksums and the stored
files' sizes are compared with the manifest.

Memory stays flat: files are streamed through in 1 MB chunks; only the manifest is held.
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO

import django
from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import BackupKind

logger = logging.getLogger(__name__)

FORMAT = "wuye-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
STAGING_PREFIX = ".wuye-restore-"
DB_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
NAME_RE = re.compile(r"^wuye-backup-(\d{8})-(\d{6})(?:-(\d+))?\.tar\.gz$")
CHUNK = 1024 * 1024
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
# gzip level 1: most of a large archive is the search index's tsvector text, which level 6 hardly shrinks more but
# takes twice as long over (200,000 documents on PostgreSQL: 53 s and 782 MB at level 1, 102 s and 604 MB at 6)
COMPRESS_LEVEL = 1


class BackupError(Exception):
    """A backup, verification or restore that cannot go on; the message is in the user's language."""


@dataclass
class BackupResult:
    path: Path
    size: int
    manifest: dict
    seconds: float
    pruned: list[Path] = field(default_factory=list)


@dataclass
class RestoreResult:
    path: Path
    manifest: dict
    tables: int
    rows: int
    files: int
    file_bytes: int
    seconds: float
    pending_migrations: list[str] = field(default_factory=list)


# --- small helpers -----------------------------------------------------------------------------------------


def backup_dir() -> Path:
    return Path(settings.WUYE_BACKUP_DIR)


def _copy_hashing(src, dst=None) -> tuple[int, str]:
    """Read ``src`` to its end (writing to ``dst`` when given); its size and sha256."""
    digest, size = hashlib.sha256(), 0
    while chunk := src.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if dst is not None:
            dst.write(chunk)
    return size, digest.hexdigest()


class _HashingReader:
    """A file wrapper that hashes what tarfile reads from it (one pass: what is archived is what is hashed)."""

    def __init__(self, f):
        self.f, self.digest, self.size = f, hashlib.sha256(), 0

    def read(self, n=-1):
        data = self.f.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _manifest_checksum(manifest: dict) -> str:
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _summary(manifest: dict) -> dict:
    tables = manifest.get("tables", {})
    files = manifest.get("files", [])
    return {"tables": len(tables), "rows": sum(tables.values()), "files": len(files),
            "file_bytes": sum(f["size"] for f in files), "vendor": manifest.get("database", {}).get("vendor", "")}


def _log(kind: str, started, *, path: Path | None, size: int | None = None, ok: bool, message: str = "",
         counts: dict | None = None) -> None:
    """Write one BackupRun; a database that cannot take it (no such table yet, server down) is not an error."""
    from .models import BackupRun

    try:
        BackupRun.objects.create(started_at=started, finished_at=timezone.now(), kind=kind,
                                 file_name=path.name if path else "", size_bytes=size, ok=ok,
                                 message=message[:5000], counts=counts or {})
    except DatabaseError as exc:
        logger.warning("backup log not written (%s): %s", kind, exc)


def _problem_list(problems: list[str], limit: int = 5) -> str:
    shown = "; ".join(problems[:limit])
    if len(problems) > limit:
        shown += "; " + _("and %(count)d more") % {"count": len(problems) - limit}
    return shown


# --- database: dump, state, restore ------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(cursor) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                   "ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def _postgresql_tables(cursor) -> list[str]:
    cursor.execute("SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
                   "'information_schema') AND schemaname NOT LIKE 'pg\\_%' ORDER BY 1, 2")
    return [name if schema == "public" else f"{schema}.{name}" for schema, name in cursor.fetchall()]


def _db_state(cursor, vendor: str) -> tuple[dict[str, int], dict[str, str]]:
    """Row count per table, and the latest applied migration per app, as ``cursor`` sees the database."""
    tables = _sqlite_tables(cursor) if vendor == "sqlite" else _postgresql_tables(cursor)
    counts = {}
    for table in tables:
        cursor.execute("SELECT COUNT(*) FROM "  # nosec B608  # table names from the catalogue, quoted
                       + ".".join(_quote(part) for part in table.split(".", 1)))
        counts[table] = cursor.fetchone()[0]
    migrations: dict[str, str] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            migrations[app] = name
    return counts, migrations


def _dump_sqlite(dest: Path) -> tuple[dict, dict]:
    """Copy the database with SQLite's online backup API (one step: a consistent snapshot), and count the copy."""
    connection.ensure_connection()
    source = connection.connection
    with closing(sqlite3.connect(dest)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
        with closing(copy.cursor()) as cursor:
            return _db_state(cursor, "sqlite")


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(re.search(r"/(\d+)/bin/", p).group(1)))
    if candidates:
        return candidates[-1]
    raise BackupError(_("%(tool)s was not found: install the PostgreSQL client programs (Debian: apt-get install "
                        "postgresql-client), of the server's major version or newer.") % {"tool": name})


def _pg_connection_args() -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment for pg_dump/pg_restore from Django's connection settings (the
    password goes in PGPASSWORD, never on the command line)."""
    s = connection.settings_dict
    args = ["--no-password"]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    options = s.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"),
                             ("sslkey", "PGSSLKEY"), ("passfile", "PGPASSFILE")):
        if options.get(option):
            env[variable] = str(options[option])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    Tool(command, env).wait()


class Tool:
    """A database tool running in the background (its output kept in a temporary file, so a talkative tool never
    blocks on a full pipe); ``wait()`` raises BackupError with the end of its output when it fails, ``stop()``
    ends it (a failed restore must not leave it running)."""

    def __init__(self, command: list[str], env: dict[str, str], *, stdin: bool = False, stdout: int | None = None,
                 pass_fds: tuple[int, ...] = ()):
        self.name = Path(command[0]).name
        self.output = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")  # noqa: SIM115 - closed by wait()/stop()
        try:
            self.process = subprocess.Popen(command, env=env, stdout=self.output if stdout is None else stdout,
                                            stderr=subprocess.STDOUT if stdout is None else self.output,
                                            pass_fds=pass_fds,
                                            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL)
        except OSError as exc:
            self.output.close()
            raise BackupError(_("%(tool)s could not be started: %(error)s") % {
                "tool": command[0], "error": exc}) from exc

    def feed(self, source) -> None:
        """Copy ``source`` to the tool's standard input and close it. A tool that stopped reading (it failed)
        raises BackupError with its output, once ``source`` has been read to its end all the same (the caller
        may still want its checksum)."""
        try:
            while chunk := source.read(CHUNK):
                self.process.stdin.write(chunk)
            self.process.stdin.close()
        except BrokenPipeError:
            while source.read(CHUNK):
                pass
            self.wait()  # raises with the tool's own message
            raise BackupError(_("%(tool)s stopped reading its input.") % {"tool": self.name}) from None

    def failed(self) -> bool:
        """Ended already, unsuccessfully."""
        return self.process.poll() not in (None, 0)

    def wait(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            with suppress(BrokenPipeError):
                self.process.stdin.close()
        returncode = self.process.wait()
        self.output.seek(0)
        error = self.output.read().strip().splitlines()
        self.output.close()
        if returncode != 0:
            raise BackupError(_("%(tool)s failed: %(error)s") % {
                "tool": self.name, "error": " / ".join(error[-5:]) or returncode})

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        if self.process.stdin is not None:
            with suppress(BrokenPipeError):
                self.process.stdin.close()
        self.process.wait()
        self.output.close()


def _dump_postgresql(dest: Path) -> tuple[dict, dict]:
    """``pg_dump`` of a snapshot exported by a repeatable-read transaction, whose rows are counted in the same
    snapshot: the counts describe exactly the dump. Uncompressed (``-Z0``): the archive's gzip compresses it."""
    pg_dump = _pg_tool("pg_dump")
    args, env = _pg_connection_args()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        state = _db_state(cursor, "postgresql")
        _run([pg_dump, "--format=custom", "--compress=0", f"--snapshot={snapshot}", "--file", str(dest), *args,
              "--dbname", str(connection.settings_dict["NAME"])], env)
    return state


def _live_state() -> tuple[dict, dict]:
    with connection.cursor() as cursor:
        return _db_state(cursor, connection.vendor)


def _restore_sqlite(dump: Path) -> None:
    name = str(connection.settings_dict["NAME"] or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError(_("The database is in memory: there is no file to restore into."))
    connections.close_all()
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(dump)) as source, closing(sqlite3.connect(name, timeout=20)) as target:
        # leave WAL mode first, so the copy may change the page size; Django turns WAL back on when it connects
        target.execute("PRAGMA journal_mode=DELETE")
        source.backup(target)


class _PostgresLoad:
    """The dump loaded into PostgreSQL in one transaction that commits only when ``commit()`` is called.

    ``pg_restore --clean --if-exists --no-owner`` turns the dump, fed on its standard input straight from the
    archive (never written to disk), into SQL on a pipe; ``psql`` (ON_ERROR_STOP) runs ``BEGIN``, then that
    SQL (``\\i`` of the pipe), and then waits on its own standard input. ``commit()`` sends ``COMMIT`` once the
    whole archive has been read and checked; ``stop()``, or any failure, ends psql without it and PostgreSQL
    rolls back everything, the ``DROP``s of ``--clean`` included. So the database loads while the rest of the
    archive is read, and a damaged archive still changes nothing."""

    def __init__(self):
        args, env = _pg_connection_args()
        pg_restore, psql = _pg_tool("pg_restore"), _pg_tool("psql")
        connections.close_all()
        script_in, script_out = os.pipe()
        try:
            self.psql = Tool([psql, "--no-psqlrc", "--quiet", "--output", os.devnull, "--set", "ON_ERROR_STOP=1",
                              *args, "--dbname", str(connection.settings_dict["NAME"])], env, stdin=True,
                             pass_fds=(script_in,))
            try:
                self.restore = Tool([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges",
                                     "--exit-on-error", "--file", "-"], env, stdin=True, stdout=script_out)
            except BaseException:
                self.psql.stop()
                raise
        finally:
            os.close(script_in)
            os.close(script_out)
        self._send(f"BEGIN;\n\\i /dev/fd/{script_in}\n")

    def _send(self, text: str) -> None:
        try:
            self.psql.process.stdin.write(text.encode())
            self.psql.process.stdin.flush()
        except BrokenPipeError:
            self.psql.wait()  # raises with psql's own message
            raise BackupError(_("%(tool)s stopped reading its input.") % {"tool": self.psql.name}) from None

    def feed(self, source) -> BackupError | None:
        """Copy the dump to pg_restore. A failure of either tool is returned (with its own message), not raised:
        the rest of the archive is still read and checked, so that a damaged dump is reported as damage."""
        try:
            self.restore.feed(source)
        except BackupError as exc:
            if self.psql.failed():  # pg_restore stopped because psql did: psql's message says why
                try:
                    self.psql.wait()
                except BackupError as psql_error:
                    return psql_error
            return exc
        return None

    def commit(self) -> None:
        """Wait for pg_restore to have written everything, then commit, then wait for psql."""
        try:
            self.restore.wait()
        except BackupError:
            if self.psql.failed():
                self.psql.wait()
            raise
        self._send("COMMIT;\n")
        self.psql.wait()

    def stop(self) -> None:
        self.psql.stop()  # first: its connection ends without COMMIT, so PostgreSQL rolls the transaction back
        self.restore.stop()


def _pending_migrations() -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _unknown_migrations(manifest: dict) -> list[str]:
    """Migrations the archive's database has applied that this code does not have (it comes from a newer
    version, or from one with other apps)."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(f"{app}.{name}" for app, name in manifest.get("migrations", {}).items() if (app, name) not in known)


# --- media ---------------------------------------------------------------------------------------------------


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


class _FolderStore:
    """The stored files as the folder MEDIA_ROOT (the default FileSystemStorage): walked directly, symlinks
    skipped, modification times kept."""

    def __init__(self, root: Path):
        self.root = root

    def __str__(self) -> str:
        return str(self.root)

    def files(self) -> Iterable[tuple[str, int, float, Callable[[], IO[bytes]]]]:
        """(archive-relative POSIX path, size, mtime, opener) for every file, sorted."""
        for rel, path in _media_files(self.root):
            stat = path.stat()
            yield rel, stat.st_size, stat.st_mtime, (lambda path=path: open(path, "rb"))  # noqa: SIM115

    def staging(self) -> Path:
        """A new folder inside the root (the same file system: publishing it is a few renames)."""
        self.root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(dir=self.root, prefix=STAGING_PREFIX))

    def publish(self, staged: Path, published: list[str]) -> None:
        """Move the staged files into place, adding to ``published`` what was moved (for ``unpublish``)."""
        _move_tree(staged, self.root, published)

    def unpublish(self, published: list[str]) -> None:
        for name in published:
            path = Path(name)
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                with suppress(FileNotFoundError):
                    path.unlink()


class _StorageStore:
    """The stored files in an S3-compatible bucket, through Django's storage API (django-storages): listed from
    the bucket, read and written as streams. A file is written under exactly its archived name or the restore
    fails."""

    def __init__(self, storage):
        self.storage = storage

    def __str__(self) -> str:
        options = [getattr(self.storage, "bucket_name", ""), getattr(self.storage, "location", "")]
        return "/".join(p for p in options if p) or type(self.storage).__name__

    def _listing(self) -> Iterable[tuple[str, int, float]]:
        """(name, size, mtime) of every stored file: the bucket listed a thousand objects a request, sizes and
        times included (django-storages' S3Storage; the only storage besides the folder that settings offer)."""
        location = (self.storage.location or "").strip("/")
        prefix = f"{location}/" if location else ""
        for item in self.storage.bucket.objects.filter(Prefix=prefix):
            yield item.key[len(prefix):], item.size, item.last_modified.timestamp()

    def files(self) -> Iterable[tuple[str, int, float, Callable[[], IO[bytes]]]]:
        for rel, size, mtime in sorted(self._listing()):
            if _safe_relative(rel) is None:  # a "folder/" marker object, or a name no folder could hold
                continue
            yield rel, size, mtime, (lambda rel=rel: self.storage.open(rel, "rb"))

    def staging(self) -> Path:
        """A new folder in the backup directory: the files wait there until the archive has been checked."""
        return Path(tempfile.mkdtemp(dir=_work_dir(), prefix=STAGING_PREFIX))

    def publish(self, staged: Path, published: list[str]) -> None:
        """Upload the staged files under their archived names, adding to ``published`` each name uploaded."""
        from django.core.files import File

        for name, path in _media_files(staged):
            with open(path, "rb") as f:
                saved = self.storage.save(name, File(f, name=PurePosixPath(name).name))
            published.append(saved)
            if saved != name:
                raise BackupError(_("The file %(path)s was stored as %(saved)s.") % {"path": name, "saved": saved})

    def unpublish(self, published: list[str]) -> None:
        for name in published:
            with suppress(Exception):  # best effort: the restore's own error is the one to report
                self.storage.delete(name)


def _media_store() -> _FolderStore | _StorageStore:
    from django.core.files.storage import FileSystemStorage, default_storage

    if isinstance(default_storage, FileSystemStorage):  # the lazy object answers with its storage's class
        return _FolderStore(_media_root())
    return _StorageStore(default_storage)


class _Stager:
    """Writes the archive's files into the staging folder, hashing each as it is written (the final check then
    does not read 200,000 files back), making each folder once."""

    def __init__(self, staged: Path):
        self.root, self.made = staged, {staged}

    def write(self, rel: PurePosixPath, source: IO[bytes], mtime: float) -> tuple[int, str]:
        target = self.root.joinpath(*rel.parts)
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        with open(target, "wb") as out:
            written = _copy_hashing(source, out)
        os.utime(target, (mtime, mtime))
        return written


def _move_tree(source: Path, target: Path, moved: list[str]) -> None:
    """Move everything in ``source`` into ``target`` by renaming (whole folders where ``target`` has none of the
    name), adding each path made in ``target`` to ``moved``. A file already there is an error (the installation
    was empty)."""
    for entry in sorted(source.iterdir()):
        dest = target / entry.name
        if entry.is_dir() and not entry.is_symlink() and dest.is_dir() and not dest.is_symlink():
            _move_tree(entry, dest, moved)
            continue
        if dest.exists() or dest.is_symlink():
            raise BackupError(_("%(path)s appeared while the backup was being restored.") % {"path": dest})
        os.rename(entry, dest)
        moved.append(str(dest))


@contextmanager
def _staging(store: _FolderStore | _StorageStore):
    staged = store.staging()
    try:
        yield staged
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def _media_files(root: Path) -> Iterable[tuple[str, Path]]:
    """(archive-relative POSIX path, file) for every regular file under ``root``, sorted; symlinks skipped."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            yield path.relative_to(root).as_posix(), path


def _safe_relative(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or "\\" in name or any(part in ("", ".", "..") for part in name.split("/")):
        return None
    return path


# --- backup --------------------------------------------------------------------------------------------------


def _default_path(started: datetime) -> Path:
    directory = backup_dir()
    stamp = timezone.localtime(started).strftime("%Y%m%d-%H%M%S")
    path, n = directory / f"wuye-backup-{stamp}.tar.gz", 1
    while path.exists():
        n += 1
        path = directory / f"wuye-backup-{stamp}-{n}.tar.gz"
    return path


def _add_member(tar: tarfile.TarFile, name: str, path: Path) -> tuple[int, str]:
    stat = path.stat()
    return _add_stream(tar, name, stat.st_size, stat.st_mtime, lambda: open(path, "rb"))  # noqa: SIM115


def _add_stream(tar: tarfile.TarFile, name: str, size: int, mtime: float,
                opener: Callable[[], IO[bytes]]) -> tuple[int, str]:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    with opener() as f:
        reader = _HashingReader(f)
        tar.addfile(info, reader)  # reads exactly info.size bytes; a file shrinking meanwhile raises OSError
    return reader.size, reader.digest.hexdigest()


def make_backup(output: str | os.PathLike | None = None, *, keep: int | None = None) -> BackupResult:
    """Write one archive (to ``output``, or a new name in the backup directory); then, given ``keep``, delete this
    tool's archives in the backup directory beyond the ``keep`` newest. Logged as a backup run."""
    started, t0 = timezone.now(), time.perf_counter()
    target = Path(output) if output else _default_path(started)
    try:
        if target.exists():
            raise BackupError(_("%(path)s exists already: choose another file.") % {"path": target})
        vendor = connection.vendor
        if vendor not in DB_MEMBERS:
            raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor})
        if not target.parent.is_dir():
            target.parent.mkdir(mode=0o700, parents=True)
        partial = target.with_name(f".{target.name}.partial")
        try:
            with tempfile.TemporaryDirectory(dir=target.parent, prefix=".wuye-backup-") as tmp:
                dump = Path(tmp) / DB_MEMBERS[vendor]
                tables, migrations = _dump_sqlite(dump) if vendor == "sqlite" else _dump_postgresql(dump)
                mode = "w" if target.name.endswith(".tar") else "w:gz"
                fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data: owner only
                with open(fd, "wb") as raw, tarfile.open(fileobj=raw, mode=mode, format=tarfile.PAX_FORMAT,
                                                         **({"compresslevel": COMPRESS_LEVEL} if "gz" in mode
                                                            else {})) as tar:
                    db_size, db_sha = _add_member(tar, DB_MEMBERS[vendor], dump)
                    dump.unlink()
                    files = []
                    for rel, size, mtime, opener in _media_store().files():
                        size, sha = _add_stream(tar, MEDIA_PREFIX + rel, size, mtime, opener)
                        files.append({"path": rel, "size": size, "sha256": sha})
                    manifest = {
                        "format": FORMAT, "version": VERSION,
                        "created_at": timezone.localtime(started).replace(microsecond=0).isoformat(),
                        "django": django.get_version(),
                        "database": {"vendor": vendor, "member": DB_MEMBERS[vendor], "size": db_size,
                                     "sha256": db_sha},
                        "migrations": migrations, "tables": tables, "files": files,
                    }
                    manifest["checksum"] = _manifest_checksum(manifest)
                    data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
                    tar.addfile(info, io.BytesIO(data))
            os.replace(partial, target)
        finally:
            with suppress(FileNotFoundError):
                partial.unlink()
    except Exception as exc:
        message = str(exc) if isinstance(exc, BackupError) else f"{type(exc).__name__}: {exc}"
        _log(BackupKind.BACKUP, started, path=target, ok=False, message=message)
        if isinstance(exc, (OSError, tarfile.TarError, DatabaseError, sqlite3.Error)):
            raise BackupError(_("The backup failed: %(error)s") % {"error": message}) from exc
        raise
    size = target.stat().st_size
    pruned = prune(keep) if keep else []
    result = BackupResult(path=target, size=size, manifest=manifest, seconds=time.perf_counter() - t0, pruned=pruned)
    message = _("%(count)d old backups deleted.") % {"count": len(pruned)} if pruned else ""
    _log(BackupKind.BACKUP, started, path=target, size=size, ok=True, message=message, counts=_summary(manifest))
    return result


# --- verify --------------------------------------------------------------------------------------------------


def _damaged(path: Path, error) -> BackupError:
    return BackupError(_("%(name)s is damaged or incomplete: %(error)s") % {"name": path.name, "error": error})


class _ArchiveUnreadable(Exception):
    """Reading a member's bytes from the archive failed (truncated, corrupt): the archive's fault, unlike an error
    of the consumer writing them somewhere."""


class _ConsumerFailed(Exception):
    """Carries an error of ``consume`` past the handlers that call the archive damaged."""

    def __init__(self, error: BaseException):
        super().__init__(str(error))
        self.error = error


class _MemberReader:
    """A member's file object whose read errors are the archive's (``_ArchiveUnreadable``)."""

    def __init__(self, f):
        self.f = f

    def read(self, n=-1):
        try:
            return self.f.read(n)
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            raise _ArchiveUnreadable(str(exc) or type(exc).__name__) from exc


def _hash_member(member: tarfile.TarInfo, f) -> tuple[int, str]:
    return _copy_hashing(f)


def _verify(path: Path, consume: Callable[[tarfile.TarInfo, IO[bytes]], tuple[int, str]] = _hash_member) -> dict:
    """Read the archive through: every member is a regular file with a safe name, listed in the manifest, of the
    listed size and sha256; the manifest's own checksum holds. Returns the manifest.

    ``consume(member, f)`` reads each member but the manifest to its end and returns its size and sha256 (by
    default it only hashes it; the restore writes the members where they go, in the same single pass). Its own
    errors (a full disk, a failed database tool) pass through; only a failure to read the archive makes it
    damaged."""
    if not path.is_file():
        raise BackupError(_("There is no backup file %(path)s.") % {"path": path})
    seen: dict[str, tuple[int, str]] = {}
    manifest_data = None
    try:
        with tarfile.open(path, "r|*") as tar:
            for member in tar:
                name = member.name
                if not member.isreg() or _safe_relative(name) is None:
                    raise _damaged(path, _("unexpected member %(member)s") % {"member": name})
                if name in seen or (name == MANIFEST and manifest_data is not None):
                    raise _damaged(path, _("member %(member)s appears twice") % {"member": name})
                f = _MemberReader(tar.extractfile(member))
                if name == MANIFEST:
                    if member.size > MANIFEST_MAX_BYTES:
                        raise _damaged(path, _("the manifest is too large"))
                    manifest_data = f.read()
                else:
                    try:
                        seen[name] = consume(member, f)
                    except (_ArchiveUnreadable, BackupError):
                        raise
                    except Exception as exc:
                        raise _ConsumerFailed(exc) from exc
    except BackupError:
        raise
    except _ConsumerFailed as failed:
        raise failed.error from None
    except _ArchiveUnreadable as exc:
        raise _damaged(path, str(exc)) from exc
    except (tarfile.TarError, EOFError, OSError, zlib.error, ValueError) as exc:  # ValueError: undecodable headers
        raise _damaged(path, str(exc) or type(exc).__name__) from exc
    if manifest_data is None:
        raise _damaged(path, _("it holds no manifest (damaged, cut short, or not a wuye backup)"))
    try:
        manifest = json.loads(manifest_data.decode("utf-8"))
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ValueError
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BackupError(_("%(name)s is not a wuye backup (its manifest is unreadable).") % {"name": path.name}) \
            from exc
    if manifest.get("version") != VERSION:
        raise BackupError(_("%(name)s has backup format %(version)s; this version of wuye reads format "
                            "%(supported)s.") % {"name": path.name, "version": manifest.get("version"),
                                                 "supported": VERSION})
    if manifest.get("checksum") != _manifest_checksum(manifest):
        raise _damaged(path, _("the manifest has been changed (its checksum does not match)"))
    problems = []
    database = manifest["database"]
    expected = {database["member"]: (database["size"], database["sha256"])}
    expected.update({MEDIA_PREFIX + f["path"]: (f["size"], f["sha256"]) for f in manifest["files"]})
    for name, (size, sha) in expected.items():
        if name not in seen:
            problems.append(_("%(member)s is missing") % {"member": name})
        elif seen[name] != (size, sha):
            problems.append(_("%(member)s differs from the manifest (size or checksum)") % {"member": name})
    problems += [_("%(member)s is not in the manifest") % {"member": name} for name in seen if name not in expected]
    if problems:
        raise _damaged(path, _problem_list(problems))
    return manifest


def verify_backup(path: str | os.PathLike) -> dict:
    """Check an archive (see ``_verify``); logged as a verification run. Returns the manifest."""
    path, started = Path(path), timezone.now()
    size = path.stat().st_size if path.is_file() else None
    try:
        manifest = _verify(path)
    except BackupError as exc:
        _log(BackupKind.VERIFY, started, path=path, size=size, ok=False, message=str(exc))
        raise
    _log(BackupKind.VERIFY, started, path=path, size=size, ok=True, counts=_summary(manifest))
    return manifest


# --- restore -------------------------------------------------------------------------------------------------


def installation_contents() -> list[str]:
    """Why the installation is not empty (users in the database, stored files); [] when it is."""
    reasons = []
    name = str(connection.settings_dict["NAME"] or "")
    if connection.vendor != "sqlite" or Path(name).is_file():  # a SQLite file not made yet is empty
        try:
            users = 0
            if "auth_user" in connection.introspection.table_names():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM auth_user")
                    users = cursor.fetchone()[0]
        except DatabaseError as exc:
            raise BackupError(_("The database cannot be read: %(error)s") % {"error": exc}) from exc
        if users:
            reasons.append(_("%(count)d users in the database") % {"count": users})
    store = _media_store()
    files = sum(1 for _file in store.files())
    if files:
        reasons.append(_("%(count)d files in %(path)s") % {"count": files, "path": store})
    return reasons


def _work_dir() -> Path:
    directory = backup_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _check_restored(manifest: dict, written: dict[str, tuple[int, str]]) -> list[str]:
    """Differences between the installation now and the manifest: row counts, then files.

    ``written`` holds the size and sha256 of every file as the restore wrote it (hashed on the way in, so the
    200,000 files of a large installation are not read back); each must match the manifest, and the store, listed
    once, must hold every file at its size."""
    problems = []
    counts, _migrations = _live_state()
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            problems.append(_("table %(table)s: %(found)s rows, the backup has %(expected)s") % {
                "table": table, "found": counts.get(table, "—"), "expected": expected})
    stored = {rel: size for rel, size, _mtime, _opener in _media_store().files()}
    for f in manifest["files"]:
        path = f["path"]
        if written.get(path) != (f["size"], f["sha256"]) or stored.get(path) != f["size"]:
            problems.append(_("file %(path)s differs from the backup") % {"path": path})
    return problems


@contextmanager
def _stopped_on_error(current):
    """On an error, stop the background tool ``current()`` still running (if any) before the temporary files go."""
    try:
        yield
    except BaseException:
        tool = current()
        if tool is not None:
            tool.stop()
        raise


def _refuse_incompatible(path: Path, manifest: dict) -> None:
    """Refuse another vendor's database, or migrations this code does not know."""
    vendor, archived = connection.vendor, manifest["database"]["vendor"]
    if archived != vendor:
        raise BackupError(_("%(name)s holds a %(archived)s database, but this installation uses %(vendor)s: restore "
                            "it into an installation with the same kind of database.") % {
            "name": path.name, "archived": archived, "vendor": vendor})
    unknown = _unknown_migrations(manifest)
    if unknown:
        raise BackupError(_("%(name)s comes from a newer version of wuye (migrations unknown here: %(list)s): install "
                            "that version first.") % {"name": path.name, "list": _problem_list(unknown)})


def restore_backup(path: str | os.PathLike) -> RestoreResult:
    """Restore an archive into this (empty) installation and check the result against the manifest.

    One pass over the archive: the database loads while it is read (PostgreSQL: in a transaction left open, see
    ``_PostgresLoad``; SQLite: the dump kept in a temporary file) and the files go to a staging folder, each
    hashed as it is written. Only when the whole archive has been read and checked against its manifest (the
    same checks as ``--verify``) are the files moved into place and the database committed. So a restore
    refused for a damaged archive, another vendor's database, migrations this code does not know, or an
    installation that is not empty changes nothing (and is not logged: the log is in the database it would
    change). Any other failure is logged as a failed restore run."""
    path, started, t0 = Path(path), timezone.now(), time.perf_counter()
    if not path.is_file():
        raise BackupError(_("There is no backup file %(path)s.") % {"path": path})
    vendor = connection.vendor
    if vendor not in DB_MEMBERS:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor})
    reasons = installation_contents()
    if reasons:
        raise BackupError(_("Restore refused: this installation is not empty (%(reasons)s). A backup is restored "
                            "only into a new installation: no users and no stored files. Nothing has been "
                            "changed.") % {"reasons": "; ".join(reasons)})
    size = path.stat().st_size
    store = _media_store()
    refused, committed, manifest = False, False, None
    published: list[str] = []  # files moved into place (or uploaded), taken back if the database is not committed
    loading: _PostgresLoad | None = None  # the database loading in its open transaction
    written: dict[str, tuple[int, str]] = {}
    failures: list[BackupError | None] = []  # the database tools', raised once the archive is known to be whole
    try:
        with tempfile.TemporaryDirectory(dir=_work_dir(), prefix=STAGING_PREFIX) as tmp, _staging(store) as staged, \
                _stopped_on_error(lambda: loading):
            dump, stager = Path(tmp) / DB_MEMBERS[vendor], _Stager(staged)

            def consume(member: tarfile.TarInfo, f: IO[bytes]) -> tuple[int, str]:
                nonlocal loading
                if member.name == DB_MEMBERS[vendor] and loading is None:
                    if vendor == "sqlite":
                        with open(dump, "wb") as out:
                            return _copy_hashing(f, out)
                    loading, reader = _PostgresLoad(), _HashingReader(f)
                    failures.append(loading.feed(reader))
                    logger.info("restore: database dump read at %.1f s", time.perf_counter() - t0)
                    return reader.size, reader.digest.hexdigest()
                if member.name.startswith(MEDIA_PREFIX):
                    rel = _safe_relative(member.name[len(MEDIA_PREFIX):])
                    if rel is None:  # never written outside the staging folder
                        raise _damaged(path, _("unexpected member %(member)s") % {"member": member.name})
                    found = written[rel.as_posix()] = stager.write(rel, f, member.mtime)
                    return found
                return _copy_hashing(f)  # anything else is only compared with the manifest (and refused there)

            try:
                manifest = _verify(path, consume)
                _refuse_incompatible(path, manifest)
            except BackupError:
                refused = True
                raise
            for failure in failures:
                if failure is not None:
                    raise failure
            logger.info("restore: archive read and checked in %.1f s", time.perf_counter() - t0)
            # the archive is whole: files into place, then the database (on failure the files are taken back)
            store.publish(staged, published)
            logger.info("restore: files in place at %.1f s", time.perf_counter() - t0)
            if vendor == "sqlite":
                _restore_sqlite(dump)
            else:
                loading.commit()  # raises if either tool failed: psql ends without COMMIT, nothing kept
                loading = None
            committed = True
            logger.info("restore: database committed at %.1f s", time.perf_counter() - t0)
        problems = _check_restored(manifest, written)
        if problems:
            raise BackupError(_("The restored installation differs from the backup: %(problems)s") % {
                "problems": _problem_list(problems)})
    except Exception as exc:
        if refused:
            raise
        if not committed:  # the database is as it was: take the files back too
            store.unpublish(published)
        message = str(exc) if isinstance(exc, BackupError) else f"{type(exc).__name__}: {exc}"
        counts = _summary(manifest) if manifest else {}
        _log(BackupKind.RESTORE, started, path=path, size=size, ok=False, message=message, counts=counts)
        if isinstance(exc, (OSError, tarfile.TarError, EOFError, zlib.error, DatabaseError, sqlite3.Error)):
            raise BackupError(_("The restore failed: %(error)s") % {"error": message}) from exc
        raise
    pending = _pending_migrations()
    summary = _summary(manifest)
    result = RestoreResult(path=path, manifest=manifest, tables=summary["tables"], rows=summary["rows"],
                           files=summary["files"], file_bytes=summary["file_bytes"],
                           seconds=time.perf_counter() - t0, pending_migrations=pending)
    _log(BackupKind.RESTORE, started, path=path, size=size, ok=True, counts=summary,
         message=_("Backup of %(created)s restored.") % {"created": manifest["created_at"]})
    return result


# --- retention -----------------------------------------------------------------------------------------------


def archives(directory: str | os.PathLike | None = None) -> list[Path]:
    """This tool's archives in the backup directory, newest first (by the time in their names)."""
    directory = Path(directory) if directory is not None else backup_dir()
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        match = NAME_RE.match(path.name)
        if match and path.is_file():
            found.append(((match.group(1), match.group(2), int(match.group(3) or 1)), path))
    return [path for _key, path in sorted(found, reverse=True)]


def prune(keep: int, directory: str | os.PathLike | None = None) -> list[Path]:
    """Delete this tool's archives (named ``wuye-backup-YYYYmmdd-HHMMSS[-N].tar.gz``) in the backup directory
    beyond the ``keep`` newest; other files are never touched. ``keep`` below 1 deletes nothing."""
    if keep < 1:
        return []
    deleted = []
    for path in archives(directory)[keep:]:
        path.unlink()
        deleted.append(path)
    return deleted
