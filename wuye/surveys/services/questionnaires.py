"""Questionnaires as versioned data (调查问卷): the service dimensions a satisfaction question measures, a
questionnaire and its versions (title, introduction, sections with their questions in order), drafting a new version
from the one in use, editing the draft, publishing it (the version in use before it is retired), retiring a version.

A version in use is never changed: only a draft is edited, and a draft a campaign already uses is not edited either.
Campaigns keep the version they were opened with. Dimensions are deactivated, never deleted. Each service is atomic,
checks its permission, refuses bad input with a field-keyed ``ValidationError`` (nothing changed) and is audited.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as

from ..choices import QuestionKind, VersionStatus
from ..models import Dimension, Question, Questionnaire, QuestionnaireVersion, QuestionSection
from .common import require

__all__ = [
    "ADD_DIMENSION", "ADD_QUESTION", "ADD_QUESTIONNAIRE", "ADD_SECTION", "ADD_VERSION", "CHANGE_DIMENSION",
    "CHANGE_QUESTION", "CHANGE_QUESTIONNAIRE", "CHANGE_SECTION", "CHANGE_VERSION", "clean_options",
    "dimension_create", "dimension_update", "question_add", "question_move", "question_section_add",
    "question_section_update", "question_update", "questionnaire_create", "questionnaire_update",
    "questionnaire_version_draft", "questionnaire_version_publish", "questionnaire_version_retire",
    "questionnaire_version_update", "version_editable",
]

ADD_DIMENSION = "surveys.add_dimension"
CHANGE_DIMENSION = "surveys.change_dimension"
ADD_QUESTIONNAIRE = "surveys.add_questionnaire"
CHANGE_QUESTIONNAIRE = "surveys.change_questionnaire"
ADD_VERSION = "surveys.add_questionnaireversion"
CHANGE_VERSION = "surveys.change_questionnaireversion"
ADD_SECTION = "surveys.add_questionsection"
CHANGE_SECTION = "surveys.change_questionsection"
ADD_QUESTION = "surveys.add_question"
CHANGE_QUESTION = "surveys.change_question"

CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
OPTION_MAX = 100


# --- helpers -----------------------------------------------------------------------------------------------------


def _fields(given: dict, allowed: tuple[str, ...]) -> dict:
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")
    return given


def _text(value, field: str, message) -> str:
    value = str(value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _order(value, field: str = "sort_order") -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        value = None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = -1
    if number < 0 or number > 32767:
        raise ValidationError({field: _("The order is a whole number, 0 or more.")})
    return number


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def clean_options(options) -> list[str]:
    """The options of a choice question as stored: a list of labels (given as a list, or as text one per line),
    blanks dropped. ``Question.clean`` checks there are at least two and each appears once."""
    if options is None:
        return []
    if isinstance(options, str):
        options = options.splitlines()
    if not isinstance(options, (list, tuple)):
        raise ValidationError({"options": _("Give the options as a list, one label each.")})
    cleaned = [str(option).strip() for option in options if str(option if option is not None else "").strip()]
    if any(len(option) > OPTION_MAX for option in cleaned):
        raise ValidationError({"options": _("An option has at most %(max)s characters.") % {"max": OPTION_MAX}})
    return cleaned


def version_editable(version: QuestionnaireVersion) -> bool:
    """A draft no campaign uses yet."""
    return version.status == VersionStatus.DRAFT and not version.campaigns.exists()


def _editable(version_or_pk) -> QuestionnaireVersion:
    """The version, locked, if it may still change; otherwise a clear refusal."""
    pk = getattr(version_or_pk, "pk", version_or_pk)
    version = QuestionnaireVersion.objects.select_for_update(of=("self",)).select_related("questionnaire").get(pk=pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("A version in use is not edited: make a new draft. Version %(number)s is "
                                "%(status)s.") % {"number": version.number, "status": version.get_status_display()})
    if version.campaigns.exists():
        raise ValidationError(_("Version %(number)s is used by a campaign and is not edited: make a new draft.")
                              % {"number": version.number})
    return version


def _dimension(kind: str, dimension, *, explicit: bool):
    """The dimension a question of ``kind`` measures (None for other kinds); an inactive one is refused."""
    if kind != QuestionKind.SATISFACTION:
        if explicit and dimension is not None:
            raise ValidationError({"dimension": _("Only a satisfaction question measures a service dimension.")})
        return None
    if dimension is None:
        raise ValidationError({"dimension": _("A satisfaction question measures a service dimension: choose one.")})
    if not isinstance(dimension, Dimension):
        dimension = Dimension.objects.filter(pk=dimension).first()
        if dimension is None:
            raise ValidationError({"dimension": _("No such service dimension.")})
    if not dimension.is_active:
        raise ValidationError({"dimension": _("The dimension “%(name)s” is no longer in use: choose another.")
                               % {"name": dimension.name}})
    return dimension


def _kind(value) -> str:
    if value not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose the kind of question.")})
    return value


def _renumber(questions: list[Question], section: QuestionSection) -> None:
    for number, question in enumerate(questions, start=1):
        if question.sort_order != number or question.section_id != section.pk:
            question.sort_order = number
            question.section = section
            question.save()


# --- dimensions --------------------------------------------------------------------------------------------------


@transaction.atomic
def dimension_create(*, actor, code, name, sort_order=0) -> Dimension:
    """A new service dimension (in use)."""
    require(actor, ADD_DIMENSION)
    with acting_as(actor):
        dimension = Dimension(code=str(code or "").strip(),
                              name=_text(name, "name", _("Give the dimension a name.")),
                              sort_order=_order(sort_order) or 0)
        dimension.full_clean()
        dimension.save()
        audit("surveys.dimension_created", actor=actor, obj=dimension, code=dimension.code)
    return dimension


@transaction.atomic
def dimension_update(*, actor, dimension: Dimension, **fields) -> Dimension:
    """A dimension's name, order and whether it is in use (``is_active``); its code never changes. A dimension out
    of use stays on the versions that have it but is not chosen for new questions."""
    require(actor, CHANGE_DIMENSION)
    fields = _fields(fields, ("name", "sort_order", "is_active"))
    dimension = Dimension.objects.select_for_update().get(pk=dimension.pk)
    new = {}
    if "name" in fields:
        new["name"] = _text(fields["name"], "name", _("Give the dimension a name."))
    if "sort_order" in fields:
        new["sort_order"] = _order(fields["sort_order"]) or 0
    if "is_active" in fields:
        new["is_active"] = _bool(fields["is_active"])
    changed = sorted(name for name, value in new.items() if getattr(dimension, name) != value)
    with acting_as(actor):
        for name in changed:
            setattr(dimension, name, new[name])
        dimension.full_clean()
        if changed:
            dimension.save()
            audit("surveys.dimension_updated", actor=actor, obj=dimension, fields=changed)
    return dimension


# --- questionnaires ----------------------------------------------------------------------------------------------


@transaction.atomic
def questionnaire_create(*, actor, code, name, description="", title="") -> Questionnaire:
    """A new questionnaire with a draft version 1 (its title: ``title`` or the name; no sections yet)."""
    require(actor, ADD_QUESTIONNAIRE)
    require(actor, ADD_VERSION)
    name = _text(name, "name", _("Give the questionnaire a name."))
    with acting_as(actor):
        questionnaire = Questionnaire(code=str(code or "").strip(), name=name,
                                      description=str(description or "").strip())
        questionnaire.full_clean()
        questionnaire.save()
        version = QuestionnaireVersion(questionnaire=questionnaire, number=1,
                                       title=str(title or "").strip() or name)
        version.full_clean()
        version.save()
        audit("surveys.questionnaire_created", actor=actor, obj=questionnaire, code=questionnaire.code,
              version=version.pk)
    return questionnaire


@transaction.atomic
def questionnaire_update(*, actor, questionnaire: Questionnaire, **fields) -> Questionnaire:
    """A questionnaire's name and description (its code never changes; its content changes through a new
    version)."""
    require(actor, CHANGE_QUESTIONNAIRE)
    fields = _fields(fields, ("name", "description"))
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    new = {}
    if "name" in fields:
        new["name"] = _text(fields["name"], "name", _("Give the questionnaire a name."))
    if "description" in fields:
        new["description"] = str(fields["description"] or "").strip()
    changed = sorted(name for name, value in new.items() if getattr(questionnaire, name) != value)
    with acting_as(actor):
        for name in changed:
            setattr(questionnaire, name, new[name])
        questionnaire.full_clean()
        if changed:
            questionnaire.save()
            audit("surveys.questionnaire_updated", actor=actor, obj=questionnaire, fields=changed)
    return questionnaire


# --- versions ----------------------------------------------------------------------------------------------------


@transaction.atomic
def questionnaire_version_draft(*, actor, questionnaire: Questionnaire, change_note="") -> QuestionnaireVersion:
    """A new draft version copying the version in use (or the latest version): title, introduction, sections and
    questions. One draft at a time."""
    require(actor, ADD_VERSION)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    draft = questionnaire.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()
    if draft is not None:
        raise ValidationError(_("This questionnaire already has a draft, version %(number)s: edit or publish it "
                                "first.") % {"number": draft.number})
    base = (questionnaire.versions.filter(status=VersionStatus.ACTIVE).order_by("-number").first()
            or questionnaire.versions.order_by("-number").first())
    number = (questionnaire.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    with acting_as(actor):
        version = QuestionnaireVersion(
            questionnaire=questionnaire, number=number, title=base.title if base else questionnaire.name,
            introduction=base.introduction if base else "", change_note=str(change_note or "").strip())
        version.full_clean()
        version.save()
        if base is not None:
            for section in base.sections.order_by("sort_order", "id"):
                copy = QuestionSection.objects.create(version=version, title=section.title,
                                                      sort_order=section.sort_order)
                for question in section.questions.order_by("sort_order", "id"):
                    Question.objects.create(section=copy, sort_order=question.sort_order, text=question.text,
                                            kind=question.kind, dimension_id=question.dimension_id,
                                            required=question.required, options=list(question.options or []))
        audit("surveys.questionnaire_drafted", actor=actor, obj=version, questionnaire=questionnaire.pk,
              number=number, copied_from=base.pk if base else None)
    return version


@transaction.atomic
def questionnaire_version_update(*, actor, version: QuestionnaireVersion, **fields) -> QuestionnaireVersion:
    """A draft's title, introduction and the note of what changed."""
    require(actor, CHANGE_VERSION)
    fields = _fields(fields, ("title", "introduction", "change_note"))
    version = _editable(version)
    new = {}
    if "title" in fields:
        new["title"] = _text(fields["title"], "title", _("Give the title shown on the questionnaire."))
    if "introduction" in fields:
        new["introduction"] = str(fields["introduction"] or "").strip()
    if "change_note" in fields:
        new["change_note"] = str(fields["change_note"] or "").strip()
    changed = sorted(name for name, value in new.items() if getattr(version, name) != value)
    with acting_as(actor):
        for name in changed:
            setattr(version, name, new[name])
        version.full_clean()
        if changed:
            version.save()
            audit("surveys.questionnaire_version_updated", actor=actor, obj=version, fields=changed)
    return version


def _check_publishable(version: QuestionnaireVersion) -> None:
    if not version.title.strip():
        raise ValidationError({"title": _("Give the title shown on the questionnaire.")})
    questions = list(version.questions_in_order())
    if not questions:
        raise ValidationError(_("Add at least one question before publishing."))
    for question in questions:
        if question.kind == QuestionKind.SATISFACTION and (question.dimension is None
                                                           or not question.dimension.is_active):
            raise ValidationError(_("The question “%(text)s” needs a service dimension in use: choose one before "
                                    "publishing.") % {"text": question.text})
        try:
            question.full_clean()
        except ValidationError as exc:
            raise ValidationError(_("The question “%(text)s”: %(error)s") % {
                "text": question.text, "error": " ".join(exc.messages)}) from exc


@transaction.atomic
def questionnaire_version_publish(*, actor, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Draft → in use; the version in use before it is retired. New campaigns take the new version; campaigns
    opened before keep theirs. It needs at least one question, and every satisfaction question a dimension in
    use."""
    require(actor, CHANGE_VERSION)
    Questionnaire.objects.select_for_update().get(pk=version.questionnaire_id)
    version = _editable(version)
    _check_publishable(version)
    with acting_as(actor):
        retired = []
        for old in QuestionnaireVersion.objects.select_for_update().filter(
                questionnaire_id=version.questionnaire_id, status=VersionStatus.ACTIVE):
            old.status = VersionStatus.RETIRED
            old.save()
            retired.append(old.pk)
        version.status = VersionStatus.ACTIVE
        version.published_at = timezone.now()
        version.full_clean()
        version.save()
        audit("surveys.questionnaire_published", actor=actor, obj=version, questionnaire=version.questionnaire_id,
              number=version.number, retired=retired)
    return version


@transaction.atomic
def questionnaire_version_retire(*, actor, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """The version in use (or an abandoned draft) is retired: no new campaign takes it; campaigns that use it keep
    it. The questionnaire then has no version in use until a draft is published."""
    require(actor, CHANGE_VERSION)
    Questionnaire.objects.select_for_update().get(pk=version.questionnaire_id)
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == VersionStatus.RETIRED:
        raise ValidationError(_("Version %(number)s is already retired.") % {"number": version.number})
    with acting_as(actor):
        was = version.status
        version.status = VersionStatus.RETIRED
        version.full_clean()
        version.save()
        audit("surveys.questionnaire_retired", actor=actor, obj=version, questionnaire=version.questionnaire_id,
              number=version.number, was=was)
    return version


# --- sections ----------------------------------------------------------------------------------------------------


@transaction.atomic
def question_section_add(*, actor, version: QuestionnaireVersion, title, sort_order=None) -> QuestionSection:
    """A section at the end of a draft (or at ``sort_order``)."""
    require(actor, ADD_SECTION)
    version = _editable(version)
    title = _text(title, "title", _("Give the section a title."))
    order = _order(sort_order)
    if order is None:
        order = (version.sections.aggregate(n=Max("sort_order"))["n"] or 0) + 1
    with acting_as(actor):
        section = QuestionSection(version=version, title=title, sort_order=order)
        section.full_clean()
        section.save()
        audit("surveys.question_section_added", actor=actor, obj=section, version=version.pk)
    return section


@transaction.atomic
def question_section_update(*, actor, section: QuestionSection, **fields) -> QuestionSection:
    """A draft's section: its title and order."""
    require(actor, CHANGE_SECTION)
    fields = _fields(fields, ("title", "sort_order"))
    _editable(section.version_id)
    section = QuestionSection.objects.select_for_update().get(pk=section.pk)
    new = {}
    if "title" in fields:
        new["title"] = _text(fields["title"], "title", _("Give the section a title."))
    if "sort_order" in fields and fields["sort_order"] not in (None, ""):
        new["sort_order"] = _order(fields["sort_order"])
    changed = sorted(name for name, value in new.items() if getattr(section, name) != value)
    with acting_as(actor):
        for name in changed:
            setattr(section, name, new[name])
        section.full_clean()
        if changed:
            section.save()
            audit("surveys.question_section_updated", actor=actor, obj=section, fields=changed)
    return section


# --- questions ---------------------------------------------------------------------------------------------------


@transaction.atomic
def question_add(*, actor, section: QuestionSection, text, kind, dimension=None, required=True, options=None,
                 sort_order=None) -> Question:
    """A question at the end of a draft's section, or at place ``sort_order`` (1 = first; the questions after it
    move down one). A satisfaction question measures a dimension in use; a choice question has at least two
    options (a list, or text one per line)."""
    require(actor, ADD_QUESTION)
    _editable(section.version_id)
    section = QuestionSection.objects.select_for_update().get(pk=section.pk)
    text = _text(text, "text", _("Write the question."))
    kind = _kind(kind)
    dimension = _dimension(kind, dimension, explicit=True)
    options = clean_options(options)
    if kind not in CHOICE_KINDS and options:
        raise ValidationError({"options": _("Only a choice question has options.")})
    questions = list(section.questions.order_by("sort_order", "id"))
    position = _order(sort_order)
    position = len(questions) + 1 if position is None else min(max(position, 1), len(questions) + 1)
    with acting_as(actor):
        question = Question(section=section, sort_order=len(questions) + 1, text=text, kind=kind,
                            dimension=dimension, required=_bool(required), options=options)
        question.full_clean()
        question.save()
        _renumber(questions[:position - 1] + [question] + questions[position - 1:], section)
        audit("surveys.question_added", actor=actor, obj=question, section=section.pk, kind=kind)
    return question


@transaction.atomic
def question_update(*, actor, question: Question, **fields) -> Question:
    """A draft's question: text, kind, dimension, whether an answer is required, options. Changing the kind away
    from satisfaction drops the dimension, away from a choice drops the options."""
    require(actor, CHANGE_QUESTION)
    fields = _fields(fields, ("text", "kind", "dimension", "required", "options"))
    _editable(Question.objects.values_list("section__version_id", flat=True).get(pk=question.pk))
    question = Question.objects.select_for_update(of=("self",)).select_related("dimension").get(pk=question.pk)
    new = {}
    if "text" in fields:
        new["text"] = _text(fields["text"], "text", _("Write the question."))
    kind = _kind(fields["kind"]) if "kind" in fields else question.kind
    new["kind"] = kind
    if "dimension" in fields:
        new["dimension"] = _dimension(kind, fields["dimension"], explicit=True)
    elif kind != QuestionKind.SATISFACTION:
        new["dimension"] = None
    elif question.dimension is None or not question.dimension.is_active:
        new["dimension"] = _dimension(kind, question.dimension, explicit=False)
    if "options" in fields:
        options = clean_options(fields["options"])
        if kind not in CHOICE_KINDS and options:
            raise ValidationError({"options": _("Only a choice question has options.")})
        new["options"] = options
    elif kind not in CHOICE_KINDS:
        new["options"] = []
    if "required" in fields:
        new["required"] = _bool(fields["required"])
    changed = sorted(name for name, value in new.items() if getattr(question, name) != value)
    with acting_as(actor):
        for name in changed:
            setattr(question, name, new[name])
        question.full_clean()
        if changed:
            question.save()
            audit("surveys.question_updated", actor=actor, obj=question, fields=changed)
    return question


@transaction.atomic
def question_move(*, actor, question: Question, direction: str) -> Question:
    """One place up or down in its section; from the top of a section up to the end of the section before, from
    the bottom down to the start of the next."""
    require(actor, CHANGE_QUESTION)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move a question up or down.")})
    version = _editable(Question.objects.values_list("section__version_id", flat=True).get(pk=question.pk))
    question = Question.objects.select_for_update(of=("self",)).select_related("section").get(pk=question.pk)
    section = question.section
    questions = list(section.questions.order_by("sort_order", "id"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    sections = list(version.sections.order_by("sort_order", "id"))
    at = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    with acting_as(actor):
        if direction == "up" and index > 0:
            questions[index - 1], questions[index] = questions[index], questions[index - 1]
            _renumber(questions, section)
        elif direction == "down" and index < len(questions) - 1:
            questions[index + 1], questions[index] = questions[index], questions[index + 1]
            _renumber(questions, section)
        elif direction == "up" and at > 0:
            target = sections[at - 1]
            _renumber([q for q in questions if q.pk != question.pk], section)
            _renumber(list(target.questions.order_by("sort_order", "id")) + [question], target)
        elif direction == "down" and at < len(sections) - 1:
            target = sections[at + 1]
            _renumber([q for q in questions if q.pk != question.pk], section)
            _renumber([question] + list(target.questions.order_by("sort_order", "id")), target)
        else:
            raise ValidationError({"direction": _("This question is already the first.") if direction == "up"
                                   else _("This question is already the last.")})
        audit("surveys.question_moved", actor=actor, obj=question, direction=direction,
              section=question.section_id, sort_order=question.sort_order)
    return question
