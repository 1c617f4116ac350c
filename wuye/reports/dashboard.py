"""The home page per role (the manager's desk, issue 9): the figure queries and the panels.

Three panels, registered in ``ReportsConfig.ready`` beside the other apps' panels (which stay):

- ``agent_panel`` — an agent's own work: open tickets assigned to them, those of them overdue, urgent open
  complaints in the estates they serve, callbacks due (and overdue) there.
- ``manager_panel`` — the customer-service manager's key figures (tickets today / this month / last month, urgent
  and overdue complaints, callbacks due, expiring contracts, overdue paper loans, open corrective actions, surveys
  due, the management review's due date, the year's budget execution), the satisfaction trend of the last 12
  months and this month's tickets by day (ECharts, served locally).
- ``executive_panel`` — top management: the quality objectives, target against this year's actual, the management
  review's status, open corrective actions and the year's satisfaction.

Every figure is ``{"key", "label", "value", "url"}``: ``url`` opens the list filtered to exactly the rows counted
(``tests/test_dashboard.py`` follows each one). Every count starts from ``restrict()`` like the list it links to.
The manager's ticket figures are four indexed aggregates: the queue's urgent and overdue part (``queue_rank``), the
callbacks due (``status``), the last two months and the last twelve (``kind, reported_at``: the statistics index,
which covers every column counted there) with a ``Count(filter=...)`` per day or month on plain ``reported_at``
comparisons (no per-row date conversion), so the page stays fast over a million tickets.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wuye.core.querysets import restrict
from wuye.core.scope import user_scope

# permissions that pick the panels (see each app's roles.py): the manager configures and reads the reports, the
# agent works tickets without the reports, top management approves the quality policy
MANAGER_PERMS = ("tickets.view_reports", "tickets.assign_ticket")
AGENT_PERMS = ("tickets.view_ticket", "tickets.handle_ticket")
EXECUTIVE_PERM = "quality.approve_qualitypolicy"
CONTRACT_ALERT_DAYS = 90  # the contracts app's widest alert window (90/60/30 days, ``contracts_refresh``)
TREND_MONTHS = 12


# --- dates ---------------------------------------------------------------------------------------------------------


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight at the start of ``day`` (the ticket list's ``reported_after``/``reported_before`` are local
    dates too)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def month_start(day: dt.date, back: int = 0) -> dt.date:
    """The first day of ``day``'s month, ``back`` months earlier."""
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(first: dt.date) -> dt.date:
    return month_start(first, -1) - dt.timedelta(days=1)


def _url(name: str, params=None) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def _figure(key, label, value, url, color="primary", note=None) -> dict:
    return {"key": key, "label": label, "value": value, "url": url, "color": color, "note": note}


# --- tickets -------------------------------------------------------------------------------------------------------


def _tickets(user):
    from wuye.tickets.models import Ticket

    return restrict(Ticket.objects.all(), user, "view")


def ticket_work_counts(user, *, now: dt.datetime | None = None, staff=None) -> dict:
    """The open work among the tickets ``user`` may see, in narrow indexed reads: urgent open complaints, overdue
    open complaints, open overdue tickets (all within the queue index's ``queue_rank >= 1``, see
    ``tickets.selectors.OVERDUE_Q``), callbacks due and overdue (index ``status``), and — with ``staff`` — the open
    tickets assigned to them (index ``assignee, status``) and those of them overdue."""
    from wuye.tickets.choices import OPEN_STATUSES, Priority, TicketKind
    from wuye.tickets.filtersets import callback_due_condition

    now = now or timezone.now()
    tickets = _tickets(user).order_by()
    open_ = Q(status__in=OPEN_STATUSES)
    complaint = Q(kind=TicketKind.COMPLAINT)
    queue = {  # every row counted here is an open urgent complaint or open and overdue: queue_rank 2 or 1
        "urgent_complaints": Count("pk", filter=open_ & complaint & Q(priority=Priority.URGENT)),
        "overdue_complaints": Count("pk", filter=open_ & complaint & Q(is_overdue=True)),
        "overdue": Count("pk", filter=open_ & Q(is_overdue=True)),
    }
    if staff is not None:
        queue["mine_overdue"] = Count("pk", filter=open_ & Q(assignee=staff, is_overdue=True))
    counts = tickets.filter(queue_rank__gte=1).aggregate(**queue)
    callback = callback_due_condition()
    counts.update(tickets.filter(callback).aggregate(
        callbacks_due=Count("pk"), callbacks_overdue=Count("pk", filter=Q(callback_due__lt=now))))
    if staff is not None:
        counts["mine"] = tickets.filter(open_, assignee=staff).count()
    return counts


def _between(start: dt.date, end: dt.date) -> Q:
    """Reported on the local days ``start``..``end``: plain comparisons on ``reported_at`` (no per-row date
    conversion, which SQLite does in Python), the same rows as the list's ``reported_after``/``reported_before``."""
    return Q(reported_at__gte=day_start(start), reported_at__lt=day_start(end + dt.timedelta(days=1)))


def _statistics_range(user, start: dt.date, end: dt.date):
    """The tickets ``user`` may see reported in ``start``..``end``, said so that the statistics index (``kind,
    reported_at, ...``, which holds every column counted here) answers alone."""
    from wuye.tickets.choices import TicketKind

    return _tickets(user).filter(_between(start, end), kind__in=TicketKind.values).order_by()


def tickets_by_day(user, start: dt.date, end: dt.date, *, before: dt.date | None = None) -> dict:
    """{local day: tickets reported} for ``start``..``end``: one aggregate, a ``Count(filter=...)`` per day; with
    ``before``, also ``"before"``: the tickets reported from ``before`` to the day before ``start`` (one more count
    in the same query)."""
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    aggregates = {f"d{i}": Count("pk", filter=_between(day, day)) for i, day in enumerate(days)}
    if before is not None:
        aggregates["before"] = Count("pk", filter=_between(before, start - dt.timedelta(days=1)))
    counts = _statistics_range(user, before or start, end).aggregate(**aggregates)
    result = {day: counts[f"d{i}"] for i, day in enumerate(days)}
    if before is not None:
        result["before"] = counts["before"]
    return result


def ticket_satisfaction_by_month(user, first: dt.date, end: dt.date) -> dict[dt.date, dict]:
    """{first day of month: {"rated", "satisfied"}} of the tickets reported in each month from ``first`` to ``end``
    (cancelled left out): the ticket statistics' 满意率 (rated 基本满意 or better over rated); one aggregate."""
    from wuye.tickets.choices import SATISFIED_MIN, TicketStatus

    months = []
    while first <= end:
        months.append(first)
        first = month_start(first, -1)
    aggregates = {}
    for i, start in enumerate(months):
        within = _between(start, min(month_end(start), end))
        aggregates[f"r{i}"] = Count("pk", filter=within)
        aggregates[f"s{i}"] = Count("pk", filter=within & Q(satisfaction__gte=SATISFIED_MIN))
    counts = (_statistics_range(user, months[0], end).filter(satisfaction__isnull=False)
              .exclude(status=TicketStatus.CANCELLED).aggregate(**aggregates)) if months else {}
    return {start: {"rated": counts[f"r{i}"], "satisfied": counts[f"s{i}"]} for i, start in enumerate(months)}


def _rate(part, whole):
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")) if whole else None


def satisfaction_trend(user, today: dt.date) -> dict:
    """The last 12 months: the tickets' callback 满意率 and the surveys' 满意率 (``surveys.selectors.results.
    satisfaction_rate`` over the estates the user serves), ``{"months": ["2026-01", ...], "tickets": [...],
    "surveys": [...]}`` (None where nothing was rated)."""
    first = month_start(today, TREND_MONTHS - 1)
    tickets = ticket_satisfaction_by_month(user, first, today)
    scope = user_scope(user)
    estate_ids = None if scope.all_estates else sorted(scope.estate_ids)
    may_see_surveys = user.has_perm("surveys.view_campaign")
    months, ticket_rates, survey_rates = [], [], []
    for back in range(TREND_MONTHS - 1, -1, -1):
        start = month_start(today, back)
        end = min(month_end(start), today)
        months.append(start.strftime("%Y-%m"))
        row = tickets.get(start, {"rated": 0, "satisfied": 0})
        ticket_rates.append(_rate(row["satisfied"], row["rated"]))
        if may_see_surveys:
            from wuye.surveys.selectors.results import satisfaction_rate

            survey_rates.append(satisfaction_rate(start, end, estate_ids=estate_ids)["rate"])
    return {"months": months, "tickets": ticket_rates, "surveys": survey_rates if may_see_surveys else None}


def _chart_number(value):
    return float(value) if value is not None else None


# --- the agent -----------------------------------------------------------------------------------------------------


def agent_figures(user, now: dt.datetime | None = None) -> list[dict]:
    from wuye.org.selectors import staff_of

    staff = staff_of(user)
    counts = ticket_work_counts(user, now=now, staff=staff)
    figures = []
    if staff is not None:
        figures += [
            _figure("mine", _("My open tickets"), counts["mine"],
                    _url("tickets:ticket_list", {"mine": "on", "status": "open"})),
            _figure("mine_overdue", _("Mine overdue"), counts["mine_overdue"],
                    _url("tickets:ticket_list", {"mine": "on", "status": "open", "overdue": "true"}), "danger"),
        ]
    figures += [
        _figure("urgent_complaints", _("Urgent open complaints"), counts["urgent_complaints"],
                _url("tickets:ticket_list", {"kind": "complaint", "priority": "urgent", "status": "open"}),
                "danger"),
        _figure("callbacks_due", _("Callbacks due"), counts["callbacks_due"],
                _url("tickets:ticket_list", {"callback": "due"}), "warning"),
        _figure("callbacks_overdue", _("Callbacks overdue"), counts["callbacks_overdue"],
                _url("tickets:ticket_list", {"callback": "overdue"}), "danger"),
    ]
    return figures


def agent_panel(request):
    """An agent's own work (the queue panel of the tickets app lists the tickets themselves)."""
    user = request.user
    if not all(user.has_perm(p) for p in AGENT_PERMS) or user.has_perm("tickets.view_reports"):
        return None
    if user_scope(user).is_resident:
        return None
    return {"template": "reports/dashboard/agent.html", "css": "col-12 col-xl-6", "position": 10,
            "title": _("My work"), "figures": agent_figures(user)}


# --- the manager ---------------------------------------------------------------------------------------------------


def _period_url(start: dt.date, end: dt.date) -> str:
    return _url("tickets:ticket_list", {"reported_after": start.isoformat(), "reported_before": end.isoformat()})


def ticket_period_counts(user, today: dt.date) -> dict:
    """Tickets reported today, this month and last month among those ``user`` may see: one aggregate over the
    statistics index range from the first day of last month to today."""
    last_start, this_start = month_start(today, 1), month_start(today)
    return _statistics_range(user, last_start, today).aggregate(
        today=Count("pk", filter=_between(today, today)),
        this_month=Count("pk", filter=_between(this_start, today)),
        last_month=Count("pk", filter=_between(last_start, this_start - dt.timedelta(days=1))))


def _ticket_period_figures(user, today: dt.date) -> list[dict]:
    last_start = month_start(today, 1)
    this_start = month_start(today)
    counts = ticket_period_counts(user, today)
    last_end = this_start - dt.timedelta(days=1)
    return [
        _figure("today", _("Tickets today"), counts["today"], _period_url(today, today)),
        _figure("this_month", _("Tickets this month"), counts["this_month"], _period_url(this_start, today),
                note=_("last month: %(n)s") % {"n": counts["last_month"]}),
        _figure("last_month", _("Tickets last month"), counts["last_month"], _period_url(last_start, last_end),
                "secondary"),
    ]


def by_day_chart(user, today: dt.date) -> dict:
    """This month's tickets by day, each bar linking to that day's ticket list."""
    this_start = month_start(today)
    by_day = tickets_by_day(user, this_start, today)
    days = [this_start + dt.timedelta(days=i) for i in range((today - this_start).days + 1)]
    return {"days": [d.strftime("%m-%d") for d in days], "counts": [by_day.get(d, 0) for d in days],
            "urls": [_period_url(d, d) for d in days]}


def manager_figures(user, today: dt.date | None = None, now: dt.datetime | None = None) -> list[dict]:
    """The key figures of the manager's panel, each only for a user who may open the list behind it."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    figures = _ticket_period_figures(user, today)
    counts = ticket_work_counts(user, now=now)
    figures += [
        _figure("urgent_complaints", _("Urgent open complaints"), counts["urgent_complaints"],
                _url("tickets:ticket_list", {"kind": "complaint", "priority": "urgent", "status": "open"}), "danger"),
        _figure("overdue_complaints", _("Overdue complaints"), counts["overdue_complaints"],
                _url("tickets:ticket_list", {"kind": "complaint", "overdue": "true", "status": "open"}), "danger"),
        _figure("callbacks_due", _("Callbacks due"), counts["callbacks_due"],
                _url("tickets:ticket_list", {"callback": "due"}), "warning"),
        _figure("callbacks_overdue", _("Callbacks overdue"), counts["callbacks_overdue"],
                _url("tickets:ticket_list", {"callback": "overdue"}), "danger"),
    ]
    if user.has_perm("contracts.view_contract"):
        from wuye.contracts import selectors as contracts

        figures.append(_figure(
            "expiring_contracts", _("Contracts ending within %(days)s days") % {"days": CONTRACT_ALERT_DAYS},
            contracts.expiring_within(contracts.register(user), CONTRACT_ALERT_DAYS, today).count(),
            _url("contracts:contract_list", {"expiring_within": CONTRACT_ALERT_DAYS}), "warning"))
    if user.has_perm("documents.view_loan"):
        from wuye.documents.models import Loan
        from wuye.documents.selectors import loans_needing_attention

        overdue_loans, _waiting = loans_needing_attention(now=now)
        figures.append(_figure(
            "overdue_loans", _("Overdue paper loans"),
            restrict(Loan.objects.all(), user, "view").filter(pk__in=overdue_loans.values("pk")).count(),
            _url("documents:loan_list", {"overdue": "true"}), "danger"))
    if user.has_perm("quality.view_correctiveaction"):
        figures.append(open_actions_figure(user))
    if user.has_perm("surveys.view_surveyschedule"):
        from wuye.surveys.selectors.campaigns import survey_due

        figures.append(_figure("surveys_due", _("Estates due for a survey"), len(survey_due(user, today)),
                               _url("surveys:schedule"), "warning"))
    if user.has_perm("quality.view_managementreview"):
        figures.append(review_due_figure(today))
    if user.has_perm("budgets.view_budget"):
        figures.append(budget_figure(user, today))
    return figures


def open_actions_figure(user) -> dict:
    from wuye.quality.choices import OPEN_ACTION_STATES
    from wuye.quality.selectors.actions import register

    return _figure("open_actions", _("Open corrective actions"),
                   register(user).filter(state__in=OPEN_ACTION_STATES).count(),
                   _url("quality:correctiveaction_list", {"state": [str(s) for s in OPEN_ACTION_STATES]}), "warning")


def review_due_figure(today: dt.date) -> dict:
    from wuye.quality.selectors.reviews import review_status

    status = review_status(today)
    due = status["next_planned_on"] or status["due_by"]
    return _figure("review_due", _("Management review due"), due,
                   _url("quality:managementreview_list"), "danger" if status["overdue"] else "primary",
                   note=_("overdue") if status["overdue"] else None)


def budget_execution_of_year(user, year: int) -> dict:
    """The approved (or closed) budgets of ``year`` the user may see: their total, the expenses recorded against
    them, the execution % (two aggregate queries)."""
    from wuye.budgets.choices import ExpenseStatus
    from wuye.budgets.models import Budget, BudgetLine, Expense
    from wuye.budgets.selectors import LIVE, percent

    budgets = restrict(Budget.objects.all(), user, "view").filter(year=year, status__in=LIVE)
    annual = BudgetLine.objects.filter(budget__in=budgets.values("pk")).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    actual = Expense.objects.filter(budget__in=budgets.values("pk"), status=ExpenseStatus.RECORDED).aggregate(
        s=Sum("amount"))["s"] or Decimal(0)
    return {"annual": annual, "actual": actual, "percent": percent(actual, annual)}


def budget_figure(user, today: dt.date) -> dict:
    execution = budget_execution_of_year(user, today.year)
    pct = execution["percent"]
    color = "danger" if pct is not None and pct >= 100 else ("warning" if pct is not None and pct >= 90 else "success")
    return _figure("budget_execution", _("Budget executed this year (%)"), pct,
                   _url("budgets:budget_list", {"year": today.year}), color,
                   note=_("%(actual)s of %(annual)s") % {"actual": execution["actual"], "annual": execution["annual"]})


def may_see_manager_panel(user) -> bool:
    return all(user.has_perm(p) for p in MANAGER_PERMS)


def manager_charts(user, today: dt.date) -> dict:
    """The manager panel's two charts: the satisfaction trend of the last 12 months and this month's tickets by
    day. They read a year of ratings, so the page asks for them after it has loaded (``reports:dashboard_charts``)
    and the numbers show at once."""
    trend = satisfaction_trend(user, today)
    return {
        "trend": {"months": trend["months"], "tickets": [_chart_number(v) for v in trend["tickets"]],
                  "surveys": [_chart_number(v) for v in trend["surveys"]] if trend["surveys"] is not None else None,
                  "labels": {"tickets": str(_("Callback satisfaction (tickets)")),
                             "surveys": str(_("Survey satisfaction"))}},
        "by_day": {**by_day_chart(user, today), "label": str(_("Tickets"))},
    }


def manager_panel(request):
    user = request.user
    if not may_see_manager_panel(user):
        return None
    today = timezone.localdate()
    return {"template": "reports/dashboard/manager.html", "css": "col-12", "position": 10,
            "title": _("Key figures"), "figures": manager_figures(user, today),
            "charts": {"url": reverse("reports:dashboard_charts")},
            "stats_url": reverse("tickets:complaint_stats")}


# --- top management ------------------------------------------------------------------------------------------------


def objective_figures(user, today: dt.date) -> tuple[object, list[dict]]:
    """The published policy's objectives with this year's actual (``quality.selectors.policy.objective_rows``)."""
    from wuye.quality.choices import PolicyStatus
    from wuye.quality.models import QualityPolicy
    from wuye.quality.selectors.policy import objective_rows

    policy = restrict(QualityPolicy.objects.all(), user, "view").filter(status=PolicyStatus.PUBLISHED).first()
    if policy is None:
        return None, []
    objectives = policy.objectives.select_related("estate", "department").order_by("pk")
    return policy, objective_rows(objectives, dt.date(today.year, 1, 1), today)


def executive_figures(user, today: dt.date | None = None) -> dict:
    from wuye.quality.selectors.reviews import review_status

    today = today or timezone.localdate()
    status = review_status(today)
    figures = [review_due_figure(today), _figure(
        "review_actions_overdue", _("Review actions overdue"), status["overdue_actions"],
        _url("quality:actionitem_list", {"parent": "review", "overdue": "true"}), "danger")]
    if user.has_perm("quality.view_correctiveaction"):
        figures.append(open_actions_figure(user))
    start = dt.date(today.year, 1, 1)
    tickets = ticket_satisfaction_by_month(user, start, today) if user.has_perm("tickets.view_ticket") else {}
    rated = sum(r["rated"] for r in tickets.values())
    satisfied = sum(r["satisfied"] for r in tickets.values())
    figures.append(_figure("ticket_satisfaction", _("Callback satisfaction this year (%)"), _rate(satisfied, rated),
                           _url("tickets:complaint_stats"), "success",
                           note=_("%(satisfied)s of %(rated)s rated") % {"satisfied": satisfied, "rated": rated}))
    if user.has_perm("surveys.view_campaign"):
        from wuye.surveys.selectors.results import satisfaction_rate

        scope = user_scope(user)
        survey = satisfaction_rate(start, today, None if scope.all_estates else sorted(scope.estate_ids))
        figures.append(_figure("survey_satisfaction", _("Survey satisfaction this year (%)"), survey["rate"],
                               _url("surveys:campaign_list"), "success",
                               note=_("%(satisfied)s of %(answered)s answers") % survey))
    policy, rows = objective_figures(user, today)
    return {"figures": figures, "review": status, "policy": policy, "objectives": rows, "year": today.year}


def executive_panel(request):
    user = request.user
    if not user.has_perm(EXECUTIVE_PERM):
        return None
    return {"template": "reports/dashboard/executive.html", "css": "col-12", "position": 10,
            "title": _("Quality at a glance"), **executive_figures(user)}


PANELS = [manager_panel, agent_panel, executive_panel]
