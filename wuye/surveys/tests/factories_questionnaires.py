"""Test helpers of the questionnaires: the built-in questionnaire, new questionnaires and drafts made through the
services, and a snapshot of everything the questionnaire services may write (to show a refusal changed nothing)."""

from __future__ import annotations

from wuye.core.models import AuditEvent
from wuye.surveys.choices import QuestionKind, VersionStatus
from wuye.surveys.models import Dimension, Question, Questionnaire, QuestionnaireVersion, QuestionSection
from wuye.surveys.services import questionnaires as services

BUILTIN = "property-satisfaction"


def builtin() -> Questionnaire:
    return Questionnaire.objects.get(code=BUILTIN)


def active(questionnaire: Questionnaire) -> QuestionnaireVersion:
    return questionnaire.versions.get(status=VersionStatus.ACTIVE)


def dim(code: str) -> Dimension:
    return Dimension.objects.get(code=code)


def new_questionnaire(w, code: str = "test-q", name: str = "测试问卷", publish: bool = False,
                      actor: str = "cs_manager") -> Questionnaire:
    """A questionnaire with a draft version 1: section 满意度 (客服, 工程维修), section 其他 (单选, 意见)."""
    user = w.users[actor]
    questionnaire = services.questionnaire_create(actor=user, code=code, name=name)
    version = questionnaire.versions.get()
    first = services.question_section_add(actor=user, version=version, title="满意度")
    services.question_add(actor=user, section=first, text="客服满意吗？", kind=QuestionKind.SATISFACTION,
                          dimension=dim("kefu"))
    services.question_add(actor=user, section=first, text="维修满意吗？", kind=QuestionKind.SATISFACTION,
                          dimension=dim("repair"))
    second = services.question_section_add(actor=user, version=version, title="其他")
    services.question_add(actor=user, section=second, text="怎么联系？", kind=QuestionKind.SINGLE,
                          options=["电话", "前台"])
    services.question_add(actor=user, section=second, text="意见", kind=QuestionKind.TEXT, required=False)
    if publish:
        services.questionnaire_version_publish(actor=user, version=version)
    return questionnaire


def draft_of(w, questionnaire: Questionnaire, actor: str = "cs_manager") -> QuestionnaireVersion:
    """The questionnaire's draft, made from the version in use when there is none."""
    draft = questionnaire.versions.filter(status=VersionStatus.DRAFT).first()
    return draft or services.questionnaire_version_draft(actor=w.users[actor], questionnaire=questionnaire,
                                                         change_note="修订")


def texts(version: QuestionnaireVersion) -> list[tuple[str, str]]:
    """(section title, question text) in order."""
    return [(q.section.title, q.text) for q in version.questions_in_order()]


def snapshot():
    return (
        list(Dimension.objects.order_by("pk").values_list("pk", "code", "name", "sort_order", "is_active")),
        list(Questionnaire.objects.order_by("pk").values_list("pk", "code", "name", "description")),
        list(QuestionnaireVersion.objects.order_by("pk").values_list(
            "pk", "questionnaire_id", "number", "status", "title", "introduction", "change_note", "published_at")),
        list(QuestionSection.objects.order_by("pk").values_list("pk", "version_id", "title", "sort_order")),
        list(Question.objects.order_by("pk").values_list("pk", "section_id", "sort_order", "text", "kind",
                                                         "dimension_id", "required", "options")),
        AuditEvent.objects.count(),
    )
