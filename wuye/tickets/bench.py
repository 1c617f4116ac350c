"""Benchmark set-up and operations of the tickets app (see ``wuye.core.bench``), measured through the real views:
the agent's ticket list (one estate, open tickets, first page), a two-character Chinese search, the ticket page,
ticket creation (the intake form, POST), a transition (assign, POST), the complaint statistics for one year and
the complaint register's first page. ``manage.py bench tickets`` runs just these.

The bench agent serves one estate: the one with the most tickets. The sample ticket is that estate's most recent
open ticket (chosen before the set-up adds its own tickets).

- ``ticket_create`` posts the intake form as a caller on the phone: a customer picked from the lookup, their unit,
  a repair in 工程维修/水电. Each run uses another occupied unit without an open ticket of that category in the
  duplicate window, so the duplicate check runs (and finds nothing) and the view saves and redirects (302) to
  the new ticket; when the estate has too few such units the remaining runs tick "not a repeat" instead.
- ``ticket_assign`` posts the assign step (派单, accepted -> assigned, to the bench agent) on a fresh accepted
  ticket each run, with the version the step form carries; the set-up creates these tickets through
  ``services.ticket_create`` (common-area tickets, so they are no duplicates of the intake runs). Being the
  newest open tickets they can appear on the list's first page when the estate has few urgent complaints or
  overdue tickets (which come first); the page size, and so the list's cost, is the same.

Everything, set-up tickets included, is rolled back with the bench's transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from wuye.core.bench import BenchContext, Operation
from wuye.core.roles import Role
from wuye.core.scope import forget

from .choices import OPEN_STATUSES, Channel, Priority, TicketKind
from .models import Ticket, TicketCategory

SEARCH = "漏水"
CATEGORY = "工程维修/水电"


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
    sample = ctx.samples["tickets"] = {"estate": estate.pk, "ticket": ticket.pk if ticket else None,
                                       "year_day": _busy_year(estate).isoformat()}
    ctx.info["ticket bench agent serves"] = f"{estate.name} ({top['n']} tickets)"
    category = TicketCategory.objects.filter(path=CATEGORY, is_active=True).first()
    sample["category"] = category.pk if category else None
    sample["callers"] = _callers(estate, category, ctx.runs_of("ticket_create"))
    if agent is not None and hasattr(agent, "staff"):
        sample["assignee"] = agent.staff.pk
        sample["fresh"] = _fresh_tickets(agent, estate, category, ctx.runs_of("ticket_assign"))


def _busy_year(estate):
    """A day of the year with the most complaints of the latest two (the current year may have just begun, or
    hold only a few demo tickets beside imported history)."""
    latest = Ticket.objects.order_by("-reported_at").values_list("reported_at", flat=True).first()
    year = timezone.localtime(latest).year
    counts = {y: Ticket.objects.filter(kind=TicketKind.COMPLAINT, reported_at__year=y).count()
              for y in (year, year - 1)}
    busiest = max(counts, key=lambda y: (counts[y], y))
    return dt.date(busiest, 12, 31) if busiest < year else timezone.localtime(latest).date()


def _callers(estate, category, runs: int) -> list[dict]:
    """Up to ``runs`` (unit code, customer) pairs of the estate's occupied units that have no open ticket of
    ``category`` in the duplicate window (a run on such a unit is saved at once)."""
    if runs <= 0:
        return []
    from wuye.estates.models import Occupancy

    from .selectors import duplicate_candidates
    from .views.tickets import duplicate_since

    since = duplicate_since()
    callers, seen = [], set()
    occupancies = (Occupancy.objects.filter(unit__estate=estate, end_date__isnull=True, customer__estate=estate)
                   .select_related("unit").order_by("unit_id", "pk"))
    for occupancy in occupancies[: runs * 4]:
        if occupancy.unit_id in seen:
            continue
        seen.add(occupancy.unit_id)
        if category is not None and duplicate_candidates(unit=occupancy.unit, category=category,
                                                         since=since).exists():
            continue
        callers.append({"unit_code": occupancy.unit.code, "customer": occupancy.customer_id})
        if len(callers) == runs:
            break
    return callers


def _fresh_tickets(agent, estate, category, runs: int) -> list[int]:
    """``runs`` accepted common-area tickets of ``estate``, one for each run of the transition."""
    from . import services

    return [services.ticket_create(actor=agent, estate=estate, kind=TicketKind.REPAIR, priority=Priority.NORMAL,
                                   channel=Channel.PHONE, category=category, location="3号楼电梯厅",
                                   title=f"bench {n}: 电梯厅照明不亮", description="巡查发现电梯厅灯不亮。").pk
            for n in range(runs)]


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


def _intake_data(ctx: BenchContext, run: int) -> dict | None:
    """The intake form of run ``run``: a phone call about a leaking pipe from the run's own caller."""
    sample = ctx.samples.get("tickets")
    if not sample:
        return None
    data = {"estate": sample["estate"], "kind": TicketKind.REPAIR.value, "priority": Priority.NORMAL.value,
            "channel": Channel.PHONE.value, "category": sample["category"] or "",
            "title": f"bench {run}: 厨房水管漏水", "description": "业主来电：厨房水槽下方水管漏水。",
            "customer": "", "unit_code": "", "location": "", "contact_name": "", "contact_phone": "",
            "assignee": "", "department": ""}
    callers = sample["callers"]
    if run < len(callers):
        data.update(callers[run])
    elif callers:  # more runs than free units: the agent confirms it is a new request
        data.update(callers[run % len(callers)], allow_duplicate="on")
    else:
        data["location"] = "小区东门"
    return data


def _fresh(ctx: BenchContext, run: int) -> int | None:
    fresh = (ctx.samples.get("tickets") or {}).get("fresh") or []
    return fresh[run] if run < len(fresh) else None


def _assign_args(ctx: BenchContext, run: int) -> list | None:
    pk = _fresh(ctx, run)
    return [pk, "assign"] if pk else None


def _assign_data(ctx: BenchContext, run: int) -> dict | None:
    """The assign step's form: to the bench agent, with the version the page showed."""
    pk = _fresh(ctx, run)
    if pk is None:
        return None
    version = Ticket.objects.filter(pk=pk).values_list("version", flat=True).first()
    return {"assignee": ctx.samples["tickets"]["assignee"], "department": "", "comment": "", "version": version}


OPERATIONS = [
    Operation("ticket_list", "tickets:ticket_list", "工单列表：一个项目的未办结工单第一页", query=_list_query),
    Operation("ticket_search", "tickets:ticket_list", f"工单搜索：两个汉字 ?q={SEARCH}", query=_search_query),
    Operation("ticket_page", "tickets:ticket", "工单页面（最新的未办结工单）", args=_ticket_args),
    Operation("ticket_create", "tickets:ticket_add", "新建工单：来电登记表单提交（302 到新工单）", method="post",
              data=_intake_data),
    Operation("ticket_assign", "tickets:ticket_step", "工单流转：派单（已受理 → 已派单，每次一张新工单）",
              method="post", args=_assign_args, data=_assign_data),
    Operation("complaint_stats_year", "tickets:complaint_stats", "客户投诉案件统计表：一年", query=_stats_query,
              roles=(Role.CS_MANAGER,)),
    Operation("complaint_register", "tickets:complaint_register", "客户投诉案件登记追踪表第一页",
              query=_register_query, roles=(Role.CS_MANAGER,)),
]
