"""Pages of the report centre (审查报告 1–10): the centre (the kinds as cards, the list of reports with filters and
Excel), a new report, the report's page (its sections, texts, versions, reviews and the steps the user may take
now), the texts, the steps (submit, regenerate, review, cancel), an older version, PDF, Excel, history."""

from __future__ import annotations

import re
import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from wuye.core.audit import audit
from wuye.core.exports import neutralise, sheet_title
from wuye.core.forms import apply_errors
from wuye.core.pdf import PdfResponse, render_pdf
from wuye.core.views import BaseView, ObjectDetailView, ObjectHistoryView, ObjectListView
from wuye.documents.forms import StepForm
from wuye.documents.views.base import StepView, TableStepView

from . import services
from .choices import CANCELLABLE_STATUSES, EDITABLE_STATUSES, ReportStatus
from .dashboard import manager_charts, may_see_manager_panel
from .filtersets import ReportFilterSet
from .forms import CancelForm, NewReportForm, ReviewForm, TextsForm
from .kinds import KINDS
from .models import Report, ReportVersion
from .selectors import chart_rows, report_context
from .tables import ReportTable

VIEW = services.VIEW
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportListView(ObjectListView):
    """The report centre: the kinds the user may generate as cards, then every report they may see."""

    queryset = Report.objects.select_related("estate", "department", "author")
    filterset = ReportFilterSet
    table = ReportTable
    template_name = "reports/report_list.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if isinstance(response, TemplateResponse) and response.template_name == self.template_name:
            add = reverse("reports:report_add")
            response.context_data["kinds"] = [
                {"kind": spec.kind, "label": spec.label, "url": f"{add}?kind={spec.kind}",
                 "may_generate": services.may_generate(request.user, spec)} for spec in KINDS.values()]
            response.context_data["add_url"] = None
        return response


class ReportAddView(BaseView):
    """A new report: kind, period and estate; the figures are generated at once (version 1, a draft)."""

    template_name = "reports/report_add.html"
    permission_required = VIEW  # and at least one kind the user may generate (checked in dispatch)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(VIEW) \
                and not services.generatable_kinds(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "title": _("New report"), "form": form, "cancel_url": reverse("reports:report_list"),
            "model": Report, "verbose_name_plural": Report._meta.verbose_name_plural}, status=status)

    def get(self, request):
        initial = {k: v for k, v in request.GET.items() if k in ("kind", "period", "estate")}
        return self.render(NewReportForm(user=request.user, initial=initial))

    def post(self, request):
        form = NewReportForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    report = services.report_generate(actor=request.user, kind=data["kind"],
                                                      period=data["period"], estate=data["estate"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Report generated: %(report)s.") % {"report": report})
                return redirect(report.get_absolute_url())
        return self.render(form, status=400)


def report_steps(report: Report, user) -> list[dict]:
    """The buttons of the steps ``user`` may take on ``report`` now (the services have the last word)."""
    steps = []

    def add(step, label, style="outline-primary"):
        steps.append({"step": step, "label": label, "style": style,
                      "url": reverse("reports:report_step", args=[report.pk, step])})

    is_author = report.author_id == user.pk
    if report.status in EDITABLE_STATUSES and is_author and user.has_perm(services.CHANGE):
        steps.append({"step": "texts", "label": _("Edit the texts"), "style": "outline-primary",
                      "url": reverse("reports:report_edit", args=[report.pk])})
        add("regenerate", _("Regenerate the figures"))
        add("submit", _("Submit for review"), "primary")
    if report.status == ReportStatus.SUBMITTED and not is_author and user.has_perm(services.REVIEW):
        add("review", _("Review"), "primary")
    if report.status in CANCELLABLE_STATUSES and user.has_perm(services.CHANGE) and (
            is_author or user.has_perm(services.REVIEW)):
        add("cancel", _("Cancel"), "outline-danger")
    return steps


class ReportView(ObjectDetailView):
    queryset = Report.objects.select_related("estate", "department", "author")
    template_name = "reports/report.html"

    def get_extra_context(self, report):
        version = report.version()
        steps = report_steps(report, self.request.user)
        return {**report_context(report, version), "steps": steps, "edit_url": None,
                "texts_url": next((s["url"] for s in steps if s["step"] == "texts"), None),
                "can_export": self.request.user.has_perm("core.export_lists"),
                "is_current": True}


class ReportVersionView(BaseView):
    """One version of a report, read-only (an older one, or the current)."""

    permission_required = VIEW
    template_name = "reports/report_version.html"

    def get(self, request, pk, number):
        report = get_object_or_404(ReportView.queryset.restrict(request.user, "view"), pk=pk)
        version = get_object_or_404(report.versions.all(), number=number)
        return TemplateResponse(request, self.template_name, {
            "object": report, "model": Report, "verbose_name": Report._meta.verbose_name,
            **report_context(report, version), "is_current": version.number == report.current_version,
            "can_export": request.user.has_perm("core.export_lists")})


class ReportHistoryView(ObjectHistoryView):
    queryset = Report.objects.all()


class ReportTextsView(StepView):
    """The author's texts (conclusions, plan for the next period …)."""

    queryset = Report.objects.select_related("estate", "author")
    permission_required = services.CHANGE
    form_class = TextsForm
    title = gettext_lazy("Edit the texts")

    def notice(self, report):
        if report.status not in EDITABLE_STATUSES:
            return services._status_error(report).messages[0]
        if report.author_id != self.request.user.pk:
            return _("Only the author of the report may do this.")
        return None

    def perform(self, report, form):
        version = services.report_update_texts(actor=self.request.user, report=report, texts=form.texts())
        return _("Texts saved (version %(version)s).") % {"version": version.number}


STEPS = {
    "submit": (gettext_lazy("Submit for review"), "primary", services.CHANGE, StepForm),
    "regenerate": (gettext_lazy("Regenerate the figures"), "primary", services.CHANGE, StepForm),
    "review": (gettext_lazy("Review"), "primary", services.REVIEW, ReviewForm),
    "cancel": (gettext_lazy("Cancel the report"), "danger", services.CHANGE, CancelForm),
}


class ReportStepView(TableStepView):
    queryset = Report.objects.select_related("estate", "author")
    steps = STEPS
    view_permission = VIEW

    def notice(self, report):
        user, status = self.request.user, report.status
        if self.step in ("submit", "regenerate"):
            if status not in EDITABLE_STATUSES:
                return services._status_error(report).messages[0]
            if report.author_id != user.pk:
                return _("Only the author of the report may do this.")
        if self.step == "review":
            if report.author_id == user.pk:
                return _("You cannot review your own report.")
            if status != ReportStatus.SUBMITTED:
                return services._status_error(report).messages[0]
        if self.step == "cancel" and status not in CANCELLABLE_STATUSES:
            return services._status_error(report).messages[0]
        return None

    def perform(self, report, form):
        user, step, data = self.request.user, self.step, form.cleaned_data
        if step == "submit":
            services.report_submit(actor=user, report=report)
            return _("Submitted for review: %(report)s.") % {"report": report}
        if step == "regenerate":
            version = services.report_regenerate(actor=user, report=report)
            return _("Figures regenerated (version %(version)s).") % {"version": version.number}
        if step == "review":
            review = services.report_review(actor=user, report=report, decision=data["decision"],
                                            comments=data["comments"], instructions=data["instructions"])
            return _("Review recorded: %(decision)s.") % {"decision": review.get_decision_display()}
        services.report_cancel(actor=user, report=report, reason=data["reason"])
        return _("Report cancelled: %(report)s.") % {"report": report}


# --- PDF and Excel -----------------------------------------------------------------------------------------------


def _version_of(request, report: Report) -> ReportVersion:
    number = request.GET.get("version")
    if number is None:
        number = report.current_version
    elif not str(number).isdigit():
        raise Http404
    return get_object_or_404(report.versions.all(), number=int(number))


def _filename(report: Report, version: ReportVersion) -> str:
    parts = [report.kind_label, report.period_label]
    if report.estate_id:
        parts.append(report.estate.name)
    return "-".join(parts) + f"-v{version.number}"


class ReportPdfView(BaseView):
    """The report as A4 PDF (``?version=n`` for an older version): its sections, texts and reviews."""

    permission_required = VIEW

    def get(self, request, pk):
        report = get_object_or_404(ReportView.queryset.restrict(request.user, "view"), pk=pk)
        version = _version_of(request, report)
        context = {**report_context(report, version), "object": report, "title": report.kind_label,
                   "today": timezone.localdate()}
        pdf = render_pdf("reports/report_pdf.html", context, request=request)
        audit("report.export", actor=request.user, obj=report, estate_id=report.estate_id, report=report.kind,
              format="pdf", version=version.number)
        return PdfResponse(pdf, _filename(report, version))


def _cell(value):
    """A cell's value: numbers as numbers, text never as a formula (``core.exports.neutralise``)."""
    if value is None or isinstance(value, (int, float, bool)):
        return value
    return neutralise(str(value))


def write_report_workbook(report: Report, version: ReportVersion, context: dict):
    """The report as an .xlsx: a first sheet with the report's details and texts, then one sheet per section (its
    figures, then its tables, then its chart's data). Returns the open temporary file."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(_("Report"))
    content = version.content or {}
    ws.append([_cell(content.get("title") or report.kind_label)])
    ws["A1"].font = Font(bold=True, size=14)
    for label, value in ((_("period"), report.period_label), (_("estate"), report.estate.name if report.estate_id
                                                              else _("All estates")),
                         (_("department"), str(report.department or "")), (_("author"), context["author_name"]),
                         (_("status"), report.get_status_display()), (_("version"), version.number),
                         (_("generated at"), timezone.localtime(version.generated_at).strftime("%Y-%m-%d %H:%M"))):
        ws.append([str(label), _cell(value)])
    ws.append([])
    for text in context["texts"]:
        ws.append([_cell(text["label"]), _cell(text["value"])])
    used = {ws.title}
    for index, section in enumerate(content.get("sections") or [], start=1):
        title = sheet_title(f"{index} {section.get('title') or section.get('key') or ''}")
        while title in used:
            title = sheet_title(f"{title[:28]}-{index}")
        used.add(title)
        sheet = wb.create_sheet(title)
        sheet.append([_cell(section.get("title") or "")])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        figures = section.get("figures") or []
        if figures:
            sheet.append([_("figure"), _("value"), pgettext("measure", "unit")])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for figure in figures:
                sheet.append([_cell(figure.get("label")), _cell(figure.get("value")), _cell(figure.get("unit"))])
        for table in section.get("tables") or []:
            sheet.append([])
            sheet.append([_cell(table.get("title"))])
            sheet.cell(row=sheet.max_row, column=1).font = bold
            sheet.append([_cell(c) for c in table.get("columns") or []])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for row in table.get("rows") or []:
                sheet.append([_cell(c) for c in row])
        chart = section.get("chart")
        if chart and chart.get("x"):
            sheet.append([])
            sheet.append(["", *[_cell(s.get("name")) for s in chart.get("series") or []]])
            for row in chart_rows(chart):
                sheet.append([_cell(c) for c in row])
        for note in section.get("notes") or []:
            sheet.append([_cell(note)])
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to the response, which closes it
    wb.save(tmp)
    tmp.seek(0)
    return tmp


class ReportExcelView(BaseView):
    """The report as Excel (one sheet per section); needs ``core.export_lists`` too."""

    permission_required = VIEW

    def get(self, request, pk):
        if not request.user.has_perm("core.export_lists"):
            raise PermissionDenied
        report = get_object_or_404(ReportView.queryset.restrict(request.user, "view"), pk=pk)
        version = _version_of(request, report)
        tmp = write_report_workbook(report, version, report_context(report, version))
        audit("report.export", actor=request.user, obj=report, estate_id=report.estate_id, report=report.kind,
              format="xlsx", version=version.number)
        return FileResponse(tmp, as_attachment=True, filename=f"{_filename(report, version)}.xlsx",
                            content_type=XLSX)


class DashboardChartsView(BaseView):
    """The manager panel's charts as JSON, fetched by the home page after it has loaded (see
    ``dashboard.manager_charts``)."""

    permission_required = "tickets.view_reports"

    def get(self, request):
        if not may_see_manager_panel(request.user):
            raise PermissionDenied
        return JsonResponse(manager_charts(request.user, timezone.localdate()))


_steps = "|".join(map(re.escape, STEPS))
urlpatterns = [
    path("", ReportListView.as_view(), name="report_list"),
    path("add/", ReportAddView.as_view(), name="report_add"),
    path("dashboard/charts/", DashboardChartsView.as_view(), name="dashboard_charts"),
    path("<int:pk>/", ReportView.as_view(), name="report"),
    path("<int:pk>/edit/", ReportTextsView.as_view(), name="report_edit"),
    path("<int:pk>/history/", ReportHistoryView.as_view(), name="report_history"),
    path("<int:pk>/pdf/", ReportPdfView.as_view(), name="report_pdf"),
    path("<int:pk>/xlsx/", ReportExcelView.as_view(), name="report_xlsx"),
    path("<int:pk>/versions/<int:number>/", ReportVersionView.as_view(), name="report_version"),
    re_path(rf"^(?P<pk>\d+)/(?P<step>{_steps})/$", ReportStepView.as_view(), name="report_step"),
]
