"""Forms of the contracts pages. Each one only collects input; the services decide (and refuse in the user's
language)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseForm, BaseModelForm, DateInput
from wuye.documents.forms import StepForm

from .models import Contract, ReviewChecklistItem

CONTRACT_FORM_FIELDS = ["number", "title", "kind", "estate", "party_kind", "party_name", "party_committee",
                        "party_customer", "valid_from", "valid_to", "amount", "payment_terms", "owner", "renews",
                        "notes"]


class ContractForm(BaseModelForm):
    """A draft contract (``services.contract_create`` / ``contract_update``). Without a number it is numbered
    HT-<year>-<next>."""

    class Meta:
        model = Contract
        fields = CONTRACT_FORM_FIELDS
        widgets = {"valid_from": DateInput(), "valid_to": DateInput(),
                   "payment_terms": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"number": _("Leave empty for the next number (HT-year-0001).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["party_committee"].queryset = self.fields["party_committee"].queryset.select_related("estate")
        self.fields["party_customer"].widget = forms.NumberInput()
        self.fields["party_customer"].help_text = _("The customer's number in the archive, when the counterparty "
                                                    "is one (a property owner).")
        if self.instance.pk and self.instance.status != "draft":
            for name, field in self.fields.items():
                if name not in ("owner", "notes", "payment_terms"):
                    field.disabled = True

    def service_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if not self.fields[name].disabled}


class ChecklistItemForm(BaseModelForm):
    class Meta:
        model = ReviewChecklistItem
        fields = ["text", "guidance", "sort_order", "is_active"]


class ReviewForm(StepForm):
    """The reviewer's answer: one "holds" box and a note per point, and the comments."""

    decision = forms.ChoiceField(label=_("decision"), widget=forms.RadioSelect, choices=[
        ("pass", _("Every point holds: pass the review")), ("return", _("Return to the drafter with comments"))])
    comments = forms.CharField(label=_("comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, checks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs["class"] = "form-check-input"  # radios, rendered by review_page.html
        self.checks = list(checks)
        for check in self.checks:
            self.fields[f"check_{check.pk}"] = forms.BooleanField(
                label=check.text, required=False, initial=check.passed,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
            self.fields[f"note_{check.pk}"] = forms.CharField(
                label=_("note"), max_length=300, required=False, initial=check.note,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def answers(self) -> dict:
        return {check.pk: {"passed": self.cleaned_data.get(f"check_{check.pk}", False),
                           "note": self.cleaned_data.get(f"note_{check.pk}", "")} for check in self.checks}


class SignForm(StepForm):
    signed_on = forms.DateField(label=_("signed on"), required=False, widget=DateInput(),
                                help_text=_("Empty: today."))


class TerminateForm(StepForm):
    ended_on = forms.DateField(label=_("ended on"), required=False, widget=DateInput(), help_text=_("Empty: today."))
    reason = forms.CharField(label=_("reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class ContractFileForm(StepForm):
    file = forms.FileField(label=_("file"), help_text=_("The signed contract as PDF or photos; checked by its "
                                                        "content."))


class TakeoverForm(BaseForm):
    taken_over_on = forms.DateField(label=_("taken over on"), required=False, widget=DateInput(),
                                    help_text=_("Empty: today."))
    contract = forms.ModelChoiceField(label=_("contract"), queryset=Contract.objects.none(), required=False,
                                      help_text=_("Empty: the contract in force that the rule requires."))
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, estate=None, **kwargs):
        super().__init__(*args, **kwargs)
        if estate is not None and self.user is not None:
            self.fields["contract"].queryset = Contract.objects.restrict(self.user, "view").filter(estate=estate)


class CancelRenewalForm(StepForm):
    reason = forms.CharField(label=_("reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))
