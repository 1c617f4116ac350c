"""Test helpers of the results subject: responses and answers written straight through the ORM (as the responses
service would store them), so results are tested against hand-computed figures without the responses helper."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wuye.estates.tests.factories import UnitFactory
from wuye.surveys import hooks
from wuye.surveys.choices import Channel
from wuye.surveys.models import Answer, Invitation, Response


def respond(campaign, estate, answers: dict, *, unit=None, channel=Channel.LINK, on: dt.date | None = None,
            at: dt.datetime | None = None) -> Response:
    """One response with ``answers`` = {question: value | [values] | "text"}. A named campaign keeps the unit and
    the time (``at``, default now); an anonymous one neither, unless forced with ``unit``/``at`` (to prove the
    outputs never show them even when present)."""
    at = at or (timezone.now() if not campaign.anonymous else None)
    response = Response.objects.create(campaign=campaign, estate=estate, unit=unit, channel=channel,
                                       submitted_on=on or timezone.localdate(), submitted_at=at)
    for question, value in answers.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            if isinstance(v, str):
                Answer.objects.create(response=response, campaign=campaign, estate=estate, question=question, text=v)
            else:
                Answer.objects.create(response=response, campaign=campaign, estate=estate, question=question, value=v)
    if unit is not None:
        Invitation.objects.filter(campaign=campaign, unit=unit).update(answered=True)
    return response


def satisfaction_set(campaign, estate, version, scores, recommend=None, repair=None):
    """One response per score of the ``service`` question (``repair`` defaults to the same score)."""
    out = []
    for i, score in enumerate(scores):
        answers = {version.q["service"]: score, version.q["repair"]: repair if repair is not None else score}
        if recommend is not None:
            answers[version.q["recommend"]] = recommend[i]
        out.append(respond(campaign, estate, answers))
    return out


def units(estate, n: int, start: int = 100):
    """``n`` more units in ``estate`` (so a campaign invites more households)."""
    from wuye.estates.models import Building

    building = Building.objects.filter(estate=estate).first()
    return [UnitFactory(building=building, entrance="9", number=f"{start + i}") for i in range(n)]


def quality_handler(*, actor, title, description, estate, source_reference):
    from wuye.quality.services.actions import corrective_action_raise

    return corrective_action_raise(actor=actor, source="survey", title=title, description=description,
                                   estate=estate, source_reference=source_reference)


@pytest.fixture
def quality_hook():
    """The quality app's corrective actions registered as the surveys hook for one test (whatever was registered
    before is put back afterwards)."""
    previous = hooks._action_handler
    hooks.register_action_handler(quality_handler)
    yield quality_handler
    if previous is not None:
        hooks.register_action_handler(previous)
    else:
        hooks.unregister_action_handler()


@pytest.fixture
def no_action_hook():
    """No corrective-action handler for one test (the quality app's is put back afterwards)."""
    previous = hooks._action_handler
    hooks.unregister_action_handler()
    yield
    if previous is not None:
        hooks.register_action_handler(previous)
