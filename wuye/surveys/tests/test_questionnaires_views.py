"""Pages of the questionnaires and dimensions: the lists, a questionnaire shown as the household sees it, a
version's page and its steps, the edit pages of a draft (options one per line), moving a question; a version in use
is never edited (403); a refusal re-shows the form (400) and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wuye.surveys.choices import QuestionKind, VersionStatus
from wuye.surveys.models import Dimension, Question, Questionnaire

from .factories import open_campaign
from .factories_questionnaires import active, builtin, dim, draft_of, new_questionnaire, snapshot, texts

pytestmark = pytest.mark.django_db


def test_list_shows_the_builtin_questionnaire_and_filters(world, client_for):
    client = client_for("agent")
    new_questionnaire(world, code="other-q", name="装修问卷")
    page = client.get(reverse("surveys:questionnaire_list")).content.decode()
    assert "物业服务满意度调查问卷" in page and "装修问卷" in page
    page = client.get(reverse("surveys:questionnaire_list"), {"has": "active"}).content.decode()
    assert "物业服务满意度调查问卷" in page and "装修问卷" not in page
    response = client_for("admin").get(reverse("surveys:questionnaire_list"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_questionnaire_page_shows_the_version_in_use_as_the_household_sees_it(world, client_for):
    questionnaire = builtin()
    page = client_for("quality_auditor").get(questionnaire.get_absolute_url()).content.decode()
    assert page.count('class="outline-question') == 12
    assert 'data-number="12"' in page and "总体而言" in page and "您对物业服务还有哪些意见和建议？" in page
    for name in ("总体满意度", "客服", "工程维修", "停车管理"):
        assert f'question-dimension">{name}<' in page
    for label in ("满意", "基本满意", "一般", "不满意", "很不满意", "业主端", "微信群"):
        assert label in page
    assert "action-new-version" not in page and "question-edit" not in page


def test_a_keeper_drafts_edits_and_publishes_a_new_version(world, client_for):
    client = client_for("cs_manager")
    questionnaire = builtin()
    page = client.get(questionnaire.get_absolute_url()).content.decode()
    assert "action-new-version" in page and "question-edit" not in page
    url = reverse("surveys:questionnaireversion_step", args=[active(questionnaire).pk, "draft"])
    response = client.post(url, {"change_note": "增加电梯题"})
    draft = questionnaire.versions.get(status=VersionStatus.DRAFT)
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    page = client.get(draft.get_absolute_url()).content.decode()
    for marker in ("step-publish", "step-retire", "question-edit", "section-edit", "question-add", "move-up",
                   "action-add-section", "action-edit"):
        assert marker in page, marker
    # a second draft: the step says why not, and a post changes nothing
    assert "step-notice" in client.get(url).content.decode()
    before = snapshot()
    assert client.post(url, {"change_note": ""}).status_code == 400
    assert snapshot() == before
    # add a multiple choice with options typed one per line, at the top of the second section
    section = draft.sections.order_by("sort_order")[1]
    response = client.post(f"{reverse('surveys:question_add')}?section={section.pk}", {
        "text": "您希望增加哪些便民服务？", "kind": "multiple", "dimension": "", "options": "快递柜\n\n 充电桩 \n家政",
        "required": "", "place": "1"})
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    question = Question.objects.get(section=section, text="您希望增加哪些便民服务？")
    assert question.options == ["快递柜", "充电桩", "家政"] and not question.required and question.sort_order == 1
    publish = reverse("surveys:questionnaireversion_step", args=[draft.pk, "publish"])
    assert client.post(publish, {}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.ACTIVE
    assert questionnaire.versions.get(number=1).status == VersionStatus.RETIRED


def test_edit_pages_of_a_version_in_use_are_forbidden(world, client_for):
    client = client_for("admin")
    version = active(builtin())
    section = version.sections.first()
    question = section.questions.first()
    for url in (reverse("surveys:questionnaireversion_edit", args=[version.pk]),
                f"{reverse('surveys:questionsection_add')}?version={version.pk}",
                reverse("surveys:questionsection_edit", args=[section.pk]),
                f"{reverse('surveys:question_add')}?section={section.pk}",
                reverse("surveys:question_edit", args=[question.pk]),
                reverse("surveys:question_move", args=[question.pk])):
        assert client.get(url).status_code == 403, url
    before = snapshot()
    assert client.post(reverse("surveys:question_edit", args=[question.pk]),
                       {"text": "改", "kind": "text", "options": ""}).status_code == 403
    assert client.post(reverse("surveys:question_move", args=[question.pk]), {"direction": "down"}).status_code == 403
    assert snapshot() == before
    page = client.get(version.get_absolute_url()).content.decode()
    assert "version-locked" in page and "step-publish" not in page and "step-draft" in page


def test_a_bad_question_re_shows_the_form_and_changes_nothing(world, client_for):
    client = client_for("cs_manager")
    section = draft_of(world, builtin()).sections.first()
    url = f"{reverse('surveys:question_add')}?section={section.pk}"
    before = snapshot()
    response = client.post(url, {"text": "您满意吗？", "kind": "satisfaction", "dimension": "", "options": "",
                                 "required": "on", "place": ""})
    assert response.status_code == 400 and "dimension" in response.context["form"].errors
    response = client.post(url, {"text": "选一个", "kind": "single", "dimension": "", "options": "只有一个",
                                 "required": "on", "place": ""})
    assert response.status_code == 400 and "options" in response.context["form"].errors
    assert snapshot() == before


def test_edit_a_question_and_move_it(world, client_for):
    client = client_for("cs_manager")
    draft = draft_of(world, builtin())
    first, second = draft.questions_in_order()[:2]
    url = reverse("surveys:question_edit", args=[second.pk])
    page = client.get(url).content.decode()
    assert second.text in page
    response = client.post(url, {"text": "您对客服中心满意吗？", "kind": "satisfaction",
                                 "dimension": dim("kefu").pk, "options": "", "required": "on"})
    assert response.status_code == 302
    response = client.post(reverse("surveys:question_move", args=[second.pk]), {"direction": "up"})
    assert response.status_code == 302 and response["Location"].endswith(f"#question-{second.pk}")
    assert [q.pk for q in draft.questions_in_order()[:2]] == [second.pk, first.pk]
    before = snapshot()
    response = client.post(reverse("surveys:question_move", args=[second.pk]), {"direction": "up"})
    assert response.status_code == 400 and snapshot() == before


def test_retire_step_and_campaigns_keep_their_version(world, client_for):
    client = client_for("admin")
    questionnaire = new_questionnaire(world, publish=True)
    version = active(questionnaire)
    campaign = open_campaign(world, version=version)
    assert client.get(version.get_absolute_url()).context["campaign_count"] == 1
    assert client.post(reverse("surveys:questionnaireversion_step", args=[version.pk, "retire"]), {}).status_code \
        == 302
    version.refresh_from_db()
    campaign.refresh_from_db()
    assert version.status == VersionStatus.RETIRED and campaign.version == version
    assert texts(version)[0] == ("满意度", "客服满意吗？")


def test_dimension_list_add_and_deactivate(world, client_for):
    manager = client_for("cs_manager")
    page = manager.get(reverse("surveys:dimension_list")).content.decode()
    assert "dimension-edit" in page and "停车管理" in page
    assert "dimension-edit" not in client_for("agent").get(reverse("surveys:dimension_list")).content.decode()
    response = manager.post(reverse("surveys:dimension_add"), {"code": "elevator", "name": "电梯运行",
                                                              "sort_order": "9"})
    assert response.status_code == 302 and response["Location"] == reverse("surveys:dimension_list")
    dimension = Dimension.objects.get(code="elevator")
    response = manager.post(reverse("surveys:dimension_edit", args=[dimension.pk]),
                            {"name": "电梯", "sort_order": "9"})  # is_active unticked
    assert response.status_code == 302
    dimension.refresh_from_db()
    assert dimension.name == "电梯" and not dimension.is_active
    # out of use: not offered for new questions
    section = draft_of(world, builtin()).sections.first()
    choices = manager.get(f"{reverse('surveys:question_add')}?section={section.pk}").context["form"].fields[
        "dimension"].queryset
    assert dimension not in choices and dim("parking") in choices
    before = snapshot()
    response = manager.post(reverse("surveys:dimension_add"), {"code": "elevator2", "name": "客服", "sort_order": ""})
    assert response.status_code == 400 and snapshot() == before


def test_new_questionnaire_page_flow(world, client_for):
    client = client_for("cs_manager")
    response = client.post(reverse("surveys:questionnaire_add"), {"code": "deco", "name": "装修服务问卷",
                                                                  "description": "装修后回访", "title": ""})
    assert response.status_code == 302
    questionnaire = Questionnaire.objects.get(code="deco")
    draft = questionnaire.versions.get()
    assert draft.title == "装修服务问卷" and draft.status == VersionStatus.DRAFT
    response = client.get(questionnaire.get_absolute_url())
    assert "action-draft" in response.content.decode() and response.context["active"] is None
    response = client.post(reverse("surveys:questionnaireversion_step", args=[draft.pk, "publish"]), {})
    assert response.status_code == 400  # no question yet
    assert questionnaire.versions.get().status == VersionStatus.DRAFT
    client.post(f"{reverse('surveys:questionsection_add')}?version={draft.pk}", {"title": "一", "sort_order": ""})
    section = draft.sections.get()
    client.post(f"{reverse('surveys:question_add')}?section={section.pk}", {
        "text": "推荐吗？", "kind": QuestionKind.RECOMMEND, "options": "", "required": "on", "place": ""})
    assert client.post(reverse("surveys:questionnaireversion_step", args=[draft.pk, "publish"]), {}).status_code \
        == 302
