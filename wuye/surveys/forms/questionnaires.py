"""Forms of the questionnaire pages (a dimension, a questionnaire, a draft version's title and introduction, its
sections and questions, the steps). They only collect input; ``services.questionnaires`` decides and refuses in the
user's language."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseModelForm
from wuye.documents.forms import StepForm

from ..choices import QuestionKind
from ..models import Dimension, Question, Questionnaire, QuestionnaireVersion, QuestionSection
from ..services.questionnaires import clean_options


class DimensionForm(BaseModelForm):
    """A new dimension (code, name, order) or an existing one's name, order and whether it is in use."""

    class Meta:
        model = Dimension
        fields = ["code", "name", "sort_order", "is_active"]
        help_texts = {"code": _("Letters, digits and hyphens, e.g. kefu; it does not change."),
                      "is_active": _("A dimension out of use is not chosen for new questions; it is never deleted.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort_order"].required = False
        if self.instance.pk:
            self.fields["code"].disabled = True
        else:
            del self.fields["is_active"]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {"name": data["name"], "sort_order": data.get("sort_order") or 0}
        if self.instance.pk:
            fields["is_active"] = data["is_active"]
        else:
            fields["code"] = data["code"]
        return fields


class QuestionnaireForm(BaseModelForm):
    """A new questionnaire (code, name, description, the title shown on it) or an existing one's name and
    description."""

    title = forms.CharField(label=_("title on the questionnaire"), max_length=100, required=False,
                            help_text=_("Empty: the questionnaire's name."))

    class Meta:
        model = Questionnaire
        fields = ["code", "name", "description"]
        help_texts = {"code": _("Letters, digits and hyphens, e.g. property-satisfaction; it does not change.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            del self.fields["title"]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        if self.instance.pk:
            return {"name": data["name"], "description": data["description"]}
        return {"code": data["code"], "name": data["name"], "description": data["description"],
                "title": data["title"]}


class QuestionnaireVersionForm(BaseModelForm):
    class Meta:
        model = QuestionnaireVersion
        fields = ["title", "introduction", "change_note"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "introduction": data["introduction"], "change_note": data["change_note"]}


class QuestionSectionForm(BaseModelForm):
    class Meta:
        model = QuestionSection
        fields = ["title", "sort_order"]
        help_texts = {"sort_order": _("Empty: after the last section.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort_order"].required = False

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {"title": data["title"]}
        if data.get("sort_order") is not None:
            fields["sort_order"] = data["sort_order"]
        return fields


class QuestionForm(BaseModelForm):
    """A question of a draft: its text, kind, dimension (satisfaction), whether required, its options (choice, one a
    line) and, when added, its place in the section."""

    options = forms.CharField(label=_("options"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Single and multiple choice only: one option a line."))
    place = forms.IntegerField(label=_("place in the section"), required=False, min_value=1,
                               help_text=_("1 = first; the questions after it move down one. Empty: at the end."))

    class Meta:
        model = Question
        fields = ["text", "kind", "dimension", "required"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"dimension": _("Satisfaction questions only: the service dimension it measures.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.dimension_id
        self.fields["dimension"].queryset = Dimension.objects.filter(
            Q(is_active=True) | Q(pk=current or 0)).order_by("sort_order", "id")
        self.fields["options"].initial = "\n".join(self.instance.options or [])
        self.order_fields(["text", "kind", "dimension", "options", "required", "place"])
        if self.instance.pk:
            del self.fields["place"]

    def clean_options(self):
        try:
            return clean_options(self.cleaned_data.get("options") or "")
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc

    def clean(self):
        data = super().clean()
        self.instance.options = data.get("options") or []  # so the model's own checks see what was typed
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        satisfaction = data["kind"] == QuestionKind.SATISFACTION
        fields = {"text": data["text"], "kind": data["kind"],
                  "dimension": data.get("dimension") if satisfaction else None,
                  "required": data.get("required", False), "options": data.get("options") or []}
        if not self.instance.pk:
            fields["sort_order"] = data.get("place")
        return fields


class NewVersionForm(StepForm):
    change_note = forms.CharField(label=_("what will change"), max_length=200, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(StepForm):
    """Publishing needs no input: the confirmation only."""


class RetireForm(StepForm):
    """Retiring needs no input: the confirmation only."""


class MoveForm(StepForm):
    direction = forms.ChoiceField(label=_("move"), choices=[("up", _("Up")), ("down", _("Down"))])
