"""Benchmark set-up and operations of the tickets app (see ``wuye.core.bench``), measured through the real views:
the agent's ticket list (one estate, open tickets, first page), a two-character Chinese search, the ticket page,
the complaint statistics for one year and the complaint register's first page; ticket creation and a transition
through the services.

The bench agent serves one estate: the one with the most tickets. The sample ticket is that estate's most recent
open ticket.

Creation and the transition are POSTs. ``manage.py bench`` requests GETs only (``Operation`` has no method or
payload yet), so they are measured here, in ``setup``, by calling ``services.ticket_create`` and
``services.ticket_assign`` as the bench agent (inside the bench's transaction, rolled back like everything else):
median, p95 and query count, reported with the data figures (``ctx.info``, ``--ticket-service-runs``).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
import time

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from wuye.core.bench import BenchContext, Operation
from wuye.core.roles import Role
from wuye.core.scope import forget

from .choices import OPEN_STATUSES, Channel, Priority, TicketKind
from .models import Ticket, TicketCategory

SEARCH = "漏水"


def add_arguments(parser) -> None:
    parser.add_argument("--ticket-service-runs", type=int, default=30,
                        help="runs of ticket creation and assignment measured through the services (default 30)")


def setup(ctx: BenchContext) -> None:
    top = (Ticket.objects.values("estate").annotate(n=Count("id")).order_by("-n", "estate").first())
    total = Ticket.objects.count()
    ctx.info["tickets"] = total
    if top is None:
        return
    from wuye.estates.models import Estate

    estate = Estate.objects.get(pk=top["estate"])
    agent = ctx.users.get(Role.AGENT.value)
    if agent is not None and hasattr(agent, "staff"):
        agent.staff.estates.set([estate])
        forget(agent)
    open_tickets = Ticket.objects.filter(estate=estate, status__in=OPEN_STATUSES)
    ticket = open_tickets.order_by("-reported_at", "-id").first() or \
        Ticket.objects.filter(estate=estate).order_by("-reported_at", "-id").first()
    ctx.samples["tickets"] = {"estate": estate.pk, "ticket": ticket.pk if ticket else None,
                              "year_day": _busy_year(estate).isoformat()}
    ctx.info["ticket bench agent serves"] = f"{estate.name} ({top['n']} tickets)"
    runs = int(ctx.options.get("ticket_service_runs") or 30)
    if agent is not None and hasattr(agent, "staff") and runs > 0:
        ctx.info.update(_measure_services(agent, estate, runs))


def _busy_year(estate):
    """A day of the year with the most complaints of the latest two (the current year may have just begun, or
    hold only a few demo tickets beside imported history)."""
    latest = Ticket.objects.order_by("-reported_at").values_list("reported_at", flat=True).first()
    year = timezone.localtime(latest).year
    counts = {y: Ticket.objects.filter(kind=TicketKind.COMPLAINT, reported_at__year=y).count()
              for y in (year, year - 1)}
    busiest = max(counts, key=lambda y: (counts[y], y))
    return dt.date(busiest, 12, 31) if busiest < year else timezone.localtime(latest).date()


def _p95(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _measure_services(agent, estate, runs: int) -> dict:
    """Median / p95 / queries of ``ticket_create`` and ``ticket_assign`` as the bench agent (one warm-up each)."""
    from . import services

    unit = estate.units.order_by("pk").first()
    customer = unit.occupancies.filter(end_date__isnull=True).select_related("customer").first() if unit else None
    category = TicketCategory.objects.filter(path="工程维修/水电").first()
    timings: dict[str, list[tuple[float, int]]] = {"ticket_create": [], "ticket_assign": []}
    for n in range(runs + 1):
        counter = _Counter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            ticket = services.ticket_create(
                actor=agent, estate=estate, unit=unit, customer=customer.customer if customer else None,
                kind=TicketKind.REPAIR, priority=Priority.NORMAL, channel=Channel.PHONE, category=category,
                title=f"bench {n}: 厨房水管漏水", description="业主来电：厨房水槽下方水管漏水。")
            elapsed = time.perf_counter() - started
        if n:
            timings["ticket_create"].append((elapsed * 1000, counter.count))
        counter = _Counter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            services.ticket_assign(actor=agent, ticket=ticket, assignee=agent.staff)
            elapsed = time.perf_counter() - started
        if n:
            timings["ticket_assign"].append((elapsed * 1000, counter.count))
    figures = {}
    for name, rows in timings.items():
        times = [t for t, _q in rows]
        figures[f"{name} (service)"] = (f"median {statistics.median(times):.1f} ms, p95 {_p95(times):.1f} ms, "
                                        f"{max(q for _t, q in rows)} queries, {len(rows)} runs")
    return figures


def _estate(ctx: BenchContext):
    sample = ctx.samples.get("tickets")
    return sample["estate"] if sample else None


def _list_query(ctx: BenchContext) -> dict | None:
    estate = _estate(ctx)
    return {"estate": estate, "status": "open"} if estate else None


def _search_query(ctx: BenchContext) -> dict | None:
    return {"q": SEARCH} if ctx.samples.get("tickets") else None


def _ticket_args(ctx: BenchContext) -> list | None:
    sample = ctx.samples.get("tickets")
    return [sample["ticket"]] if sample and sample["ticket"] else None


def _stats_query(ctx: BenchContext) -> dict | None:
    sample = ctx.samples.get("tickets")
    return {"period": "year", "date": sample["year_day"]} if sample else None


def _register_query(ctx: BenchContext) -> dict | None:
    return {} if ctx.samples.get("tickets") else None


OPERATIONS = [
    Operation("ticket_list", "tickets:ticket_list", "工单列表：一个项目的未办结工单第一页", query=_list_query),
    Operation("ticket_search", "tickets:ticket_list", f"工单搜索：两个汉字 ?q={SEARCH}", query=_search_query),
    Operation("ticket_page", "tickets:ticket", "工单页面（最新的未办结工单）", args=_ticket_args),
    Operation("complaint_stats_year", "tickets:complaint_stats", "客户投诉案件统计表：一年", query=_stats_query,
              roles=(Role.CS_MANAGER,)),
    Operation("complaint_register", "tickets:complaint_register", "客户投诉案件登记追踪表第一页",
              query=_register_query, roles=(Role.CS_MANAGER,)),
]

