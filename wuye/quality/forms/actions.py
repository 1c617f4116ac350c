"""Forms of the corrective-action pages. They only collect input; ``services.actions`` decides and refuses in the
user's language."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wuye.core.forms import BaseModelForm, DateInput
from wuye.documents.forms import MultipleFileField, StepForm
from wuye.org.choices import StaffStatus
from wuye.org.models import Staff
from wuye.tickets.choices import TicketKind
from wuye.tickets.models import Ticket

from ..choices import NONCONFORMITY_GRADES, FindingGrade
from ..models import CorrectiveAction

RAISE_FIELDS = ["source", "finding", "ticket", "review", "source_reference", "title", "description", "grade",
                "estate", "department", "immediate_correction"]
EDIT_FIELDS = ["title", "description", "grade", "estate", "department", "source_reference", "immediate_correction"]
_GRADES = [("", "---------")] + [(g.value, g.label) for g in FindingGrade if g in NONCONFORMITY_GRADES]


class ComplaintField(forms.CharField):
    """A complaint ticket named by its number (or its id, as the ticket page's link gives it), among those the
    user may see."""

    def __init__(self, *args, **kwargs):
        self.queryset = Ticket.objects.none()
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Ticket):
            return value.number
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            ticket = self.queryset.filter(pk=int(value)).first()
            return ticket.number if ticket is not None else value
        return value

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        lookup = Q(number__iexact=value) | (Q(pk=int(value)) if value.isdigit() else Q())
        ticket = self.queryset.filter(lookup).first()
        if ticket is None:
            raise forms.ValidationError(_("No complaint with this number."))
        return ticket


class CorrectiveActionForm(BaseModelForm):
    """Raise a nonconformity (``corrective_action_raise``). From a finding the estate, department, grade and title
    come from it; from a complaint the estate and title."""

    ticket = ComplaintField(label=_("complaint"), required=False, max_length=30,
                            help_text=_("The complaint ticket's number."))
    grade = forms.ChoiceField(label=_("grade"), choices=_GRADES, required=False)

    class Meta:
        model = CorrectiveAction
        fields = RAISE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "immediate_correction": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"title": _("Empty for an action from a finding or a complaint: taken from it."),
                      "description": _("What does not conform, and where.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["description"].required = False
        finding = self.fields["finding"]
        finding.queryset = (finding.queryset.filter(grade__in=NONCONFORMITY_GRADES, corrective_action__isnull=True)
                            .select_related("audit"))
        if self.user is not None:
            self.fields["ticket"].queryset = Ticket.objects.restrict(self.user, "view").filter(
                kind=TicketKind.COMPLAINT)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        return {name: data.get(name) if name in ("finding", "ticket", "review", "estate", "department")
                else (data.get(name) or "") for name in RAISE_FIELDS}


class CorrectiveActionEditForm(BaseModelForm):
    """Correct the nonconformity while it is a draft or under cause analysis."""

    grade = forms.ChoiceField(label=_("grade"), choices=_GRADES, required=False)

    class Meta:
        model = CorrectiveAction
        fields = EDIT_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "immediate_correction": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.finding_id:
            for name in ("estate", "department", "grade"):
                self.fields[name].disabled = True

    def service_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if not self.fields[name].disabled}


class CauseForm(StepForm):
    immediate_correction = forms.CharField(label=_("immediate correction"), widget=forms.Textarea(attrs={"rows": 2}),
                                           help_text=_("What was done at once to correct the nonconformity."))
    root_cause = forms.CharField(label=_("root cause"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            self.fields["immediate_correction"].initial = self.obj.immediate_correction
            self.fields["root_cause"].initial = self.obj.root_cause


class PlanForm(StepForm):
    action_plan = forms.CharField(label=_("corrective action"), widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("What will be done to remove the cause, so that it does not recur."))
    owner = forms.ModelChoiceField(label=_("action owner"), queryset=Staff.objects.none())
    due_on = forms.DateField(label=_("due on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = Staff.objects.filter(status=StaffStatus.ACTIVE).select_related("department")
        self.fields["owner"].queryset = staff.restrict(self.user, "view") if self.user is not None else staff
        if self.obj is not None:
            self.fields["action_plan"].initial = self.obj.action_plan
            self.fields["owner"].initial = self.obj.owner_id
            self.fields["due_on"].initial = self.obj.due_on


class CompleteForm(StepForm):
    completion_note = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("evidence files"), required=False,
                              help_text=_("PDF, Word, Excel, plain text or photos; checked by their content."))


class VerifyForm(StepForm):
    effectiveness = forms.ChoiceField(label=_("effectiveness"), choices=[
        ("effective", _("Effective: close the corrective action")),
        ("not_effective", _("Not effective: back to the owner"))])
    note = forms.CharField(label=pgettext_lazy("corrective action", "verification"),
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("What you checked and what you found."))
    due_on = forms.DateField(label=_("new due date"), widget=DateInput(), required=False,
                             help_text=_("Only when not effective; empty: the due date stays."))


class CancelForm(StepForm):
    reason = forms.CharField(label=_("reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceForm(StepForm):
    file = forms.FileField(label=_("file"), help_text=_("PDF, Word, Excel, plain text or photos; checked by their "
                                                        "content."))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

