"""Forms of the management review pages. They only collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wuye.core.forms import BaseModelForm, DateInput
from wuye.documents.forms import StepForm
from wuye.org.models import Staff

from ..choices import OutputKind
from ..models import ManagementReview


def _staff_choices(user):
    queryset = Staff.objects.filter(status="active").order_by("department", "name")
    return queryset.restrict(user, "view") if user is not None else queryset


class ManagementReviewForm(BaseModelForm):
    """Plan a review (``management_review_plan``) or change a planned one (``management_review_update``)."""

    class Meta:
        model = ManagementReview
        fields = ["title", "period_start", "period_end", "planned_on", "chair", "attendees"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "planned_on": DateInput()}

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "period_start", "period_end", "planned_on",
                                                           "chair")}


class CompileForm(StepForm):
    """Compiling needs no input: the figures of the period are read from wuye."""


class HoldForm(StepForm):
    held_on = forms.DateField(label=_("held on"), required=False, widget=DateInput(), help_text=_("Empty: today."))
    attendees = forms.ModelMultipleChoiceField(label=_("attendees"), queryset=Staff.objects.none())
    minutes = forms.CharField(label=pgettext_lazy("record", "minutes"), widget=forms.Textarea(attrs={"rows": 6}))
    conclusion = forms.CharField(label=_("conclusion on the system's suitability and effectiveness"),
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = _staff_choices(self.user)
        if self.obj is not None and self.obj.pk and not self.is_bound:
            self.initial.setdefault("attendees", list(self.obj.attendees.values_list("pk", flat=True)))
            self.initial.setdefault("minutes", self.obj.minutes)
            self.initial.setdefault("conclusion", self.obj.conclusion)


class ActionItemForm(StepForm):
    kind = forms.ChoiceField(label=_("kind"), choices=OutputKind.choices, initial=OutputKind.IMPROVEMENT)
    text = forms.CharField(label=_("action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("owner"), queryset=Staff.objects.none(), required=False,
                                   help_text=_("Improvement actions need an owner and a due date."))
    due_on = forms.DateField(label=_("due on"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff_choices(self.user)


class CompleteForm(StepForm):
    result = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 3}))
    done_on = forms.DateField(label=_("done on"), required=False, widget=DateInput(), help_text=_("Empty: today."))


class ReasonForm(StepForm):
    reason = forms.CharField(label=_("reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class InputTextForm(StepForm):
    text = forms.CharField(label=_("summary"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and not self.is_bound:
            self.initial.setdefault("text", self.obj.text)
