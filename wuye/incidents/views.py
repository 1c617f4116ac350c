"""Pages of the incidents app: the list (Excel), an incident's page with its steps, the report form, the printable
incident report (PDF with signature lines), the period's incident report (客户服务意外事故报告) with PDF and Excel,
the files, the kinds."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.audit import audit
from wuye.core.pdf import PdfResponse, render_pdf
from wuye.core.querysets import restrict
from wuye.core.views import BaseView, ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.documents.files import file_response
from wuye.documents.forms import StepForm
from wuye.documents.views.base import TableStepView

from . import selectors, services
from .choices import EDITABLE_STATUSES, WITHDRAWABLE_STATUSES, IncidentStatus, Severity
from .filtersets import IncidentFilterSet, IncidentKindFilterSet
from .forms import (
    IncidentFileForm,
    IncidentForm,
    IncidentKindForm,
    InvestigationForm,
    PeriodForm,
    RaiseActionForm,
    ReviewForm,
    WithdrawForm,
)
from .models import Incident, IncidentFile, IncidentKind
from .tables import IncidentKindTable, IncidentTable

VIEW = "incidents.view_incident"


class IncidentListView(ObjectListView):
    queryset = Incident.objects.select_related("estate", "kind", "corrective_action")
    filterset = IncidentFilterSet
    table = IncidentTable

    @property
    def extra_actions(self):
        return [(_("Incident report of a period"), reverse("incidents:incident_report"))]


def incident_steps(incident: Incident, user) -> list[dict]:
    """The buttons of the steps ``user`` may take on ``incident`` now (the services have the last word)."""
    steps = []

    def add(step, label, style="outline-primary"):
        steps.append({"step": step, "label": label, "style": style,
                      "url": reverse("incidents:incident_step", args=[incident.pk, step])})

    status = incident.status
    if status == IncidentStatus.REPORTED and user.has_perm(services.INVESTIGATE):
        add("investigate", _("Start the investigation"), "primary")
    if status in (IncidentStatus.REPORTED, IncidentStatus.INVESTIGATING) and user.has_perm(services.INVESTIGATE):
        add("investigation", _("Record the investigation"),
            "primary" if status == IncidentStatus.INVESTIGATING else "outline-primary")
    if status == IncidentStatus.INVESTIGATED and user.has_perm(services.REVIEW) \
            and incident.reported_by_id != user.pk:
        add("review", _("Review"), "primary")
    if status == IncidentStatus.REVIEWED and user.has_perm(services.CLOSE):
        add("close", _("Close"), "success")
    if (incident.corrective_action_id is None and status != IncidentStatus.WITHDRAWN
            and user.has_perm(services.REVIEW) and user.has_perm(services.RAISE_ACTION)):
        add("raise-action", _("Raise a corrective action"))
    if user.has_perm(services.ADD_FILE):
        add("file", _("Attach a file"))
    if status in WITHDRAWABLE_STATUSES and user.has_perm(services.CLOSE):
        add("withdraw", _("Withdraw"), "outline-danger")
    return steps


class IncidentView(ObjectDetailView):
    queryset = Incident.objects.select_related("estate", "kind", "reported_by", "investigator", "reviewer",
                                               "closed_by", "corrective_action")
    template_name = "incidents/incident.html"

    def get_extra_context(self, incident):
        user = self.request.user
        action = incident.corrective_action
        action_url = None
        if action is not None and user.has_perm("quality.view_correctiveaction"):
            action_url = action.get_absolute_url()
        return {
            "steps": incident_steps(incident, user),
            "edit_url": reverse("incidents:incident_edit", args=[incident.pk])
            if self.can_change and incident.status in EDITABLE_STATUSES else None,
            "pdf_url": reverse("incidents:incident_pdf", args=[incident.pk]),
            "files": list(restrict(incident.files.all(), user, "view").select_related("created_by")),
            "action_url": action_url,
        }


class IncidentAddView(ObjectEditView):
    queryset = Incident.objects.all()
    form = IncidentForm

    def get_initial(self):
        initial = super().get_initial()
        initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
        return initial

    def save(self, form):
        return services.incident_report(actor=self.request.user, **form.service_fields())


class IncidentEditView(ObjectEditView):
    queryset = Incident.objects.all()
    form = IncidentForm

    def get_object(self):
        incident = super().get_object()
        if incident.status not in EDITABLE_STATUSES:
            raise PermissionDenied
        return incident

    def save(self, form):
        incident = Incident.objects.get(pk=form.instance.pk)
        return services.incident_update(actor=self.request.user, incident=incident, **form.service_fields())


class IncidentHistoryView(ObjectHistoryView):
    queryset = Incident.objects.all()


STEPS = {
    "investigate": (gettext_lazy("Start the investigation"), "primary", services.INVESTIGATE, StepForm),
    "investigation": (gettext_lazy("Record the investigation"), "primary", services.INVESTIGATE,
                      InvestigationForm),
    "review": (gettext_lazy("Review"), "primary", services.REVIEW, ReviewForm),
    "close": (gettext_lazy("Close"), "success", services.CLOSE, StepForm),
    "withdraw": (gettext_lazy("Withdraw"), "danger", services.CLOSE, WithdrawForm),
    "raise-action": (gettext_lazy("Raise a corrective action"), "primary", services.REVIEW, RaiseActionForm),
    "file": (gettext_lazy("Attach a file"), "primary", services.ADD_FILE, IncidentFileForm),
}


class IncidentStepView(TableStepView):
    queryset = Incident.objects.select_related("estate", "kind", "corrective_action")
    steps = STEPS
    view_permission = VIEW

    @property
    def multipart(self):
        return self.step == "file"

    def notice(self, incident):
        status = incident.status
        if self.step == "investigate" and status != IncidentStatus.REPORTED:
            return services._status_error(incident).messages[0]
        if self.step == "investigation" and status not in (IncidentStatus.REPORTED, IncidentStatus.INVESTIGATING):
            return services._status_error(incident).messages[0]
        if self.step == "review":
            if status != IncidentStatus.INVESTIGATED:
                return services._status_error(incident).messages[0]
            if incident.reported_by_id == self.request.user.pk:
                return _("You reported this incident: someone else reviews it.")
        if self.step == "close" and status != IncidentStatus.REVIEWED:
            return _("An incident is closed only after the manager's review.")
        if self.step == "withdraw" and status not in WITHDRAWABLE_STATUSES:
            return services._status_error(incident).messages[0]
        if self.step == "raise-action" and incident.corrective_action_id:
            return _("This incident already has a corrective action: %(number)s.") % {
                "number": incident.corrective_action.number}
        return None

    def perform(self, incident, form):
        user, step, data = self.request.user, self.step, form.cleaned_data
        if step == "investigate":
            services.incident_start_investigation(actor=user, incident=incident)
        elif step == "investigation":
            services.incident_record_investigation(actor=user, incident=incident, cause=data["cause"],
                                                   responsibility=data["responsibility"])
        elif step == "review":
            services.incident_review(actor=user, incident=incident, comment=data["comment"],
                                     instructions=data["instructions"])
        elif step == "close":
            services.incident_close(actor=user, incident=incident)
        elif step == "withdraw":
            services.incident_withdraw(actor=user, incident=incident, reason=data["reason"])
        elif step == "raise-action":
            action = services.incident_raise_action(actor=user, incident=incident, title=data["title"],
                                                    description=data["description"])
            return _("Corrective action %(action)s raised for %(incident)s.") % {"action": action.number,
                                                                                "incident": incident.number}
        else:
            services.incident_add_file(actor=user, incident=incident, upload=data["file"])
        return _("%(step)s: %(incident)s") % {"step": STEPS[step][0], "incident": incident.number}


class IncidentPdfView(BaseView):
    """One incident as a printable report (事故报告) with the signature lines 报告人, 调查人, 审查人."""

    permission_required = VIEW

    def get(self, request, pk):
        incident = get_object_or_404(IncidentView.queryset.restrict(request.user, "view"), pk=pk)
        title = _("Incident report")
        pdf = render_pdf("incidents/incident_pdf.html", {"title": title, "incident": incident,
                                                         "today": timezone.localdate()}, request=request)
        audit("report.export", actor=request.user, obj=incident, report="incident", format="pdf")
        return PdfResponse(pdf, f"{title}-{incident.number}.pdf")


class IncidentFileView(BaseView):
    """An incident's file, through ``restrict()``, always as a download; every opening is audited."""

    permission_required = "incidents.view_incidentfile"

    def get(self, request, pk):
        stored = get_object_or_404(restrict(IncidentFile.objects.select_related("incident"), request.user, "view"),
                                   pk=pk)
        audit("incident.download", actor=request.user, obj=stored.incident, estate_id=stored.incident.estate_id,
              file=stored.name, sha256=stored.sha256)
        return file_response(stored, withdrawn=False)


# --- the period's report (客户服务意外事故报告) -----------------------------------------------------------------


def _xlsx(title: str, figures: dict, incidents) -> FileResponse:
    import tempfile

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from wuye.core.exports import neutralise, sheet_title

    def text(value):
        return neutralise(str(value)) if value else value  # never a formula: typed text stays text

    wb = Workbook()
    sheet = wb.active
    sheet.title = sheet_title(_("Incidents"))
    headers = [_("number"), _("title"), _("occurred at"), _("estate"), _("place"), _("kind"), _("severity"),
               _("people injured"), _("estimated loss (yuan)"), _("status"), _("cause"), _("responsibility"),
               _("corrective action")]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i in incidents:
        sheet.append([i.number, text(i.title), timezone.localtime(i.occurred_at).strftime("%Y-%m-%d %H:%M"),
                      text(i.estate.name), text(i.place), text(i.kind.name), i.get_severity_display(), i.injured_count,
                      float(i.loss_amount) if i.loss_amount is not None else None, i.get_status_display(),
                      text(i.cause), text(i.responsibility),
                      i.corrective_action.number if i.corrective_action_id else ""])
    summary = wb.create_sheet(sheet_title(_("Figures")))
    rows = [(_("From"), figures["start"].isoformat()), (_("To"), figures["end"].isoformat()),
            (_("Incidents"), figures["total"]), (_("Withdrawn reports"), figures["withdrawn"]),
            (_("Incidents with injuries"), figures["with_injuries"]), (_("People injured"), figures["injured"]),
            (_("Estimated losses (yuan)"), float(figures["losses"])), (_("Open"), figures["open"]),
            (_("Open for more than 30 days"), figures["open_over_30"]),
            (_("With a corrective action"), figures["with_action"])]
    rows += [(f"{_('kind')}: {k['name']}", k["count"]) for k in figures["by_kind"]]
    rows += [(f"{_('severity')}: {Severity(s).label}", n) for s, n in figures["by_severity"].items()]
    rows += [(f"{_('status')}: {IncidentStatus(s).label}", n) for s, n in figures["by_status"].items()]
    for row in rows:
        summary.append([text(row[0]), row[1]])
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to the response, which closes it
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=f"{title}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class IncidentReportView(BaseView):
    """客户服务意外事故报告: the incidents of a period (default: this month so far) and an estate (default: all the
    user sees), with the figures; ``?export=pdf`` or ``?export=xlsx``."""

    permission_required = VIEW
    template_name = "incidents/report.html"

    def get(self, request):
        form = PeriodForm(request.GET or {}, user=request.user)
        if not form.is_valid():
            return TemplateResponse(request, self.template_name, {"title": _("Incident report of a period"),
                                                                  "form": form, "figures": None}, status=400)
        start, end, estate = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["estate"]
        incidents = selectors.incidents_in_period(start, end, request.user)
        if estate is not None:
            incidents = incidents.filter(estate=estate)
        figures = selectors.incident_figures(start, end, [estate.pk] if estate else None,
                                             queryset=Incident.objects.restrict(request.user, "view"))
        title = _("Customer service incident report")
        context = {"title": title, "form": form, "figures": figures, "incidents": incidents, "estate": estate,
                   "start": start, "end": end, "today": timezone.localdate(),
                   "severities": [(Severity(s).label, n) for s, n in figures["by_severity"].items()],
                   "statuses": [(IncidentStatus(s).label, n) for s, n in figures["by_status"].items()]}
        export = request.GET.get("export")
        if export in ("pdf", "xlsx"):
            if not request.user.has_perm("core.export_lists"):
                raise PermissionDenied
            filename = f"{title}-{start:%Y%m%d}-{end:%Y%m%d}"
            audit("report.export", actor=request.user, report="incidents", format=export,
                  start=str(start), end=str(end), estate=estate.pk if estate else None)
            if export == "xlsx":
                return _xlsx(filename, figures, incidents)
            pdf = render_pdf("incidents/report_pdf.html", context, request=request, landscape=True)
            return PdfResponse(pdf, f"{filename}.pdf")
        query = request.GET.copy()
        query.pop("export", None)
        context["pdf_url"] = f"?{query.urlencode()}&export=pdf" if query else "?export=pdf"
        context["xlsx_url"] = f"?{query.urlencode()}&export=xlsx" if query else "?export=xlsx"
        context["can_export"] = request.user.has_perm("core.export_lists")
        return TemplateResponse(request, self.template_name, context)


# --- kinds -------------------------------------------------------------------------------------------------------


class IncidentKindListView(ObjectListView):
    queryset = IncidentKind.objects.all()
    filterset = IncidentKindFilterSet
    table = IncidentKindTable
    permission_required = "incidents.change_incidentkind"


class IncidentKindEditView(ObjectEditView):
    queryset = IncidentKind.objects.all()
    form = IncidentKindForm


_steps = "|".join(map(re.escape, STEPS))
urlpatterns = [
    path("", IncidentListView.as_view(), name="incident_list"),
    path("add/", IncidentAddView.as_view(), name="incident_add"),
    path("report/", IncidentReportView.as_view(), name="incident_report"),
    path("<int:pk>/", IncidentView.as_view(), name="incident"),
    path("<int:pk>/edit/", IncidentEditView.as_view(), name="incident_edit"),
    path("<int:pk>/history/", IncidentHistoryView.as_view(), name="incident_history"),
    path("<int:pk>/pdf/", IncidentPdfView.as_view(), name="incident_pdf"),
    re_path(rf"^(?P<pk>\d+)/(?P<step>{_steps})/$", IncidentStepView.as_view(), name="incident_step"),
    path("files/<int:pk>/", IncidentFileView.as_view(), name="file"),
    path("kinds/", IncidentKindListView.as_view(), name="incidentkind_list"),
    path("kinds/add/", IncidentKindEditView.as_view(), name="incidentkind_add"),
    path("kinds/<int:pk>/edit/", IncidentKindEditView.as_view(), name="incidentkind_edit"),
]
