"""Pages of the questionnaires (调查问卷) and the service dimensions: the dimension list (add, edit); the
questionnaire list; a questionnaire's page (its versions, and the version in use as the household sees it: numbered
questions with their kind, dimension and options); a version's page with its steps (publish, retire, new draft); the
edit pages of a draft (title and introduction, sections, questions, moving a question up or down); history.

A version in use is never edited: the edit pages of its parts answer 403 and the services refuse it."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.urls import path, re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.views import ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.core.views.parts import DraftPartEditView
from wuye.documents.views.base import StepView, TableStepView

from ..choices import VersionStatus
from ..filtersets.questionnaires import DimensionFilterSet, QuestionnaireFilterSet
from ..forms.questionnaires import (
    DimensionForm,
    MoveForm,
    NewVersionForm,
    PublishForm,
    QuestionForm,
    QuestionnaireForm,
    QuestionnaireVersionForm,
    QuestionSectionForm,
    RetireForm,
)
from ..models import Dimension, Question, Questionnaire, QuestionnaireVersion, QuestionSection
from ..selectors.questionnaires import draft_version, questionnaire_outline, with_version_in_use
from ..services import questionnaires as services
from ..tables.questionnaires import DimensionTable, QuestionnaireTable


def outline_context(version: QuestionnaireVersion | None) -> dict:
    """What ``surveys/questionnaire_outline.html`` needs to lay a version out as the household sees it."""
    if version is None:
        return {"shown": None, "sections": []}
    return {"shown": version, "sections": questionnaire_outline(version)}


# --- dimensions --------------------------------------------------------------------------------------------------


class DimensionListView(ObjectListView):
    queryset = Dimension.objects.annotate(question_count=Count(
        "questions", filter=Q(questions__section__version__status=VersionStatus.ACTIVE)))
    filterset = DimensionFilterSet
    table = DimensionTable


class DimensionEditView(ObjectEditView):
    """Add a dimension, or change one's name, order and whether it is in use; back to the list afterwards."""

    queryset = Dimension.objects.all()
    form = DimensionForm

    def get_initial(self):
        return {}

    def save(self, form):
        if form.instance.pk is None:
            return services.dimension_create(actor=self.request.user, **form.service_fields())
        current = Dimension.objects.get(pk=form.instance.pk)
        return services.dimension_update(actor=self.request.user, dimension=current, **form.service_fields())


# --- questionnaires ----------------------------------------------------------------------------------------------


class QuestionnaireListView(ObjectListView):
    queryset = with_version_in_use(Questionnaire.objects.all())
    filterset = QuestionnaireFilterSet
    table = QuestionnaireTable


class QuestionnaireView(ObjectDetailView):
    queryset = Questionnaire.objects.all()
    template_name = "surveys/questionnaire.html"

    def get_extra_context(self, questionnaire):
        user = self.request.user
        versions = list(questionnaire.versions.annotate(campaign_count=Count("campaigns")).order_by("-number"))
        active = next((v for v in versions if v.status == VersionStatus.ACTIVE), None)
        draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
        new_version_url = None
        if draft is None and versions and user.has_perm(services.ADD_VERSION):
            new_version_url = reverse("surveys:questionnaireversion_step", args=[(active or versions[0]).pk, "draft"])
        return {
            "versions": versions, "active": active, "draft": draft, "new_version_url": new_version_url,
            "edit_url": reverse("surveys:questionnaire_edit", args=[questionnaire.pk]) if self.can_change else None,
            **outline_context(active or draft),
        }


class QuestionnaireAddView(ObjectEditView):
    """A new questionnaire with a draft version 1; its sections and questions are added on the draft's page."""

    queryset = Questionnaire.objects.all()
    form = QuestionnaireForm

    def save(self, form):
        return services.questionnaire_create(actor=self.request.user, **form.service_fields())


class QuestionnaireEditView(ObjectEditView):
    """The questionnaire's name and description."""

    queryset = Questionnaire.objects.all()
    form = QuestionnaireForm

    def get_initial(self):
        return {}

    def save(self, form):
        current = Questionnaire.objects.get(pk=form.instance.pk)
        return services.questionnaire_update(actor=self.request.user, questionnaire=current,
                                             **form.service_fields())


class QuestionnaireHistoryView(ObjectHistoryView):
    queryset = Questionnaire.objects.all()


# --- versions ----------------------------------------------------------------------------------------------------


def _step(version, step, label, style):
    return {"step": step, "label": label, "style": style,
            "url": reverse("surveys:questionnaireversion_step", args=[version.pk, step])}


class QuestionnaireVersionView(ObjectDetailView):
    queryset = QuestionnaireVersion.objects.select_related("questionnaire")
    template_name = "surveys/questionnaireversion.html"

    def get_extra_context(self, version):
        user = self.request.user
        editable = (self.can_change and user.has_perm(services.CHANGE_VERSION)
                    and services.version_editable(version))
        steps = []
        if editable:
            steps.append(_step(version, "publish", _("Publish"), "success"))
        if version.status != VersionStatus.RETIRED and user.has_perm(services.CHANGE_VERSION):
            steps.append(_step(version, "retire", _("Retire"), "outline-secondary"))
        if (version.status != VersionStatus.DRAFT and user.has_perm(services.ADD_VERSION)
                and draft_version(version.questionnaire) is None):
            steps.append(_step(version, "draft", _("New version"), "outline-primary"))
        return {
            "steps": steps, "editable": editable,
            "edit_url": reverse("surveys:questionnaireversion_edit", args=[version.pk]) if editable else None,
            "add_section_url": f"{reverse('surveys:questionsection_add')}?version={version.pk}"
            if editable and user.has_perm(services.ADD_SECTION) else None,
            "can_add_question": editable and user.has_perm(services.ADD_QUESTION),
            "can_change_section": editable and user.has_perm(services.CHANGE_SECTION),
            "can_change_question": editable and user.has_perm(services.CHANGE_QUESTION),
            "campaign_count": version.campaigns.count(),
            **outline_context(version),
        }


class QuestionnaireVersionEditView(ObjectEditView):
    """A draft's title, introduction and what changed."""

    queryset = QuestionnaireVersion.objects.select_related("questionnaire")
    form = QuestionnaireVersionForm

    def get_object(self):
        version = super().get_object()
        if not services.version_editable(version):
            raise PermissionDenied
        return version

    def get_initial(self):
        return {}

    def save(self, form):
        current = QuestionnaireVersion.objects.get(pk=form.instance.pk)
        return services.questionnaire_version_update(actor=self.request.user, version=current,
                                                     **form.service_fields())


class QuestionnaireVersionHistoryView(ObjectHistoryView):
    queryset = QuestionnaireVersion.objects.all()


VERSION_STEPS = {
    "draft": (gettext_lazy("New version"), "primary", services.ADD_VERSION, NewVersionForm),
    "publish": (gettext_lazy("Publish this version"), "success", services.CHANGE_VERSION, PublishForm),
    "retire": (gettext_lazy("Retire this version"), "secondary", services.CHANGE_VERSION, RetireForm),
}


class QuestionnaireVersionStepView(TableStepView):
    """``draft``: a new draft copying the version in use (one draft at a time); ``publish``: the draft comes into
    use and the version before it is retired; ``retire``: no new campaign takes this version."""

    queryset = QuestionnaireVersion.objects.select_related("questionnaire")
    steps = VERSION_STEPS
    view_permission = "surveys.view_questionnaireversion"

    def notice(self, version):
        if self.step == "draft":
            draft = draft_version(version.questionnaire)
            if draft is not None:
                return _("This questionnaire already has a draft, version %(number)s: edit or publish it first.") % {
                    "number": draft.number}
        elif self.step == "publish" and not services.version_editable(version):
            return _("Only a draft no campaign uses is published; this one is %(status)s.") % {
                "status": version.get_status_display()}
        elif self.step == "retire":
            if version.status == VersionStatus.RETIRED:
                return _("Version %(number)s is already retired.") % {"number": version.number}
            return _("No new campaign will take this version; campaigns that use it keep it.")
        return None

    def perform(self, version, form):
        user = self.request.user
        if self.step == "draft":
            self.created = services.questionnaire_version_draft(actor=user, questionnaire=version.questionnaire,
                                                                change_note=form.cleaned_data["change_note"])
            return _("Version %(number)s is a draft: change it, then publish it.") % {"number": self.created.number}
        if self.step == "retire":
            services.questionnaire_version_retire(actor=user, version=version)
            return _("Version %(number)s of %(questionnaire)s is retired.") % {
                "number": version.number, "questionnaire": version.questionnaire.name}
        services.questionnaire_version_publish(actor=user, version=version)
        return _("Version %(number)s of %(questionnaire)s is now in use.") % {
            "number": version.number, "questionnaire": version.questionnaire.name}

    def success_url(self, version):
        created = getattr(self, "created", None)
        return created.get_absolute_url() if created is not None else version.get_absolute_url()


# --- sections and questions of a draft -----------------------------------------------------------------------------


class _DraftPartEditView(DraftPartEditView):
    """Add or edit a section or question of a draft version; back to the version's page afterwards."""

    def is_editable(self, version) -> bool:
        return services.version_editable(version)


class QuestionSectionEditView(_DraftPartEditView):
    """A section of a draft (``?version=<id>`` to add one)."""

    queryset = QuestionSection.objects.select_related("version")
    form = QuestionSectionForm
    parent_param = "version"
    parent_model = QuestionnaireVersion

    def new_object(self, version):
        return QuestionSection(version=version)

    def version_of(self, section):
        return section.version

    def save(self, form):
        if form.instance.pk is None:
            return services.question_section_add(actor=self.request.user, version=form.instance.version,
                                                 **form.service_fields())
        current = QuestionSection.objects.get(pk=form.instance.pk)
        return services.question_section_update(actor=self.request.user, section=current, **form.service_fields())


class QuestionEditView(_DraftPartEditView):
    """A question of a draft's section (``?section=<id>`` to add one)."""

    queryset = Question.objects.select_related("section__version")
    form = QuestionForm
    parent_param = "section"
    parent_model = QuestionSection

    def new_object(self, section):
        return Question(section=section)

    def version_of(self, question):
        return question.section.version

    def save(self, form):
        if form.instance.pk is None:
            return services.question_add(actor=self.request.user, section=form.instance.section,
                                         **form.service_fields())
        current = Question.objects.get(pk=form.instance.pk)
        return services.question_update(actor=self.request.user, question=current, **form.service_fields())


class QuestionMoveView(StepView):
    """A question of a draft one place up or down (``direction``); the version's page posts it from its arrows."""

    queryset = Question.objects.select_related("section__version__questionnaire")
    permission_required = services.CHANGE_QUESTION
    form_class = MoveForm
    title = gettext_lazy("Move the question")

    def check(self, question):
        if not services.version_editable(question.section.version):
            raise PermissionDenied

    def cancel_url(self, question):
        return question.section.version.get_absolute_url()

    def perform(self, question, form):
        services.question_move(actor=self.request.user, question=question,
                               direction=form.cleaned_data["direction"])
        return _("Moved “%(question)s”.") % {"question": question.text}

    def success_url(self, question):
        return f"{self.cancel_url(question)}#question-{question.pk}"


_steps = "|".join(map(re.escape, VERSION_STEPS))
urlpatterns = [
    path("dimensions/", DimensionListView.as_view(), name="dimension_list"),
    path("dimensions/add/", DimensionEditView.as_view(), name="dimension_add"),
    path("dimensions/<int:pk>/edit/", DimensionEditView.as_view(), name="dimension_edit"),
    path("questionnaires/", QuestionnaireListView.as_view(), name="questionnaire_list"),
    path("questionnaires/add/", QuestionnaireAddView.as_view(), name="questionnaire_add"),
    path("questionnaires/<int:pk>/", QuestionnaireView.as_view(), name="questionnaire"),
    path("questionnaires/<int:pk>/edit/", QuestionnaireEditView.as_view(), name="questionnaire_edit"),
    path("questionnaires/<int:pk>/history/", QuestionnaireHistoryView.as_view(), name="questionnaire_history"),
    path("questionnaires/versions/<int:pk>/", QuestionnaireVersionView.as_view(), name="questionnaireversion"),
    path("questionnaires/versions/<int:pk>/edit/", QuestionnaireVersionEditView.as_view(),
         name="questionnaireversion_edit"),
    path("questionnaires/versions/<int:pk>/history/", QuestionnaireVersionHistoryView.as_view(),
         name="questionnaireversion_history"),
    re_path(rf"^questionnaires/versions/(?P<pk>\d+)/(?P<step>{_steps})/$", QuestionnaireVersionStepView.as_view(),
            name="questionnaireversion_step"),
    path("questionnaires/sections/add/", QuestionSectionEditView.as_view(), name="questionsection_add"),
    path("questionnaires/sections/<int:pk>/edit/", QuestionSectionEditView.as_view(), name="questionsection_edit"),
    path("questionnaires/questions/add/", QuestionEditView.as_view(), name="question_add"),
    path("questionnaires/questions/<int:pk>/edit/", QuestionEditView.as_view(), name="question_edit"),
    path("questionnaires/questions/<int:pk>/move/", QuestionMoveView.as_view(), name="question_move"),
]
