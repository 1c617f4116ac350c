"""Forms of the campaign pages. They only collect input; ``services.campaigns`` decides (and refuses in the user's
language)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseModelForm, DateInput
from wuye.documents.forms import StepForm
from wuye.estates.models import Estate

from ..choices import CONFIDENCE_CHOICES, VersionStatus
from ..models import Campaign, SurveySchedule

CAMPAIGN_FORM_FIELDS = ["name", "version", "estates", "starts_on", "ends_on", "target", "confidence", "margin",
                        "anonymous", "channel_portal", "channel_link", "channel_staff", "links_expire_on",
                        "low_score_threshold", "notes"]


class CampaignForm(BaseModelForm):
    """A draft campaign (``services.campaign_create`` / ``campaign_update``)."""

    estates = forms.ModelMultipleChoiceField(label=_("estates"), queryset=Estate.objects.all(),
                                             widget=forms.SelectMultiple(attrs={"size": 6}))
    confidence = forms.TypedChoiceField(label=_("confidence level"), choices=CONFIDENCE_CHOICES, coerce=Decimal,
                                        initial="0.95", help_text=_("Only for a random sample."))

    class Meta:
        model = Campaign
        fields = CAMPAIGN_FORM_FIELDS
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "links_expire_on": DateInput(),
                   "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"margin": _("Only for a random sample: 0.05 is ±5 percentage points in each estate."),
                      "low_score_threshold": _("A dimension whose average (of 5) is under this is flagged.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = self.fields["version"].queryset.filter(
            status=VersionStatus.ACTIVE).select_related("questionnaire")
        self.fields["low_score_threshold"].required = False
        if not self.instance.pk:
            self.fields["low_score_threshold"].initial = SurveySchedule.current().low_score_threshold
        elif self.instance.confidence is not None:
            self.initial["confidence"] = f"{self.instance.confidence:.2f}"

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["estates"] = list(data["estates"])
        return data


class CancelForm(StepForm):
    reason = forms.CharField(label=_("reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ScheduleForm(BaseModelForm):
    class Meta:
        model = SurveySchedule
        fields = ["campaigns_per_year", "low_score_threshold", "link_valid_days", "remind_after_days"]
