"""Forms of the documents app: the register's configuration, a document's entry, and one small form per
workflow step (each view passes the cleaned data to a service, which has the last word)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseForm, BaseModelForm, DateInput

from .choices import LoanMedium, RegulationStatus
from .models import ArchiveRequirement, Document, DocumentCategory, Location, Regulation


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


# --- the register ---------------------------------------------------------------------------------------------

EDIT_FIELDS = ["title", "department", "custodian", "confidentiality", "retention_years", "review_by", "location",
               "estate", "building", "unit", "customer", "description", "keywords"]


class DocumentForm(BaseModelForm):
    """Register a document (``services.document_create``): without a code it is numbered by its category's rule."""

    class Meta:
        model = Document
        fields = ["code", "category", *EDIT_FIELDS]
        widgets = {"review_by": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"code": _("Leave empty: the category's numbering rule gives the next code.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["category"].queryset = DocumentCategory.objects.filter(is_active=True)
        self.fields["confidentiality"].required = False

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("confidentiality"):
            data.pop("confidentiality", None)  # the category's default
        return data


class DocumentEditForm(BaseModelForm):
    """Change the register entry (``services.document_update``); the custodian changes through a handover."""

    class Meta:
        model = Document
        fields = EDIT_FIELDS
        widgets = {"review_by": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.custodian_id:
            self.fields["custodian"].disabled = True
            self.fields["custodian"].help_text = _("The custodian changes through a handover.")

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if self.fields["custodian"].disabled:
            data.pop("custodian", None)
        return data


# --- revisions ------------------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once; ``services`` checks each one by its content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in uploads]
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


class StepForm(BaseForm):
    """A step without input (submit, approve, send …): only the confirmation."""

    def __init__(self, *args, obj=None, **kwargs):
        self.obj = obj
        super().__init__(*args, **kwargs)


class RevisionForm(StepForm):
    files = MultipleFileField(label=_("files"), required=True,
                              help_text=_("PDF, Word, Excel, plain text or photos; checked by their content."))
    change_description = forms.CharField(label=_("what changed"), widget=forms.Textarea, required=False)
    major = forms.BooleanField(label=_("new edition (B/0 after A/n)"), required=False)
    mark = forms.CharField(label=_("revision mark"), max_length=10, required=False,
                           help_text=_("Leave empty for the next mark (A/0, A/1 … or B/0)."))


class FileForm(StepForm):
    file = forms.FileField(label=_("file"))


class ReasonForm(StepForm):
    reason = forms.CharField(label=_("reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class IssueForm(StepForm):
    effective_on = forms.DateField(label=_("effective from"), required=False, widget=DateInput(),
                                   help_text=_("Empty: today."))


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class GrantForm(StepForm):
    user = forms.ModelChoiceField(label=_("user"), queryset=None)
    until = forms.DateTimeField(label=_("until"), required=False, widget=DateTimeInput(),
                                help_text=_("Empty: until the access is ended."))
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True, staff__isnull=False) \
            .select_related("staff").order_by("username")
        self.fields["user"].label_from_instance = lambda u: f"{u.staff.name}（{u.username}）"


# --- loans ----------------------------------------------------------------------------------------------------


class LoanRequestForm(StepForm):
    """Ask to borrow a document by its code (a secret or confidential document is not listed to the asker)."""

    code = forms.CharField(label=_("document code"), max_length=60)
    purpose = forms.CharField(label=_("purpose"), max_length=200)
    medium = forms.ChoiceField(label=_("form"), choices=LoanMedium.choices, initial=LoanMedium.ELECTRONIC)
    starts_at = forms.DateTimeField(label=_("from"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("until"), widget=DateTimeInput())


# --- handovers ------------------------------------------------------------------------------------------------


class HandoverForm(StepForm):
    from_staff = forms.ModelChoiceField(label=_("handed over by"), queryset=None)
    to_staff = forms.ModelChoiceField(label=_("received by"), queryset=None)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from wuye.org.models import Staff

        staff = Staff.objects.restrict(self.user, "view").order_by("name") if self.user else Staff.objects.none()
        self.fields["from_staff"].queryset = staff
        self.fields["to_staff"].queryset = staff


class HandoverItemForm(StepForm):
    code = forms.CharField(label=_("document code"), max_length=60)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


# --- regulations ----------------------------------------------------------------------------------------------


class RegulationReviewForm(StepForm):
    reviewed_on = forms.DateField(label=_("reviewed on"), widget=DateInput())
    status = forms.ChoiceField(label=_("status"), choices=RegulationStatus.choices)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ArchiveRequirementForm(BaseModelForm):
    """A document category an archive must hold (the archive pages show what is missing)."""

    class Meta:
        model = ArchiveRequirement
        fields = ["archive_type", "category", "sort_order", "is_active"]
