"""The register and a document's page: list, register, edit, history, revisions and their steps, files,
withdrawal, access grants and the withdrawal register (seed 2.1, 2.2, 2.5).

Every page reads through ``restrict()``: a secret or confidential document the user may not open answers 404
like a missing one, on its page, history, files and every step. Opening such a document's page or file writes
an audit event.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from wuye.core.audit import audit
from wuye.core.querysets import restrict
from wuye.core.views import BaseView, ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView

from .. import selectors, services
from ..choices import DocumentStatus, RevisionState
from ..files import file_response
from ..filtersets import DocumentFilterSet
from ..forms import DocumentEditForm, DocumentForm, FileForm, GrantForm, IssueForm, ReasonForm, RevisionForm, StepForm
from ..models import Document, DocumentGrant, Loan, Revision, RevisionFile
from ..tables import DocumentTable, WithdrawnRevisionTable
from .base import StepView

WORKING = (RevisionState.DRAFT, RevisionState.IN_REVIEW, RevisionState.APPROVED)


class DocumentListView(ObjectListView):
    """The register: current documents first, then drafts, then obsolete ones (kept, marked 作废)."""

    queryset = Document.objects.select_related("category", "current_revision", "custodian", "location",
                                               "department", "estate")
    filterset = DocumentFilterSet
    table = DocumentTable
    per_page = 25
    summary_template = "documents/includes/facets.html"

    def get_summary(self, queryset):
        """A search's facets (category, department, status, confidentiality, estate with their counts); the plain
        register has its filters (counting 200,000 documents five ways on every page would cost more than the
        page)."""
        if not (self.request.GET.get("q") or "").strip():
            return None
        query = self.request.GET.copy()
        query.pop("page", None)
        groups = selectors.facets(queryset)
        for group in groups:
            for value in group["values"]:
                chosen = query.copy()
                active = chosen.get(group["name"]) == str(value["value"])
                if active:
                    chosen.pop(group["name"])
                else:
                    chosen[group["name"]] = value["value"]
                value["active"], value["url"] = active, f"?{chosen.urlencode()}"
        return {"facets": groups}

    def page_queryset(self, queryset):
        # the page's columns need four of the six related tables (the export takes them all): fewer joins for
        # PostgreSQL's planner to order (six cost it about 10 ms)
        return queryset.select_related(None).select_related("category", "current_revision", "custodian",
                                                            "location")

    def get_queryset(self):
        # "current" < "draft" < "obsolete": the statuses sort as the register wants them, along the index
        # documents_status_code_idx (a CASE over 200,000 documents took 0.3 s to sort)
        return super().get_queryset().order_by("status", "code")

    @property
    def extra_actions(self):
        actions = [(_("Withdrawal register"), reverse("documents:withdrawal_register"))]
        if self.request.user.has_perm("documents.add_loan"):
            actions.append((_("Request to borrow"), reverse("documents:loan_request")))
        return actions


def document_steps(document: Document, user, working: Revision | None) -> list[dict]:
    """The buttons of the steps ``user`` may take on ``document`` now."""
    steps = []

    def add(name, label, url, style="outline-primary", modal=True):
        steps.append({"name": name, "label": label, "url": url, "style": style, "modal": modal})

    if not document.is_obsolete:
        if user.has_perm("documents.add_revision") and working is None:
            add("revision_add", _("New revision"), reverse("documents:revision_add", args=[document.pk]), "primary",
                modal=False)
        if working is not None:
            if working.state == RevisionState.DRAFT:
                if user.has_perm("documents.add_revisionfile"):
                    add("revision_file_add", _("Add a file"), reverse("documents:revision_file_add",
                                                                      args=[working.pk]), "outline-secondary")
                if user.has_perm("documents.change_revision"):
                    add("revision_submit", _("Submit for review"), reverse("documents:revision_submit",
                                                                           args=[working.pk]), "primary")
            elif working.state == RevisionState.IN_REVIEW and user.has_perm(services.ISSUE):
                add("revision_approve", _("Approve"), reverse("documents:revision_approve", args=[working.pk]),
                    "success")
                add("revision_reject", _("Send back"), reverse("documents:revision_reject", args=[working.pk]),
                    "outline-danger")
            elif working.state == RevisionState.APPROVED and user.has_perm(services.ISSUE):
                add("revision_issue", _("Issue"), reverse("documents:revision_issue", args=[working.pk]), "success")
        if user.has_perm("documents.add_loan"):
            add("loan_request", _("Request to borrow"),
                reverse("documents:loan_request") + f"?code={document.code}", "outline-secondary", modal=False)
        if document.is_restricted and user.has_perm("documents.add_documentgrant"):
            add("documentgrant_add", _("Grant access"), reverse("documents:documentgrant_add", args=[document.pk]),
                "outline-secondary")
        if user.has_perm(services.ISSUE):
            add("document_obsolete", _("Withdraw (obsolete)"),
                reverse("documents:document_obsolete", args=[document.pk]), "outline-danger")
    return steps


class DocumentView(ObjectDetailView):
    # four joins, the rest read by key afterwards: nine joins cost PostgreSQL's planner about 10 ms
    queryset = Document.objects.select_related("category", "current_revision", "custodian", "location") \
        .prefetch_related("department", "estate", "building", "unit", "customer")
    template_name = "documents/document.html"

    def get_extra_context(self, document):
        user = self.request.user
        if document.is_restricted:
            audit("document.view", actor=user, obj=document, confidentiality=document.confidentiality)
        revisions = list(document.revisions.select_related("author", "reviewer", "approver").prefetch_related("files"))
        openable = set(RevisionFile.objects.restrict(user, "view").filter(revision__document=document)
                       .values_list("pk", flat=True))
        working = next((r for r in revisions if r.state in WORKING), None)
        grants = []
        if document.is_restricted and user.has_perm("documents.view_documentgrant") and user.has_perm(
                "documents.add_documentgrant"):
            grants = list(document.grants.select_related("user__staff").order_by("-created_at"))
        loans = list(Loan.objects.restrict(user, "view").filter(document=document).select_related("borrower")[:20])
        return {
            "revisions": revisions,
            "openable": openable,
            "working": working,
            "steps": document_steps(document, user, working),
            "edit_url": reverse("documents:document_edit", args=[document.pk])
            if self.can_change and not document.is_obsolete else None,
            "grants": grants,
            "can_end_grant": user.has_perm("documents.change_documentgrant"),
            "loans": loans,
        }


class DocumentAddView(ObjectEditView):
    """Register a document (``services.document_create``); an empty code is numbered by the category's rule."""

    queryset = Document.objects.all()
    form = DocumentForm

    def save(self, form):
        data = form.service_fields()
        return services.document_create(actor=self.request.user, category=data.pop("category"),
                                        title=data.pop("title"), code=data.pop("code") or "", **data)


class DocumentEditView(ObjectEditView):
    queryset = Document.objects.select_related("custodian")
    form = DocumentEditForm

    def get_object(self):
        document = super().get_object()
        if document.is_obsolete:
            raise PermissionDenied
        return document

    def get_initial(self):
        return {}

    def save(self, form):
        return services.document_update(actor=self.request.user, document=form.instance, **form.service_fields())


class DocumentHistoryView(ObjectHistoryView):
    queryset = Document.objects.all()


class FileDownloadView(BaseView):
    """A revision's file, through ``restrict()``, always as a download (never shown inline as HTML)."""

    permission_required = "documents.view_revisionfile"

    def get(self, request, pk):
        stored = get_object_or_404(RevisionFile.objects.restrict(request.user, "view")
                                   .select_related("revision__document"), pk=pk)
        document = stored.revision.document
        if document.is_restricted:
            audit("document.download", actor=request.user, obj=document, file=stored.name, sha256=stored.sha256)
        # a withdrawn revision's file carries the 作废 mark (seed 2.5); never inline, nosniff
        return file_response(stored)


# --- steps on a document --------------------------------------------------------------------------------------


class DocumentStepView(StepView):
    queryset = Document.objects.select_related("category", "custodian")


class RevisionAddView(DocumentStepView):
    permission_required = "documents.add_revision"
    form_class = RevisionForm
    title = gettext_lazy("New revision")
    multipart = True

    def notice(self, document):
        if document.is_obsolete:
            return _("An obsolete document gets no new revisions.")
        if document.revisions.filter(state__in=WORKING).exists():
            return _("This document already has a revision being worked on: issue or withdraw it first.")
        return None

    def perform(self, document, form):
        data = form.cleaned_data
        revision = services.revision_create(actor=self.request.user, document=document,
                                            change_description=data["change_description"], major=data["major"],
                                            mark=data["mark"], files=data["files"])
        return _("Revision %(mark)s created: %(code)s") % {"mark": revision.mark, "code": document.code}


class DocumentObsoleteView(DocumentStepView):
    permission_required = services.ISSUE
    form_class = ReasonForm
    title = gettext_lazy("Withdraw (obsolete)")
    button_class = "btn-danger"

    def notice(self, document):
        return _("This document is already obsolete.") if document.is_obsolete else None

    def perform(self, document, form):
        services.document_obsolete(actor=self.request.user, document=document, reason=form.cleaned_data["reason"])
        return _("%(code)s is withdrawn and marked obsolete.") % {"code": document.code}


class GrantAddView(DocumentStepView):
    permission_required = "documents.add_documentgrant"
    form_class = GrantForm
    title = gettext_lazy("Grant access")

    def notice(self, document):
        return None if document.is_restricted else _("Public and internal documents need no grant.")

    def perform(self, document, form):
        data = form.cleaned_data
        services.grant_create(actor=self.request.user, document=document, user=data["user"], until=data["until"],
                              reason=data["reason"])
        return _("Access granted: %(code)s") % {"code": document.code}


class GrantEndView(StepView):
    permission_required = "documents.change_documentgrant"
    form_class = StepForm
    title = gettext_lazy("End access")
    button_class = "btn-danger"

    def get_object(self):
        documents = restrict(Document.objects.all(), self.request.user, "view")
        return get_object_or_404(DocumentGrant.objects.select_related("document", "user").filter(
            document__in=documents), pk=self.kwargs["pk"])

    def cancel_url(self, grant):
        return grant.document.get_absolute_url()

    def perform(self, grant, form):
        services.grant_end(actor=self.request.user, grant=grant)
        return _("Access ended: %(code)s") % {"code": grant.document.code}


# --- steps on a revision --------------------------------------------------------------------------------------


class RevisionStepView(StepView):
    queryset = Revision.objects.select_related("document")
    form_class = StepForm
    service = None
    sources: tuple = ()

    def get_title(self, revision):
        return f"{self.title} {revision.mark}"

    def notice(self, revision):
        if revision.state not in self.sources:
            return _("A revision that is %(state)s cannot take this step.") % {"state": revision.get_state_display()}
        return None

    def perform(self, revision, form):
        type(self).service(actor=self.request.user, revision=revision, **self.service_kwargs(form))
        return _("%(step)s: %(revision)s") % {"step": self.title, "revision": revision}

    def service_kwargs(self, form) -> dict:
        return {}


class RevisionFileAddView(RevisionStepView):
    permission_required = "documents.add_revisionfile"
    form_class = FileForm
    title = gettext_lazy("Add a file")
    multipart = True
    sources = (RevisionState.DRAFT,)

    def perform(self, revision, form):
        services.revision_add_file(actor=self.request.user, revision=revision, upload=form.cleaned_data["file"])
        return _("File added: %(revision)s") % {"revision": revision}


class RevisionSubmitView(RevisionStepView):
    permission_required = "documents.change_revision"
    title = gettext_lazy("Submit for review")
    service = services.revision_submit
    sources = (RevisionState.DRAFT,)


class RevisionApproveView(RevisionStepView):
    permission_required = services.ISSUE
    title = gettext_lazy("Approve")
    button_class = "btn-success"
    service = services.revision_approve
    sources = (RevisionState.IN_REVIEW,)


class RevisionRejectView(RevisionStepView):
    permission_required = services.ISSUE
    form_class = ReasonForm
    title = gettext_lazy("Send back")
    button_class = "btn-danger"
    service = services.revision_reject
    sources = (RevisionState.IN_REVIEW,)

    def service_kwargs(self, form):
        return {"reason": form.cleaned_data["reason"]}


class RevisionIssueView(RevisionStepView):
    permission_required = services.ISSUE
    form_class = IssueForm
    title = gettext_lazy("Issue")
    button_class = "btn-success"
    service = services.revision_issue
    sources = (RevisionState.APPROVED,)

    def service_kwargs(self, form):
        return {"effective_on": form.cleaned_data["effective_on"]}


# --- the withdrawal register (seed 2.5) -----------------------------------------------------------------------


class WithdrawalRegisterView(BaseView):
    """作废文件: obsolete documents and superseded or obsolete revisions, kept and listed."""

    permission_required = "documents.view_document"
    template_name = "documents/withdrawal_register.html"

    def get(self, request):
        documents = restrict(Document.objects.all(), request.user, "view")
        obsolete = documents.filter(status=DocumentStatus.OBSOLETE).select_related(
            "category", "current_revision", "custodian", "location").order_by("-obsoleted_at", "code")
        revisions = Revision.objects.filter(document__in=documents).filter(
            Q(state=RevisionState.SUPERSEDED) | Q(state=RevisionState.OBSOLETE)).select_related(
            "document").order_by("-superseded_at", "-id")
        documents_table = DocumentTable(obsolete, request=request, prefix="d-")
        revisions_table = WithdrawnRevisionTable(revisions, request=request, prefix="r-")
        RequestConfig(request, paginate={"per_page": 50}).configure(documents_table)
        RequestConfig(request, paginate={"per_page": 50}).configure(revisions_table)
        return TemplateResponse(request, self.template_name, {"documents_table": documents_table,
                                                              "revisions_table": revisions_table})


urlpatterns = [
    path("", DocumentListView.as_view(), name="document_list"),
    path("add/", DocumentAddView.as_view(), name="document_add"),
    path("withdrawn/", WithdrawalRegisterView.as_view(), name="withdrawal_register"),
    path("<int:pk>/", DocumentView.as_view(), name="document"),
    path("<int:pk>/edit/", DocumentEditView.as_view(), name="document_edit"),
    path("<int:pk>/history/", DocumentHistoryView.as_view(), name="document_history"),
    path("<int:pk>/obsolete/", DocumentObsoleteView.as_view(), name="document_obsolete"),
    path("<int:pk>/revisions/add/", RevisionAddView.as_view(), name="revision_add"),
    path("<int:pk>/grants/add/", GrantAddView.as_view(), name="documentgrant_add"),
    path("grants/<int:pk>/end/", GrantEndView.as_view(), name="documentgrant_end"),
    path("revisions/<int:pk>/files/add/", RevisionFileAddView.as_view(), name="revision_file_add"),
    path("revisions/<int:pk>/submit/", RevisionSubmitView.as_view(), name="revision_submit"),
    path("revisions/<int:pk>/approve/", RevisionApproveView.as_view(), name="revision_approve"),
    path("revisions/<int:pk>/reject/", RevisionRejectView.as_view(), name="revision_reject"),
    path("revisions/<int:pk>/issue/", RevisionIssueView.as_view(), name="revision_issue"),
    path("files/<int:pk>/", FileDownloadView.as_view(), name="file"),
]
