"""The appraisal-form API: the version in use nested (scale, bands, sections, items), create through the service,
``new-version`` and ``publish-version``, refusals as 400 with nothing changed, no DELETE."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wuye.appraisals.choices import FormStatus
from wuye.appraisals.models import AppraisalForm

from .factories_forms import active, builtin, draft_of
from .test_forms_services import snapshot
from .test_forms_standard import parse_standard

pytestmark = pytest.mark.django_db


def detail(form):
    return reverse("api:appraisals-appraisalform-detail", args=[form.pk])


def test_list_nests_the_version_in_use(world, client_for, django_assert_max_num_queries):
    client = client_for("agent", api=True)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("api:appraisals-appraisalform-list"))
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    manager = rows["cs-manager"]
    assert manager["is_builtin"] and manager["draft_version"] is None
    version = manager["active_version"]
    assert version["number"] == 1 and version["status"] == "active"
    assert version["scale"][0] == {"value": 5, "label": "优秀"} and len(version["scale"]) == 5
    assert version["bands"][0] == {"min": 4.5, "grade": "优秀"}
    expected = parse_standard()["客户服务部经理绩效测评标准"]["sections"]
    assert [(s["title"], [(i["number"], i["text"]) for i in s["items"]]) for s in version["sections"]] == expected
    assert [v["number"] for v in manager["versions"]] == [1]


def test_create_through_the_service(world, client_for):
    client = client_for("cs_manager", api=True)
    response = client.post(reverse("api:appraisals-appraisalform-list"),
                           {"code": "cleaner", "name": "保洁员测评表", "posts": [world.post.pk]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["active_version"] is None and body["draft_version"]["number"] == 1
    assert body["draft_version"]["title"] == "保洁员测评表" and body["posts"] == [world.post.pk]
    before = snapshot()
    response = client.post(reverse("api:appraisals-appraisalform-list"), {"code": "cleaner", "name": "重复"},
                           format="json")
    assert response.status_code == 400 and "code" in response.json()
    assert snapshot() == before


def test_patch_changes_name_and_posts_but_never_the_code(world, client_for):
    client = client_for("admin", api=True)
    form = builtin()
    response = client.patch(detail(form), {"name": "客服人员测评表", "posts": [world.post.pk]}, format="json")
    assert response.status_code == 200
    form.refresh_from_db()
    assert form.name == "客服人员测评表" and list(form.posts.all()) == [world.post]
    before = snapshot()
    response = client.patch(detail(form), {"code": "other"}, format="json")
    assert response.status_code == 400 and "code" in response.json()
    assert snapshot() == before


def test_new_version_then_publish(world, client_for):
    client = client_for("cs_manager", api=True)
    form = builtin()
    v1 = active(form)
    response = client.post(reverse("api:appraisals-appraisalform-new-version", args=[form.pk]),
                           {"change_note": "第二版"}, format="json")
    assert response.status_code == 201
    draft = response.json()["draft_version"]
    assert draft["number"] == 2 and draft["change_note"] == "第二版"
    assert [len(s["items"]) for s in draft["sections"]] == [10, 6, 6]
    # one draft at a time
    before = snapshot()
    response = client.post(reverse("api:appraisals-appraisalform-new-version", args=[form.pk]), {}, format="json")
    assert response.status_code == 400
    assert snapshot() == before
    response = client.post(reverse("api:appraisals-appraisalform-publish-version", args=[form.pk]), {},
                           format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["active_version"]["number"] == 2 and body["draft_version"] is None
    assert [(v["number"], v["status"]) for v in body["versions"]] == [(2, "active"), (1, "retired")]
    v1.refresh_from_db()
    assert v1.status == FormStatus.RETIRED


def test_publish_without_a_draft_is_refused(world, client_for):
    client = client_for("cs_manager", api=True)
    form = builtin()
    before = snapshot()
    response = client.post(reverse("api:appraisals-appraisalform-publish-version", args=[form.pk]),
                           {"version": active(form).pk}, format="json")
    assert response.status_code == 400 and "version" in response.json()
    assert snapshot() == before
    other = draft_of(world, builtin("cs-manager"))  # another form's draft is not this form's
    response = client.post(reverse("api:appraisals-appraisalform-publish-version", args=[form.pk]),
                           {"version": other.pk}, format="json")
    assert response.status_code == 400


def test_no_delete(world, client_for):
    form = builtin()
    assert client_for("admin", api=True).delete(detail(form)).status_code == 405
    assert AppraisalForm.objects.filter(pk=form.pk).exists()
