"""Forms of the report centre. They only collect input; the services decide (and refuse in the user's language)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseForm, _style
from wuye.documents.forms import StepForm
from wuye.estates.models import Estate

from .choices import Decision
from .periods import parse_period, previous_month_text
from .services import generatable_kinds

_AREA = {"rows": 6}


class NewReportForm(BaseForm):
    """Kind, period (``2026-10``, ``2026-Q3`` or ``2026``) and estate (empty: all, for those who see all)."""

    kind = forms.ChoiceField(label=_("kind"))
    period = forms.CharField(label=_("period"), max_length=10,
                             help_text=_("A month (2026-10), a quarter (2026-Q3) or a year (2026)."))
    estate = forms.ModelChoiceField(label=_("estate"), queryset=Estate.objects.all(), required=False,
                                    empty_label=_("All estates"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(spec.kind, spec.label) for spec in generatable_kinds(self.user)]
        if self.user is not None:
            self.fields["estate"].queryset = Estate.objects.restrict(self.user, "view").order_by("name")
        if not self.is_bound:
            self.initial.setdefault("period", previous_month_text())
        self.fields["period"].widget.attrs["list"] = "report-periods"

    @property
    def period_suggestions(self) -> list[str]:
        """Recent periods for the field's list: this and the last 12 months, the last 4 quarters, the last 3 years."""
        today = timezone.localdate()
        months, day = [], today.replace(day=1)
        for _i in range(13):
            months.append(f"{day:%Y-%m}")
            day = (day - dt.timedelta(days=1)).replace(day=1)
        current = today.year * 4 + (today.month - 1) // 3  # quarters counted from year 0
        quarters = [f"{(current - i) // 4}-Q{(current - i) % 4 + 1}" for i in range(4)]
        years = [str(today.year - i) for i in range(3)]
        return months + quarters + years

    def clean_period(self):
        text = self.cleaned_data["period"]
        try:
            return parse_period(text)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


class TextsForm(StepForm):
    """The author's texts of the kind (conclusions, plan for the next period …)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report = self.obj
        version = report.version() if report is not None else None
        spec = report.spec if report is not None else None
        for key, label in (spec.text_fields if spec else ()):
            self.fields[key] = forms.CharField(label=label, required=False, widget=forms.Textarea(attrs=_AREA))
            _style(self.fields[key])
            if not self.is_bound and version is not None:
                self.initial[key] = version.texts.get(key, "")

    def texts(self) -> dict:
        return {key: self.cleaned_data.get(key, "") for key in self.fields}


class ReviewForm(StepForm):
    decision = forms.ChoiceField(label=_("decision"), choices=Decision.choices)
    comments = forms.CharField(label=_("comments"), widget=forms.Textarea(attrs={"rows": 4}))
    instructions = forms.CharField(label=_("instructions"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                   help_text=_("What the author is to do (指示)."))


class CancelForm(StepForm):
    reason = forms.CharField(label=_("reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
