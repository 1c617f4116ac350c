"""Policy and objective pages: the objectives with their actuals for a period, the approve and publish steps, the
measurement step with evidence files, the Excel export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from wuye.documents.tests.factories import text_file
from wuye.quality.choices import Metric, PolicyStatus
from wuye.quality.models import ObjectiveMeasurement, QualityObjective, QualityPolicy
from wuye.quality.services.files import files_of
from wuye.quality.tests.factories_policy import draft_policy, manual_objective, published_policy

pytestmark = pytest.mark.django_db


def test_policy_page_shows_objectives_targets_and_the_survey_note(world, client_for):
    policy = published_policy(world, objectives=(("complaint_timely", "98"), ("survey_satisfaction", "90")))
    page = client_for("cs_manager").get(policy.get_absolute_url()).content.decode()
    assert "目标1" in page and "目标2" in page
    assert "≥ 98.00%" in page
    assert "objective-note" in page  # no tickets and no surveys: notes, not errors
    assert "step-approve" not in page and "action-edit" not in page


def test_approve_then_publish_through_the_pages(world, client_for):
    policy = draft_policy(world)
    url = reverse("quality:qualitypolicy_step", args=[policy.pk, "approve"])
    assert client_for("executive").get(policy.get_absolute_url()).content.decode().count("step-approve") == 1
    assert client_for("quality_auditor").post(url).status_code == 403
    assert client_for("executive").post(url).status_code == 302
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.APPROVED and policy.approved_by == world.users["executive"]
    # a second approval: the step explains why it cannot be taken
    assert "step-notice" in client_for("executive").get(url).content.decode()
    response = client_for("quality_auditor").post(reverse("quality:qualitypolicy_step", args=[policy.pk, "publish"]))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.PUBLISHED


def test_add_policy_and_objective_through_the_pages(world, client_for):
    client = client_for("quality_auditor")
    response = client.post(reverse("quality:qualitypolicy_add"), {"title": "方针", "statement": "持续改进"})
    policy = QualityPolicy.objects.get()
    assert response.status_code == 302 and policy.version == 1
    url = f"{reverse('quality:qualityobjective_add')}?policy={policy.pk}"
    response = client.post(url, {"title": "投诉处理及时率", "metric": "complaint_timely", "comparison": "gte",
                                 "target": "98", "unit": "%", "sort_order": 0})
    assert response.status_code == 302
    objective = QualityObjective.objects.get()
    assert objective.policy == policy and objective.target == Decimal("98")
    # a published policy's objectives are no longer edited
    published = published_policy(world)
    assert client.get(f"{reverse('quality:qualityobjective_add')}?policy={published.pk}").status_code == 404
    assert client.get(reverse("quality:qualityobjective_edit",
                              args=[published.objectives.first().pk])).status_code == 403


def test_record_a_measurement_with_files(world, client_for):
    objective = manual_objective(world)
    year = timezone.localdate().year
    url = reverse("quality:qualityobjective_step", args=[objective.pk, "measure"])
    client = client_for("cs_manager")
    bad = client.post(url, {"period_start": f"{year}-06-30", "period_end": f"{year}-01-01", "value": "100"})
    assert bad.status_code == 400 and not ObjectiveMeasurement.objects.exists()
    response = client.post(url, {"period_start": f"{year}-01-01", "period_end": f"{year}-06-30", "value": "99.5",
                                 "note": "抽查", "files": [text_file()]})
    assert response.status_code == 302
    measurement = ObjectiveMeasurement.objects.get()
    assert [f.name for f in files_of(measurement)] == ["程序.txt"]
    page = client.get(objective.get_absolute_url()).content.decode()
    assert "99.50" in page and reverse("quality:file", args=[files_of(measurement).get().pk]) in page
    assert "objective-not-met" in page  # 99.5 < 100
    # another period: no value
    page = client.get(f"{objective.get_absolute_url()}?start={year - 1}-01-01&end={year - 1}-12-31").content.decode()
    assert "objective-unknown" in page


def test_computed_objective_takes_no_measurement(world, client_for):
    policy = published_policy(world)
    objective = policy.objectives.get(metric=Metric.COMPLAINT_TIMELY)
    url = reverse("quality:qualityobjective_step", args=[objective.pk, "measure"])
    assert "step-notice" in client_for("quality_auditor").get(url).content.decode()
    response = client_for("quality_auditor").post(url, {"period_start": "2025-01-01", "period_end": "2025-12-31",
                                                         "value": "99"})
    assert response.status_code == 400 and not ObjectiveMeasurement.objects.exists()


def test_excel_export(world, client_for):
    published_policy(world)
    response = client_for("quality_auditor").get(reverse("quality:qualityobjective_list") + "?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_objective_period_defaults_to_this_year(world, client_for):
    policy = published_policy(world)
    year = timezone.localdate().year
    page = client_for("executive").get(policy.get_absolute_url()).content.decode()
    assert f'value="{dt.date(year, 1, 1):%Y-%m-%d}"' in page and f'value="{dt.date(year, 12, 31):%Y-%m-%d}"' in page
