"""Reads about responses: the invitations a resident may answer on the portal, a response's answers question by
question, and whether a user may see the household behind a response."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wuye.core.querysets import restrict

from ..choices import SATISFACTION_LEVELS, CampaignStatus, QuestionKind
from ..models import Invitation, Response

HOUSEHOLD_PERMISSION = "surveys.view_household_answers"
LEVELS = dict(SATISFACTION_LEVELS)


def open_portal_invitations(user, today: dt.date | None = None):
    """The resident's household invitations they can answer on the portal today."""
    today = today or timezone.localdate()
    return (restrict(Invitation.objects.all(), user, "view")
            .filter(answered=False, expires_on__gte=today, campaign__status=CampaignStatus.OPEN,
                    campaign__channel_portal=True, campaign__starts_on__lte=today, campaign__ends_on__gte=today)
            .select_related("campaign__version", "estate", "unit").order_by("campaign__ends_on", "id"))


def shows_household(response: Response, user) -> bool:
    """The household (unit) of a response is shown only for a named campaign to holders of the permission."""
    return (not response.campaign.anonymous and response.unit_id is not None
            and user.has_perm(HOUSEHOLD_PERMISSION))


def answer_rows(response: Response) -> list[dict]:
    """Every question of the campaign's version with this response's answer as text (None: not answered)."""
    by_question: dict[int, list] = {}
    for answer in response.answers.all():
        by_question.setdefault(answer.question_id, []).append(answer)
    rows = []
    for question in response.campaign.version.questions_in_order():
        answers = by_question.get(question.pk, [])
        display = None
        if answers:
            if question.kind == QuestionKind.SATISFACTION:
                display = LEVELS.get(answers[0].value, str(answers[0].value))
            elif question.kind == QuestionKind.RECOMMEND:
                display = str(answers[0].value)
            elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                options = question.options or []
                display = "、".join(options[a.value] if a.value is not None and 0 <= a.value < len(options)
                                   else str(a.value) for a in sorted(answers, key=lambda a: a.value or 0))
            else:
                display = answers[0].text
        rows.append({"question": question, "section": question.section, "display": display,
                     "value": answers[0].value if answers and question.kind != QuestionKind.MULTIPLE else None,
                     "values": [a.value for a in answers] if question.kind == QuestionKind.MULTIPLE else None})
    return rows
