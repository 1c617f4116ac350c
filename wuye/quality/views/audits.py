"""Pages of the audits subject (seed 3.1–3.3): the audit programmes, audits and their steps, the checklist answered
on one page, findings with their evidence, checklist templates, the yearly limit of external findings, the
cumulative external findings per managed estate (外审发现项累计) and the audit report as PDF."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.audit import audit as audit_event
from wuye.core.forms import apply_errors
from wuye.core.pdf import PdfResponse, render_pdf
from wuye.core.querysets import restrict
from wuye.core.views import BaseView, ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.documents.views.base import StepView, TableStepView
from wuye.estates.models import Estate

from .. import services
from ..choices import AuditStatus, ProgrammeStatus
from ..filtersets.audits import (
    AuditFilterSet,
    AuditProgrammeFilterSet,
    ChecklistTemplateFilterSet,
    FindingFilterSet,
    FindingLimitFilterSet,
)
from ..forms.audits import (
    AuditForm,
    AuditProgrammeForm,
    CancelForm,
    ChecklistAnswerForm,
    ChecklistItemForm,
    ChecklistTemplateForm,
    DateStepForm,
    FileStepForm,
    FindingForm,
    FindingLimitForm,
    FromTemplateForm,
    ReportForm,
    TemplateQuestionForm,
)
from ..models import Audit, AuditProgramme, ChecklistTemplate, Finding, FindingLimit, TemplateQuestion
from ..selectors import audits as selectors
from ..services.audits import CONDUCT, EDITABLE_AUDIT_STATUSES, may_approve_programme, may_record_findings
from ..tables.audits import AuditProgrammeTable, AuditTable, ChecklistTemplateTable, FindingLimitTable, FindingTable


def raise_action_url(finding: Finding) -> str | None:
    """Where a corrective action for ``finding`` is raised (the actions subject's page)."""
    try:
        return f"{reverse('quality:correctiveaction_add')}?finding={finding.pk}"
    except NoReverseMatch:
        return None


def _files(owner):
    from ..services.files import files_of

    return list(files_of(owner))


# --- programmes ---------------------------------------------------------------------------------------------------


class AuditProgrammeListView(ObjectListView):
    queryset = AuditProgramme.objects.select_related("approved_by").annotate(audit_count=Count("audits"))
    filterset = AuditProgrammeFilterSet
    table = AuditProgrammeTable


class AuditProgrammeView(ObjectDetailView):
    queryset = AuditProgramme.objects.select_related("approved_by")
    template_name = "quality/audits/auditprogramme.html"

    def get_extra_context(self, programme):
        user = self.request.user
        audits = list(restrict(programme.audits.all(), user, "view").select_related("lead_auditor")
                      .prefetch_related("estates").annotate(finding_count=Count("findings"))
                      .order_by("planned_start", "number"))
        return {
            "audits": audits,
            "quarters": selectors.programme_quarters(programme),
            "approve_url": reverse("quality:auditprogramme_step", args=[programme.pk, "approve"])
            if programme.status == ProgrammeStatus.DRAFT and may_approve_programme(user) else None,
            "add_audit_url": f"{reverse('quality:audit_add')}?programme={programme.pk}"
            if user.has_perm("quality.add_audit") else None,
        }


class AuditProgrammeEditView(ObjectEditView):
    queryset = AuditProgramme.objects.all()
    form = AuditProgrammeForm

    def save(self, form):
        if form.instance.pk:
            programme = AuditProgramme.objects.get(pk=form.instance.pk)
            return services.audit_programme_update(actor=self.request.user, programme=programme,
                                                   **form.service_fields())
        return services.audit_programme_create(actor=self.request.user, **form.service_fields())


class AuditProgrammeHistoryView(ObjectHistoryView):
    queryset = AuditProgramme.objects.all()


class AuditProgrammeApproveView(StepView):
    """Top management or a quality auditor approves the year's programme."""

    queryset = AuditProgramme.objects.all()
    permission_required = "quality.view_auditprogramme"
    form_class = DateStepForm
    title = gettext_lazy("Approve the audit programme")
    button_class = "btn-success"

    def get_object(self):
        if self.kwargs["step"] != "approve":
            raise Http404
        return super().get_object()

    def check(self, programme):
        if not may_approve_programme(self.request.user):
            raise PermissionDenied

    def notice(self, programme):
        return _("This programme is already approved.") if programme.status != ProgrammeStatus.DRAFT else None

    def perform(self, programme, form):
        services.audit_programme_approve(actor=self.request.user, programme=programme,
                                         approved_on=form.cleaned_data["on"])
        return _("Approved: %(programme)s") % {"programme": programme}


# --- audits -------------------------------------------------------------------------------------------------------


class AuditListView(ObjectListView):
    """The audit register: Excel of the filtered list comes with the page."""

    queryset = (Audit.objects.select_related("lead_auditor", "programme").prefetch_related("estates")
                .annotate(finding_count=Count("findings")))
    filterset = AuditFilterSet
    table = AuditTable


def audit_steps(audit: Audit, user) -> list[dict]:
    """The buttons of the steps ``user`` may take on ``audit`` now (the services have the last word)."""
    steps = []

    def add(step, label, style="outline-primary"):
        steps.append({"step": step, "label": label, "style": style,
                      "url": reverse("quality:audit_step", args=[audit.pk, step])})

    conduct = user.has_perm(CONDUCT)
    if conduct and audit.status == AuditStatus.PLANNED:
        add("start", _("Start the audit"), "primary")
    if conduct and audit.status in EDITABLE_AUDIT_STATUSES:
        add("template", _("Checklist from a template"))
        add("item", _("Add a checklist point"))
    if conduct and audit.status == AuditStatus.IN_PROGRESS:
        add("report", _("Report"), "primary")
    if conduct and audit.status == AuditStatus.REPORTED:
        add("close", _("Close"), "success")
    if conduct and audit.status in EDITABLE_AUDIT_STATUSES:
        add("cancel", _("Cancel"), "outline-danger")
    return steps


class AuditView(ObjectDetailView):
    queryset = Audit.objects.select_related("programme", "lead_auditor", "lead_auditor__department")
    template_name = "quality/audits/audit.html"

    def get_extra_context(self, audit):
        user = self.request.user
        findings = list(restrict(audit.findings.all(), user, "view").select_related(
            "clause", "estate", "department", "corrective_action"))
        for finding in findings:
            finding.raise_url = (raise_action_url(finding) if finding.grade in ("minor", "major")
                                 and not hasattr(finding, "corrective_action")
                                 and user.has_perm("quality.add_correctiveaction") else None)
        return {
            "steps": audit_steps(audit, user),
            "edit_url": reverse("quality:audit_edit", args=[audit.pk])
            if self.can_change and audit.status in EDITABLE_AUDIT_STATUSES else None,
            "checklist": list(audit.checklist.select_related("clause")),
            "answer_url": reverse("quality:audit_checklist", args=[audit.pk])
            if user.has_perm(CONDUCT) and audit.status == AuditStatus.IN_PROGRESS else None,
            "findings": findings,
            "finding_add_url": reverse("quality:finding_add", args=[audit.pk])
            if user.has_perm("quality.add_finding") and may_record_findings(audit) else None,
            "pdf_url": reverse("quality:audit_pdf", args=[audit.pk]),
            "estates": list(audit.estates.all()),
            "departments": list(audit.departments.all()),
            "clauses": list(audit.clauses.all()),
            "auditors": list(audit.auditors.select_related("department")),
            "without_action": list(services.findings_without_action(audit)) if audit.status == "reported" else [],
        }


class AuditEditView(ObjectEditView):
    queryset = Audit.objects.all()
    form = AuditForm

    def get_object(self):
        audit = super().get_object()
        if audit.pk and audit.status not in EDITABLE_AUDIT_STATUSES:
            raise PermissionDenied
        return audit

    def save(self, form):
        if form.instance.pk:
            audit = Audit.objects.get(pk=form.instance.pk)
            return services.audit_update(actor=self.request.user, audit=audit, **form.service_fields())
        return services.audit_create(actor=self.request.user, **form.service_fields())


class AuditHistoryView(ObjectHistoryView):
    queryset = Audit.objects.all()


STEPS = {
    "start": (gettext_lazy("Start the audit"), "primary", CONDUCT, DateStepForm),
    "report": (gettext_lazy("Report"), "primary", CONDUCT, ReportForm),
    "close": (gettext_lazy("Close"), "success", CONDUCT, DateStepForm),
    "cancel": (gettext_lazy("Cancel the audit"), "danger", CONDUCT, CancelForm),
    "template": (gettext_lazy("Checklist from a template"), "primary", CONDUCT, FromTemplateForm),
    "item": (gettext_lazy("Add a checklist point"), "primary", CONDUCT, ChecklistItemForm),
}
SOURCES = {"start": (AuditStatus.PLANNED,), "report": (AuditStatus.IN_PROGRESS,), "close": (AuditStatus.REPORTED,),
           "cancel": EDITABLE_AUDIT_STATUSES, "template": EDITABLE_AUDIT_STATUSES, "item": EDITABLE_AUDIT_STATUSES}


class AuditStepView(TableStepView):
    queryset = Audit.objects.all()
    steps = STEPS
    view_permission = "quality.view_audit"

    def notice(self, audit):
        if audit.status not in SOURCES[self.step]:
            return _("An audit that is %(status)s cannot take this step.") % {"status": audit.get_status_display()}
        if self.step == "close":
            missing = list(services.findings_without_action(audit))
            if missing:
                return _("Without a corrective action: %(findings)s") % {
                    "findings": ", ".join(f.reference for f in missing)}
        return None

    def perform(self, audit, form):
        user, step, data = self.request.user, self.step, form.cleaned_data
        if step == "start":
            services.audit_start(actor=user, audit=audit, started_on=data["on"])
        elif step == "report":
            services.audit_report(actor=user, audit=audit, summary=data["summary"], reported_on=data["on"])
        elif step == "close":
            services.audit_close(actor=user, audit=audit, closed_on=data["on"])
        elif step == "cancel":
            services.audit_cancel(actor=user, audit=audit, reason=data["reason"])
        elif step == "template":
            items = services.audit_checklist_from_template(actor=user, audit=audit, template=data["template"])
            return _("%(count)s checklist points added.") % {"count": len(items)}
        else:
            services.audit_checklist_item_add(actor=user, audit=audit, question=data["question"],
                                              clause=data["clause"], guidance=data["guidance"])
        return _("%(step)s: %(audit)s") % {"step": STEPS[step][0], "audit": audit.number}


class AuditChecklistView(BaseView):
    """Every point of the checklist on one page, answered during the audit (result and evidence per point)."""

    permission_required = CONDUCT
    template_name = "quality/audits/audit_checklist.html"

    def get_audit(self):
        return get_object_or_404(restrict(Audit.objects.all(), self.request.user, "view"), pk=self.kwargs["pk"])

    def render(self, audit, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "object": audit, "form": form, "rows": form.rows(),
            "editable": audit.status == AuditStatus.IN_PROGRESS,
            "finding_add_url": reverse("quality:finding_add", args=[audit.pk])
            if self.request.user.has_perm("quality.add_finding") and may_record_findings(audit) else None,
        }, status=status)

    def make_form(self, audit, data=None):
        return ChecklistAnswerForm(data, user=self.request.user, items=audit.checklist.select_related("clause"))

    def get(self, request, pk):
        audit = self.get_audit()
        return self.render(audit, self.make_form(audit))

    def post(self, request, pk):
        audit = self.get_audit()
        form = self.make_form(audit, request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    changed = services.audit_checklist_answer(actor=request.user, audit=audit,
                                                              answers=form.answers())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("%(count)s checklist points saved.") % {"count": len(changed)})
                return redirect(audit.get_absolute_url())
        return self.render(audit, form, status=400)


class AuditPdfView(BaseView):
    """The audit report (审核报告) as PDF: header, scope, estates, departments, clauses, team, dates, the
    checklist with its results, the findings and the summary. Every print is audited."""

    permission_required = "quality.view_audit"

    def get(self, request, pk):
        audit = get_object_or_404(restrict(Audit.objects.select_related("programme", "lead_auditor"), request.user,
                                           "view"), pk=pk)
        today = timezone.localdate()
        pdf = render_pdf("quality/audits/audit_pdf.html", {
            "audit": audit, "title": _("Audit report"), "today": today,
            "estates": list(audit.estates.all()), "departments": list(audit.departments.all()),
            "clauses": list(audit.clauses.all()), "auditors": list(audit.auditors.all()),
            "checklist": list(audit.checklist.select_related("clause")),
            "findings": list(audit.findings.select_related("clause", "estate", "department", "corrective_action")),
        }, request=request)
        audit_event("report.export", actor=request.user, obj=audit, report="audit_report", format="pdf")
        return PdfResponse(pdf, f"{audit.number}-{_('Audit report')}.pdf")


# --- findings -----------------------------------------------------------------------------------------------------


class FindingListView(ObjectListView):
    """The findings register (all audits): Excel of the filtered list comes with the page."""

    queryset = Finding.objects.select_related("audit", "clause", "estate", "department", "corrective_action")
    filterset = FindingFilterSet
    table = FindingTable


class FindingView(ObjectDetailView):
    queryset = Finding.objects.select_related("audit", "clause", "estate", "department", "checklist_item")
    template_name = "quality/audits/finding.html"

    def get_extra_context(self, finding):
        user = self.request.user
        action = getattr(finding, "corrective_action", None) if hasattr(finding, "corrective_action") else None
        open_audit = may_record_findings(finding.audit)
        return {
            "action": action,
            "raise_url": raise_action_url(finding) if action is None and finding.grade in ("minor", "major")
            and user.has_perm("quality.add_correctiveaction") else None,
            "edit_url": reverse("quality:finding_edit", args=[finding.pk])
            if self.can_change and open_audit else None,
            "file_url": reverse("quality:finding_step", args=[finding.pk, "file"])
            if user.has_perm("quality.change_finding") and user.has_perm("quality.add_qualityfile") else None,
            "files": _files(finding),
        }


class FindingAddView(BaseView):
    """Record a finding of one audit (``finding_record``)."""

    permission_required = "quality.add_finding"
    template_name = "core/object_edit.html"

    def get_audit(self):
        return get_object_or_404(restrict(Audit.objects.all(), self.request.user, "view"), pk=self.kwargs["pk"])

    def render(self, audit, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "model": Finding, "verbose_name": Finding._meta.verbose_name,
            "verbose_name_plural": Finding._meta.verbose_name_plural, "object": Finding(audit=audit), "form": form,
            "cancel_url": audit.get_absolute_url()}, status=status)

    def get(self, request, pk):
        audit = self.get_audit()
        initial = {k: v for k, v in request.GET.items() if k in FindingForm.base_fields}
        return self.render(audit, FindingForm(instance=Finding(audit=audit), audit=audit, user=request.user,
                                              initial=initial))

    def post(self, request, pk):
        audit = self.get_audit()
        form = FindingForm(request.POST, instance=Finding(audit=audit), audit=audit, user=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    finding = services.finding_record(actor=request.user, audit=audit, **form.service_fields())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Recorded finding %(finding)s.") % {"finding": finding.reference})
                return redirect(finding.get_absolute_url())
        return self.render(audit, form, status=400)


class FindingEditView(ObjectEditView):
    queryset = Finding.objects.select_related("audit")
    form = FindingForm

    def save(self, form):
        finding = Finding.objects.get(pk=form.instance.pk)
        return services.finding_update(actor=self.request.user, finding=finding, **form.service_fields())


class FindingHistoryView(ObjectHistoryView):
    queryset = Finding.objects.all()


class FindingFileView(StepView):
    queryset = Finding.objects.select_related("audit")
    permission_required = "quality.change_finding"
    form_class = FileStepForm
    title = gettext_lazy("Attach evidence")
    multipart = True

    def get_object(self):
        if self.kwargs["step"] != "file":
            raise Http404
        return super().get_object()

    def perform(self, finding, form):
        services.finding_add_file(actor=self.request.user, finding=finding, upload=form.cleaned_data["file"],
                                  note=form.cleaned_data["note"])
        return _("Evidence attached to %(finding)s.") % {"finding": finding.reference}


# --- checklist templates ------------------------------------------------------------------------------------------


class ChecklistTemplateListView(ObjectListView):
    queryset = ChecklistTemplate.objects.annotate(question_count=Count("questions"))
    filterset = ChecklistTemplateFilterSet
    table = ChecklistTemplateTable


class ChecklistTemplateView(ObjectDetailView):
    queryset = ChecklistTemplate.objects.all()
    template_name = "quality/audits/checklisttemplate.html"

    def get_extra_context(self, template):
        user = self.request.user
        return {
            "questions": list(template.questions.select_related("clause").order_by("sort_order", "id")),
            "question_add_url": reverse("quality:templatequestion_add", args=[template.pk])
            if user.has_perm("quality.add_templatequestion") else None,
            "can_edit_questions": user.has_perm("quality.change_templatequestion"),
        }


class ChecklistTemplateEditView(ObjectEditView):
    queryset = ChecklistTemplate.objects.all()
    form = ChecklistTemplateForm

    def save(self, form):
        data = dict(form.cleaned_data)
        if form.instance.pk:
            template = ChecklistTemplate.objects.get(pk=form.instance.pk)
            return services.checklist_template_update(actor=self.request.user, template=template, **data)
        template = services.checklist_template_create(actor=self.request.user, name=data["name"],
                                                      description=data["description"])
        if not data["is_active"]:
            template = services.checklist_template_update(actor=self.request.user, template=template,
                                                          is_active=False)
        return template


class ChecklistTemplateHistoryView(ObjectHistoryView):
    queryset = ChecklistTemplate.objects.all()


class TemplateQuestionAddView(BaseView):
    permission_required = "quality.add_templatequestion"
    template_name = "core/object_edit.html"

    def get_template(self):
        return get_object_or_404(restrict(ChecklistTemplate.objects.all(), self.request.user, "view"),
                                 pk=self.kwargs["pk"])

    def render(self, template, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "model": TemplateQuestion, "verbose_name": TemplateQuestion._meta.verbose_name,
            "verbose_name_plural": TemplateQuestion._meta.verbose_name_plural,
            "object": TemplateQuestion(template=template), "form": form,
            "cancel_url": template.get_absolute_url()}, status=status)

    def get(self, request, pk):
        template = self.get_template()
        return self.render(template, TemplateQuestionForm(instance=TemplateQuestion(template=template),
                                                          user=request.user))

    def post(self, request, pk):
        template = self.get_template()
        form = TemplateQuestionForm(request.POST, instance=TemplateQuestion(template=template), user=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.template_question_add(actor=request.user, template=template, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Question added."))
                return redirect(template.get_absolute_url())
        return self.render(template, form, status=400)


class TemplateQuestionEditView(ObjectEditView):
    queryset = TemplateQuestion.objects.select_related("template")
    form = TemplateQuestionForm

    def save(self, form):
        question = TemplateQuestion.objects.get(pk=form.instance.pk)
        data = dict(form.cleaned_data)
        if data.get("sort_order") is None:
            data.pop("sort_order", None)
        return services.template_question_update(actor=self.request.user, question=question, **data)


# --- the limit and the counts (seed 3.3) --------------------------------------------------------------------------


class FindingLimitListView(ObjectListView):
    queryset = FindingLimit.objects.select_related("updated_by")
    filterset = FindingLimitFilterSet
    table = FindingLimitTable


class FindingLimitEditView(ObjectEditView):
    queryset = FindingLimit.objects.all()
    form = FindingLimitForm

    def save(self, form):
        if form.instance.pk:
            item = FindingLimit.objects.get(pk=form.instance.pk)
            return services.finding_limit_update(actor=self.request.user, finding_limit=item, **form.cleaned_data)
        return services.finding_limit_create(actor=self.request.user, **form.cleaned_data)


def _year(value) -> int:
    today = timezone.localdate()
    try:
        year = int(value)
    except (TypeError, ValueError):
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


class FindingCountsView(BaseView):
    """外审发现项累计 (seed 3.3): per managed estate the observations and minor nonconformities of external audits
    in the year, against the company's limit, with a warning at or over it."""

    permission_required = "quality.view_finding"
    template_name = "quality/audits/finding_counts.html"

    def get(self, request):
        year = _year(request.GET.get("year"))
        estates = restrict(Estate.objects.all(), request.user, "view")
        rows = selectors.external_finding_counts(year, estates)
        limit = selectors.limit_for(year)
        this_year = timezone.localdate().year
        user = request.user
        limit_url = None
        if limit is not None and limit.year == year and user.has_perm("quality.change_findinglimit"):
            limit_url = reverse("quality:findinglimit_edit", args=[limit.pk])
        elif user.has_perm("quality.add_findinglimit"):
            limit_url = f"{reverse('quality:findinglimit_add')}?year={year}"
        findings_url = reverse("quality:finding_list")
        return TemplateResponse(request, self.template_name, {
            "year": year, "years": list(range(this_year + 1, this_year - 6, -1)), "rows": rows, "limit": limit,
            "limit_url": limit_url, "limits_url": reverse("quality:findinglimit_list")
            if user.has_perm("quality.view_findinglimit") else None,
            "reached": sum(1 for r in rows if r.reached),
            "findings_url": f"{findings_url}?kind=external&year={year}",
        })


_steps = "|".join(map(re.escape, STEPS))
urlpatterns = [
    path("audits/programmes/", AuditProgrammeListView.as_view(), name="auditprogramme_list"),
    path("audits/programmes/add/", AuditProgrammeEditView.as_view(), name="auditprogramme_add"),
    path("audits/programmes/<int:pk>/", AuditProgrammeView.as_view(), name="auditprogramme"),
    path("audits/programmes/<int:pk>/edit/", AuditProgrammeEditView.as_view(), name="auditprogramme_edit"),
    path("audits/programmes/<int:pk>/history/", AuditProgrammeHistoryView.as_view(), name="auditprogramme_history"),
    re_path(r"^audits/programmes/(?P<pk>\d+)/(?P<step>approve)/$", AuditProgrammeApproveView.as_view(),
            name="auditprogramme_step"),
    path("audits/", AuditListView.as_view(), name="audit_list"),
    path("audits/add/", AuditEditView.as_view(), name="audit_add"),
    path("audits/<int:pk>/", AuditView.as_view(), name="audit"),
    path("audits/<int:pk>/edit/", AuditEditView.as_view(), name="audit_edit"),
    path("audits/<int:pk>/history/", AuditHistoryView.as_view(), name="audit_history"),
    path("audits/<int:pk>/checklist/", AuditChecklistView.as_view(), name="audit_checklist"),
    path("audits/<int:pk>/report.pdf", AuditPdfView.as_view(), name="audit_pdf"),
    path("audits/<int:pk>/findings/add/", FindingAddView.as_view(), name="finding_add"),
    re_path(rf"^audits/(?P<pk>\d+)/(?P<step>{_steps})/$", AuditStepView.as_view(), name="audit_step"),
    path("audits/findings/", FindingListView.as_view(), name="finding_list"),
    path("audits/findings/<int:pk>/", FindingView.as_view(), name="finding"),
    path("audits/findings/<int:pk>/edit/", FindingEditView.as_view(), name="finding_edit"),
    path("audits/findings/<int:pk>/history/", FindingHistoryView.as_view(), name="finding_history"),
    re_path(r"^audits/findings/(?P<pk>\d+)/(?P<step>file)/$", FindingFileView.as_view(), name="finding_step"),
    path("audits/checklists/", ChecklistTemplateListView.as_view(), name="checklisttemplate_list"),
    path("audits/checklists/add/", ChecklistTemplateEditView.as_view(), name="checklisttemplate_add"),
    path("audits/checklists/<int:pk>/", ChecklistTemplateView.as_view(), name="checklisttemplate"),
    path("audits/checklists/<int:pk>/edit/", ChecklistTemplateEditView.as_view(), name="checklisttemplate_edit"),
    path("audits/checklists/<int:pk>/history/", ChecklistTemplateHistoryView.as_view(),
         name="checklisttemplate_history"),
    path("audits/checklists/<int:pk>/questions/add/", TemplateQuestionAddView.as_view(),
         name="templatequestion_add"),
    path("audits/questions/<int:pk>/edit/", TemplateQuestionEditView.as_view(), name="templatequestion_edit"),
    path("audits/limits/", FindingLimitListView.as_view(), name="findinglimit_list"),
    path("audits/limits/add/", FindingLimitEditView.as_view(), name="findinglimit_add"),
    path("audits/limits/<int:pk>/edit/", FindingLimitEditView.as_view(), name="findinglimit_edit"),
    path("audits/finding-counts/", FindingCountsView.as_view(), name="finding_counts"),
]
