"""Forms of the appraisal-form pages (the form, a draft version's title, scale and bands, its sections and items,
the steps). They only collect input; ``services.forms`` decides and refuses in the user's language."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.forms import BaseModelForm
from wuye.documents.forms import StepForm

from ..models import AppraisalForm, FormItem, FormSection, FormVersion

_LINE = re.compile(r"^\s*(?P<number>-?\d+(?:\.\d+)?)\s*(?:[\s=:：,，、]\s*)?(?P<label>\S.*?)\s*$")


def scale_text(scale) -> str:
    """``[{"value": 5, "label": "优秀"}, …]`` as the lines "5 优秀"."""
    return "\n".join(f"{level['value']} {level['label']}" for level in scale or ())


def bands_text(bands) -> str:
    """``[{"min": 4.5, "grade": "优秀"}, …]`` as the lines "4.5 优秀"."""
    return "\n".join(f"{band['min']} {band['grade']}" for band in bands or ())


def _lines(text: str, example: str) -> list[tuple[str, str]]:
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            raise forms.ValidationError(_("Line %(line)s: write a number, a space and the label (e.g. %(example)s).")
                                        % {"line": number, "example": example})
        rows.append((match["number"], match["label"]))
    return rows


def parse_scale(text: str) -> list[dict]:
    """The lines "5 优秀" as levels (the service checks them)."""
    rows = _lines(text, "5 优秀")
    for value, _label in rows:
        if "." in value:
            raise forms.ValidationError(_("A level's value is a whole number (e.g. 5 优秀)."))
    return [{"value": int(value), "label": label} for value, label in rows]


def parse_bands(text: str) -> list[dict]:
    """The lines "4.5 优秀" as grade bands (the service checks them)."""
    return [{"min": minimum, "grade": grade} for minimum, grade in _lines(text, "4.5 优秀")]


class AppraisalFormForm(BaseModelForm):
    """A new form (code, name, posts, the title printed on it) or an existing one's name and posts."""

    title = forms.CharField(label=gettext_lazy("title on the form"), max_length=100, required=False,
                            help_text=gettext_lazy("Empty: the form's name."))

    class Meta:
        model = AppraisalForm
        fields = ["code", "name", "posts"]
        help_texts = {"code": gettext_lazy("Letters, digits and hyphens, e.g. cs-staff; it does not change."),
                      "posts": gettext_lazy("The posts whose staff are appraised with this form.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = self.fields["posts"].queryset.select_related("department")
        if self.instance.pk:
            self.fields["code"].disabled = True
            del self.fields["title"]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        if self.instance.pk:
            return {"name": data["name"], "posts": list(data["posts"])}
        return {"code": data["code"], "name": data["name"], "posts": list(data["posts"]), "title": data["title"]}


class FormVersionForm(BaseModelForm):
    """A draft version's title, scale (one level a line: "5 优秀"), grade bands (one a line, highest first:
    "4.5 优秀") and the note of what changed."""

    scale = forms.CharField(label=gettext_lazy("scale"), widget=forms.Textarea(attrs={"rows": 6}),
                            help_text=gettext_lazy("One level a line, best first: the value, a space, the label "
                                                   "(e.g. 5 优秀)."))
    bands = forms.CharField(label=gettext_lazy("grade bands"), widget=forms.Textarea(attrs={"rows": 6}),
                            help_text=gettext_lazy("One grade a line, highest first: the lowest weighted total that "
                                                   "reaches it, a space, the grade (e.g. 4.5 优秀)."))

    class Meta:
        model = FormVersion
        fields = ["title", "change_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scale"].initial = scale_text(self.instance.scale)
        self.fields["bands"].initial = bands_text(self.instance.bands)
        self.order_fields(["title", "scale", "bands", "change_note"])

    def clean_scale(self):
        return parse_scale(self.cleaned_data["scale"])

    def clean_bands(self):
        return parse_bands(self.cleaned_data["bands"])

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "scale": data["scale"], "bands": data["bands"],
                "change_note": data["change_note"]}


class FormSectionForm(BaseModelForm):
    class Meta:
        model = FormSection
        fields = ["title", "weight", "sort_order"]
        help_texts = {"weight": gettext_lazy("Sections of equal weight count equally in the total; 0 leaves the "
                                             "section out of it."),
                      "sort_order": gettext_lazy("Empty: after the last section.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort_order"].required = False

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {"title": data["title"], "weight": data["weight"]}
        if data.get("sort_order") is not None:
            fields["sort_order"] = data["sort_order"]
        return fields


class FormItemForm(BaseModelForm):
    class Meta:
        model = FormItem
        fields = ["number", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"number": gettext_lazy("Its place in the section; the items after it move down one. Empty: "
                                             "at the end.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False

    def service_fields(self) -> dict:
        return {"text": self.cleaned_data["text"], "number": self.cleaned_data.get("number")}


class NewVersionForm(StepForm):
    change_note = forms.CharField(label=gettext_lazy("what will change"), max_length=200, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(StepForm):
    """Publishing needs no input: the confirmation only."""
