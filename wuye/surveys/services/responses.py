"""Answering a survey: ``response_submit`` takes one household's answers through any channel (personal link, owner
portal, or staff entering a phone call or a paper form) and stores the response and its answers.

Answer format (the contract with the other subjects): ``answers`` is ``{question id: value}`` where value is an int
(satisfaction level 1–5, recommendation 0–10, a single choice's option index from 0), a list of ints (the option
indexes of a multiple choice) or a string (free text). ``None``, ``""`` and ``[]`` mean "not answered".

Anonymity: in an anonymous campaign the response keeps only its campaign, estate, channel and date (no unit, no time,
no user), the invitation only ``answered=True``, and no audit event is written.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.scope import user_scope

from ..choices import STAFF_CHANNELS, Channel, QuestionKind
from ..models import Answer, Invitation, Question, Response

__all__ = ["response_submit", "answer_errors", "invitation_unavailable", "ENTER", "TEXT_MAX_LENGTH"]

ENTER = "surveys.add_response"
TEXT_MAX_LENGTH = 2000
RANGES = {QuestionKind.SATISFACTION: (1, 5), QuestionKind.RECOMMEND: (0, 10)}


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, (list, tuple)) and not value)


def _as_int(value):
    """An int from an int or a string of digits; None for anything else (bools are not numbers here)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _check_value(question: Question, value):
    """The value to store (int, list of ints or str) or raise ValueError with the message."""
    kind = question.kind
    if kind in RANGES:
        low, high = RANGES[kind]
        number = _as_int(value)
        if number is None or not low <= number <= high:
            raise ValueError(_("Choose a value from %(low)s to %(high)s.") % {"low": low, "high": high})
        return number
    if kind == QuestionKind.SINGLE:
        number = _as_int(value)
        if number is None or not 0 <= number < len(question.options):
            raise ValueError(_("Choose one of the options."))
        return number
    if kind == QuestionKind.MULTIPLE:
        values = value if isinstance(value, (list, tuple)) else [value]
        numbers = [_as_int(v) for v in values]
        if any(n is None or not 0 <= n < len(question.options) for n in numbers):
            raise ValueError(_("Choose among the options."))
        return sorted(set(numbers))
    text = value if isinstance(value, str) else None
    if text is None:
        raise ValueError(_("Write the answer as text."))
    text = text.strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise ValueError(_("At most %(max)s characters.") % {"max": TEXT_MAX_LENGTH})
    return text


def answer_errors(version, answers: dict) -> tuple[dict, dict]:
    """Check ``answers`` against the version's questions: (clean answers by question, errors keyed ``q<id>``)."""
    questions = {q.pk: q for q in version.questions_in_order()}
    clean, errors = {}, {}
    if not isinstance(answers, dict):
        return {}, {"answers": [_("The answers are a list of question numbers and values.")]}
    for key, value in answers.items():
        pk = _as_int(key) if not isinstance(key, int) else key
        if pk is None or pk not in questions:
            errors.setdefault("answers", []).append(
                _("Question %(key)s is not part of this questionnaire.") % {"key": key})
            continue
        if _empty(value):
            continue
        try:
            clean[pk] = _check_value(questions[pk], value)
        except ValueError as exc:
            errors[f"q{pk}"] = [str(exc)]
    for pk, question in questions.items():
        if question.required and pk not in clean and f"q{pk}" not in errors:
            errors[f"q{pk}"] = [_("Please answer this question.")]
    return clean, errors


def _unavailable(invitation: Invitation, channel: str, today: dt.date) -> tuple[str | None, str | None]:
    campaign = invitation.campaign
    if invitation.answered:
        if channel in STAFF_CHANNELS:
            return None, _("This household has already answered this survey.")
        return None, _("This survey has already been answered with this link.")
    if not campaign.is_open:
        return None, _("This survey is not open for answers.")
    if not campaign.starts_on <= today <= campaign.ends_on:
        return None, _("This survey takes answers from %(start)s to %(end)s.") % {
            "start": f"{campaign.starts_on:%Y-%m-%d}", "end": f"{campaign.ends_on:%Y-%m-%d}"}
    if channel not in campaign.channels():
        return "channel", _("This survey does not take answers through this channel: %(channel)s.") % {
            "channel": Channel(channel).label}
    if channel not in STAFF_CHANNELS and invitation.expires_on < today:
        return None, _("This link expired on %(date)s.") % {"date": f"{invitation.expires_on:%Y-%m-%d}"}
    return None, None


def invitation_unavailable(invitation: Invitation, channel: str, today: dt.date | None = None) -> str | None:
    """Why ``invitation`` cannot be answered through ``channel`` today (a sentence for the household), or None."""
    return _unavailable(invitation, channel, today or timezone.localdate())[1]


def _check_actor(invitation: Invitation, channel: str, actor) -> None:
    if channel in STAFF_CHANNELS:
        if actor is None or not actor.has_perm(ENTER) or not user_scope(actor).covers_estate(invitation.estate_id):
            raise PermissionDenied(_("You may not do this."))
    elif channel == Channel.PORTAL and (actor is None or not Invitation.objects.filter(
            Invitation.resident_scope(actor), pk=invitation.pk).exists()):
        raise PermissionDenied(_("You may not do this."))


@transaction.atomic
def response_submit(*, invitation: Invitation, answers: dict, channel: str, actor=None,
                    today: dt.date | None = None) -> Response:
    """One household's answers to its invitation, through ``channel`` (link: no actor; portal: the resident of the
    household; phone/paper: a staff member holding ``surveys.add_response`` who serves the estate). Refused with a
    ValidationError (nothing saved) when already answered, expired, closed, outside the period, the channel is off,
    or an answer is missing, out of range or not a question of the campaign."""
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose a channel.")})
    today = today or timezone.localdate()
    invitation = (Invitation.objects.select_for_update(of=("self",))
                  .select_related("campaign", "campaign__version", "estate", "unit").get(pk=invitation.pk))
    campaign = invitation.campaign
    _check_actor(invitation, channel, actor)
    field, reason = _unavailable(invitation, channel, today)
    if reason:
        raise ValidationError({field: reason} if field else reason)
    clean, errors = answer_errors(campaign.version, answers)
    if errors:
        raise ValidationError(errors)

    anonymous = campaign.anonymous
    staff = channel in STAFF_CHANNELS
    now = timezone.now()
    questions = {q.pk: q for q in campaign.version.questions_in_order()}
    with acting_as(actor):
        response = Response.objects.create(
            campaign=campaign, estate=invitation.estate, unit=None if anonymous else invitation.unit,
            channel=channel, entered_by=actor if staff and not anonymous else None,
            # anonymous: no day either (the campaign's first day), so reminders that stop, or a household telling
            # when it answered, cannot be matched with an answer
            submitted_on=campaign.starts_on if anonymous else today, submitted_at=None if anonymous else now)
        rows = []
        for pk, value in clean.items():
            common = {"response": response, "campaign": campaign, "estate": invitation.estate,
                      "question": questions[pk]}
            if isinstance(value, list):
                rows += [Answer(value=v, **common) for v in value]
            elif isinstance(value, str):
                rows.append(Answer(text=value, **common))
            else:
                rows.append(Answer(value=value, **common))
        Answer.objects.bulk_create(rows)
        invitation.answered = True
        if not anonymous:
            invitation.answered_at = now
            invitation.channel = channel
        invitation.save(update_fields=["answered", "answered_at", "channel"])
        if staff and not anonymous:
            audit("surveys.response_entered", actor=actor, obj=response, estate_id=invitation.estate_id,
                  campaign=campaign.number, unit=invitation.unit.code, channel=channel)
    return response

