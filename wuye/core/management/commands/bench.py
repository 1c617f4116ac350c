"""``manage.py bench [--json] [--repeat N]``: server-side latency, SQL queries and memory of named operations.

Each operation (``wuye.<app>.bench.OPERATIONS``, see ``wuye/core/bench.py``) is requested through Django's
test ``Client`` against the current database, logged in as a bench agent (serving the estates with the most
customers) and as a customer-service manager. Per operation and role it prints:

- the median and p95 latency of ``--repeat`` runs after ``--warmup`` unmeasured ones: the time from the
  request entering Django to the last byte of the response (streamed responses are read to the end);
- the number of SQL queries of one request (counted with ``connection.execute_wrapper``);
- the peak Python memory of one extra run under ``tracemalloc`` (skip with ``--no-memory``);

and at the end the process's resident memory (now and peak). An operation whose URL name does not resolve
(the view is not built yet) or that lacks sample data is listed as skipped. Everything runs in one
transaction that is rolled back, so a bench run leaves no users, sessions or audit events behind.
Debug query logging is switched off while measuring (``DEBUG=False``). Progress goes to stderr
(``-v 0`` silences it).
"""

from __future__ import annotations

import json
import math
import statistics
import time
import tracemalloc

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import NoReverseMatch, reverse

from wuye.core.bench import BenchContext
from wuye.core.management.cli import app_modules, current_rss_mb, peak_rss_mb, render_table


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _request(client: Client, url: str, query: dict) -> tuple[float, int, int, int]:
    """One GET: (seconds, queries, status, bytes)."""
    counter = _Counter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        response = client.get(url, query, secure=True)
        # The test client closes the response itself (at the end of a streamed one): closing it again here
        # would send request_finished and close the database connection.
        size = sum(map(len, response.streaming_content)) if response.streaming else len(response.content)
        elapsed = time.perf_counter() - started
    return elapsed, counter.count, response.status_code, size


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


class Command(BaseCommand):
    help = "Measure latency, SQL queries and memory of the named operations (table, or --json)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=10, help="measured runs per operation (default 10)")
        parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs first (default 1)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
        parser.add_argument("--only", nargs="*", default=None, help="operation names to run (default: all)")
        parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
        for _config, module in app_modules("bench"):
            if hasattr(module, "add_arguments"):
                module.add_arguments(parser)

    def handle(self, *args, **options):
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts), transaction.atomic():
            results, info = self.run(options)
            transaction.set_rollback(True)
        rss = {"rss_mb": round(current_rss_mb() or 0, 1), "peak_rss_mb": round(peak_rss_mb(), 1)}
        if options["json"]:
            self.stdout.write(json.dumps({"database": connection.vendor, "data": info, "process": rss,
                                          "operations": results}, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Database: {connection.vendor}; data: "
                          + ", ".join(f"{k} {v}" for k, v in info.items()))
        self.stdout.write(f"Runs per operation: {options['repeat']} (after {options['warmup']} warm-up)\n")
        rows = []
        for r in results:
            if r["status"] == "skipped" or r["status"].startswith("error"):
                rows.append([r["operation"], r["role"], "", "", "", "", r["status"], r["note"]])
            else:
                rows.append([r["operation"], r["role"], f"{r['median_ms']:.1f}", f"{r['p95_ms']:.1f}",
                             r["queries"], "" if r["peak_mb"] is None else f"{r['peak_mb']:.1f}", r["status"],
                             r["note"]])
        self.stdout.write(render_table(["operation", "role", "median ms", "p95 ms", "queries", "peak MB",
                                        "status", "note"], rows, right={2, 3, 4, 5}))
        self.stdout.write(f"\nProcess memory: {rss['rss_mb']} MB RSS now, {rss['peak_rss_mb']} MB peak. "
                          "peak MB = Python allocations during one request (tracemalloc).")

    def run(self, options) -> tuple[list[dict], dict]:
        ctx = BenchContext(users={}, options=options)
        operations = []
        for _config, module in app_modules("bench"):
            if hasattr(module, "setup"):
                module.setup(ctx)
            operations += list(getattr(module, "OPERATIONS", ()))
        if options["only"]:
            operations = [op for op in operations if op.name in options["only"]]
        clients = {}
        for role, user in ctx.users.items():
            clients[role] = Client()
            clients[role].force_login(user)
        results = []
        for op in operations:
            for role in op.roles:
                row = self.measure(op, str(role), clients.get(str(role)), ctx, options)
                results.append(row)
                if options["verbosity"] >= 1:  # progress on stderr; the report goes to stdout
                    figures = "" if row["median_ms"] is None else f" {row['median_ms']} ms"
                    self.stderr.write(f"bench: {op.name} as {role}: {row['status']}{figures}")
        return results, ctx.info

    def measure(self, op, role, client, ctx, options) -> dict:
        row = {"operation": op.name, "role": role, "url_name": op.url_name, "description": op.description,
               "median_ms": None, "p95_ms": None, "queries": None, "peak_mb": None, "status": "skipped",
               "note": op.description}
        args = op.args(ctx) if op.args else []
        query = op.query(ctx) if op.query else {}
        if args is None or query is None:
            row["note"] = "skipped: no sample data (generate_data or load_demo first)"
            return row
        try:
            url = reverse(op.url_name, args=args)
        except NoReverseMatch:
            row["note"] = f"skipped: URL name '{op.url_name}' does not exist (view not built yet?)"
            return row
        if client is None:
            row["note"] = f"skipped: no bench user for role {role}"
            return row
        repeat = max(1, min(options["repeat"], op.max_repeat or options["repeat"]))
        try:
            with transaction.atomic():
                for _ in range(options["warmup"] if op.warmup else 0):
                    _request(client, url, query)
                runs = [_request(client, url, query) for _ in range(repeat)]
                if not options["no_memory"]:
                    tracemalloc.start()
                    try:
                        _request(client, url, query)
                        row["peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
                    finally:
                        tracemalloc.stop()
        except Exception as exc:  # noqa: BLE001 - a failing view is reported, the others still run
            row["status"] = f"error: {type(exc).__name__}"
            row["note"] = str(exc)[:120]
            return row
        times = [r[0] * 1000 for r in runs]
        statuses = sorted({r[2] for r in runs})
        row.update(median_ms=round(statistics.median(times), 1), p95_ms=round(_p95(times), 1),
                   queries=max(r[1] for r in runs), status="/".join(map(str, statuses)),
                   bytes=runs[-1][3], url=url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""))
        row["note"] = f"{op.description}; {row['url']}"
        return row
