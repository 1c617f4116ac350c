"""What the report builders share: the shape of a report's content (sections of figures, tables, a chart and
notes; see ``wuye/reports/kinds/__init__.py``), JSON-safe values, rates and changes, links to filtered lists.

A builder returns plain JSON: every label already translated (``str()`` of a lazy string), dates as ISO strings,
amounts of money as floats rounded to two decimals in figures and charts and as strings in tables (exact),
rates in percent with one decimal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from wuye.tickets.reports import Period

SHORT = 60  # characters of a text kept in a table cell


def text(value) -> str:
    return "" if value is None else str(value)


def shorten(value, limit: int = SHORT) -> str:
    """``value`` on one line, cut to ``limit`` characters with an ellipsis."""
    value = " ".join(text(value).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def money(value) -> float:
    """An amount for a figure or a chart: a float with two decimals (0.0 for none)."""
    return round(float(value or 0), 2)


def money_text(value) -> str:
    """An amount for a table cell: the exact decimal as text ("" for none)."""
    if value is None:
        return ""
    return str(Decimal(value).quantize(Decimal("0.01")))


def rate(part, whole, digits: int = 1) -> float | None:
    """``part`` over ``whole`` in percent, or None without a whole."""
    return round(100.0 * float(part) / float(whole), digits) if whole else None


def change(current, previous):
    """This period minus the previous one (None when either is unknown)."""
    if current is None or previous is None:
        return None
    return round(current - previous, 2)


def cell(value):
    """A value as a table cell: JSON-safe."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (int, str)):
        return value
    return str(value)


def figure(key: str, label, value, unit: str = "", url: str | None = None, **extra) -> dict:
    item = {"key": key, "label": text(label), "value": value, "unit": unit}
    if url:
        item["url"] = url
    item.update(extra)
    return item


def table(key: str, title, columns, rows) -> dict:
    return {"key": key, "title": text(title), "columns": [text(c) for c in columns],
            "rows": [[cell(v) for v in row] for row in rows]}


def chart(kind: str, x, series) -> dict:
    return {"type": kind, "x": [text(v) for v in x],
            "series": [{"name": text(name), "data": list(data)} for name, data in series]}


def section(key: str, title, *, figures=(), tables=(), chart=None, notes=None) -> dict:  # noqa: A002
    item = {"key": key, "title": text(title), "figures": list(figures), "tables": list(tables)}
    if chart is not None:
        item["chart"] = chart
    if notes:
        item["notes"] = [text(n) for n in notes]
    return item


def list_url(name: str, **params) -> str | None:
    """The URL of the list ``name`` filtered by ``params`` (None values left out)."""
    try:
        base = reverse(name)
    except NoReverseMatch:
        return None
    query = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in params.items() if v is not None}
    return f"{base}?{urlencode(query, doseq=True)}" if query else base


def single_estate(estate_ids) -> int | None:
    """The estate of a one-estate scope (a list page filters by one estate at most), else None."""
    if estate_ids is not None and len(estate_ids) == 1:
        return list(estate_ids)[0]
    return None


def in_estates(queryset, estate_ids, field: str = "estate_id"):
    return queryset if estate_ids is None else queryset.filter(**{f"{field}__in": list(estate_ids)})


def estate_names(ids) -> dict:
    from wuye.estates.models import Estate

    return dict(Estate.objects.filter(pk__in=set(ids) - {None}).values_list("pk", "name"))


def scope_label(estate_ids) -> str:
    from django.utils.translation import gettext

    if estate_ids is None:
        return gettext("All estates")
    names = estate_names(estate_ids)
    return "、".join(sorted(names.values())) or gettext("No estate")


def month_labels(period: Period) -> list[str]:
    return [f"{m:%Y-%m}" for m in period.months()]


def month_index(period: Period, day: dt.date) -> int:
    """The index of ``day``'s calendar month among the period's months."""
    return (day.year - period.start.year) * 12 + day.month - period.start.month


def previous_period(period: Period) -> Period:
    return period.previous()


def next_period(period: Period) -> Period:
    """The period of the same kind right after ``period``."""
    from wuye.tickets.reports import PERIOD_CUSTOM, period_for

    after = period.end + dt.timedelta(days=1)
    if period.kind != PERIOD_CUSTOM:
        return period_for(period.kind, after)
    return Period(after, after + dt.timedelta(days=period.days - 1), PERIOD_CUSTOM)


def content(title, sections) -> dict:
    return {"title": text(title), "sections": list(sections)}


def figures_by_key(section_: dict) -> dict:
    return {f["key"]: f for f in section_.get("figures", [])}
