"""``manage.py generate_data --customers N --units N --estates N [--seed S]``: bulk data for benchmarks.

Extensible: for every installed ``wuye.*`` app, in INSTALLED_APPS order, the command

- calls ``wuye.<app>.demo.add_arguments(parser)`` when it exists, so an app adds its own options
  (estates adds ``--customers``, ``--units``, ``--estates``; tickets could add ``--tickets``);
- calls ``wuye.<app>.demo.generate(*, options, stdout)`` when it exists. ``options`` holds every option,
  including ``seed`` and ``batch_size``; an app reads the ones it knows and does nothing when asked for none.

Rules for a ``generate``: write in batches of ``batch_size``, never a ``save()`` per row (``bulk_create``,
or ``core.management.bulk.insert_rows`` for millions of rows: ten times faster), compute what ``save()``
would derive, keep memory bounded (no list of all rows; ``iterator()`` when reading back),
fill the search index with ``core.search.index_objects``, and print what it made and how long it took.
Generated rows skip the per-row change history and signals; they must otherwise be valid.

Everything runs in one transaction (a failed run leaves nothing behind), with debug SQL logging off. The
command prints the total time and the process's peak memory (RSS). On PostgreSQL it runs ``ANALYZE``
at the end, so the benchmarks that follow see planner statistics for the new rows.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import override_settings

from wuye.core.management.cli import app_modules, peak_rss_mb


class Command(BaseCommand):
    help = "Generate bulk benchmark data (bulk inserts), e.g. --customers 100000 --units 100000 --estates 20."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--batch-size", type=int, default=5000, help="rows per bulk insert batch (default 5000)")
        for _config, module in app_modules("demo"):
            add = getattr(module, "add_arguments", None)
            if add is not None:
                add(parser)

    def handle(self, *args, **options):
        started = time.perf_counter()
        # DEBUG=True (local settings) would keep the SQL of the last 9000 statements: tens of thousands of
        # 5000-row inserts must not be remembered.
        with override_settings(DEBUG=False), transaction.atomic():
            for _config, module in app_modules("demo"):
                generate = getattr(module, "generate", None)
                if generate is not None:
                    generate(options=options, stdout=self.stdout)
        if connection.vendor == "postgresql":
            # Fresh planner statistics, as autovacuum would gather them some time later: without them the first
            # queries on the new rows (the bench right after) pick poor plans.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            f"generate_data: done in {time.perf_counter() - started:.1f} s, peak memory {peak_rss_mb():.0f} MB RSS"))
