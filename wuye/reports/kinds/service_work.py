"""客户服务工作报告 (customer service work report): the tickets received in the period — volumes, timeliness,
satisfaction, callbacks, first-time resolution and reopens — overall (against the previous period), by kind, by
estate, by handler and by month.

Two SQL scans whatever the volume: the period's tickets grouped by kind × estate × handler × month with every
aggregate of ``tickets.reports.ticket_aggregates`` (all additive), and the previous period's grouped by kind.
Python adds up the grouped rows and derives the rates with ``ticket_figures``, as the complaint statistics do."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from wuye.tickets.choices import TicketKind, TicketStatus
from wuye.tickets.models import Ticket
from wuye.tickets.reports import AGGREGATE_KEYS, Period, month_bucket, ticket_aggregates, ticket_figures

from .common import (
    change,
    chart,
    content,
    estate_names,
    figure,
    in_estates,
    list_url,
    month_labels,
    section,
    single_estate,
    table,
    text,
)

LIST = "tickets:ticket_list"


def _tickets(period: Period, estate_ids):
    return in_estates(Ticket.objects.filter(reported_at__gte=period.start_at, reported_at__lt=period.end_at),
                      estate_ids).order_by()


def grouped(period: Period, estate_ids, fields=("kind", "estate_id", "assignee_id"), months: bool = True) -> list:
    """The period's tickets grouped by ``fields`` (and the month index as ``month_index``) with every aggregate."""
    qs = _tickets(period, estate_ids)
    names = list(fields)
    if months:
        qs = qs.annotate(month_index=month_bucket(period))
        names.append("month_index")
    return list(qs.values(*names).annotate(**ticket_aggregates()))


def add_up(rows, key=None) -> dict:
    """``{key(row): summed aggregates}`` (or the sum of all rows without ``key``)."""
    if key is None:
        total = dict.fromkeys(AGGREGATE_KEYS, 0)
        for row in rows:
            for k in AGGREGATE_KEYS:
                total[k] += row[k] or 0
        return total
    result: dict = {}
    for row in rows:
        total = result.setdefault(key(row), dict.fromkeys(AGGREGATE_KEYS, 0))
        for k in AGGREGATE_KEYS:
            total[k] += row[k] or 0
    return result


# (key, label, unit) of the overview, by section
VOLUMES = [
    ("received", gettext_lazy("Received"), ""),
    ("resolved", gettext_lazy("Resolved"), ""),
    ("open", gettext_lazy("Still open"), ""),
    ("cancelled", gettext_lazy("Cancelled"), ""),
    ("urgent", gettext_lazy("Urgent"), ""),
]
TIMELINESS = [
    ("response_on_time_rate", gettext_lazy("Answered on time"), "%"),
    ("onsite_on_time_rate", gettext_lazy("On site on time"), "%"),
    ("on_time_rate", pgettext_lazy("rate", "Resolved on time"), "%"),
    ("overdue", gettext_lazy("Overdue"), ""),
    ("avg_handling_hours", gettext_lazy("Average handling time (hours)"), ""),
]
SATISFACTION = [
    ("rated", gettext_lazy("Rated tickets"), ""),
    ("satisfaction_avg", gettext_lazy("Average satisfaction (1–5)"), ""),
    ("satisfaction_rate", gettext_lazy("Satisfaction rate"), "%"),
]
CALLBACKS = [
    ("callbacks_required", gettext_lazy("Callbacks required"), ""),
    ("callbacks_reached", gettext_lazy("Callbacks done"), ""),
    ("callback_rate", gettext_lazy("Callback rate"), "%"),
]
FIRST_TIME = [
    ("first_time", pgettext_lazy("count", "Resolved the first time"), ""),
    ("first_time_rate", gettext_lazy("First-time resolution"), "%"),
    ("reopened_tickets", gettext_lazy("Tickets reopened"), ""),
    ("reopens", gettext_lazy("Reopens"), ""),
]

# the columns of the by-kind, by-estate, by-handler and by-month tables
TABLE = [
    ("received", gettext_lazy("received")),
    ("resolved", gettext_lazy("resolved")),
    ("open", gettext_lazy("open")),
    ("overdue", gettext_lazy("overdue")),
    ("on_time_rate", gettext_lazy("resolved on time %")),
    ("avg_handling_hours", gettext_lazy("average handling hours")),
    ("callback_rate", gettext_lazy("callback rate %")),
    ("satisfaction_avg", gettext_lazy("average satisfaction")),
    ("satisfaction_rate", gettext_lazy("satisfaction rate %")),
    ("first_time_rate", gettext_lazy("first-time resolution %")),
    ("reopens", gettext_lazy("reopens")),
]

NOTES = [
    gettext_lazy("All figures count the tickets received (reported) in the period, whatever their state now; "
                 "cancelled tickets count only as cancelled."),
    gettext_lazy("Resolved on time: resolved within the time limit, over resolved tickets with a limit. "
                 "Satisfaction rate: rated Fairly satisfied or better, over rated tickets. Callback rate: customers "
                 "reached after the resolution, over resolved tickets that required a callback."),
    gettext_lazy("First-time resolution: resolved tickets never reopened, over resolved tickets."),
]


def _row(label, figures: dict) -> list:
    return [label, *[figures.get(key) for key, _label in TABLE]]


def _columns(first) -> list:
    return [first, *[label for _key, label in TABLE]]


def overview(period: Period, estate_ids, detail: bool = True) -> tuple[dict, dict, list, list]:
    """(this period's figures, the previous period's, the grouped rows of both) — for this report and the work
    summary (``detail=False``: grouped by kind and month only, without estates and handlers: a third cheaper)."""
    rows = grouped(period, estate_ids, fields=("kind", "estate_id", "assignee_id") if detail else ("kind",))
    previous_rows = grouped(period.previous(), estate_ids, fields=("kind",), months=False)
    return ticket_figures(add_up(rows)), ticket_figures(add_up(previous_rows)), rows, previous_rows


def build(*, period: Period, estate_ids: list[int] | None, department=None, detail: bool = True) -> dict:
    """The report; ``detail=False`` (the work summary) leaves out the by-estate, by-handler and by-month
    sections."""
    current, previous, rows, previous_rows = overview(period, estate_ids, detail)
    prev_label = period.previous().label
    one = single_estate(estate_ids)

    def url(**params):
        return list_url(LIST, reported_after=period.start, reported_before=period.end, estate=one, **params)

    # only where the list's filter selects exactly the tickets counted (the list has no "not cancelled" filter)
    links = {"open": url(status="open"), "cancelled": url(status=TicketStatus.CANCELLED.value)}

    def figures(spec):
        return [figure(key, label, current.get(key), unit, url=links.get(key), previous=previous.get(key),
                       change=change(current.get(key), previous.get(key))) for key, label, unit in spec]

    months = month_labels(period)
    per_kind_month = add_up(rows, key=lambda r: (r["kind"], r["month_index"]))
    per_kind = add_up(rows, key=lambda r: r["kind"])
    prev_kind = add_up(previous_rows, key=lambda r: r["kind"])
    kind_rows = []
    for value, label in TicketKind.choices:
        f = ticket_figures(per_kind.get(value, {}))
        before = (prev_kind.get(value) or {}).get("received", 0)
        kind_rows.append([text(label), f["received"], before, f["received"] - before, f["resolved"], f["open"],
                          f["cancelled"], f["overdue"]])
    volumes = section("volumes", _("Volumes"), figures=figures(VOLUMES), tables=[
        table("by_kind", pgettext("ticket", "By kind"), [
            _("kind"), _("received"), _("previous period"), _("change"), _("resolved"),
                                        _("open"), _("cancelled"), _("overdue")], kind_rows)],
        chart=chart("bar", months, [(label, [(per_kind_month.get((value, i)) or {}).get("received", 0)
                                             for i in range(len(months))])
                                    for value, label in TicketKind.choices]),
        notes=[*NOTES, _("Previous period: %(label)s.") % {"label": prev_label}])
    timeliness = section("timeliness", _("Timeliness"), figures=figures(TIMELINESS))
    satisfaction = section("satisfaction", _("Satisfaction"), figures=figures(SATISFACTION))
    callbacks = section("callbacks", _("Callbacks"), figures=figures(CALLBACKS))
    first_time = section("first_time", _("First-time resolution and reopens"), figures=figures(FIRST_TIME))

    sections = [volumes, timeliness, satisfaction, callbacks, first_time]
    if not detail:
        return content(_("Customer service work report"), sections)

    per_estate = add_up(rows, key=lambda r: r["estate_id"])
    names = estate_names(per_estate)
    estate_rows = sorted((_row(names.get(pk, ""), ticket_figures(v)) for pk, v in per_estate.items()),
                         key=lambda r: r[0])
    by_estate = section("by_estate", _("By estate"), tables=[
        table("by_estate", _("By estate"), _columns(_("estate")), estate_rows)])

    per_staff = add_up(rows, key=lambda r: r["assignee_id"])
    from wuye.org.models import Staff

    staff_names = dict(Staff.objects.filter(pk__in=set(per_staff) - {None}).values_list("pk", "name"))
    staff_rows = sorted((_row(staff_names.get(pk, "") if pk else _("(no handler)"), ticket_figures(v))
                         for pk, v in per_staff.items()), key=lambda r: (r[0] == _("(no handler)"), r[0]))
    by_staff = section("by_staff", _("By handler"), tables=[
        table("by_staff", _("By handler"), _columns(_("handler")), staff_rows)])

    per_month = add_up(rows, key=lambda r: r["month_index"])
    month_figures = [ticket_figures(per_month.get(i, {})) for i in range(len(months))]
    by_month = section("by_month", _("By month"), tables=[
        table("by_month", _("By month"), _columns(_("month")),
              [_row(m, f) for m, f in zip(months, month_figures, strict=True)])],
        chart=chart("line", months, [(_("received"), [f["received"] for f in month_figures]),
                                     (_("resolved on time %"), [f["on_time_rate"] for f in month_figures]),
                                     (_("satisfaction rate %"), [f["satisfaction_rate"] for f in month_figures])]))
    return content(_("Customer service work report"), [*sections, by_estate, by_staff, by_month])
