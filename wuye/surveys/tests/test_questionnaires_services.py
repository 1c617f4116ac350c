"""Questionnaire services: the defaults shipped by data migration, versioning (a draft copies the version in use,
publishing retires it, a campaign keeps its version), editing drafts only, bad input refused with nothing changed,
dimensions deactivated never deleted, permissions."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import PermissionDenied, ValidationError

from wuye.core.models import AuditEvent
from wuye.surveys.choices import QuestionKind, VersionStatus
from wuye.surveys.models import Dimension, Question, Questionnaire, QuestionnaireVersion
from wuye.surveys.selectors.questionnaires import questionnaire_outline, versions_in_use
from wuye.surveys.services import questionnaires as services

from .factories import open_campaign
from .factories_questionnaires import active, builtin, dim, draft_of, new_questionnaire, snapshot, texts

pytestmark = pytest.mark.django_db

defaults = importlib.import_module("wuye.surveys.migrations.0002_defaults")


def refused(call, field=None, error=ValidationError):
    before = snapshot()
    with pytest.raises(error) as info:
        call()
    assert snapshot() == before
    if field is not None:
        assert field in info.value.message_dict, info.value
    return info.value


# --- the defaults ------------------------------------------------------------------------------------------------


def test_default_dimensions_in_order():
    rows = list(Dimension.objects.order_by("sort_order", "pk").values_list("code", "name", "is_active"))
    assert rows[:8] == [("overall", "总体满意度", True), ("kefu", "客服", True), ("repair", "工程维修", True),
                        ("security", "秩序维护", True), ("cleaning", "环境卫生", True), ("greening", "绿化", True),
                        ("charges", "收费", True), ("parking", "停车管理", True)]


def test_the_default_questionnaire_has_every_dimension():
    questionnaire = builtin()
    assert questionnaire.is_builtin and questionnaire.name == "物业服务满意度调查问卷"
    version = active(questionnaire)
    assert version.number == 1 and version.published_at is not None and version.introduction
    sections = questionnaire_outline(version)
    assert [s.title for s in sections] == ["一、服务满意度", "二、服务评价", "三、推荐与建议"]
    satisfaction = sections[0].question_list
    assert all(q.kind == QuestionKind.SATISFACTION and q.required for q in satisfaction)
    assert [q.dimension.code for q in satisfaction] == [code for code, _name in defaults.DIMENSIONS]
    assert satisfaction[0].text.startswith("总体而言")
    single, multiple = sections[1].question_list
    assert single.kind == QuestionKind.SINGLE and single.options == ["电话", "前台", "业主端", "微信群"]
    assert multiple.kind == QuestionKind.MULTIPLE and not multiple.required
    assert multiple.options == ["客服", "工程维修", "秩序维护", "环境卫生", "绿化", "收费", "停车管理"]
    recommend, text = sections[2].question_list
    assert recommend.kind == QuestionKind.RECOMMEND and recommend.required
    assert text.kind == QuestionKind.TEXT and not text.required
    assert [q.number for s in sections for q in s.question_list] == list(range(1, 13))
    for question in version.questions_in_order():
        question.full_clean()  # the shipped questions pass the model's own checks


def test_defaults_are_idempotent_and_leave_company_changes_alone(world):
    services.dimension_update(actor=world.users["cs_manager"], dimension=dim("parking"), name="停车")
    before = snapshot()
    defaults.forwards(global_apps, None)
    assert snapshot() == before


# --- questionnaires and versions ---------------------------------------------------------------------------------


def test_create_makes_a_draft_version_one_and_publishing_puts_it_in_use(world):
    questionnaire = new_questionnaire(world)
    version = questionnaire.versions.get()
    assert version.number == 1 and version.status == VersionStatus.DRAFT and version.title == "测试问卷"
    assert texts(version) == [("满意度", "客服满意吗？"), ("满意度", "维修满意吗？"), ("其他", "怎么联系？"),
                              ("其他", "意见")]
    assert version not in versions_in_use()
    services.questionnaire_version_publish(actor=world.users["cs_manager"], version=version)
    version.refresh_from_db()
    assert version.status == VersionStatus.ACTIVE and version.published_at is not None
    assert version in versions_in_use()
    event = AuditEvent.objects.filter(event_type="surveys.questionnaire_published").latest("pk")
    assert event.object_id == str(version.pk) and event.actor == world.users["cs_manager"]


def test_a_new_version_retires_the_old_and_a_campaign_keeps_its_questions(world):
    user = world.users["cs_manager"]
    questionnaire = new_questionnaire(world, publish=True)
    old = active(questionnaire)
    campaign = open_campaign(world, version=old)
    old_texts = texts(old)
    draft = services.questionnaire_version_draft(actor=user, questionnaire=questionnaire, change_note="改客服题")
    assert draft.number == 2 and draft.change_note == "改客服题"
    assert texts(draft) == old_texts  # a full copy
    copied = draft.questions_in_order()
    assert [q.dimension_id for q in copied] == [q.dimension_id for q in old.questions_in_order()]
    assert not {q.pk for q in copied} & {q.pk for q in old.questions_in_order()}
    services.question_update(actor=user, question=copied[0], text="您对客服中心满意吗？")
    services.questionnaire_version_publish(actor=user, version=draft)
    old.refresh_from_db()
    draft.refresh_from_db()
    assert old.status == VersionStatus.RETIRED and draft.status == VersionStatus.ACTIVE
    assert questionnaire.current_version == draft
    campaign.refresh_from_db()
    assert campaign.version == old and texts(campaign.version) == old_texts
    assert list(versions_in_use().filter(questionnaire=questionnaire)) == [draft]


def test_the_builtin_questionnaire_gets_a_new_version_copying_everything(world):
    questionnaire = builtin()
    draft = draft_of(world, questionnaire)
    assert texts(draft) == texts(active(questionnaire))
    assert draft.introduction == active(questionnaire).introduction
    assert [q.options for q in draft.questions_in_order()] == [q.options for q in
                                                               active(questionnaire).questions_in_order()]


def test_one_draft_at_a_time(world):
    questionnaire = builtin()
    draft_of(world, questionnaire)
    refused(lambda: services.questionnaire_version_draft(actor=world.users["cs_manager"],
                                                         questionnaire=questionnaire))


def test_a_version_in_use_is_not_edited(world):
    user = world.users["cs_manager"]
    version = active(builtin())
    section = version.sections.first()
    question = section.questions.first()
    refused(lambda: services.question_add(actor=user, section=section, text="新题", kind=QuestionKind.TEXT))
    refused(lambda: services.question_update(actor=user, question=question, text="改"))
    refused(lambda: services.question_move(actor=user, question=question, direction="down"))
    refused(lambda: services.question_section_add(actor=user, version=version, title="四"))
    refused(lambda: services.question_section_update(actor=user, section=section, title="改"))
    refused(lambda: services.questionnaire_version_update(actor=user, version=version, title="改"))
    refused(lambda: services.questionnaire_version_publish(actor=user, version=version))


def test_a_draft_a_campaign_uses_is_not_edited(world):
    draft = new_questionnaire(world).versions.get()
    open_campaign(world, version=draft)
    section = draft.sections.first()
    refused(lambda: services.question_add(actor=world.users["cs_manager"], section=section, text="新题",
                                          kind=QuestionKind.TEXT))


def test_publishing_an_empty_draft_is_refused(world):
    questionnaire = services.questionnaire_create(actor=world.users["cs_manager"], code="empty", name="空问卷")
    version = questionnaire.versions.get()
    refused(lambda: services.questionnaire_version_publish(actor=world.users["cs_manager"], version=version))
    services.question_section_add(actor=world.users["cs_manager"], version=version, title="一")
    refused(lambda: services.questionnaire_version_publish(actor=world.users["cs_manager"], version=version))


def test_publishing_needs_every_satisfaction_question_on_a_dimension_in_use(world):
    user = world.users["cs_manager"]
    version = new_questionnaire(world).versions.get()
    services.dimension_update(actor=user, dimension=dim("repair"), is_active=False)
    error = refused(lambda: services.questionnaire_version_publish(actor=user, version=version))
    assert "维修满意吗？" in " ".join(error.messages)
    services.dimension_update(actor=user, dimension=dim("repair"), is_active=True)
    services.questionnaire_version_publish(actor=user, version=version)


def test_retire_the_version_in_use(world):
    user = world.users["cs_manager"]
    questionnaire = new_questionnaire(world, publish=True)
    version = active(questionnaire)
    services.questionnaire_version_retire(actor=user, version=version)
    version.refresh_from_db()
    assert version.status == VersionStatus.RETIRED and questionnaire.current_version is None
    assert version not in versions_in_use()
    refused(lambda: services.questionnaire_version_retire(actor=user, version=version))
    draft = services.questionnaire_version_draft(actor=user, questionnaire=questionnaire)
    assert draft.number == 2 and texts(draft) == texts(version)  # copied from the latest


def test_version_update_title_and_introduction(world):
    draft = draft_of(world, builtin())
    services.questionnaire_version_update(actor=world.users["admin"], version=draft, title="2026年满意度调查",
                                          introduction="您好", change_note="改标题")
    draft.refresh_from_db()
    assert (draft.title, draft.introduction, draft.change_note) == ("2026年满意度调查", "您好", "改标题")
    refused(lambda: services.questionnaire_version_update(actor=world.users["admin"], version=draft, title=" "),
            field="title")


def test_questionnaire_update_and_bad_code(world):
    user = world.users["cs_manager"]
    questionnaire = builtin()
    services.questionnaire_update(actor=user, questionnaire=questionnaire, name="满意度问卷", description="年度")
    questionnaire.refresh_from_db()
    assert questionnaire.name == "满意度问卷" and questionnaire.code == "property-satisfaction"
    refused(lambda: services.questionnaire_create(actor=user, code="property-satisfaction", name="重复"),
            field="code")
    refused(lambda: services.questionnaire_create(actor=user, code="bad code!", name="坏代码"), field="code")
    refused(lambda: services.questionnaire_create(actor=user, code="ok", name=" "), field="name")


# --- questions ---------------------------------------------------------------------------------------------------


def test_bad_questions_are_refused(world):
    user = world.users["cs_manager"]
    section = new_questionnaire(world).versions.get().sections.first()
    refused(lambda: services.question_add(actor=user, section=section, text="满意吗？",
                                          kind=QuestionKind.SATISFACTION), field="dimension")
    refused(lambda: services.question_add(actor=user, section=section, text="选一个", kind=QuestionKind.SINGLE,
                                          options=["只有一个"]), field="options")
    refused(lambda: services.question_add(actor=user, section=section, text="选", kind=QuestionKind.MULTIPLE,
                                          options="甲\n甲"), field="options")
    refused(lambda: services.question_add(actor=user, section=section, text="意见", kind=QuestionKind.TEXT,
                                          options=["甲", "乙"]), field="options")
    refused(lambda: services.question_add(actor=user, section=section, text="意见", kind=QuestionKind.TEXT,
                                          dimension=dim("kefu")), field="dimension")
    refused(lambda: services.question_add(actor=user, section=section, text=" ", kind=QuestionKind.TEXT),
            field="text")
    refused(lambda: services.question_add(actor=user, section=section, text="题", kind="stars"), field="kind")
    services.dimension_update(actor=user, dimension=dim("greening"), is_active=False)
    refused(lambda: services.question_add(actor=user, section=section, text="绿化满意吗？",
                                          kind=QuestionKind.SATISFACTION, dimension=dim("greening")),
            field="dimension")


def test_question_options_as_lines_and_a_place(world):
    user = world.users["cs_manager"]
    version = new_questionnaire(world).versions.get()
    section = version.sections.order_by("sort_order").last()
    question = services.question_add(actor=user, section=section, text="多选", kind=QuestionKind.MULTIPLE,
                                      options="  甲 \n\n乙\n丙", required=False, sort_order=1)
    assert question.options == ["甲", "乙", "丙"] and not question.required
    assert [q.text for q in section.questions.order_by("sort_order")] == ["多选", "怎么联系？", "意见"]
    assert list(section.questions.order_by("sort_order").values_list("sort_order", flat=True)) == [1, 2, 3]


def test_changing_the_kind_drops_dimension_and_options(world):
    user = world.users["cs_manager"]
    version = new_questionnaire(world).versions.get()
    first = version.questions_in_order()[0]
    services.question_update(actor=user, question=first, kind=QuestionKind.RECOMMEND)
    first.refresh_from_db()
    assert first.kind == QuestionKind.RECOMMEND and first.dimension is None
    single = Question.objects.get(section__version=version, kind=QuestionKind.SINGLE)
    services.question_update(actor=user, question=single, kind=QuestionKind.TEXT)
    single.refresh_from_db()
    assert single.options == []
    refused(lambda: services.question_update(actor=user, question=single, kind=QuestionKind.SATISFACTION),
            field="dimension")
    services.question_update(actor=user, question=single, kind=QuestionKind.SATISFACTION, dimension=dim("parking"),
                             required=False)
    single.refresh_from_db()
    assert single.dimension == dim("parking") and not single.required


def test_move_a_question_within_and_across_sections(world):
    user = world.users["cs_manager"]
    version = new_questionnaire(world).versions.get()
    q1, q2, q3, q4 = version.questions_in_order()
    services.question_move(actor=user, question=q2, direction="up")
    assert [q.pk for q in version.questions_in_order()] == [q2.pk, q1.pk, q3.pk, q4.pk]
    services.question_move(actor=user, question=q1, direction="down")  # to the top of the next section
    order = version.questions_in_order()
    assert [(q.pk, q.section.title, q.sort_order) for q in order] == [
        (q2.pk, "满意度", 1), (q1.pk, "其他", 1), (q3.pk, "其他", 2), (q4.pk, "其他", 3)]
    services.question_move(actor=user, question=q1, direction="up")  # back to the end of the first
    assert [(q.pk, q.section.title) for q in version.questions_in_order()] == [
        (q2.pk, "满意度"), (q1.pk, "满意度"), (q3.pk, "其他"), (q4.pk, "其他")]
    refused(lambda: services.question_move(actor=user, question=q2, direction="up"), field="direction")
    refused(lambda: services.question_move(actor=user, question=q4, direction="down"), field="direction")
    refused(lambda: services.question_move(actor=user, question=q4, direction="left"), field="direction")


def test_sections_add_and_reorder(world):
    user = world.users["cs_manager"]
    version = new_questionnaire(world).versions.get()
    third = services.question_section_add(actor=user, version=version, title="推荐")
    assert third.sort_order == 3
    services.question_section_update(actor=user, section=third, sort_order=0, title="推荐与建议")
    assert [s.title for s in questionnaire_outline(version)] == ["推荐与建议", "满意度", "其他"]
    refused(lambda: services.question_section_update(actor=user, section=third, sort_order="x"),
            field="sort_order")


# --- dimensions --------------------------------------------------------------------------------------------------


def test_dimensions_are_added_renamed_and_deactivated(world):
    user = world.users["cs_manager"]
    dimension = services.dimension_create(actor=user, code="elevator", name="电梯运行", sort_order=9)
    assert dimension.is_active
    refused(lambda: services.dimension_create(actor=user, code="elevator", name="电梯"), field="code")
    refused(lambda: services.dimension_create(actor=user, code="lift", name="电梯运行"), field="name")
    refused(lambda: services.dimension_update(actor=user, dimension=dimension, name="客服"), field="name")
    services.dimension_update(actor=user, dimension=dimension, is_active=False, name="电梯")
    dimension.refresh_from_db()
    assert not dimension.is_active and dimension.name == "电梯" and dimension.code == "elevator"
    assert AuditEvent.objects.filter(event_type="surveys.dimension_updated", object_id=str(dimension.pk)).exists()
    with pytest.raises(TypeError):
        services.dimension_update(actor=user, dimension=dimension, code="lift")


# --- permissions -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "executive", "quality_auditor", "resident", "document_controller"])
def test_only_keepers_write(world, role):
    user = world.users[role]
    version = active(builtin())
    refused(lambda: services.dimension_create(actor=user, code="x", name="某"), error=PermissionDenied)
    refused(lambda: services.questionnaire_create(actor=user, code="x", name="某"), error=PermissionDenied)
    refused(lambda: services.questionnaire_version_draft(actor=user, questionnaire=version.questionnaire),
            error=PermissionDenied)
    refused(lambda: services.questionnaire_version_retire(actor=user, version=version), error=PermissionDenied)
    assert Questionnaire.objects.filter(code="x").count() == 0
    assert QuestionnaireVersion.objects.filter(questionnaire=version.questionnaire).count() == 1
