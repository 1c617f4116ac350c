"""``manage.py backup [--output FILE] [--keep N]``: one archive of the database and the stored files;
``manage.py backup --verify FILE``: read an archive through and check it against its manifest.

The archive (``wuye-backup-YYYYmmdd-HHMMSS.tar.gz`` in ``WUYE_BACKUP_DIR``, or ``--output``) holds a consistent
dump of the database (SQLite's online backup API, or ``pg_dump``), every file under MEDIA_ROOT and
``manifest.json`` (row counts, checksums); see ``wuye/core/backup.py`` and docs/backups.md. After a backup the
archives of this tool in ``WUYE_BACKUP_DIR`` beyond the ``--keep`` newest (default ``WUYE_BACKUP_KEEP``, 14;
0 keeps every one) are deleted. Each run is written to the backup log; a failure exits non-zero.
Run daily by docs/deploy/wuye-backup.timer.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from wuye.core.backup import BackupError, make_backup, verify_backup


def describe(manifest: dict) -> list[str]:
    """The figures of a manifest, as lines for the terminal."""
    tables, files = manifest["tables"], manifest["files"]
    database = manifest["database"]
    return [
        _("  database (%(vendor)s): %(tables)d tables, %(rows)s rows; dump %(size)s") % {
            "vendor": database["vendor"], "tables": len(tables), "rows": f"{sum(tables.values()):,}",
            "size": filesizeformat(database["size"])},
        _("  files: %(count)s, %(size)s") % {"count": f"{len(files):,}",
                                            "size": filesizeformat(sum(f["size"] for f in files))},
    ]


class Command(BaseCommand):
    help = "Write a backup archive (database dump, stored files, manifest), or check one with --verify FILE."

    def add_arguments(self, parser):
        parser.add_argument("--output", metavar="FILE",
                            help="write the archive to FILE instead of a new file in WUYE_BACKUP_DIR")
        parser.add_argument("--keep", type=int, metavar="N",
                            help="afterwards keep only the N newest archives in WUYE_BACKUP_DIR "
                                 "(default WUYE_BACKUP_KEEP; 0 keeps all)")
        parser.add_argument("--verify", metavar="FILE", help="check the archive FILE instead of writing one")

    def handle(self, *args, output=None, keep=None, verify=None, **options):
        if verify:
            if output or keep is not None:
                raise CommandError(_("--verify cannot be combined with --output or --keep."))
            try:
                manifest = verify_backup(verify)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(_("Backup is intact: %(path)s (made %(created)s)") % {
                "path": verify, "created": manifest["created_at"].replace("T", " ")})
            for line in describe(manifest):
                self.stdout.write(line)
            return
        keep = settings.WUYE_BACKUP_KEEP if keep is None else keep
        if keep < 0:
            raise CommandError(_("--keep must be 0 or more."))
        try:
            result = make_backup(output, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Backup written: %(path)s (%(size)s in %(seconds).1f s)") % {
            "path": result.path, "size": filesizeformat(result.size), "seconds": result.seconds})
        for line in describe(result.manifest):
            self.stdout.write(line)
        for path in result.pruned:
            self.stdout.write(_("  deleted (keeping the %(keep)d newest): %(name)s") % {"keep": keep,
                                                                                      "name": path.name})
