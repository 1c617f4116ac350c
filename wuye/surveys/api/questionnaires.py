"""Questionnaire API: ``/api/v1/questionnaires/`` (list, retrieve with the version in use nested — its sections and
questions in order —, the draft under way and the list of versions; create with a draft version 1; change the name and
description) with the actions ``draft`` (a new draft copying the version in use) and ``publish`` (the draft comes
into use, the one before is retired); ``/api/v1/survey-dimensions/`` (list, retrieve, create, change; a dimension is
deactivated, never deleted). Every queryset goes through ``restrict()``; every write is a service call; no DELETE."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action

from wuye.core.api.fields import CodeField
from wuye.core.api.schema import step_responses
from wuye.core.api.serializers import BaseModelSerializer
from wuye.core.api.viewsets import ServiceModelViewSet

from ..choices import QuestionKind, VersionStatus
from ..filtersets.questionnaires import DimensionFilterSet, QuestionnaireFilterSet
from ..models import Dimension, Question, Questionnaire, QuestionnaireVersion, QuestionSection
from ..services import questionnaires as services

# --- serializers ---------------------------------------------------------------------------------------------------


class QuestionSerializer(serializers.ModelSerializer):
    """A question: ``kind`` satisfaction (answers 1–5, ``dimension`` set), single / multiple (answers the index of
    an option, from 0), recommend (0–10) or text."""

    kind = CodeField(QuestionKind.choices, read_only=True)
    dimension_code = serializers.CharField(source="dimension.code", read_only=True, default=None, allow_null=True)
    dimension_name = serializers.CharField(source="dimension.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Question
        fields = ("id", "sort_order", "text", "kind", "dimension", "dimension_code", "dimension_name", "required",
                  "options")
        read_only_fields = fields


class QuestionSectionSerializer(serializers.ModelSerializer):
    questions = serializers.SerializerMethodField()

    class Meta:
        model = QuestionSection
        fields = ("id", "title", "sort_order", "questions")
        read_only_fields = fields

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, obj):
        questions = sorted(obj.questions.all(), key=lambda q: (q.sort_order, q.pk))
        return QuestionSerializer(questions, many=True, context=self.context).data


class QuestionnaireVersionSerializer(serializers.ModelSerializer):
    """One version: title, introduction, sections and their questions in order."""

    status = CodeField(VersionStatus.choices, read_only=True)
    sections = serializers.SerializerMethodField()

    class Meta:
        model = QuestionnaireVersion
        fields = ("id", "number", "status", "title", "introduction", "change_note", "published_at", "sections")
        read_only_fields = fields

    @extend_schema_field(QuestionSectionSerializer(many=True))
    def get_sections(self, obj):
        sections = sorted(obj.sections.all(), key=lambda s: (s.sort_order, s.pk))
        return QuestionSectionSerializer(sections, many=True, context=self.context).data


class QuestionnaireVersionSummarySerializer(serializers.ModelSerializer):
    status = CodeField(VersionStatus.choices, read_only=True)

    class Meta:
        model = QuestionnaireVersion
        fields = ("id", "number", "status", "title", "change_note", "published_at")
        read_only_fields = fields


def _version(questionnaire, status):
    versions = sorted(questionnaire.versions.all(), key=lambda v: -v.number)
    return next((v for v in versions if v.status == status), None)


class QuestionnaireSerializer(BaseModelSerializer):
    """A questionnaire (调查问卷). Created through ``questionnaire_create()`` with a draft version 1 (``title``
    defaults to the name); ``name`` and ``description`` change through ``questionnaire_update()``; the content
    changes only through a new version (the pages edit the draft)."""

    title = serializers.CharField(max_length=100, required=False, allow_blank=True, write_only=True,
                                  help_text=gettext_lazy("The title shown on the questionnaire (version 1); empty: "
                                                         "the name."))
    version_in_use = serializers.SerializerMethodField(help_text=gettext_lazy("The version in use, or null."))
    draft_version = serializers.SerializerMethodField(help_text=gettext_lazy("The draft under way, or null."))
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Questionnaire
        fields = (*BaseModelSerializer.base_fields, "code", "name", "description", "is_builtin", "title",
                  "version_in_use", "draft_version", "versions", "created_at", "updated_at")
        read_only_fields = ("is_builtin",)

    @extend_schema_field(QuestionnaireVersionSerializer(allow_null=True))
    def get_version_in_use(self, obj):
        version = _version(obj, VersionStatus.ACTIVE)
        return QuestionnaireVersionSerializer(version, context=self.context).data if version else None

    @extend_schema_field(QuestionnaireVersionSerializer(allow_null=True))
    def get_draft_version(self, obj):
        version = _version(obj, VersionStatus.DRAFT)
        return QuestionnaireVersionSerializer(version, context=self.context).data if version else None

    @extend_schema_field(QuestionnaireVersionSummarySerializer(many=True))
    def get_versions(self, obj):
        versions = sorted(obj.versions.all(), key=lambda v: -v.number)
        return QuestionnaireVersionSummarySerializer(versions, many=True, context=self.context).data

    def validate(self, attrs):
        if self.instance is not None and "code" in attrs and attrs["code"] != self.instance.code:
            raise serializers.ValidationError({"code": _("The code of a questionnaire does not change.")})
        attrs = dict(attrs)
        title = attrs.pop("title", None)
        attrs = super().validate(attrs)
        if title is not None:
            attrs["title"] = title
        return attrs


class DimensionSerializer(BaseModelSerializer):
    """A service dimension (服务维度) a satisfaction question measures. ``is_active`` false: out of use (never
    deleted); the code never changes."""

    class Meta:
        model = Dimension
        fields = (*BaseModelSerializer.base_fields, "code", "name", "sort_order", "is_active")

    def validate(self, attrs):
        if self.instance is not None and "code" in attrs and attrs["code"] != self.instance.code:
            raise serializers.ValidationError({"code": _("The code of a dimension does not change.")})
        return super().validate(attrs)


class QuestionnaireDraftSerializer(serializers.Serializer):
    change_note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class QuestionnairePublishSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text=gettext_lazy(
        "The draft version's id; empty: the questionnaire's draft."))


# --- viewsets ----------------------------------------------------------------------------------------------------


class QuestionnaireViewSet(ServiceModelViewSet):
    """Questionnaires (调查问卷), each with its version in use (``version_in_use``: title, introduction, sections
    with their questions in order), the draft under way (``draft_version``) and its versions. Filters: ``q`` (name
    or code), ``is_builtin``, ``has`` (a version status). A version in use is never changed: a change is a new
    version (``draft``), edited on the pages and published (``publish``)."""

    queryset = Questionnaire.objects.prefetch_related(Prefetch(
        "versions", queryset=QuestionnaireVersion.objects.prefetch_related(
            Prefetch("sections__questions", queryset=Question.objects.select_related("dimension")))))
    serializer_class = QuestionnaireSerializer
    filterset_class = QuestionnaireFilterSet
    action_permissions = {"draft": services.ADD_VERSION, "publish": services.CHANGE_VERSION}

    def get_queryset(self):
        return super().get_queryset().order_by("name", "pk")

    @extend_schema(responses={201: QuestionnaireSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        questionnaire = services.questionnaire_create(
            actor=request.user, code=data["code"], name=data["name"], description=data.get("description", ""),
            title=data.get("title") or "")
        return self._answer(questionnaire, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        questionnaire = self.get_object()
        serializer = self.get_serializer(questionnaire, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        fields = {name: data[name] for name in ("name", "description") if name in data}
        return self._answer(services.questionnaire_update(actor=request.user, questionnaire=questionnaire,
                                                          **fields))

    @extend_schema(request=QuestionnaireDraftSerializer, responses={201: QuestionnaireSerializer,
                                                       **step_responses(QuestionnaireSerializer)},
                   description=gettext_lazy("A new draft version copying the version in use (one draft at a "
                                            "time); it is answered as ``draft_version``."))
    @action(detail=True, methods=["post"])
    def draft(self, request, pk=None):
        questionnaire = self.get_object()
        params = self._params(QuestionnaireDraftSerializer)
        services.questionnaire_version_draft(actor=request.user, questionnaire=questionnaire,
                                             change_note=params.get("change_note", ""))
        return self._answer(questionnaire, status.HTTP_201_CREATED)

    @extend_schema(request=QuestionnairePublishSerializer, responses=step_responses(QuestionnaireSerializer),
                   description=gettext_lazy("The draft version comes into use; the version in use before it is "
                                            "retired. Campaigns keep the version they were opened with."))
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        questionnaire = self.get_object()
        params = self._params(QuestionnairePublishSerializer)
        drafts = questionnaire.versions.filter(status=VersionStatus.DRAFT)
        version = (drafts.filter(pk=params["version"]).first() if params.get("version")
                   else drafts.order_by("-number").first())
        if version is None:
            raise ValidationError({"version": _("This questionnaire has no such draft version to publish.")})
        services.questionnaire_version_publish(actor=request.user, version=version)
        return self._answer(questionnaire)


class DimensionViewSet(ServiceModelViewSet):
    """Service dimensions (服务维度) of satisfaction questions, in their order. Filters: ``q`` (name or code),
    ``is_active``. Never deleted: set ``is_active`` false."""

    queryset = Dimension.objects.all()
    serializer_class = DimensionSerializer
    filterset_class = DimensionFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("sort_order", "pk")

    @extend_schema(responses={201: DimensionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        dimension = services.dimension_create(actor=request.user, code=data["code"], name=data["name"],
                                              sort_order=data.get("sort_order", 0))
        return self._answer(dimension, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        dimension = self.get_object()
        serializer = self.get_serializer(dimension, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        fields = {name: data[name] for name in ("name", "sort_order", "is_active") if name in data}
        return self._answer(services.dimension_update(actor=request.user, dimension=dimension, **fields))


ROUTES = [("questionnaires", QuestionnaireViewSet), ("survey-dimensions", DimensionViewSet)]
