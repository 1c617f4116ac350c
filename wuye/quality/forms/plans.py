"""Forms of the work plan pages. They only collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseModelForm, DateInput
from wuye.documents.forms import StepForm

from ..choices import MilestoneKind, MilestoneStatus
from ..models import Milestone, WorkPlan
from ..services.plans import MILESTONE_FIELDS, PLAN_FIELDS


class WorkPlanForm(BaseModelForm):
    class Meta:
        model = WorkPlan
        fields = [*PLAN_FIELDS, "scope_departments"]
        widgets = {"targets": forms.Textarea(attrs={"rows": 3}), "description": forms.Textarea(attrs={"rows": 3}),
                   "scope_departments": forms.CheckboxSelectMultiple()}

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in (*PLAN_FIELDS, "scope_departments")}


class MilestoneForm(StepForm):
    """A phase or milestone of the plan (add), or its progress (update)."""

    kind = forms.ChoiceField(label=_("kind"), choices=MilestoneKind.choices, initial=MilestoneKind.MILESTONE)
    phase = forms.ModelChoiceField(label=_("phase"), queryset=Milestone.objects.none(), required=False)
    title = forms.CharField(label=_("title"), max_length=200)
    target = forms.CharField(label=_("target"), max_length=300, required=False)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=None, required=False)
    start_on = forms.DateField(label=_("starts on"), required=False, widget=DateInput())
    due_on = forms.DateField(label=_("due on"), widget=DateInput())
    status = forms.ChoiceField(label=_("status"), choices=MilestoneStatus.choices,
                               initial=MilestoneStatus.NOT_STARTED)
    done_on = forms.DateField(label=_("done on"), required=False, widget=DateInput(),
                              help_text=_("Done without a date: today."))
    note = forms.CharField(label=_("progress note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    sort_order = forms.IntegerField(label=_("order"), min_value=0, initial=0, required=False)

    def __init__(self, *args, plan=None, milestone=None, **kwargs):
        super().__init__(*args, **kwargs)
        from wuye.org.models import Staff

        self.fields["owner"].queryset = Staff.objects.restrict(self.user, "view") if self.user else Staff.objects
        if plan is not None:
            phases = plan.milestones.filter(kind=MilestoneKind.PHASE)
            if milestone is not None:
                phases = phases.exclude(pk=milestone.pk)
            self.fields["phase"].queryset = phases
        if milestone is not None and not self.is_bound:
            for name in MILESTONE_FIELDS:
                value = getattr(milestone, name)
                self.initial[name] = getattr(value, "pk", value)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["sort_order"] = data.get("sort_order") or 0
        return {name: data[name] for name in MILESTONE_FIELDS}


class PublishForm(StepForm):
    note = forms.CharField(label=_("what changed"), max_length=300, required=False,
                           help_text=_("Every staff member in scope is asked to acknowledge the plan (again)."))


class CloseForm(StepForm):
    note = forms.CharField(label=_("note"), max_length=300, required=False)
