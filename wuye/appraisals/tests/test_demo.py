"""The appraisals demo (made through the services by the demo users, idempotent): a quarter's cycle for the agents
with appraisals final, awaiting acknowledgement and being scored, the manager's appraisal by top management; a
second load changes nothing; the demo users open their appraisal pages and privacy holds."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from wuye.appraisals.choices import AppraisalState
from wuye.appraisals.models import Appraisal, AppraisalCycle

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_app_config("appraisals").get_models()}


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_appraisals_tell_the_story_and_a_second_load_changes_nothing():
    _load()
    before = _counts()
    cycle = AppraisalCycle.objects.get()
    states = set(cycle.appraisals.values_list("state", flat=True))
    assert {AppraisalState.FINAL, AppraisalState.ACKNOWLEDGEMENT, AppraisalState.SCORING} <= states
    final = cycle.appraisals.get(state=AppraisalState.FINAL)
    assert final.total is not None and final.grade and final.acknowledged_at is not None
    manager = Appraisal.objects.get(form_version__form__code="cs-manager")
    assert manager.appraiser.user.username == "executive"
    _load()
    assert _counts() == before

    # privacy on the demo: an appraisee sees their appraisal from the acknowledgement on, not while it is scored;
    # the manager sees every appraisal of the cycle
    checked = 0
    for appraisal in cycle.appraisals.filter(appraisee__user__isnull=False).select_related("appraisee__user"):
        client = Client()
        client.force_login(appraisal.appraisee.user)
        status = client.get(reverse("appraisals:appraisal", args=[appraisal.pk])).status_code
        visible = appraisal.state in (AppraisalState.ACKNOWLEDGEMENT, AppraisalState.FINAL)
        assert status == (200 if visible else 404), (appraisal, appraisal.state, status)
        checked += 1
    assert checked
    client = Client()
    client.force_login(User.objects.get(username="cs_manager"))
    page = client.get(reverse("appraisals:appraisalcycle", args=[cycle.pk])).content.decode()
    assert all(a.appraisee.name in page for a in cycle.appraisals.select_related("appraisee"))
