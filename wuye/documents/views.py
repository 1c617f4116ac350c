"""Pages of the documents app: the register, a document's page with its revisions, file downloads, the
classification tree, storage locations, loans, handovers and the regulations register.

Every page reads through ``restrict()``: a secret or confidential document the user may not open answers 404
like a missing one. Opening such a document's page or file writes an audit event.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from wuye.core.audit import audit
from wuye.core.views import BaseView, ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView

from .choices import DocumentStatus
from .filtersets import (
    DocumentCategoryFilterSet,
    DocumentFilterSet,
    LoanFilterSet,
    LocationFilterSet,
    RegulationFilterSet,
)
from .forms import DocumentCategoryForm, LocationForm, RegulationForm
from .models import Document, DocumentCategory, Handover, Loan, Location, Regulation, RevisionFile
from .tables import DocumentCategoryTable, DocumentTable, LoanTable, LocationTable, RegulationTable

CURRENT_FIRST = Case(When(status=DocumentStatus.CURRENT, then=Value(0)),
                     When(status=DocumentStatus.DRAFT, then=Value(1)), default=Value(2),
                     output_field=IntegerField())


class DocumentListView(ObjectListView):
    """The register: current documents first, then drafts, then obsolete ones (kept, marked)."""

    queryset = Document.objects.select_related("category", "current_revision", "custodian", "location")
    filterset = DocumentFilterSet
    table = DocumentTable

    def get_queryset(self):
        return super().get_queryset().annotate(current_first=CURRENT_FIRST).order_by("current_first", "code")


class DocumentView(ObjectDetailView):
    queryset = Document.objects.select_related("category", "current_revision", "custodian", "location", "department",
                                               "estate", "building", "unit", "customer")
    template_name = "documents/document.html"

    def get_extra_context(self, document):
        if document.is_restricted:
            audit("document.view", actor=self.request.user, obj=document, confidentiality=document.confidentiality)
        files = RevisionFile.objects.restrict(self.request.user, "view").filter(revision__document=document)
        return {
            "revisions": document.revisions.select_related("author", "approver").prefetch_related("files"),
            "files": {f.pk for f in files},
        }


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
        response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name,
                                content_type=stored.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class DocumentCategoryListView(ObjectListView):
    queryset = DocumentCategory.objects.all()
    filterset = DocumentCategoryFilterSet
    table = DocumentCategoryTable


class DocumentCategoryEditView(ObjectEditView):
    queryset = DocumentCategory.objects.all()
    form = DocumentCategoryForm


class LocationListView(ObjectListView):
    queryset = Location.objects.all()
    filterset = LocationFilterSet
    table = LocationTable


class LocationView(ObjectDetailView):
    queryset = Location.objects.all()


class LocationEditView(ObjectEditView):
    queryset = Location.objects.all()
    form = LocationForm


class LoanListView(ObjectListView):
    """The borrowing register (借阅登记): the controller sees every loan, others their own."""

    queryset = Loan.objects.select_related("document", "borrower")
    filterset = LoanFilterSet
    table = LoanTable


class LoanView(ObjectDetailView):
    queryset = Loan.objects.select_related("document", "borrower", "decided_by")


class HandoverView(ObjectDetailView):
    queryset = Handover.objects.select_related("from_staff", "to_staff")


class RegulationListView(ObjectListView):
    queryset = Regulation.objects.all()
    filterset = RegulationFilterSet
    table = RegulationTable


class RegulationView(ObjectDetailView):
    queryset = Regulation.objects.prefetch_related("departments")


class RegulationEditView(ObjectEditView):
    queryset = Regulation.objects.all()
    form = RegulationForm


urlpatterns = [
    path("", DocumentListView.as_view(), name="document_list"),
    path("<int:pk>/", DocumentView.as_view(), name="document"),
    path("<int:pk>/history/", DocumentHistoryView.as_view(), name="document_history"),
    path("files/<int:pk>/", FileDownloadView.as_view(), name="file"),
    path("categories/", DocumentCategoryListView.as_view(), name="documentcategory_list"),
    path("categories/add/", DocumentCategoryEditView.as_view(), name="documentcategory_add"),
    path("categories/<int:pk>/edit/", DocumentCategoryEditView.as_view(), name="documentcategory_edit"),
    path("locations/", LocationListView.as_view(), name="location_list"),
    path("locations/add/", LocationEditView.as_view(), name="location_add"),
    path("locations/<int:pk>/", LocationView.as_view(), name="location"),
    path("locations/<int:pk>/edit/", LocationEditView.as_view(), name="location_edit"),
    path("loans/", LoanListView.as_view(), name="loan_list"),
    path("loans/<int:pk>/", LoanView.as_view(), name="loan"),
    path("handovers/<int:pk>/", HandoverView.as_view(), name="handover"),
    path("regulations/", RegulationListView.as_view(), name="regulation_list"),
    path("regulations/add/", RegulationEditView.as_view(), name="regulation_add"),
    path("regulations/<int:pk>/", RegulationView.as_view(), name="regulation"),
    path("regulations/<int:pk>/edit/", RegulationEditView.as_view(), name="regulation_edit"),
]
