"""Forms of the policy pages. They only collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseModelForm, DateInput
from wuye.documents.forms import MultipleFileField, StepForm

from ..models import QualityObjective, QualityPolicy
from ..services.policy import OBJECTIVE_FIELDS, POLICY_FIELDS


class QualityPolicyForm(BaseModelForm):
    copy_objectives = forms.BooleanField(label=_("copy the objectives of the published version"), required=False)

    class Meta:
        model = QualityPolicy
        fields = list(POLICY_FIELDS)
        widgets = {"statement": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["copy_objectives"]

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in POLICY_FIELDS}


class QualityObjectiveForm(BaseModelForm):
    class Meta:
        model = QualityObjective
        fields = list(OBJECTIVE_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in OBJECTIVE_FIELDS}


class MeasurementForm(StepForm):
    period_start = forms.DateField(label=_("period from"), widget=DateInput())
    period_end = forms.DateField(label=_("period to"), widget=DateInput())
    value = forms.DecimalField(label=_("actual value"), max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("how it was measured"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    files = MultipleFileField(label=_("evidence files"), required=False,
                              help_text=_("PDF, Word, Excel, plain text or photos; checked by their content."))


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("period from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("period to"), required=False, widget=DateInput())
