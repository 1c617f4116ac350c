"""The questionnaire API: the version in use nested (sections and questions in order), create through the service,
``draft`` and ``publish``, refusals as 400 with nothing changed, no DELETE; the dimension API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wuye.surveys.choices import VersionStatus
from wuye.surveys.models import Dimension, Questionnaire

from .factories_questionnaires import builtin, dim, new_questionnaire, snapshot

pytestmark = pytest.mark.django_db


def detail(questionnaire):
    return reverse("api:surveys-questionnaire-detail", args=[questionnaire.pk])


def test_list_nests_the_version_in_use(world, client_for, django_assert_max_num_queries):
    new_questionnaire(world, code="other-q", name="装修问卷")
    client = client_for("agent", api=True)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("api:surveys-questionnaire-list"))
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    default = rows["property-satisfaction"]
    assert default["is_builtin"] and default["draft_version"] is None
    version = default["version_in_use"]
    assert version["number"] == 1 and version["status"] == "active" and version["introduction"]
    assert [s["title"] for s in version["sections"]] == ["一、服务满意度", "二、服务评价", "三、推荐与建议"]
    first = version["sections"][0]["questions"]
    assert [q["dimension_code"] for q in first] == ["overall", "kefu", "repair", "security", "cleaning",
                                                    "greening", "charges", "parking"]
    assert first[0]["kind"] == "satisfaction" and first[0]["required"] is True
    single = version["sections"][1]["questions"][0]
    assert single["kind"] == "single" and single["options"] == ["电话", "前台", "业主端", "微信群"]
    assert single["dimension"] is None
    assert [v["number"] for v in default["versions"]] == [1]
    other = rows["other-q"]
    assert other["version_in_use"] is None and other["draft_version"]["number"] == 1
    assert [q["text"] for q in other["draft_version"]["sections"][0]["questions"]] == ["客服满意吗？", "维修满意吗？"]
    response = client.get(reverse("api:surveys-questionnaire-list"), {"has": "draft"})
    assert [row["code"] for row in response.json()["results"]] == ["other-q"]


def test_create_through_the_service_and_refuse_a_duplicate(world, client_for):
    client = client_for("cs_manager", api=True)
    response = client.post(reverse("api:surveys-questionnaire-list"),
                           {"code": "deco", "name": "装修问卷", "title": "装修服务回访"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["version_in_use"] is None and body["draft_version"]["title"] == "装修服务回访"
    before = snapshot()
    response = client.post(reverse("api:surveys-questionnaire-list"), {"code": "deco", "name": "重复"},
                           format="json")
    assert response.status_code == 400 and "code" in response.json()
    assert snapshot() == before


def test_patch_changes_name_but_never_the_code(world, client_for):
    client = client_for("admin", api=True)
    questionnaire = builtin()
    response = client.patch(detail(questionnaire), {"name": "满意度问卷", "description": "年度"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "满意度问卷"
    before = snapshot()
    response = client.patch(detail(questionnaire), {"code": "other"}, format="json")
    assert response.status_code == 400 and "code" in response.json()
    assert snapshot() == before


def test_draft_then_publish(world, client_for):
    client = client_for("cs_manager", api=True)
    questionnaire = builtin()
    response = client.post(reverse("api:surveys-questionnaire-draft", args=[questionnaire.pk]),
                           {"change_note": "第二版"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["draft_version"]["number"] == 2 and body["draft_version"]["change_note"] == "第二版"
    assert body["draft_version"]["sections"] == [
        {**section, "id": draft["id"], "questions": [{**q, "id": dq["id"]} for q, dq in
                                                     zip(section["questions"], draft["questions"], strict=True)]}
        for section, draft in zip(body["version_in_use"]["sections"], body["draft_version"]["sections"],
                                  strict=True)]
    before = snapshot()
    again = client.post(reverse("api:surveys-questionnaire-draft", args=[questionnaire.pk]), {}, format="json")
    assert again.status_code == 400 and snapshot() == before
    response = client.post(reverse("api:surveys-questionnaire-publish", args=[questionnaire.pk]), {}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["version_in_use"]["number"] == 2 and body["draft_version"] is None
    assert {v["number"]: v["status"] for v in body["versions"]} == {2: "active", 1: "retired"}
    before = snapshot()
    response = client.post(reverse("api:surveys-questionnaire-publish", args=[questionnaire.pk]), {}, format="json")
    assert response.status_code == 400 and "version" in response.json()
    assert snapshot() == before


def test_publishing_an_empty_draft_is_refused(world, client_for):
    client = client_for("cs_manager", api=True)
    response = client.post(reverse("api:surveys-questionnaire-list"), {"code": "empty", "name": "空问卷"},
                           format="json")
    questionnaire = Questionnaire.objects.get(pk=response.json()["id"])
    before = snapshot()
    response = client.post(reverse("api:surveys-questionnaire-publish", args=[questionnaire.pk]), {}, format="json")
    assert response.status_code == 400 and snapshot() == before
    assert questionnaire.versions.get().status == VersionStatus.DRAFT


def test_no_delete(world, client_for):
    client = client_for("admin", api=True)
    assert client.delete(detail(builtin())).status_code == 405
    assert client.delete(reverse("api:surveys-dimension-detail", args=[dim("kefu").pk])).status_code == 405
    assert Questionnaire.objects.filter(code="property-satisfaction").exists()


def test_dimensions(world, client_for):
    client = client_for("cs_manager", api=True)
    rows = client.get(reverse("api:surveys-dimension-list")).json()["results"]
    assert [row["code"] for row in rows][:8] == ["overall", "kefu", "repair", "security", "cleaning", "greening",
                                                 "charges", "parking"]
    response = client.post(reverse("api:surveys-dimension-list"), {"code": "elevator", "name": "电梯运行"},
                           format="json")
    assert response.status_code == 201 and response.json()["is_active"] is True
    dimension = Dimension.objects.get(code="elevator")
    response = client.patch(reverse("api:surveys-dimension-detail", args=[dimension.pk]), {"is_active": False},
                            format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    before = snapshot()
    for body in ({"code": "lift"}, {"name": "客服"}):
        response = client.patch(reverse("api:surveys-dimension-detail", args=[dimension.pk]), body, format="json")
        assert response.status_code == 400 and set(body) <= set(response.json()), response.json()
    assert snapshot() == before
    inactive = client.get(reverse("api:surveys-dimension-list"), {"is_active": "false"}).json()["results"]
    assert [row["code"] for row in inactive] == ["elevator"]
