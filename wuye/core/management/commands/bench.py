"""``manage.py bench [APP ...] [--json] [--repeat N]``: server-side latency, SQL queries and memory of named
operations.

Each operation (``wuye.<app>.bench.OPERATIONS``, see ``wuye/core/bench.py``) is requested through Django's
test ``Client`` against the current database, logged in as a bench agent (serving the estates with the most
customers) and as a customer-service manager. GET operations request a page; POST operations (ticket creation,
a transition) submit the real form to the real view, a fresh object per run where they change one. Per
operation and role it prints:

- the median and p95 latency of ``--repeat`` runs after ``--warmup`` unmeasured ones: the time from the
  request entering Django to the last byte of the response (streamed responses are read to the end);
- the number of SQL queries of one request (counted with ``connection.execute_wrapper``; the most of the
  measured runs);
- the peak Python memory of one extra run under ``tracemalloc`` (skip with ``--no-memory``);
- the HTTP status(es) and whether they mean success (``ok``: below 400 for a GET, a redirect for a POST);

and at the end the process's resident memory (now and peak). An operation whose URL name does not resolve
(the view is not built yet) or that lacks sample data is listed as skipped.

``APP`` (app labels, e.g. ``tickets``; put them before ``--only``) measures only those apps' operations; the
set-up of every app still runs, in app order, as an app's operations may rely on a lower app's set-up.
``--only NAME …`` narrows to operation names.

``--json`` prints one object whose keys are operations, as
``{"ticket_list": {"median_ms": …, "p95_ms": …, "queries": …, "peak_mb": …, "status": "200", "ok": true,
"role": "agent", …}, "ticket_list (cs_manager)": {…}, …, "_meta": {…}}``: an operation's key alone is its
run as the agent (or, when the agent does not run it, as its first role, e.g. the manager's complaint
statistics), ``"<operation> (<role>)"`` its run as another role; ``"_meta"`` holds the rest (database
vendor, data size, process memory, runs), so every other key is an operation.

Everything runs in one transaction that is rolled back, so a bench run leaves no users, sessions, audit
events, created tickets or changed rows behind. Debug query logging is switched off while measuring
(``DEBUG=False``). Progress goes to stderr (``-v 0`` silences it).
"""

from __future__ import annotations

import gc
import json
import math
import statistics
import time
import tracemalloc
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import NoReverseMatch, reverse

from wuye.core.bench import BenchContext, Operation
from wuye.core.management.cli import app_modules, current_rss_mb, peak_rss_mb, render_table
from wuye.core.roles import Role

META = "_meta"


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _request(client: Client, method: str, url: str, query: dict, data: dict) -> tuple[float, int, int, int, str]:
    """One request: (seconds, queries, status, bytes, redirect location)."""
    counter = _Counter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        if method == "post":
            response = client.post(url + ("?" + urlencode(query) if query else ""), data, secure=True)
        else:
            response = client.get(url, query, secure=True)
        # The test client closes the response itself (at the end of a streamed one): closing it again here
        # would send request_finished and close the database connection.
        size = sum(map(len, response.streaming_content)) if response.streaming else len(response.content)
        elapsed = time.perf_counter() - started
    return elapsed, counter.count, response.status_code, size, response.get("Location", "")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _primary_role(op: Operation) -> str:
    """The role whose run is keyed by the operation's name alone in the JSON: the agent's when it runs."""
    roles = [str(r) for r in op.roles]
    return Role.AGENT.value if Role.AGENT.value in roles else (roles[0] if roles else "")


def json_report(results: list[dict], meta: dict) -> dict:
    """``{"<operation>": row, "<operation> (<role>)": row, …, "_meta": meta}`` (see the module docstring)."""
    report = {}
    for row in results:
        key = row["operation"] if row["primary"] else f"{row['operation']} ({row['role']})"
        report[key] = {k: v for k, v in row.items() if k != "primary"}
    report[META] = meta
    return report


class Command(BaseCommand):
    help = ("Measure latency, SQL queries and memory of the named operations (table, or --json); "
            "APP labels (e.g. tickets) limit them to those apps.")

    def add_arguments(self, parser):
        parser.add_argument("apps", nargs="*", metavar="APP",
                            help="app labels whose operations to run, e.g. tickets (default: all)")
        parser.add_argument("--repeat", type=int, default=10, help="measured runs per operation (default 10)")
        parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs first (default 1)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
        parser.add_argument("--only", nargs="*", default=None, help="operation names to run (default: all)")
        parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
        for _config, module in app_modules("bench"):
            if hasattr(module, "add_arguments"):
                module.add_arguments(parser)

    def handle(self, *args, **options):
        modules = list(app_modules("bench"))
        known = [config.label for config, _module in modules]
        unknown = [label for label in options.get("apps") or [] if label not in known]
        if unknown:
            raise CommandError(f"No bench operations for app(s) {', '.join(unknown)}; "
                               f"apps with a bench.py: {', '.join(known)}")
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts), transaction.atomic():
            results, info = self.run(modules, options)
            transaction.set_rollback(True)
        rss = {"rss_mb": round(current_rss_mb() or 0, 1), "peak_rss_mb": round(peak_rss_mb(), 1)}
        if options["json"]:
            meta = {"database": connection.vendor, "data": info, "process": rss,
                    "apps": options.get("apps") or known, "repeat": options["repeat"],
                    "warmup": options["warmup"]}
            self.stdout.write(json.dumps(json_report(results, meta), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Database: {connection.vendor}; data: "
                          + ", ".join(f"{k} {v}" for k, v in info.items()))
        self.stdout.write(f"Runs per operation: {options['repeat']} (after {options['warmup']} warm-up)\n")
        rows = []
        for r in results:
            if r["median_ms"] is None:
                rows.append([r["operation"], r["role"], "", "", "", "", r["status"], r["note"]])
            else:
                status = r["status"] if r["ok"] else f"{r['status']} (failed)"
                rows.append([r["operation"], r["role"], f"{r['median_ms']:.1f}", f"{r['p95_ms']:.1f}",
                             r["queries"], "" if r["peak_mb"] is None else f"{r['peak_mb']:.1f}", status,
                             r["note"]])
        self.stdout.write(render_table(["operation", "role", "median ms", "p95 ms", "queries", "peak MB",
                                        "status", "note"], rows, right={2, 3, 4, 5}))
        self.stdout.write(f"\nProcess memory: {rss['rss_mb']} MB RSS now, {rss['peak_rss_mb']} MB peak. "
                          "peak MB = Python allocations during one request (tracemalloc).")

    def run(self, modules, options) -> tuple[list[dict], dict]:
        labels = options.get("apps") or []
        operations = [op for config, module in modules if not labels or config.label in labels
                      for op in getattr(module, "OPERATIONS", ())]
        if options["only"]:
            operations = [op for op in operations if op.name in options["only"]]
        ctx = BenchContext(users={}, options=options,
                           runs={op.name: op.runs_per_role(options) * len(op.roles) for op in operations})
        for _config, module in modules:  # every app's set-up: operations may rely on a lower app's
            if hasattr(module, "setup"):
                module.setup(ctx)
        clients = {}
        for role, user in ctx.users.items():
            clients[role] = Client()
            clients[role].force_login(user)
        # as the served application does after loading (config/wsgi.py): what is loaded stays out of the full
        # collections the requests' garbage triggers
        gc.collect()
        gc.freeze()
        results = []
        for op in operations:
            first_run = 0  # the run index counts on over the roles: each run may act on its own object
            for role in op.roles:
                row = self.measure(op, str(role), clients.get(str(role)), ctx, options, first_run)
                first_run += op.runs_per_role(options)
                results.append(row)
                if options["verbosity"] >= 1:  # progress on stderr; the report goes to stdout
                    figures = "" if row["median_ms"] is None else f" {row['median_ms']} ms"
                    self.stderr.write(f"bench: {op.name} as {role}: {row['status']}{figures}")
        return results, ctx.info

    def measure(self, op: Operation, role, client, ctx, options, first_run: int = 0) -> dict:
        row = {"operation": op.name, "role": role, "primary": role == _primary_role(op), "method": op.method.upper(),
               "url_name": op.url_name, "description": op.description, "median_ms": None, "p95_ms": None,
               "queries": None, "peak_mb": None, "status": "skipped", "ok": False, "note": op.description}
        if client is None:
            row["note"] = f"skipped: no bench user for role {role}"
            return row
        total = op.runs_per_role(options)
        requests = []
        for run in range(first_run, first_run + total):
            spec = op.request_for(ctx, run)
            if spec is None:
                row["note"] = ("skipped: no sample data (generate_data or load_demo first)" if not requests else
                               f"skipped: sample data for only {len(requests)} of {total} runs")
                return row
            args, query, data = spec
            try:
                url = reverse(op.url_name, args=args)
            except NoReverseMatch:
                row["note"] = f"skipped: URL name '{op.url_name}' does not exist (view not built yet?)"
                return row
            requests.append((op.method, url, query, data))
        warmup = max(0, options["warmup"]) if op.warmup else 0
        measured = requests[warmup:total - (0 if options["no_memory"] else 1)]
        try:
            with transaction.atomic():
                for request in requests[:warmup]:
                    _request(client, *request)
                runs = [_request(client, *request) for request in measured]
                if not options["no_memory"]:
                    tracemalloc.start()
                    try:
                        _request(client, *requests[-1])
                        row["peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
                    finally:
                        tracemalloc.stop()
        except Exception as exc:  # noqa: BLE001 - a failing view is reported, the others still run
            row["status"] = f"error: {type(exc).__name__}"
            row["note"] = str(exc)[:120]
            return row
        times = [r[0] * 1000 for r in runs]
        statuses = sorted({r[2] for r in runs})
        _method, url, query, _data = measured[-1]
        row.update(median_ms=round(statistics.median(times), 1), p95_ms=round(_p95(times), 1),
                   queries=max(r[1] for r in runs), status="/".join(map(str, statuses)),
                   ok=all(op.succeeded(s) for s in statuses), runs=len(runs), bytes=runs[-1][3],
                   url=url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""))
        if runs[-1][4]:
            row["redirect"] = runs[-1][4]
        row["note"] = f"{op.description}; {'POST ' if op.method == 'post' else ''}{row['url']}"
        return row
