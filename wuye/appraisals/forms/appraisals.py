"""Forms of the appraisal and cycle pages: the score sheet (a radio button per scale level and a comment per item),
the appraiser's and the appraisee's steps, a new appraisal, a new cycle. They only collect input; the services
decide (and refuse in the user's language)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseModelForm, DateInput
from wuye.documents.forms import StepForm
from wuye.org.choices import StaffStatus
from wuye.org.models import Staff

from ..choices import FormStatus
from ..models import Appraisal, AppraisalCycle
from ..services.appraisals import period_end_for


def _versions_in_use(field) -> None:
    field.queryset = field.queryset.filter(status=FormStatus.ACTIVE).select_related("form")


def _active_staff(field) -> None:
    field.queryset = field.queryset.filter(status=StaffStatus.ACTIVE).select_related("department")


class PeriodMixin:
    """The period's end may stay empty: the end of the month, quarter, half-year or year from its start."""

    def clean(self):
        data = super().clean()
        start, end, kind = data.get("period_start"), data.get("period_end"), data.get("period_kind")
        if start and not end:
            end = period_end_for(kind, start)
            if end is None:
                self.add_error("period_end", _("Give the last day of a custom period."))
            else:
                data["period_end"] = end
                self.instance.period_end = end
        return data


class AppraisalForm(PeriodMixin, BaseModelForm):
    """A single appraisal outside a cycle (``services.appraisal_create``)."""

    class Meta:
        model = Appraisal
        fields = ["appraisee", "appraiser", "form_version", "period_kind", "period_start", "period_end"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}
        help_texts = {"period_end": _("Empty: the end of the period from its first day.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_end"].required = False
        _versions_in_use(self.fields["form_version"])
        _active_staff(self.fields["appraisee"])
        _active_staff(self.fields["appraiser"])

    def _post_clean(self):  # the service validates (and says it in the user's words)
        pass

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CycleForm(PeriodMixin, BaseModelForm):
    """Open a cycle (``services.cycle_open``): its appraisals are made in the same action."""

    class Meta:
        model = AppraisalCycle
        fields = ["name", "form_version", "period_kind", "period_start", "period_end", "posts", "departments",
                  "self_assessment", "due_on"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "due_on": DateInput()}
        help_texts = {"period_end": _("Empty: the end of the period from its first day."),
                      "posts": _("Everyone active in these posts is appraised."),
                      "departments": _("Everyone active in these departments is appraised."),
                      "self_assessment": _("The appraisee scores themselves first.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_end"].required = False
        _versions_in_use(self.fields["form_version"])
        self.fields["posts"].queryset = self.fields["posts"].queryset.filter(is_active=True).select_related(
            "department")
        self.fields["departments"].queryset = self.fields["departments"].queryset.filter(is_active=True)

    def _post_clean(self):
        pass

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ScoreSheetForm(StepForm):
    """The score sheet: for each item a radio button per level of the scale and a comment (``score_<item>``,
    ``comment_<item>``); the appraiser also gives the overall comment and the appraisal date. ``do`` says
    whether to save or to save and submit."""

    do = forms.ChoiceField(choices=[("save", _("Save")), ("submit", _("Save and submit"))], required=False,
                           widget=forms.HiddenInput)

    def __init__(self, *args, sheet=None, own: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.own = own  # the appraisee's self-assessment
        self.sheet = sheet
        appraisal = self.obj
        choices = [(str(level["value"]), f"{level['value']} {level['label']}") for level in sheet.scale]
        score_attr, comment_attr = ("self_score", "self_comment") if own else ("score", "comment")
        self.items = []
        for section in sheet.sections:
            for line in section.rows:
                pk = line.item.pk
                value = getattr(line.row, score_attr)
                self.fields[f"score_{pk}"] = forms.ChoiceField(
                    label=str(line.item), choices=choices, required=False, widget=forms.RadioSelect,
                    initial=str(value) if value is not None else None)
                self.fields[f"comment_{pk}"] = forms.CharField(
                    label=_("comment"), max_length=300, required=False, initial=getattr(line.row, comment_attr))
                self.items.append(pk)
        if not own:
            self.fields["comment"] = forms.CharField(label=_("appraiser's comment"), required=False,
                                                     widget=forms.Textarea(attrs={"rows": 3}),
                                                     initial=appraisal.appraiser_comment)
            self.fields["appraised_on"] = forms.DateField(label=_("appraisal date"), required=False,
                                                          widget=DateInput(), initial=appraisal.appraised_on)
        for name, field in self.fields.items():
            if name.startswith("score_"):
                field.widget.attrs["class"] = "form-check-input"
            elif name.startswith("comment_"):
                field.widget.attrs["class"] = "form-control form-control-sm"

    def scores(self) -> dict:
        data = self.cleaned_data
        return {pk: (int(data[f"score_{pk}"]) if data.get(f"score_{pk}") else None, data.get(f"comment_{pk}", ""))
                for pk in self.items}

    @property
    def submitting(self) -> bool:
        return self.cleaned_data.get("do") == "submit"

    def field_pairs(self, row):
        """(score field, comment field) of a sheet row, for the template."""
        return self[f"score_{row.item.pk}"], self[f"comment_{row.item.pk}"]


class AcknowledgeForm(StepForm):
    disagreement = forms.CharField(label=_("disagreement (optional)"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("Say what you disagree with; it stays on the appraisal."))


class ReviseForm(StepForm):
    reason = forms.CharField(label=_("reason for the correction"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(StepForm):
    appraiser = forms.ModelChoiceField(label=_("appraiser"), queryset=Staff.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Staff.objects.filter(status=StaffStatus.ACTIVE, user__isnull=False).select_related("department")
        if self.user is not None:
            queryset = queryset.restrict(self.user, "view")
        self.fields["appraiser"].queryset = queryset


class AddStaffForm(StepForm):
    staff = forms.ModelMultipleChoiceField(label=_("staff"), queryset=Staff.objects.none(), required=False,
                                           help_text=_("Empty: everyone the cycle's posts and departments cover "
                                                       "who has no appraisal in it yet."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Staff.objects.filter(status=StaffStatus.ACTIVE).select_related("department")
        if self.user is not None:
            queryset = queryset.restrict(self.user, "view")
        self.fields["staff"].queryset = queryset


