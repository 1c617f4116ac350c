"""Base forms: Bootstrap classes, choices restricted to what the user may see, the filter form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field when the form shows it, else form-wide."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            visible = field in form.fields and not form.fields[field].widget.is_hidden
            form.add_error(field if visible and field != NON_FIELD_ERRORS else None, errors)
    else:
        form.add_error(None, exc)


def _style(field: forms.Field) -> None:
    from .widgets import speed_up, speed_up_choices

    widget = field.widget
    speed_up(widget)
    speed_up_choices(field)
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    if css not in existing:
        widget.attrs["class"] = f"{existing} {css}".strip()
    if isinstance(widget, forms.DateInput):
        widget.input_type = "date"
        widget.format = "%Y-%m-%d"
    if isinstance(widget, forms.Textarea):
        widget.attrs.setdefault("rows", 3)


class StyledFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _style(field)


class BaseModelForm(StyledFormMixin, forms.ModelForm):
    """Takes ``user=``; every related-object choice is narrowed with ``restrict(user, "view")``."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "restrict") and user is not None:
                field.queryset = queryset.restrict(user, "view")


class BaseForm(StyledFormMixin, forms.Form):
    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ExcelUploadForm(BaseForm):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
        if f.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        # the content, not the name: a workbook is a zip holding xl/workbook.xml that does not expand too far
        import zipfile

        from .uploads import check_archive

        try:
            archive = zipfile.ZipFile(f)
            is_workbook = "xl/workbook.xml" in archive.namelist()
        except zipfile.BadZipFile:
            is_workbook = False
        if not is_workbook:
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
        try:
            check_archive(archive, f.name)
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["files"]) from None
        f.seek(0)
        return f
