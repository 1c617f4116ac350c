"""Forms of the documents app (the register's configuration; workflow steps have their own forms)."""

from __future__ import annotations

from wuye.core.forms import BaseModelForm, DateInput

from .models import DocumentCategory, Location, Regulation


class DocumentCategoryForm(BaseModelForm):
    class Meta:
        model = DocumentCategory
        fields = ["name", "parent", "prefix", "pattern", "next_number", "default_confidentiality", "retention_years",
                  "archive_type", "sort_order", "is_active"]


class LocationForm(BaseModelForm):
    class Meta:
        model = Location
        fields = ["room", "cabinet", "shelf", "box", "notes", "is_active"]


class RegulationForm(BaseModelForm):
    class Meta:
        model = Regulation
        fields = ["title", "number", "authority", "level", "issued_on", "effective_on", "status", "departments",
                  "last_reviewed_on", "notes"]
        widgets = {"issued_on": DateInput(), "effective_on": DateInput(), "last_reviewed_on": DateInput()}
