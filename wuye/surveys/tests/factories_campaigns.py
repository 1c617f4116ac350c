"""Test helpers of the campaigns subject: households in an estate, a user limited to one estate who may run
campaigns, a draft campaign made through the service."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth.models import Permission
from django.utils import timezone

from wuye.core.scope import forget
from wuye.estates.choices import OccupancyRole
from wuye.estates.tests.factories import BuildingFactory, OccupancyFactory, UnitFactory
from wuye.surveys import services
from wuye.surveys.models import QuestionnaireVersion

from .factories import make_version

_buildings = itertools.count(101)


def add_households(estate, n: int, role: str = OccupancyRole.OWNER, start=dt.date(2020, 1, 1), end=None) -> list:
    """``n`` units in a new building of ``estate``, each with a current occupant (``role``); returns the units."""
    building = BuildingFactory(estate=estate, number=str(next(_buildings)))
    units = []
    for i in range(n):
        unit = UnitFactory(building=building, entrance=str(1 + i // 500), number=f"{100 + i % 500}")
        OccupancyFactory(unit=unit, role=role, start_date=start, end_date=end)
        units.append(unit)
    return units


def grant(user, *codenames: str):
    """Give ``user`` extra surveys permissions directly (e.g. an agent serving estate A who may run campaigns)."""
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="surveys", codename__in=codenames))
    forget(user)
    return user


def _version():
    """One questionnaire version shared by the drafts of a test (made on first use)."""
    found = QuestionnaireVersion.objects.filter(questionnaire__code="campaign-tests").first()
    return found or make_version(code="campaign-tests")


def draft(world, actor=None, estates=None, version=None, **fields):
    """A draft campaign over estates A and B (default) made by the manager through ``campaign_create``."""
    today = timezone.localdate()
    values = {"name": "2026年上半年满意度调查", "starts_on": today, "ends_on": today + dt.timedelta(days=30)}
    values.update(fields)
    return services.campaign_create(
        actor=actor or world.users["cs_manager"], version=version or _version(),
        estates=estates if estates is not None else [world.estate_a, world.estate_b], **values)
