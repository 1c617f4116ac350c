"""A corrective action from a low score: raised once through the quality app, refused a second time, refused when
the dimension is not flagged, outside the actor's estates, without the permission or without a handler; nothing is
saved when refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wuye.core.models import AuditEvent
from wuye.quality.models import CorrectiveAction
from wuye.surveys import services
from wuye.surveys.models import Dimension, LowScoreAction

from .factories import make_version, open_campaign
from .factories_results import no_action_hook, quality_hook, satisfaction_set  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(world):
    """Estate A: 测试客服 averages 2.50 (flagged under 3.5); 测试维修 averages 5.00 (not flagged)."""
    version = make_version()
    campaign = open_campaign(world, version, estates=[world.estate_a, world.estate_b])
    satisfaction_set(campaign, world.estate_a, version, [2, 3], repair=5)
    return campaign


def _dim(code):
    return Dimension.objects.get(code=code)


def test_raised_once(world, flagged, quality_hook):  # noqa: F811
    manager = world.users["cs_manager"]
    low = services.low_score_action_raise(actor=manager, campaign=flagged, estate=world.estate_a,
                                          dimension=_dim("t-service"))
    assert low.average == Decimal("2.50")
    action = CorrectiveAction.objects.get(number=low.action_label)
    assert action.source == "survey" and action.estate == world.estate_a
    assert action.source_reference == f"{flagged.number} 测试客服"
    assert "2.50" in action.description and "3.5" in action.description
    assert low.action_url == action.get_absolute_url()
    assert AuditEvent.objects.filter(event_type="surveys.low_score_action_raised").count() == 1

    with pytest.raises(ValidationError) as exc:
        services.low_score_action_raise(actor=manager, campaign=flagged, estate=world.estate_a,
                                        dimension=_dim("t-service"))
    assert "dimension" in exc.value.message_dict
    assert CorrectiveAction.objects.count() == 1 and LowScoreAction.objects.count() == 1


def test_refused_when_not_flagged(world, flagged, quality_hook):  # noqa: F811
    with pytest.raises(ValidationError) as exc:
        services.low_score_action_raise(actor=world.users["cs_manager"], campaign=flagged, estate=world.estate_a,
                                        dimension=_dim("t-repair"))
    assert "dimension" in exc.value.message_dict
    # estate B has no answers at all: nothing flagged there either
    with pytest.raises(ValidationError):
        services.low_score_action_raise(actor=world.users["cs_manager"], campaign=flagged, estate=world.estate_b,
                                        dimension=_dim("t-service"))
    assert not CorrectiveAction.objects.exists() and not LowScoreAction.objects.exists()


def test_refused_outside_the_campaign(world, quality_hook):  # noqa: F811
    version = make_version()
    campaign = open_campaign(world, version, estates=[world.estate_b])
    satisfaction_set(campaign, world.estate_b, version, [1])
    with pytest.raises(ValidationError) as exc:
        services.low_score_action_raise(actor=world.users["cs_manager"], campaign=campaign, estate=world.estate_a,
                                        dimension=_dim("t-service"))
    assert "estate" in exc.value.message_dict
    assert not LowScoreAction.objects.exists()


def test_refused_without_permission(world, flagged, quality_hook):  # noqa: F811
    for role in ("agent", "quality_auditor"):
        with pytest.raises(PermissionDenied):
            services.low_score_action_raise(actor=world.users[role], campaign=flagged, estate=world.estate_a,
                                            dimension=_dim("t-service"))
    assert not LowScoreAction.objects.exists()


def test_refused_without_a_handler(world, flagged, no_action_hook):  # noqa: F811
    with pytest.raises(ValidationError):
        services.low_score_action_raise(actor=world.users["cs_manager"], campaign=flagged, estate=world.estate_a,
                                        dimension=_dim("t-service"))
    assert not LowScoreAction.objects.exists()
