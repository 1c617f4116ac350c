"""The register's configuration: the classification tree, storage locations, and the regulations register with
its yearly validity review (seed 2.3)."""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.views import ObjectDetailView, ObjectEditView, ObjectListView

from .. import services
from ..filtersets import ArchiveRequirementFilterSet, DocumentCategoryFilterSet, LocationFilterSet, RegulationFilterSet
from ..forms import ArchiveRequirementForm, DocumentCategoryForm, LocationForm, RegulationForm, RegulationReviewForm
from ..models import ArchiveRequirement, DocumentCategory, Location, Regulation
from ..tables import ArchiveRequirementTable, DocumentCategoryTable, LocationTable, RegulationTable
from .base import StepView


class DocumentCategoryListView(ObjectListView):
    queryset = DocumentCategory.objects.all()
    filterset = DocumentCategoryFilterSet
    table = DocumentCategoryTable


class DocumentCategoryEditView(ObjectEditView):
    queryset = DocumentCategory.objects.all()
    form = DocumentCategoryForm


class ArchiveRequirementListView(ObjectListView):
    """What each archive (customer, engineering, property) must hold: the archive pages check against it."""

    queryset = ArchiveRequirement.objects.select_related("category")
    filterset = ArchiveRequirementFilterSet
    table = ArchiveRequirementTable


class ArchiveRequirementEditView(ObjectEditView):
    queryset = ArchiveRequirement.objects.all()
    form = ArchiveRequirementForm


class LocationListView(ObjectListView):
    queryset = Location.objects.all()
    filterset = LocationFilterSet
    table = LocationTable


class LocationView(ObjectDetailView):
    queryset = Location.objects.all()
    template_name = "documents/location.html"

    def get_extra_context(self, location):
        from ..models import Document

        return {"documents": Document.objects.restrict(self.request.user, "view").filter(location=location)
                .select_related("category").order_by("code")[:200]}


class LocationEditView(ObjectEditView):
    queryset = Location.objects.all()
    form = LocationForm


class RegulationListView(ObjectListView):
    queryset = Regulation.objects.all()
    filterset = RegulationFilterSet
    table = RegulationTable


class RegulationView(ObjectDetailView):
    queryset = Regulation.objects.prefetch_related("departments")
    template_name = "documents/regulation.html"

    def get_extra_context(self, regulation):
        due = regulation.review_due_on
        return {"review_due": due is not None and due <= timezone.localdate(),
                "can_review": self.request.user.has_perm("documents.review_regulation")}


class RegulationEditView(ObjectEditView):
    queryset = Regulation.objects.all()
    form = RegulationForm


class RegulationReviewView(StepView):
    """The yearly validity review: still in force, amended or repealed."""

    queryset = Regulation.objects.all()
    permission_required = "documents.review_regulation"
    form_class = RegulationReviewForm
    title = gettext_lazy("Record the yearly review")

    def make_form(self, regulation, data=None, files=None):
        return self.form_class(data, files, user=self.request.user, obj=regulation,
                               initial={"reviewed_on": timezone.localdate(), "status": regulation.status})

    def perform(self, regulation, form):
        data = form.cleaned_data
        services.regulation_review(actor=self.request.user, regulation=regulation, reviewed_on=data["reviewed_on"],
                                   status=data["status"], notes=data["notes"])
        return _("Review recorded: %(regulation)s") % {"regulation": regulation}


urlpatterns = [
    path("categories/", DocumentCategoryListView.as_view(), name="documentcategory_list"),
    path("categories/add/", DocumentCategoryEditView.as_view(), name="documentcategory_add"),
    path("categories/<int:pk>/edit/", DocumentCategoryEditView.as_view(), name="documentcategory_edit"),
    path("archive-requirements/", ArchiveRequirementListView.as_view(), name="archiverequirement_list"),
    path("archive-requirements/add/", ArchiveRequirementEditView.as_view(), name="archiverequirement_add"),
    path("archive-requirements/<int:pk>/edit/", ArchiveRequirementEditView.as_view(),
         name="archiverequirement_edit"),
    path("locations/", LocationListView.as_view(), name="location_list"),
    path("locations/add/", LocationEditView.as_view(), name="location_add"),
    path("locations/<int:pk>/", LocationView.as_view(), name="location"),
    path("locations/<int:pk>/edit/", LocationEditView.as_view(), name="location_edit"),
    path("regulations/", RegulationListView.as_view(), name="regulation_list"),
    path("regulations/add/", RegulationEditView.as_view(), name="regulation_add"),
    path("regulations/<int:pk>/", RegulationView.as_view(), name="regulation"),
    path("regulations/<int:pk>/edit/", RegulationEditView.as_view(), name="regulation_edit"),
    path("regulations/<int:pk>/review/", RegulationReviewView.as_view(), name="regulation_review"),
]
