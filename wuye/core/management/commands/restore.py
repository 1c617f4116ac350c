"""``manage.py restore FILE``: restore a backup archive (``manage.py backup``) into an empty installation.

Empty means: no rows in ``auth_user`` (or no tables at all yet) and no file under MEDIA_ROOT; anything else is
refused with nothing changed, as is an archive that fails verification, holds another kind of database
(SQLite/PostgreSQL) or comes from a newer version. The archive is read once: the database loads while it is
read (PostgreSQL: ``pg_restore --clean --if-exists --no-owner`` piped into ``psql`` inside a transaction that
commits only after the whole archive has been checked) and the files go to a staging folder; only then are the
files moved into MEDIA_ROOT (or uploaded to the bucket) and the database replaced (SQLite: the backup API writes
into the database file) or committed. Row counts and file checksums are checked against the manifest. Stop the
web service first. See ``wuye/core/backup.py`` and docs/backups.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from wuye.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive into an empty installation and check it against the archive's manifest."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive, e.g. var/backups/wuye-backup-20261128-023000.tar.gz")

    def handle(self, *args, file, **options):
        try:
            result = restore_backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Restored: %(path)s (made %(created)s) in %(seconds).1f s") % {
            "path": file, "created": result.manifest["created_at"].replace("T", " "), "seconds": result.seconds})
        self.stdout.write(_("  checked against the backup: %(tables)d tables, %(rows)s rows, %(files)s files "
                            "(%(size)s): all equal") % {
            "tables": result.tables, "rows": f"{result.rows:,}", "files": f"{result.files:,}",
            "size": filesizeformat(result.file_bytes)})
        if result.pending_migrations:
            self.stdout.write(self.style.WARNING(
                _("  This code is newer than the backup: run manage.py migrate (pending: %(list)s)") % {
                    "list": ", ".join(result.pending_migrations)}))
