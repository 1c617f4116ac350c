"""Forms of the incidents pages. They only collect input; the services decide (and refuse in the user's
language)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseForm, BaseModelForm, DateInput
from wuye.documents.forms import DateTimeInput, StepForm

from .models import Incident, IncidentKind
from .services import INCIDENT_FIELDS

_AREA = {"rows": 3}


class IncidentForm(BaseModelForm):
    """The incident report (``services.incident_report`` / ``incident_update``)."""

    class Meta:
        model = Incident
        fields = list(INCIDENT_FIELDS)
        widgets = {"occurred_at": DateTimeInput(), "description": forms.Textarea(attrs=_AREA),
                   "people_involved": forms.Textarea(attrs={"rows": 2}), "injuries": forms.Textarea(attrs=_AREA),
                   "losses": forms.Textarea(attrs=_AREA), "immediate_measures": forms.Textarea(attrs=_AREA)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = self.fields["kind"].queryset
        current = self.instance.kind_id if self.instance.pk else None
        self.fields["kind"].queryset = kinds.filter(is_active=True) | kinds.filter(pk=current) if current else \
            kinds.filter(is_active=True)

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class IncidentKindForm(BaseModelForm):
    class Meta:
        model = IncidentKind
        fields = ["code", "name", "sort_order", "is_active"]


class InvestigationForm(StepForm):
    cause = forms.CharField(label=_("cause"), widget=forms.Textarea(attrs=_AREA))
    responsibility = forms.CharField(label=_("responsibility"), widget=forms.Textarea(attrs=_AREA))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and not self.is_bound:
            self.initial.update(cause=self.obj.cause, responsibility=self.obj.responsibility)


class ReviewForm(StepForm):
    comment = forms.CharField(label=_("review comment"), widget=forms.Textarea(attrs=_AREA))
    instructions = forms.CharField(label=_("instructions"), widget=forms.Textarea(attrs=_AREA), required=False)


class WithdrawForm(StepForm):
    reason = forms.CharField(label=_("reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class RaiseActionForm(StepForm):
    title = forms.CharField(label=_("title"), max_length=200, required=False,
                            help_text=_("Empty: the incident's number and title."))
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs=_AREA), required=False,
                                  help_text=_("Empty: the incident's description and cause."))


class IncidentFileForm(StepForm):
    file = forms.FileField(label=_("file"), help_text=_("Photos of the scene, statements, invoices; checked by "
                                                        "their content."))


class PeriodForm(BaseForm):
    """The period's incident report: from, to (default: this month so far) and an estate."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    estate = forms.ModelChoiceField(label=_("estate"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from wuye.estates.models import Estate

        self.fields["estate"].queryset = Estate.objects.restrict(self.user, "view").order_by("name")

    def clean(self):
        from django.utils import timezone

        cleaned = super().clean()
        today = timezone.localdate()
        start, end = cleaned.get("start"), cleaned.get("end")
        end = end or today
        start = start or end.replace(day=1)
        if start > end:
            self.add_error("end", _("The period ends before it starts."))
        if start > today:
            self.add_error("start", _("The period cannot start in the future."))
        cleaned["start"], cleaned["end"] = start, end
        return cleaned
