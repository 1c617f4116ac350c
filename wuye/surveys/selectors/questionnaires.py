"""Reads of the questionnaires: a version's outline (sections with their questions in order, numbered as the
household sees them), the versions campaigns may take, the draft under way, the list's version in use."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from ..choices import SATISFACTION_LEVELS, QuestionKind, VersionStatus
from ..models import Question, Questionnaire, QuestionnaireVersion, QuestionSection

__all__ = ["draft_version", "question_choices", "questionnaire_outline", "versions_in_use", "with_version_in_use"]


def questionnaire_outline(version: QuestionnaireVersion) -> list[QuestionSection]:
    """The sections of ``version`` in order, each with its questions in order: ``section.question_list`` (and the
    prefetched ``section.questions.all()``). Every question gets ``number`` (1, 2, 3 … across the whole
    questionnaire, as the household sees it) and ``choices``: the labels it offers ([(value, label)]: the five
    levels best first, 0–10, or the options with their index). Two queries, whatever the size."""
    sections = list(QuestionSection.objects.filter(version=version).order_by("sort_order", "id").prefetch_related(
        Prefetch("questions", queryset=Question.objects.select_related("dimension").order_by("sort_order", "id"))))
    number = 0
    for section in sections:
        section.question_list = list(section.questions.all())
        for question in section.question_list:
            number += 1
            question.number = number
            question.choices = question_choices(question)
    return sections


def question_choices(question: Question) -> list[tuple[int, str]]:
    if question.kind == QuestionKind.SATISFACTION:
        return list(SATISFACTION_LEVELS)
    if question.kind == QuestionKind.RECOMMEND:
        return [(value, str(value)) for value in range(0, 11)]
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return list(enumerate(question.options or []))
    return []


def versions_in_use() -> QuerySet:
    """The versions a new campaign may take: every questionnaire's version in use, by questionnaire name."""
    return (QuestionnaireVersion.objects.filter(status=VersionStatus.ACTIVE).select_related("questionnaire")
            .order_by("questionnaire__name", "questionnaire_id"))


def draft_version(questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    return questionnaire.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()


def with_version_in_use(queryset: QuerySet) -> QuerySet:
    """Questionnaires annotated with their version in use (``active_number``, ``active_title``; None when there
    is none), its number of questions (``question_count``) and the number of their versions."""
    active = QuestionnaireVersion.objects.filter(questionnaire=OuterRef("pk"), status=VersionStatus.ACTIVE)
    count = (Question.objects.filter(section__version__questionnaire=OuterRef("pk"),
                                     section__version__status=VersionStatus.ACTIVE)
             .order_by().values("section__version__questionnaire").annotate(n=Count("pk")).values("n"))
    return queryset.annotate(active_number=Subquery(active.values("number")[:1]),
                             active_title=Subquery(active.values("title")[:1]),
                             question_count=Subquery(count[:1]))
