"""The questionnaire as a form (the household's answers, on a phone first) and the staff entry form (a household, a
channel, then the same questions). ``cleaned_answers()`` gives the answers in the format of
``services.response_submit``: ``{question id: int | list[int] | str}``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wuye.core.querysets import restrict

from ..choices import SATISFACTION_LEVELS, STAFF_CHANNELS, Channel, QuestionKind
from ..models import Invitation
from ..services.responses import TEXT_MAX_LENGTH


class ButtonRadio(forms.RadioSelect):
    """Radio buttons drawn as large touch targets (Bootstrap ``btn-check``); the template lays them out."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"class": "btn-check", **(attrs or {})}, choices=choices)


class ButtonCheckboxes(forms.CheckboxSelectMultiple):
    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"class": "btn-check", **(attrs or {})}, choices=choices)


def question_field(question) -> forms.Field:
    required = question.required
    label = question.text
    if question.kind == QuestionKind.SATISFACTION:
        return forms.TypedChoiceField(label=label, required=required, coerce=int, widget=ButtonRadio,
                                      choices=[(str(v), text) for v, text in SATISFACTION_LEVELS])
    if question.kind == QuestionKind.RECOMMEND:
        return forms.TypedChoiceField(label=label, required=required, coerce=int, widget=ButtonRadio,
                                      choices=[(str(v), str(v)) for v in range(11)])
    if question.kind == QuestionKind.SINGLE:
        return forms.TypedChoiceField(label=label, required=required, coerce=int, widget=ButtonRadio,
                                      choices=[(str(i), o) for i, o in enumerate(question.options)])
    if question.kind == QuestionKind.MULTIPLE:
        return forms.TypedMultipleChoiceField(label=label, required=required, coerce=int, widget=ButtonCheckboxes,
                                              choices=[(str(i), o) for i, o in enumerate(question.options)])
    return forms.CharField(label=label, required=required, max_length=TEXT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))


class AnswerForm(forms.Form):
    """One field ``q<id>`` per question of ``version``, in the questionnaire's order; ``sections`` groups the bound
    fields by section for the template."""

    def __init__(self, *args, version, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.version = version
        self.questions = list(version.questions_in_order())
        for question in self.questions:
            field = question_field(question)
            field.error_messages["required"] = _("Please answer this question.")
            self.fields[f"q{question.pk}"] = field

    @property
    def sections(self) -> list[dict]:
        out: list[dict] = []
        for question in self.questions:
            if not out or out[-1]["section"].pk != question.section_id:
                out.append({"section": question.section, "items": []})
            out[-1]["items"].append({"question": question, "field": self[f"q{question.pk}"]})
        return out

    def cleaned_answers(self) -> dict:
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if value in (None, "", []):
                continue
            answers[question.pk] = list(value) if isinstance(value, (list, tuple)) else value
        return answers


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, invitation):
        return f"{invitation.estate.name} {invitation.unit.code}"


class StaffEntryForm(AnswerForm):
    """Staff entering a phone call or a paper form: the household (a not-answered invitation of the campaign in an
    estate the user serves, by unit number; in an anonymous campaign every household, so the list does not tell who
    has answered — the service refuses a household that has), the channel, then the answers."""

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, version=campaign.version, **kwargs)
        invitations = Invitation.objects.filter(campaign=campaign)
        if not campaign.anonymous:
            invitations = invitations.filter(answered=False)
        invitations = restrict(invitations, user, "view")
        household = HouseholdChoiceField(
            label=_("household"), queryset=invitations.select_related("estate", "unit").order_by("estate__name",
                                                                                                  "unit__code"),
            widget=forms.Select(attrs={"class": "form-select"}))
        channel = forms.ChoiceField(label=_("channel"), choices=[(c.value, c.label) for c in STAFF_CHANNELS],
                                    initial=Channel.PHONE, widget=forms.RadioSelect)
        self.fields = {"invitation": household, "channel": channel, **self.fields}
