"""Benchmark of the report centre (see ``wuye.core.bench``): ``manage.py bench reports``.

Goals (issue 9): every report for one year over the 1,000,000-ticket benchmark data in under 2 s; the home page
(the manager's dashboard) in under 300 ms.

- The set-up times every report builder (``wuye.reports.kinds``) for one year — the latest year with tickets that
  is (nearly) complete: the year of the newest ticket, or the year before when the newest is from the first half
  — over all estates and over one estate (the one with the most tickets), ``RUNS`` runs each, and puts the median
  and the slowest in the bench's data lines (``ctx.info``), with the goal. The budget report is the department's
  (the department with the most budgets).
- It also requests the home page (then the manager panel's charts, which the page fetches after loading)
  ``RUNS`` times as the demo customer-service manager (``load_demo``'s
  ``cs_manager``; the bench manager when the demo users are not there), logged in with the test client.
- ``OPERATIONS``: the report centre's list page as the manager (and the home page is measured by the core's
  ``home`` operation for both roles).

The builder timings run only when the ``report_centre`` operation is selected (``manage.py bench reports``, or
every app), so a bench of another app does not pay for them. Nothing is written: builders only read.
"""

from __future__ import annotations

import statistics
import time

from django.db.models import Count
from django.utils import timezone

from wuye.core.bench import BenchContext, Operation
from wuye.core.roles import Role

RUNS = 3
REPORT_GOAL_MS = 2000
HOME_GOAL_MS = 300


def _year():
    from wuye.tickets.models import Ticket
    from wuye.tickets.reports import period_for

    newest = Ticket.objects.order_by("-reported_at").values_list("reported_at", flat=True).first()
    day = timezone.localtime(newest).date() if newest else timezone.localdate()
    if day.month < 7:
        day = day.replace(year=day.year - 1, month=12, day=31)
    return period_for("year", day)


def _busiest_estate(ctx: BenchContext) -> int | None:
    sample = ctx.samples.get("tickets") or {}
    if sample.get("estate"):
        return sample["estate"]
    from wuye.tickets.models import Ticket

    top = Ticket.objects.values("estate").annotate(n=Count("id")).order_by("-n", "estate").first()
    return top["estate"] if top else None


def _department():
    from wuye.budgets.models import Budget
    from wuye.org.models import Department

    top = Budget.objects.values("department").annotate(n=Count("id")).order_by("-n", "department").first()
    return Department.objects.filter(pk=top["department"]).first() if top else None


def _timed(func, runs: int = RUNS) -> tuple[float, float]:
    """(median, max) milliseconds of ``runs`` calls of ``func``."""
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        func()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings)


def _line(median: float, slowest: float, goal: int) -> str:
    verdict = "ok" if slowest < goal else "OVER GOAL"
    return f"median {median:.0f} ms, max {slowest:.0f} ms (goal < {goal} ms: {verdict})"


def time_builders(ctx: BenchContext, runs: int = RUNS) -> dict:
    """Time every builder for one year, all estates and one estate; returns {label: (median, max)}."""
    from .kinds import KINDS

    period = _year()
    department = _department()
    estate = _busiest_estate(ctx)
    scopes = [("all estates", None)] + ([(f"estate {estate}", [estate])] if estate else [])
    results = {}
    ctx.info["reports: year"] = period.label
    for kind, spec in KINDS.items():
        for scope_label, estate_ids in scopes:
            if not spec.estate_scoped and estate_ids is not None:
                continue
            median, slowest = _timed(lambda spec=spec, estate_ids=estate_ids: spec.build(
                period=period, estate_ids=estate_ids, department=department), runs)
            results[f"{kind} ({scope_label})"] = (median, slowest)
            ctx.info[f"report {kind} ({scope_label})"] = _line(median, slowest, REPORT_GOAL_MS)
    return results


def time_home(ctx: BenchContext, runs: int = RUNS) -> tuple[float, float] | None:
    """GET "/" as the demo customer-service manager (or the bench one): (median, max) ms."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    user = User.objects.filter(username="cs_manager", is_active=True).first() or ctx.users.get(Role.CS_MANAGER.value)
    if user is None:
        return None
    client = Client()
    client.force_login(user)
    client.get("/")  # warm-up: caches, the session

    def get():
        response = client.get("/")
        if response.status_code != 200:
            raise RuntimeError(f"home page answered {response.status_code}")
        b"".join(response.streaming_content) if response.streaming else response.content

    median, slowest = _timed(get, runs)
    ctx.info[f"home page as {user.username}"] = _line(median, slowest, HOME_GOAL_MS)

    def charts():  # the manager panel's charts, fetched by the page after it has loaded
        response = client.get(reverse("reports:dashboard_charts"))
        if response.status_code != 200:
            raise RuntimeError(f"dashboard charts answered {response.status_code}")

    chart_median, chart_slowest = _timed(charts, runs)
    ctx.info["dashboard charts (loaded after the page)"] = f"median {chart_median:.0f} ms, max {chart_slowest:.0f} ms"
    return median, slowest


def setup(ctx: BenchContext) -> None:
    if not ctx.runs_of("report_centre"):
        return
    time_builders(ctx)
    time_home(ctx)


OPERATIONS = [
    Operation("report_centre", "reports:report_list", "报告中心（报告列表）", roles=(Role.CS_MANAGER,)),
]
