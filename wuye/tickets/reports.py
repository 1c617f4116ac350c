"""The manager's reports on tickets (seed: manager form 业务工作 1–4, 管理监督 1).

- 客户投诉案件登记追踪表 (complaint register): ``complaint_register(user=...)`` and ``REGISTER_COLUMNS``, one
  row per complaint with its handling trail; ``ComplaintRegisterFilterSet`` drives the page and the API.
- 客户投诉案件统计表 (complaint statistics) and the same figures for repairs: ``ticket_stats(user=..., kind=...,
  period=..., estate=...)``. Every figure comes from SQL aggregates (``Count(filter=...)``, ``Sum``, grouped
  by local calendar month); Python only adds up the grouped rows, divides the counts into rates and pivots
  them into tables. ``FIGURE_NOTES`` define each figure; the pages print them as footnotes.
- 投诉案件资料 (case file): ``case_files(user=...)``, a ticket with its timeline, notes, files and callbacks
  fetched in a constant number of queries; ``closed_case_files(user=...)`` lists the closed ones to archive.

Everything starts from ``Ticket.objects.restrict(user)``: a user sees the figures of the estates they serve only.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import tempfile
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from wuye.core.exports import neutralise
from wuye.core.filtersets import BaseFilterSet
from wuye.core.forms import BaseForm, DateInput
from wuye.estates.models import Estate
from wuye.org.models import Staff

from .choices import OPEN_STATUSES, SATISFIED_MIN, Channel, Satisfaction, TicketKind, TicketStatus
from .models import Attachment, Callback, ProgressNote, Ticket, TicketCategory, TicketEvent

REPORT_KINDS = (TicketKind.COMPLAINT, TicketKind.REPAIR)
# A PDF of more rows than this takes minutes to lay out and nobody reads it: the page asks to narrow the filter.
REGISTER_PDF_MAX_ROWS = 1000
CASE_FILES_PDF_MAX = 50
MAX_PERIOD_DAYS = 3 * 366


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight at the start of ``day``, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _tickets(user):
    return Ticket.objects.restrict(user, "view")


# --- the complaint register ----------------------------------------------------------------------------------


STATE_OPEN, STATE_ACTIVE, STATE_OVERDUE = "open", "active", "overdue"
STATE_CHOICES = [
    (STATE_OPEN, _("Open (not yet resolved)")),
    (STATE_ACTIVE, _("Not yet closed")),
    (STATE_OVERDUE, _("Overdue")),
    *TicketStatus.choices,
]
YES_NO_UNKNOWN = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not yet decided"))]


class _ReportFilters:
    """What the report filter sets share: date ranges as whole local days (index-friendly ``>=``/``<`` on the
    timestamp), a category that includes its subcategories, and related choices narrowed to what the user may
    see. (``BaseFilterSet`` narrows ``extra["queryset"]``, but django-filter builds the form field from the
    filter's own ``queryset`` attribute, so that is narrowed here too; otherwise an agent is offered, and may
    pick, an estate they do not serve.)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.filters.values():
            if getattr(f, "queryset", None) is not None and f.extra.get("queryset") is not None:
                f.queryset = f.extra["queryset"]

    def _from(self, queryset, field, value):
        return queryset.filter(**{f"{field}__gte": day_start(value)}) if value else queryset

    def _to(self, queryset, field, value):
        return queryset.filter(**{f"{field}__lt": day_start(value + dt.timedelta(days=1))}) if value else queryset

    def filter_category(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(category=value) | Q(category__path__startswith=f"{value.path}/"))


class ComplaintRegisterFilterSet(_ReportFilters, BaseFilterSet):
    """Filters of the complaint register (page, PDF, Excel and API): period, estate, category, handler, state."""

    reported_from = django_filters.DateFilter(method="filter_reported_from", label=_("Received from"),
                                              widget=DateInput)
    reported_to = django_filters.DateFilter(method="filter_reported_to", label=_("Received to"), widget=DateInput)
    estate = django_filters.ModelChoiceFilter(queryset=Estate.objects.all(), label=_("estate"))
    category = django_filters.ModelChoiceFilter(queryset=TicketCategory.objects.all(), method="filter_category",
                                                label=_("category"))
    handler = django_filters.ModelChoiceFilter(field_name="assignee", queryset=Staff.objects.all(),
                                               label=_("handler"))
    state = django_filters.ChoiceFilter(choices=STATE_CHOICES, method="filter_state", label=_("state"))
    valid = django_filters.ChoiceFilter(choices=YES_NO_UNKNOWN, method="filter_valid", label=_("valid complaint"))

    class Meta:
        model = Ticket
        fields = ["q", "reported_from", "reported_to", "estate", "category", "handler", "state", "valid"]

    def filter_reported_from(self, queryset, name, value):
        return self._from(queryset, "reported_at", value)

    def filter_reported_to(self, queryset, name, value):
        return self._to(queryset, "reported_at", value)

    def filter_state(self, queryset, name, value):
        if value == STATE_OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == STATE_ACTIVE:
            return queryset.exclude(status__in=[TicketStatus.CLOSED, TicketStatus.CANCELLED])
        if value == STATE_OVERDUE:
            return queryset.filter(is_overdue=True, status__in=OPEN_STATUSES)
        return queryset.filter(status=value) if value else queryset

    def filter_valid(self, queryset, name, value):
        return queryset.filter(is_valid_complaint={"yes": True, "no": False, "unknown": None}[value]) \
            if value else queryset


def complaint_register(*, user):
    """Every complaint the user may see, newest first, with its latest progress note and callback."""
    notes = ProgressNote.objects.filter(ticket=OuterRef("pk")).order_by("-noted_at", "-id")
    callbacks = Callback.objects.filter(ticket=OuterRef("pk")).order_by("-called_at", "-id")
    return (_tickets(user).filter(kind=TicketKind.COMPLAINT)
            .select_related("estate", "unit", "customer", "category", "assignee", "department")
            .annotate(latest_progress=Subquery(notes.values("body")[:1]),
                      latest_progress_at=Subquery(notes.values("noted_at")[:1]),
                      last_callback_at=Subquery(callbacks.values("called_at")[:1]),
                      last_callback_outcome=Subquery(callbacks.values("outcome")[:1]))
            .order_by("-reported_at", "-id"))


@functools.lru_cache(maxsize=64)
def _labels(name: str, language: str | None) -> dict:
    """{stored value: label} of a choice field in one language, made once (``get_FOO_display`` translates every
    choice on every call: a third of the time of a register page)."""
    choices = {"channel": Channel.choices, "status": TicketStatus.choices, "satisfaction": Satisfaction.choices,
               "yes_no": [(True, _("Yes")), (False, _("No"))]}[name]
    return {value: str(label) for value, label in choices}


def _label(name: str, value) -> str:
    if value is None or value == "":
        return ""
    return _labels(name, get_language()).get(value, str(value))


def _yes_no(value) -> str:
    return _label("yes_no", value)


def _content(ticket) -> str:
    description = (ticket.description or "").strip()
    if description and description != ticket.title:
        return f"{ticket.title}：{description}"
    return ticket.title


def _progress(ticket) -> str:
    return ticket.latest_progress or _label("status", ticket.status)


# (key, header, value of a register row)
REGISTER_COLUMNS = [
    ("number", _("number"), lambda t: t.number),
    ("reported_at", _("received at"), lambda t: t.reported_at),
    ("complainant", _("complainant"), lambda t: t.contact_name or (t.customer.name if t.customer_id else "")),
    ("estate", _("estate"), lambda t: t.estate.name),
    ("unit", _("unit"), lambda t: t.unit.code if t.unit_id else t.location),
    ("channel", _("channel"), lambda t: _label("channel", t.channel)),
    ("content", _("content"), _content),
    ("category", _("category"), lambda t: t.category.path if t.category_id else ""),
    ("valid", _("valid complaint"), lambda t: _yes_no(t.is_valid_complaint)),
    ("handler", _("handler"), lambda t: t.assignee.name if t.assignee_id else ""),
    ("department", _("department"), lambda t: t.department.name if t.department_id else ""),
    ("deadline", _("deadline"), lambda t: t.resolution_due),
    ("progress", _("progress"), _progress),
    ("result", _("result"), lambda t: t.resolution),
    ("callback_at", _("callback date"), lambda t: t.last_callback_at),
    ("satisfaction", _("satisfaction"), lambda t: _label("satisfaction", t.satisfaction)),
    ("closed_at", _("closed at"), lambda t: t.closed_at),
    ("on_time", _("resolved on time"), lambda t: _yes_no(t.resolution_met)),
    ("status", _("status"), lambda t: _label("status", t.status)),
]


def register_headers() -> list[str]:
    return [str(label) for _key, label, _value in REGISTER_COLUMNS]


def register_row(ticket) -> dict:
    row = {key: value(ticket) for key, _label, value in REGISTER_COLUMNS}
    row["ticket"] = ticket
    return row


def register_values(queryset, *, chunk_size: int = 1000):
    """The register's rows as lists (Excel), streamed from the database."""
    for ticket in queryset.iterator(chunk_size=chunk_size):
        yield [value(ticket) for _key, _label, value in REGISTER_COLUMNS]


# --- periods -------------------------------------------------------------------------------------------------


PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR, PERIOD_CUSTOM = "month", "quarter", "year", "custom"
PERIOD_CHOICES = [(PERIOD_MONTH, _("Month")), (PERIOD_QUARTER, _("Quarter")), (PERIOD_YEAR, _("Year")),
                  (PERIOD_CUSTOM, _("From … to …"))]


@dataclass(frozen=True)
class Period:
    """Whole local days from ``start`` to ``end`` (both included)."""

    start: dt.date
    end: dt.date
    kind: str = PERIOD_CUSTOM

    @property
    def start_at(self) -> dt.datetime:
        return day_start(self.start)

    @property
    def end_at(self) -> dt.datetime:
        """The first moment after the period."""
        return day_start(self.end + dt.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before: the previous month, quarter or year, or as many days."""
        before = self.start - dt.timedelta(days=1)
        if self.kind != PERIOD_CUSTOM:
            return period_for(self.kind, before)
        return Period(self.start - dt.timedelta(days=self.days), before, PERIOD_CUSTOM)

    def months(self) -> list[dt.date]:
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = (day + dt.timedelta(days=32)).replace(day=1)
        return months

    @property
    def label(self) -> str:
        if self.kind == PERIOD_MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == PERIOD_QUARTER:
            return gettext("%(year)s Q%(quarter)s") % {"year": self.start.year,
                                                       "quarter": (self.start.month - 1) // 3 + 1}
        if self.kind == PERIOD_YEAR:
            return f"{self.start:%Y}"
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "label": self.label}


def period_for(kind: str, day: dt.date) -> Period:
    """The calendar month, quarter or year that contains ``day``."""
    if kind == PERIOD_MONTH:
        return Period(day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]), kind)
    if kind == PERIOD_QUARTER:
        first = (day.month - 1) // 3 * 3 + 1
        last = first + 2
        return Period(dt.date(day.year, first, 1),
                      dt.date(day.year, last, calendar.monthrange(day.year, last)[1]), kind)
    if kind == PERIOD_YEAR:
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), kind)
    raise ValueError(kind)


class StatsForm(BaseForm):
    """Which period and scope: ``period=month|quarter|year`` and any ``date`` in it (default today), or
    ``from``/``to`` (with ``period=custom`` or alone); ``estate`` (default: all the user may see)."""

    period = forms.ChoiceField(label=_("period"), choices=PERIOD_CHOICES, required=False)
    date = forms.DateField(label=_("a day in the period"), required=False, widget=DateInput)
    estate = forms.ModelChoiceField(label=_("estate"), queryset=Estate.objects.all(), required=False,
                                    empty_label=_("All my estates"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" and "to" are Python keywords: added here, not as class attributes
        self.fields["from"] = forms.DateField(label=_("from"), required=False, widget=DateInput)
        self.fields["to"] = forms.DateField(label=_("to"), required=False, widget=DateInput)
        for name in ("from", "to"):
            self.fields[name].widget.attrs["class"] = "form-control"
        if self.user is not None:
            self.fields["estate"].queryset = Estate.objects.restrict(self.user, "view").order_by("name")

    def clean(self):
        data = super().clean()
        kind = data.get("period") or ""
        start, end = data.get("from"), data.get("to")
        if kind == PERIOD_CUSTOM or (not kind and (start or end)):
            if not start or not end:
                raise forms.ValidationError(_("Give both the first and the last day of the period."))
            if start > end:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days + 1 > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("A period can be at most three years long."))
            data["range"] = Period(start, end, PERIOD_CUSTOM)
        else:
            data["range"] = period_for(kind or PERIOD_MONTH, data.get("date") or timezone.localdate())
        return data


# --- statistics ----------------------------------------------------------------------------------------------


def ticket_aggregates() -> dict:
    """The counts and sums every statistic is made of, as SQL aggregates over tickets. All are additive, so the
    figures of a month, an estate, a category or the whole period are sums of the same grouped rows."""
    live = ~Q(status=TicketStatus.CANCELLED)
    resolved = live & Q(resolved_at__isnull=False)
    rated = live & Q(satisfaction__isnull=False)
    return {
        "received": Count("pk", filter=live),
        "cancelled": Count("pk", filter=Q(status=TicketStatus.CANCELLED)),
        "urgent": Count("pk", filter=live & Q(priority="urgent")),
        "valid": Count("pk", filter=live & Q(is_valid_complaint=True)),
        "invalid": Count("pk", filter=live & Q(is_valid_complaint=False)),
        "open": Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        "overdue": Count("pk", filter=live & Q(is_overdue=True)),
        "resolved": Count("pk", filter=resolved),
        "resolved_on_time": Count("pk", filter=resolved & Q(resolution_met=True)),
        "resolved_with_limit": Count("pk", filter=resolved & Q(resolution_met__isnull=False)),
        "responded_with_limit": Count("pk", filter=live & Q(response_met__isnull=False)),
        "responded_on_time": Count("pk", filter=live & Q(response_met=True)),
        "onsite_with_limit": Count("pk", filter=live & Q(onsite_met__isnull=False)),
        "onsite_on_time": Count("pk", filter=live & Q(onsite_met=True)),
        "handling_timed": Count("handling_minutes", filter=resolved),
        "handling_minutes_sum": Sum("handling_minutes", filter=resolved),
        "callbacks_required": Count("pk", filter=resolved & Q(callback_required=True)),
        "callbacks_reached": Count("pk", filter=resolved & Q(callback_required=True, called_back_at__isnull=False)),
        "rated": Count("pk", filter=rated),
        "satisfaction_sum": Sum("satisfaction", filter=rated),
        "satisfied": Count("pk", filter=rated & Q(satisfaction__gte=SATISFIED_MIN)),
        "first_time": Count("pk", filter=resolved & Q(reopen_count=0)),
        "reopened_tickets": Count("pk", filter=live & Q(reopen_count__gt=0)),
        "reopens": Sum("reopen_count", filter=live),
    }


AGGREGATE_KEYS = tuple(ticket_aggregates())
_SUMS = ("handling_timed", "handling_minutes_sum", "satisfaction_sum")


def _vector(row: dict) -> tuple:
    return tuple(row[key] or 0 for key in AGGREGATE_KEYS)


def _sum(vectors: list[tuple]) -> dict:
    """The element-wise sum of grouped rows (as vectors of AGGREGATE_KEYS), as a dict."""
    if not vectors:
        return {}
    return dict(zip(AGGREGATE_KEYS, (sum(column) for column in zip(*vectors, strict=True)), strict=True))


def _rate(part, whole) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def ticket_figures(row: dict) -> dict:
    """The aggregated counts of one group with the averages and rates derived from them (rates in percent,
    one decimal)."""
    n = {key: row.get(key) or 0 for key in AGGREGATE_KEYS}
    avg_minutes = n["handling_minutes_sum"] / n["handling_timed"] if n["handling_timed"] else None
    figures = {key: value for key, value in n.items() if key not in _SUMS}
    figures.update(
        avg_handling_minutes=round(avg_minutes, 1) if avg_minutes is not None else None,
        avg_handling_hours=round(avg_minutes / 60, 1) if avg_minutes is not None else None,
        satisfaction_avg=round(n["satisfaction_sum"] / n["rated"], 2) if n["rated"] else None,
        on_time_rate=_rate(n["resolved_on_time"], n["resolved"]),
        response_on_time_rate=_rate(n["responded_on_time"], n["responded_with_limit"]),
        onsite_on_time_rate=_rate(n["onsite_on_time"], n["onsite_with_limit"]),
        resolved_rate=_rate(n["resolved"], n["received"]),
        valid_rate=_rate(n["valid"], n["received"]),
        callback_rate=_rate(n["callbacks_reached"], n["callbacks_required"]),
        satisfaction_rate=_rate(n["satisfied"], n["rated"]),
        first_time_rate=_rate(n["first_time"], n["resolved"]),
    )
    return figures


def _change(current, previous):
    if current is None or previous is None:
        return None
    return round(current - previous, 2)


# The figures a statistics page shows, in order: (key, label for complaints, label for repairs, unit)
FIGURES = [
    ("received", _("Complaints received"), _("Repairs received"), ""),
    ("valid", _("Valid complaints"), None, ""),
    ("urgent", _("Urgent"), _("Urgent"), ""),
    ("resolved", _("Resolved"), _("Resolved"), ""),
    ("on_time_rate", _("Complaints resolved on time"), _("Repairs resolved on time"), "%"),
    ("response_on_time_rate", _("Answered on time"), _("Answered on time"), "%"),
    ("onsite_on_time_rate", None, _("On site on time"), "%"),
    ("avg_handling_hours", _("Average handling time (hours)"), _("Average handling time (hours)"), ""),
    ("callback_rate", _("Callback rate"), _("Callback rate"), "%"),
    ("satisfaction_avg", _("Average satisfaction (1–5)"), _("Average satisfaction (1–5)"), ""),
    ("satisfaction_rate", _("Satisfaction rate"), _("Satisfaction rate"), "%"),
    ("first_time_rate", _("Resolved the first time"), _("Resolved the first time"), "%"),
    ("reopens", _("Reopens"), _("Reopens"), ""),
    ("open", _("Still open"), _("Still open"), ""),
    ("overdue", _("Overdue"), _("Overdue"), ""),
    ("cancelled", _("Cancelled"), _("Cancelled"), ""),
]

# How each figure is counted (printed under the statistics, on the page and in the PDF).
FIGURE_NOTES = [
    _("All figures count the tickets received (reported) in the period, whatever their state now; cancelled "
      "tickets count only as cancelled."),
    _("Resolved: tickets resolved and not reopened since. Resolved on time: resolved within the resolution "
      "limit of their kind and priority, over resolved tickets with a resolution limit."),
    _("Average handling time: from reporting to (the latest) resolution, over resolved tickets."),
    _("Callback rate: resolved tickets that required a callback and whose customer was reached after the latest "
      "resolution (a callback or a rating on the portal), over resolved tickets that required a callback. "
      "Every complaint requires one; repairs by the share drawn in the ticket settings."),
    _("Satisfaction: the latest rating of each rated ticket. Satisfaction rate: rated Fairly satisfied or better "
      "(Very satisfied, Satisfied, Fairly satisfied), over rated tickets."),
    _("Resolved the first time: resolved tickets never reopened, over resolved tickets. Reopens: the times "
      "tickets were reopened."),
    _("Change: this period minus the previous period of the same length (percentage points for rates)."),
]


# The figures of the by-month, by-category and by-estate tables
TABLE_KEYS = ["received", "valid", "resolved", "on_time_rate", "avg_handling_hours", "callback_rate",
              "satisfaction_avg", "satisfaction_rate", "first_time_rate", "reopens"]


def table_columns(kind: str) -> list[tuple[str, object, str]]:
    """(key, label, unit) of the figures the breakdown tables show for ``kind``."""
    labels = {key: (complaint if kind == TicketKind.COMPLAINT else repair, unit)
              for key, complaint, repair, unit in FIGURES}
    return [(key, labels[key][0], labels[key][1]) for key in TABLE_KEYS if labels[key][0] is not None]


def _with_cells(rows: list[dict], columns) -> list[dict]:
    for row in rows:
        row["cells"] = [(row.get(key), unit) for key, _label, unit in columns]
    return rows


def figure_rows(kind: str, current: dict, previous: dict) -> list[dict]:
    """The figures of one statistics page as rows: label, this period, previous period, change."""
    rows = []
    for key, complaint_label, repair_label, unit in FIGURES:
        label = complaint_label if kind == TicketKind.COMPLAINT else repair_label
        if label is None:
            continue
        rows.append({"key": key, "label": label, "unit": unit, "current": current.get(key),
                     "previous": previous.get(key), "change": _change(current.get(key), previous.get(key))})
    return rows


UNCATEGORISED = _("(no category)")


def month_bucket(period: Period):
    """The index of the local calendar month a ticket was reported in (0 = the period's first month), as a SQL
    CASE over the months' first moments. Plain comparisons on the indexed timestamp, exact in local time and
    alike on every database (``TruncMonth`` with a time zone runs a Python function per row on SQLite: three
    times slower on a year of tickets)."""
    months = period.months()
    return Case(*[When(reported_at__lt=day_start(m), then=Value(i)) for i, m in enumerate(months[1:])],
                default=Value(len(months) - 1), output_field=IntegerField())


def ticket_stats(*, user, kind: str, period: Period, estate=None) -> dict:
    """The statistics of one kind (complaints or repairs) for a period and the estates in the user's scope
    (or one of them), with the previous period for comparison.

    Four SQL queries whatever the volume: the period's tickets grouped by month × estate id × category id with
    every aggregate, the previous period's totals, and the names of the estates and categories found. The
    totals and the by-month, by-estate and by-category figures are sums of those grouped rows (a few thousand
    at most), not loops over tickets."""
    base = _tickets(user).filter(kind=kind)
    if estate is not None:
        base = base.filter(estate=estate)
    previous_period = period.previous()

    def within(p: Period):
        return base.filter(reported_at__gte=p.start_at, reported_at__lt=p.end_at).order_by()

    aggregates = ticket_aggregates()
    # Grouped by ids only: joining every ticket to its estate and category (and sorting by their names) cost
    # twice the aggregation itself; the few names come from two small queries.
    groups = list(within(period).annotate(month_index=month_bucket(period))
                  .values("month_index", "estate_id", "category_id").annotate(**aggregates))
    estate_names = dict(Estate.objects.filter(pk__in={g["estate_id"] for g in groups}).values_list("pk", "name"))
    category_paths = dict(TicketCategory.objects.filter(pk__in={g["category_id"] for g in groups} - {None})
                          .values_list("pk", "path"))
    for g in groups:
        g["estate__name"] = estate_names.get(g["estate_id"], "")
        g["category__path"] = category_paths.get(g["category_id"])
    previous = ticket_figures(within(previous_period).aggregate(**aggregates))

    months = period.months()
    received, valid = AGGREGATE_KEYS.index("received"), AGGREGATE_KEYS.index("valid")
    everything: list[tuple] = []
    per_month: list[list[tuple]] = [[] for _m in months]
    per_estate: dict[tuple, list[tuple]] = {}
    per_category: dict[str | None, list[tuple]] = {}
    per_category_month: dict[str | None, list[int]] = {}
    breakdown = []
    for g in groups:
        path, i, vector = g["category__path"], g["month_index"], _vector(g)
        everything.append(vector)
        per_month[i].append(vector)
        per_estate.setdefault((g["estate__name"], g["estate_id"]), []).append(vector)
        per_category.setdefault(path, []).append(vector)
        per_category_month.setdefault(path, [0] * len(months))[i] += vector[received]
        breakdown.append({"month": f"{months[i]:%Y-%m}", "estate": g["estate__name"],
                          "category": path or str(UNCATEGORISED), "count": vector[received],
                          "valid": vector[valid]})
    breakdown.sort(key=lambda r: (r["month"], r["estate"], r["category"]))
    current = ticket_figures(_sum(everything))
    by_month = [{"month": m, "label": f"{m:%Y-%m}", **ticket_figures(_sum(per_month[i]))} for i, m in enumerate(months)]
    by_estate = [{"estate_id": estate_id, "estate": name, **ticket_figures(_sum(per_estate[(name, estate_id)]))}
                 for name, estate_id in sorted(per_estate)]
    by_category = [{"category": path or str(UNCATEGORISED), "months": per_category_month[path],
                    **ticket_figures(_sum(per_category[path]))}
                   for path in sorted(per_category, key=lambda p: (p is None, p or ""))]

    columns = table_columns(kind)
    _with_cells(by_month, columns)
    _with_cells(by_estate, columns)
    _with_cells(by_category, columns)
    return {
        "kind": kind,
        "columns": columns,
        "period": period,
        "previous_period": previous_period,
        "estate": estate,
        "current": current,
        "previous": previous,
        "figures": figure_rows(kind, current, previous),
        "months": months,
        "by_month": by_month,
        "by_estate": by_estate,
        "by_category": by_category,
        "breakdown": breakdown,
        "chart": {
            "months": [f"{m:%Y-%m}" for m in months],
            "series": [{"name": c["category"], "data": c["months"]} for c in by_category if c["received"]],
        },
    }


def stats_as_json(stats: dict) -> dict:
    """The statistics as plain JSON (the API's answer)."""
    def strip(row: dict) -> dict:
        return {k: (f"{v:%Y-%m}" if isinstance(v, dt.date) else v) for k, v in row.items() if k != "cells"}

    estate = stats["estate"]
    return {
        "kind": stats["kind"],
        "period": stats["period"].as_dict(),
        "previous_period": stats["previous_period"].as_dict(),
        "estate": {"id": estate.pk, "name": estate.name} if estate is not None else None,
        "figures": stats["current"],
        "previous": stats["previous"],
        "changes": {row["key"]: row["change"] for row in stats["figures"]},
        "by_month": [strip(r) for r in stats["by_month"]],
        "by_estate": [strip(r) for r in stats["by_estate"]],
        "by_category": [strip(r) for r in stats["by_category"]],
        "breakdown": stats["breakdown"],
        "notes": [str(n) for n in FIGURE_NOTES],
    }


def _fmt(value):
    return "" if value is None else value


def stats_sheets(stats: dict) -> list[tuple[str, list[str], list[list]]]:
    """The statistics as worksheets: summary, by month, by category, by estate, and the full breakdown."""
    kind = stats["kind"]
    current_label = stats["period"].label
    previous_label = stats["previous_period"].label
    summary = [[str(r["label"]), _fmt(r["current"]), _fmt(r["previous"]), _fmt(r["change"])]
               for r in stats["figures"]]
    keys = [r["key"] for r in stats["figures"]]
    labels = [str(r["label"]) for r in stats["figures"]]
    months = [f"{m:%Y-%m}" for m in stats["months"]]
    sheets = [
        (gettext("Summary"), [gettext("figure"), current_label, previous_label, gettext("change")], summary),
        (gettext("By month"), [gettext("month"), *labels],
         [[r["label"], *[_fmt(r[k]) for k in keys]] for r in stats["by_month"]]),
        (gettext("By category"), [gettext("category"), *months, *labels],
         [[r["category"], *r["months"], *[_fmt(r[k]) for k in keys]] for r in stats["by_category"]]),
        (gettext("By estate"), [gettext("estate"), *labels],
         [[r["estate"], *[_fmt(r[k]) for k in keys]] for r in stats["by_estate"]]),
    ]
    breakdown_headers = [gettext("month"), gettext("estate"), gettext("category"), gettext("received")]
    if kind == TicketKind.COMPLAINT:
        breakdown_headers.append(gettext("valid complaints"))
    sheets.append((gettext("Breakdown"), breakdown_headers,
                   [[r["month"], r["estate"], r["category"], r["count"],
                     *([r["valid"]] if kind == TicketKind.COMPLAINT else [])] for r in stats["breakdown"]]))
    sheets.append((pgettext("sheet", "Notes"), [gettext("how the figures are counted")],
                   [[str(n)] for n in FIGURE_NOTES]))
    return sheets


def _cell_value(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, dt.date)):
        return value
    return neutralise(str(value))  # never a formula: a complainant's "=HYPERLINK(...)" stays text


def write_workbook(sheets):
    """Write ``[(title, headers, rows), ...]`` (rows may be generators) to a temporary .xlsx, in write-only
    mode (constant memory); returns the open file and the number of rows of the first sheet."""
    wb = Workbook(write_only=True)
    first_rows = 0
    for index, (title, headers, rows) in enumerate(sheets):
        ws = wb.create_sheet(title=str(title)[:31] or f"Sheet{index + 1}")
        header_cells = []
        for h in headers:
            cell = WriteOnlyCell(ws, value=str(h))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        ws.append(header_cells)
        for row in rows:
            ws.append([_cell_value(v) for v in row])
            if index == 0:
                first_rows += 1
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to the response, which closes it
    wb.save(tmp)
    tmp.seek(0)
    return tmp, first_rows


# --- case files ----------------------------------------------------------------------------------------------


def case_files(*, user):
    """Tickets with everything their case file prints, in a constant number of queries for any number."""
    return (_tickets(user)
            .select_related("estate", "unit", "customer", "category", "assignee", "department",
                            "responsible_department")
            .prefetch_related(
                Prefetch("events", queryset=TicketEvent.objects.select_related("actor__staff").order_by("at", "id")),
                Prefetch("notes", queryset=ProgressNote.objects.select_related("created_by__staff")
                         .order_by("noted_at", "id")),
                Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "id")),
                Prefetch("callbacks", queryset=Callback.objects.select_related("created_by__staff")
                         .order_by("called_at", "id")),
            ))


def person(user) -> str:
    """A user as the case file names them: their staff name, else their full name, else the login."""
    if user is None:
        return gettext("the system")
    staff = getattr(user, "staff", None)  # a missing staff record raises a subclass of AttributeError
    return (staff.name if staff is not None else "") or user.get_full_name() or user.username


class CaseFileFilterSet(_ReportFilters, BaseFilterSet):
    """Closed complaints to archive: by the day they were closed, estate and category."""

    closed_from = django_filters.DateFilter(method="filter_closed_from", label=_("Closed from"), widget=DateInput)
    closed_to = django_filters.DateFilter(method="filter_closed_to", label=_("Closed to"), widget=DateInput)
    estate = django_filters.ModelChoiceFilter(queryset=Estate.objects.all(), label=_("estate"))
    category = django_filters.ModelChoiceFilter(queryset=TicketCategory.objects.all(), method="filter_category",
                                                label=_("category"))

    class Meta:
        model = Ticket
        fields = ["q", "closed_from", "closed_to", "estate", "category"]

    def filter_closed_from(self, queryset, name, value):
        return self._from(queryset, "closed_at", value)

    def filter_closed_to(self, queryset, name, value):
        return self._to(queryset, "closed_at", value)


def _count(model):
    return Coalesce(Subquery(model.objects.filter(ticket=OuterRef("pk")).order_by().values("ticket")
                             .annotate(n=Count("pk")).values("n")[:1]), 0)


def closed_case_files(*, user):
    """Closed complaints, most recently closed first, for the archive list."""
    return (_tickets(user).filter(kind=TicketKind.COMPLAINT, status=TicketStatus.CLOSED)
            .select_related("estate", "unit", "category", "assignee")
            .annotate(note_count=_count(ProgressNote), file_count=_count(Attachment),
                      callback_count=_count(Callback))
            .order_by(F("closed_at").desc(nulls_last=True), "-id"))

