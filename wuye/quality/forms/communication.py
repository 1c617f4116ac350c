"""Forms of the meeting and submission pages. They only collect input; the services decide (and refuse in the
user's language)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wuye.core.forms import BaseModelForm, DateInput
from wuye.documents.forms import DateTimeInput, StepForm
from wuye.estates.models import Customer
from wuye.org.models import Staff

from ..choices import SubmissionKind
from ..models import Meeting, Submission
from ..models.communication import HANDLE_PERMISSION


def _active_staff(user):
    queryset = Staff.objects.filter(status="active").select_related("department").order_by("department", "name")
    return queryset.restrict(user, "view") if user is not None else queryset


class MeetingForm(BaseModelForm):
    """A planned meeting (``meeting_plan`` / ``meeting_update``)."""

    class Meta:
        model = Meeting
        fields = ["kind", "title", "department", "starts_at", "location", "chair", "attendees", "agenda"]
        widgets = {"starts_at": DateTimeInput(), "agenda": forms.Textarea(attrs={"rows": 5}),
                   "attendees": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = _active_staff(self.user)
        self.fields["attendees"].queryset = _active_staff(self.user)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def service_fields(self) -> dict:
        return {name: (list(value) if name == "attendees" else value) for name, value in self.cleaned_data.items()}


class MinutesForm(StepForm):
    minutes = forms.CharField(label=pgettext_lazy("record", "minutes"), widget=forms.Textarea(attrs={"rows": 8}))
    decisions = forms.CharField(label=_("decisions"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    attendees = forms.ModelMultipleChoiceField(label=_("who attended"), queryset=Staff.objects.none(),
                                               required=False, widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = _active_staff(self.user)
        if self.obj is not None and self.obj.pk:
            self.fields["attendees"].initial = list(self.obj.attendees.values_list("pk", flat=True))
            self.fields["minutes"].initial = self.obj.minutes
            self.fields["decisions"].initial = self.obj.decisions


class ReasonForm(StepForm):
    reason = forms.CharField(label=_("reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class QualityFileForm(StepForm):
    file = forms.FileField(label=_("file"), help_text=_("PDF, Word, Excel, plain text or photos; checked by their "
                                                        "content."))
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class MeetingActionForm(StepForm):
    text = forms.CharField(label=_("action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("owner"), queryset=Staff.objects.none())
    due_on = forms.DateField(label=_("due on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _active_staff(self.user)


# --- submissions -----------------------------------------------------------------------------------------------


class SubmissionForm(BaseModelForm):
    """A staff member's submission: their own, or (for those who handle submissions) one entered for a customer
    by the customer's number in the archive."""

    class Meta:
        model = Submission
        fields = ["kind", "subject", "body", "estate", "confidential", "customer", "submitter_name"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is None or not self.user.has_perm(HANDLE_PERMISSION):
            self.fields.pop("customer", None)
            self.fields.pop("submitter_name", None)
        elif "customer" in self.fields:
            self.fields["customer"].queryset = Customer.objects.restrict(self.user, "view")
            self.fields["customer"].widget = forms.NumberInput(attrs={"class": "form-control"})
            self.fields["customer"].label = _("for the customer (number in the archive)")
            self.fields["customer"].help_text = _("Only when entering a customer's report or appeal (by phone, at "
                                                  "the desk). Empty: your own.")
            self.fields["submitter_name"].help_text = _("Empty: the customer's name.")

    def clean(self):
        data = super().clean()
        if data.get("kind") == SubmissionKind.APPEAL:
            data["confidential"] = True  # an appeal is always confidential
        return data

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class ResidentSubmissionForm(SubmissionForm):
    """A resident's own report or appeal (about their own estate)."""

    class Meta(SubmissionForm.Meta):
        fields = ["kind", "subject", "body"]


class AssignForm(StepForm):
    assignee = forms.ModelChoiceField(label=_("handled by"), queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ..services.communication import submission_handlers

        # any handler; a confidential one given to a handler who does not see confidential ones becomes visible to
        # them as its assignee
        ids = [u.pk for u in submission_handlers(False)]
        self.fields["assignee"].queryset = get_user_model().objects.filter(pk__in=ids).order_by("username")
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username


class ReplyForm(StepForm):
    reply = forms.CharField(label=_("reply"), widget=forms.Textarea(attrs={"rows": 6}))


class CloseForm(StepForm):
    note = forms.CharField(label=_("closing note"), max_length=300, required=False)
