"""``manage.py import_tickets FILE [--estate CODE] [--format xlsx|csv|jsonl] [--dry-run] [--user NAME]``.

Imports historical tickets (see ``wuye.tickets.imports``): every row is checked first; any error is printed
with its line and reason and nothing is imported (exit status 1). Progress goes to stderr, the summary with
the timings to stdout. ``--dry-run`` does everything, then rolls back.
"""

from __future__ import annotations

import os
import sys
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import translation

from wuye.core.context import acting_as
from wuye.core.management.cli import peak_rss_mb
from wuye.tickets.imports import FORMATS, Source, TicketImport


class Command(BaseCommand):
    help = "Import historical tickets from Excel (.xlsx), CSV or JSON Lines (.jsonl, .jsonl.gz); all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file to import")
        parser.add_argument("--estate", default="", help="estate code (required for JSON Lines; the default "
                                                         "for Excel/CSV rows without one)")
        parser.add_argument("--format", choices=FORMATS, default=None, help="file format (default: from the name)")
        parser.add_argument("--dry-run", action="store_true", help="check and write, then roll everything back")
        parser.add_argument("--user", default="", help="username recorded as the importer (default: none)")
        parser.add_argument("--batch-size", type=int, default=5000, help="rows per bulk insert (default 5000)")

    def handle(self, *args, **options):
        path = options["file"]
        if not os.path.exists(path):
            raise CommandError(f"No such file: {path}")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user named {options['user']!r}")
        verbose = options["verbosity"] >= 1
        last = [0.0]

        def progress(phase, done, total, fraction):
            now = time.perf_counter()
            if verbose and (now - last[0] > 1 or fraction >= 1):
                last[0] = now
                of = f"/{total}" if total else ""
                self.stderr.write(f"import_tickets: {phase} {done}{of} rows ({fraction:.0%})")

        started = time.perf_counter()
        job = TicketImport(Source.from_path(path), fmt=options["format"], actor=actor, estate=options["estate"],
                           progress=progress, batch_size=options["batch_size"])
        with translation.override(settings.LANGUAGE_CODE), override_settings(DEBUG=False), acting_as(actor):
            report = job.run(dry_run=options["dry_run"])
            if report.error_count:
                for error in report.errors:
                    where = f"line {error.row}" if error.row else "file"
                    column = f" [{error.column}]" if error.column else ""
                    self.stdout.write(f"{where}{column}: {error.message}")
                more = report.error_count - len(report.errors)
                if more > 0:
                    self.stdout.write(f"… and {more} more errors")
                self.stdout.write(self.style.ERROR(
                    f"import_tickets: {report.error_count} errors in {report.rows} rows; nothing was imported "
                    f"({time.perf_counter() - started:.1f} s)"))
                sys.exit(1)
        t = report.timings
        self.stdout.write(
            f"import_tickets: {report.imported} tickets ({report.first_number} … {report.last_number}), "
            f"{report.events} timeline steps, {report.notes} progress notes, {report.callbacks} callbacks "
            f"from {report.rows} rows of {report.name}")
        if report.unknown_handlers:
            names = ", ".join(f"{k} ({v})" for k, v in sorted(report.unknown_handlers.items()))
            self.stdout.write(f"import_tickets: handlers not found among the staff, kept in the timeline: {names}")
        status = "rolled back (dry run)" if report.dry_run else "committed"
        self.stdout.write(self.style.SUCCESS(
            f"import_tickets: {status}; check {t.get('check_s', 0):.1f} s, write {t.get('write_s', 0):.1f} s "
            f"(search index {t.get('index_s', 0):.1f} s), total {time.perf_counter() - started:.1f} s, "
            f"peak memory {peak_rss_mb():.0f} MB RSS"))
