"""Reads of the report centre: what a report's page, PDF and Excel show (``report_context``), and the figures the
dashboard needs (reports waiting for the user's review, the user's returned reports, counts by status)."""

from __future__ import annotations

from django.db.models import Count

from .choices import ReportStatus
from .models import Report, ReportVersion


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def sections_of(content: dict) -> list[dict]:
    """The content's sections, each with an ``index`` (for the chart's element id) and ``has_chart``."""
    sections = []
    for index, section in enumerate((content or {}).get("sections") or [], start=1):
        chart = section.get("chart") or None
        if not (chart and chart.get("x")):
            chart = None
        sections.append({**section, "index": index, "figures": section.get("figures") or [],
                         "tables": section.get("tables") or [], "notes": section.get("notes") or [],
                         "chart": chart, "chart_rows": chart_rows(chart) if chart else []})
    return sections


def chart_rows(chart: dict) -> list[list]:
    """A chart as table rows: ``[x, value of series 1, value of series 2, …]`` (the PDF and Excel show charts so)."""
    series = chart.get("series") or []
    rows = []
    for i, x in enumerate(chart.get("x") or []):
        rows.append([x, *[(s.get("data") or [])[i] if i < len(s.get("data") or []) else None for s in series]])
    return rows


def report_context(report: Report, version: ReportVersion | None) -> dict:
    """Everything the report's page, PDF and Excel render for ``version`` (the current one by default)."""
    if version is None:
        version = report.version()
    content = version.content if version is not None else {}
    spec = report.spec
    texts_values = version.texts if version is not None else {}
    texts = [{"key": key, "label": label, "value": texts_values.get(key, "")}
             for key, label in (spec.text_fields if spec else ())]
    versions = list(report.versions.select_related("generated_by").order_by("-number")
                    .only("id", "report_id", "number", "generated_at", "generated_by", "submitted_at"))
    reviews = list(report.reviews.select_related("reviewer", "version").order_by("-reviewed_at", "-id"))
    sections = sections_of(content)
    return {
        "report": report, "version": version, "content": content, "sections": sections,
        "charts": [{"id": f"report-chart-{s['index']}", "chart": s["chart"]} for s in sections if s["chart"]],
        "texts": texts, "versions": versions, "reviews": reviews, "author_name": _name(report.author),
        "period_label": report.period_label, "kind_label": report.kind_label,
    }


def reports_to_review(user):
    """Submitted reports ``user`` may review (not their own): the dashboard's "reports to review"."""
    if not user.has_perm("reports.review_report"):
        return Report.objects.none()
    return (Report.objects.restrict(user, "view").filter(status=ReportStatus.SUBMITTED).exclude(author=user)
            .select_related("estate", "author"))


def returned_reports(user):
    """``user``'s reports returned for revision."""
    return Report.objects.restrict(user, "view").filter(status=ReportStatus.RETURNED, author=user)


def status_counts(user, *, kind: str | None = None) -> dict[str, int]:
    """How many reports ``user`` sees, by status (every status present, zero when none)."""
    queryset = Report.objects.restrict(user, "view")
    if kind:
        queryset = queryset.filter(kind=kind)
    counts = dict.fromkeys(ReportStatus.values, 0)
    for row in queryset.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def latest_report(user, kind: str, *, estate=None):
    """The most recent non-cancelled report of ``kind`` the user sees (for the dashboard's "last report")."""
    queryset = Report.objects.restrict(user, "view").filter(kind=kind).exclude(status=ReportStatus.CANCELLED)
    if estate is not None:
        queryset = queryset.filter(estate=estate)
    return queryset.order_by("-period_start", "-id").first()
