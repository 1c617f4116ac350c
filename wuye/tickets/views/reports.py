"""The manager's report pages: complaint register, complaint and repair statistics, case files (PDF).

Every page needs ``tickets.view_reports``; the data are what ``restrict()`` lets the user see (the estates they
serve). ``?format=pdf`` prints the filtered report (WeasyPrint, ``core.pdf``), ``?format=xlsx`` exports it
(openpyxl write-only, needs ``core.export_lists`` like every list export); each print and export is audited.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from wuye.core.audit import audit, audit_objects
from wuye.core.pagination import CappedPaginator
from wuye.core.pdf import PdfResponse, image_data_uri, render_pdf
from wuye.core.views import BaseView

from .. import reports
from ..choices import CallbackOutcome, CancelReason, NoteVisibility, Satisfaction, TicketKind
from ..reports import (
    CASE_FILES_PDF_MAX,
    REGISTER_PDF_MAX_ROWS,
    CaseFileFilterSet,
    ComplaintRegisterFilterSet,
    StatsForm,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CASE_FILE_MAX_PHOTOS = 6


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def xlsx_response(file, filename: str) -> FileResponse:
    return FileResponse(file, as_attachment=True, filename=f"{filename}-{_stamp()}.xlsx", content_type=XLSX)


def require_export(user) -> None:
    if not user.has_perm("core.export_lists"):
        raise PermissionDenied


def filter_summary(form) -> list[tuple[str, str]]:
    """The filters in force, as (label, value) pairs to print above a report."""
    if not form.is_bound or not hasattr(form, "cleaned_data"):
        return []
    summary = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", []) or name in ("period", "date", "from", "to"):
            continue
        choices = dict(getattr(field, "choices", []) or []) if not hasattr(field, "queryset") else {}
        shown = choices.get(value, value) if choices else value
        summary.append((str(field.label), str(shown)))
    return summary


class ReportView(BaseView):
    permission_required = "tickets.view_reports"


# --- 客户投诉案件登记追踪表 --------------------------------------------------------------------------------------


def register_filterset(request, data):
    return ComplaintRegisterFilterSet(data or None, queryset=reports.complaint_register(user=request.user),
                                      request=request)


def register_queryset(filterset):
    """The filtered register, or None when the filters are invalid."""
    if not filterset.is_bound:
        return filterset.queryset
    return filterset.qs if filterset.is_valid() else None


def register_export(request, queryset, *, channel: str = "web") -> FileResponse:
    require_export(request.user)
    file, rows = reports.write_workbook([(_("Complaint register"), reports.register_headers(),
                                          reports.register_values(queryset))])
    audit("report.export", actor=request.user, report="complaint_register", format="xlsx", rows=rows,
          channel=channel, query=request.GET.urlencode()[:500])
    return xlsx_response(file, _("Complaint register"))


class ComplaintRegisterView(ReportView):
    """客户投诉案件登记追踪表: one row per complaint with its handling trail."""

    template_name = "tickets/report_complaint_register.html"
    pdf_template = "tickets/report_complaint_register_pdf.html"
    per_page = 50

    def get(self, request):
        filterset = register_filterset(request, request.GET)
        queryset = register_queryset(filterset)
        fmt = request.GET.get("format")
        if queryset is None:
            return self.render(request, filterset, None, status=400)
        if fmt == "xlsx":
            return register_export(request, queryset)
        if fmt == "pdf":
            return self.pdf(request, filterset, queryset)
        return self.render(request, filterset, queryset)

    def render(self, request, filterset, queryset, status=200):
        page = None
        if queryset is not None:
            page = CappedPaginator(queryset, self.per_page).get_page(request.GET.get("page"))
            page.rows = [reports.register_row(t) for t in page.object_list]
        return TemplateResponse(request, self.template_name, {
            "title": _("Complaint register"),
            "filterset": filterset,
            "filter_form": filterset.form,
            "page": page,
            "columns": reports.REGISTER_COLUMNS,
            "query": _query_without(request, "page", "format"),
            "can_export": request.user.has_perm("core.export_lists"),
        }, status=status)

    def pdf(self, request, filterset, queryset):
        count = queryset.count()
        if count > REGISTER_PDF_MAX_ROWS:
            messages.error(request, _("%(count)s complaints match: narrow the period or the filters to at most "
                                      "%(max)s to print them.") % {"count": count, "max": REGISTER_PDF_MAX_ROWS})
            query = _query_without(request, "format", "page")
            return redirect(f"{reverse('tickets:complaint_register')}{'?' + query if query else ''}")
        rows = [reports.register_row(t) for t in queryset.iterator(chunk_size=500)]
        title = _("Complaint register")
        pdf = render_pdf(self.pdf_template, {
            "title": title, "rows": rows, "columns": reports.REGISTER_COLUMNS,
            "filters": filter_summary(filterset.form),
        }, request=request, landscape=True)
        audit("report.export", actor=request.user, report="complaint_register", format="pdf", rows=len(rows),
              query=request.GET.urlencode()[:500])
        return PdfResponse(pdf, f"{title}-{_stamp()}.pdf")


# --- 客户投诉案件统计表 / 报修统计 ---------------------------------------------------------------------------------


def stats_title(kind: str) -> str:
    return _("Complaint statistics") if kind == TicketKind.COMPLAINT else _("Repair statistics")


def stats_export(request, stats, *, channel: str = "web") -> FileResponse:
    require_export(request.user)
    file, _rows = reports.write_workbook(reports.stats_sheets(stats))
    audit("report.export", actor=request.user, report=f"{stats['kind']}_stats", format="xlsx", channel=channel,
          period=stats["period"].as_dict(), estate=stats["estate"].pk if stats["estate"] else None)
    return xlsx_response(file, f"{stats_title(stats['kind'])}-{stats['period'].label}")


# ECharts' default palette, so the printed chart looks like the one on the page
PALETTE = ["#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc"]


def chart_svg(chart: dict, *, width: int = 760, height: int = 260) -> str:
    """The monthly stacked bars of the statistics as inline SVG, for the PDF (WeasyPrint runs no JavaScript)."""
    months, series = chart["months"], chart["series"]
    totals = [sum(s["data"][i] for s in series) for i in range(len(months))]
    top = max(totals or [0]) or 1
    left, bottom, right, head = 36, 22, 8, 8
    plot_w, plot_h = width - left - right, height - bottom - head
    slot = plot_w / max(len(months), 1)
    bar = min(slot * 0.6, 48)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%">',
             f'<line x1="{left}" y1="{head + plot_h}" x2="{width - right}" y2="{head + plot_h}" stroke="#888"/>']
    for tick in range(5):
        value = top * tick / 4
        y = head + plot_h - plot_h * tick / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 3:.1f}" font-size="9" text-anchor="end" fill="#555">'
                     f'{value:.0f}</text>')
    for i, month in enumerate(months):
        x = left + slot * i + (slot - bar) / 2
        y = head + plot_h
        for n, s in enumerate(series):
            count = s["data"][i]
            if not count:
                continue
            h = plot_h * count / top
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[n % len(PALETTE)]}"/>')
        if totals[i]:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 2:.1f}" font-size="9" text-anchor="middle">'
                         f'{totals[i]}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - 6}" font-size="9" text-anchor="middle" '
                     f'fill="#333">{month}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # nosec  # numbers and month labels only: no user text in the markup


def chart_legend(chart: dict) -> list[tuple[str, str]]:
    return [(s["name"], PALETTE[n % len(PALETTE)]) for n, s in enumerate(chart["series"])]


class TicketStatsView(ReportView):
    """客户投诉案件统计表 (and the same figures for repairs) for a month, quarter, year or any period."""

    kind = TicketKind.COMPLAINT
    url_name = "tickets:complaint_stats"
    template_name = "tickets/report_stats.html"
    pdf_template = "tickets/report_stats_pdf.html"

    def get(self, request):
        form = StatsForm(request.GET, user=request.user)
        if not form.is_valid():
            return self.render(request, form, None, status=400)
        stats = reports.ticket_stats(user=request.user, kind=self.kind, period=form.cleaned_data["range"],
                                     estate=form.cleaned_data.get("estate"))
        fmt = request.GET.get("format")
        if fmt == "xlsx":
            return stats_export(request, stats)
        if fmt == "pdf":
            title = stats_title(self.kind)
            pdf = render_pdf(self.pdf_template, {
                "title": title, "stats": stats, "notes": reports.FIGURE_NOTES, "filters": filter_summary(form),
                "chart_svg": chart_svg(stats["chart"]), "chart_legend": chart_legend(stats["chart"]),
            }, request=request)
            audit("report.export", actor=request.user, report=f"{self.kind}_stats", format="pdf",
                  period=stats["period"].as_dict(), estate=stats["estate"].pk if stats["estate"] else None)
            return PdfResponse(pdf, f"{title}-{stats['period'].label}.pdf")
        return self.render(request, form, stats)

    def neighbour_url(self, request, period, step: int) -> str | None:
        if period.kind == reports.PERIOD_CUSTOM:
            return None
        day = period.start - dt.timedelta(days=1) if step < 0 else period.end + dt.timedelta(days=1)
        query = request.GET.copy()
        for name in ("format", "from", "to"):
            query.pop(name, None)
        query["period"], query["date"] = period.kind, day.isoformat()
        return f"{reverse(self.url_name)}?{query.urlencode()}"

    def render(self, request, form, stats, status=200):
        context = {"title": stats_title(self.kind), "form": form, "stats": stats, "kind": self.kind,
                   "notes": reports.FIGURE_NOTES, "query": _query_without(request, "format"),
                   "can_export": request.user.has_perm("core.export_lists"),
                   "other_url": reverse("tickets:repair_stats" if self.kind == TicketKind.COMPLAINT
                                        else "tickets:complaint_stats")}
        if stats is not None:
            context.update(previous_url=self.neighbour_url(request, stats["period"], -1),
                           next_url=self.neighbour_url(request, stats["period"], 1))
        return TemplateResponse(request, self.template_name, context, status=status)


class ComplaintStatsView(TicketStatsView):
    kind = TicketKind.COMPLAINT
    url_name = "tickets:complaint_stats"


class RepairStatsView(TicketStatsView):
    kind = TicketKind.REPAIR
    url_name = "tickets:repair_stats"


# --- 投诉案件资料 --------------------------------------------------------------------------------------------------


def event_detail(event) -> str:
    """What a timeline step adds to its comment: the handler, the callback's outcome and rating, the reason."""
    data = event.data or {}
    parts = []
    if data.get("assignee") or data.get("department"):
        parts.append(" · ".join(filter(None, [data.get("assignee"), data.get("department")])))
    if data.get("outcome") in CallbackOutcome.values:
        parts.append(str(CallbackOutcome(data["outcome"]).label))
    if data.get("satisfaction") in Satisfaction.values:
        parts.append(str(Satisfaction(data["satisfaction"]).label))
    if data.get("reason") in CancelReason.values:
        parts.append(str(CancelReason(data["reason"]).label))
    return "；".join(parts)


def case_context(ticket) -> dict:
    """What the case file prints about one ticket (its related rows come prefetched)."""
    attachments, photos = [], 0
    for attachment in ticket.attachments.all():
        data_uri = None
        if attachment.is_image and photos < CASE_FILE_MAX_PHOTOS:
            data_uri = image_data_uri(attachment.file, attachment.content_type)
            photos += 1 if data_uri else 0
        attachments.append({"attachment": attachment, "data_uri": data_uri})
    return {
        "ticket": ticket,
        "deadlines": ticket.deadlines(),
        "events": [{"event": e, "actor": reports.person(e.actor), "detail": event_detail(e)}
                   for e in ticket.events.all()],
        "notes": [{"note": n, "author": reports.person(n.created_by) if n.created_by_id else "",
                   "internal": n.visibility == NoteVisibility.INTERNAL} for n in ticket.notes.all()],
        "attachments": attachments,
        "callbacks": [{"callback": c, "by": reports.person(c.created_by) if c.created_by_id else ""}
                      for c in ticket.callbacks.all()],
    }


def case_files_pdf(request, tickets) -> bytes:
    title = _("Case file") if len(tickets) == 1 else _("Case files")
    return render_pdf("tickets/case_file_pdf.html", {"title": title, "cases": [case_context(t) for t in tickets]},
                      request=request)


class CaseFileView(ReportView):
    """投诉案件资料: the complete record of one ticket as a PDF."""

    def get(self, request, pk):
        ticket = get_object_or_404(reports.case_files(user=request.user), pk=pk)
        pdf = case_files_pdf(request, [ticket])
        audit("report.export", actor=request.user, obj=ticket, report="case_file", format="pdf")
        return PdfResponse(pdf, f"{_('Case file')}-{ticket.number}.pdf")


class CaseFileListView(ReportView):
    """Closed complaints to archive, each with its case file; several selected ones print as one PDF."""

    template_name = "tickets/case_file_list.html"
    per_page = 50

    def get(self, request):
        filterset = CaseFileFilterSet(request.GET or None, queryset=reports.closed_case_files(user=request.user),
                                      request=request)
        queryset = register_queryset(filterset)
        if request.GET.get("format") == "pdf":
            return self.bulk_pdf(request)
        page = None
        if queryset is not None:
            page = CappedPaginator(queryset, self.per_page).get_page(request.GET.get("page"))
        return TemplateResponse(request, self.template_name, {
            "title": _("Case files"), "filterset": filterset, "filter_form": filterset.form, "page": page,
            "query": _query_without(request, "page", "format", "ticket"), "max_selected": CASE_FILES_PDF_MAX,
        }, status=200 if queryset is not None else 400)

    def bulk_pdf(self, request):
        try:
            ids = sorted({int(v) for v in request.GET.getlist("ticket")})
        except ValueError:
            ids = None
        back = f"{reverse('tickets:case_file_list')}?{_query_without(request, 'format', 'ticket')}"
        if not ids:
            messages.error(request, _("Select the case files to print."))
            return redirect(back)
        if len(ids) > CASE_FILES_PDF_MAX:
            messages.error(request, _("Select at most %(max)s case files at a time.") % {"max": CASE_FILES_PDF_MAX})
            return redirect(back)
        tickets = list(reports.case_files(user=request.user).filter(pk__in=ids).order_by("closed_at", "id"))
        if len(tickets) != len(ids):
            raise Http404
        pdf = case_files_pdf(request, tickets)
        audit_objects("report.export", tickets, actor=request.user, report="case_file", format="pdf",
                      bulk=len(tickets))
        return PdfResponse(pdf, f"{_('Case files')}-{_stamp()}.pdf")


urlpatterns = [
    path("reports/complaint-register/", ComplaintRegisterView.as_view(), name="complaint_register"),
    path("reports/complaint-stats/", ComplaintStatsView.as_view(), name="complaint_stats"),
    path("reports/repair-stats/", RepairStatsView.as_view(), name="repair_stats"),
    path("reports/case-files/", CaseFileListView.as_view(), name="case_file_list"),
    path("<int:pk>/case-file/", CaseFileView.as_view(), name="case_file"),
]
