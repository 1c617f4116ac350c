"""API of the quality policy and objectives: ``/api/v1/quality-policies/`` (draft, edit a draft, ``approve``,
``publish``) and ``/api/v1/quality-objectives/`` (read with the actual value and whether it is met for
``?start=&end=``, default this year; add and change on draft policies). Writes call ``quality.services``; nothing is
deleted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from wuye.core.api.fields import CodeField
from wuye.core.api.schema import step_responses
from wuye.core.api.serializers import BaseModelSerializer
from wuye.core.api.viewsets import ServiceModelViewSet

from .. import services
from ..choices import Comparison, Metric, PolicyStatus
from ..filtersets.policy import QualityObjectiveFilterSet, QualityPolicyFilterSet
from ..models import QualityObjective, QualityPolicy
from ..selectors.policy import objective_actual, parse_period
from ..services.policy import APPROVE_POLICY, OBJECTIVE_FIELDS, POLICY_FIELDS, PUBLISH_POLICY


class QualityPolicySerializer(BaseModelSerializer):
    """A version of the quality policy. Created as a draft (``copy_objectives``: copy the published version's
    objectives); a draft is changed; status moves only through ``approve`` and ``publish``."""

    status = CodeField(PolicyStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    copy_objectives = serializers.BooleanField(write_only=True, required=False, default=False,
                                               help_text=_("Copy the objectives of the published version."))
    objectives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = QualityPolicy
        fields = (*BaseModelSerializer.base_fields, "version", *POLICY_FIELDS, "status", "status_label",
                  "approved_by", "approved_on", "published_on", "objectives", "copy_objectives", "created_at",
                  "updated_at")
        read_only_fields = ("version", "approved_by", "approved_on", "published_on")

    def validate(self, attrs):
        copy = attrs.pop("copy_objectives", False)
        attrs = super().validate(attrs)
        attrs["copy_objectives"] = copy
        return attrs


class QualityObjectiveSerializer(BaseModelSerializer):
    """An objective of a policy version, with its actual value for the period asked (``?start=&end=``, ISO dates,
    default this year) and whether the target is met (null: no value)."""

    metric = CodeField(Metric.choices, required=False)
    comparison = CodeField(Comparison.choices, required=False)
    actual = serializers.SerializerMethodField()
    met = serializers.SerializerMethodField()
    actual_note = serializers.SerializerMethodField()
    period = serializers.SerializerMethodField()

    class Meta:
        model = QualityObjective
        fields = (*BaseModelSerializer.base_fields, "policy", *OBJECTIVE_FIELDS, "actual", "met", "actual_note",
                  "period", "created_at", "updated_at")

    def _actual(self, obj):
        cache = self.context.setdefault("actuals", {})
        if obj.pk not in cache:
            request = self.context.get("request")
            params = request.query_params if request is not None else {}
            start, end = parse_period(params.get("start"), params.get("end"))
            value, detail = objective_actual(obj, start, end)
            cache[obj.pk] = (value, detail, start, end)
        return cache[obj.pk]

    def get_actual(self, obj) -> str | None:
        value = self._actual(obj)[0]
        return None if value is None else str(value)

    def get_met(self, obj) -> bool | None:
        return obj.met(self._actual(obj)[0])

    def get_actual_note(self, obj) -> str:
        return str(self._actual(obj)[1].get("note", ""))

    def get_period(self, obj) -> dict:
        _value, _detail, start, end = self._actual(obj)
        return {"start": start.isoformat(), "end": end.isoformat()}


_PERIOD = [OpenApiParameter("start", OpenApiTypes.DATE, description=_("Period from (default: 1 January)")),
           OpenApiParameter("end", OpenApiTypes.DATE, description=_("Period to (default: 31 December)"))]


class QualityPolicyViewSet(ServiceModelViewSet):
    """The versions of the quality policy (质量方针). A draft is made (version = the highest + 1), edited, approved
    by top management (``approve``: the executive role only; who and when is recorded) and published
    (``publish``: the version published before is superseded)."""

    queryset = QualityPolicy.objects.select_related("approved_by").prefetch_related("objectives")
    serializer_class = QualityPolicySerializer
    filterset_class = QualityPolicyFilterSet
    action_permissions = {"approve": APPROVE_POLICY, "publish": PUBLISH_POLICY}

    @extend_schema(responses={201: QualityPolicySerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        copy = data.pop("copy_objectives", False)
        policy = services.quality_policy_create(actor=request.user, copy_objectives=copy, **data)
        return self._answer(policy, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        policy = self.get_object()
        serializer = self.get_serializer(policy, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("copy_objectives", None)
        return self._answer(services.quality_policy_update(actor=request.user, policy=policy, **data))

    @extend_schema(request=None, responses=step_responses(QualityPolicySerializer),
                   description=_("Top management approves a draft with its objectives."))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(services.quality_policy_approve(actor=request.user, policy=self.get_object()))

    @extend_schema(request=None, responses=step_responses(QualityPolicySerializer),
                   description=_("Publish an approved version; the one published before is superseded."))
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._answer(services.quality_policy_publish(actor=request.user, policy=self.get_object()))


@extend_schema_view(list=extend_schema(parameters=_PERIOD), retrieve=extend_schema(parameters=_PERIOD))
class QualityObjectiveViewSet(ServiceModelViewSet):
    """The quality objectives (质量目标) with their actual value for a period (``?start=&end=``, default this
    year) and whether the target is met. Added and changed only while their policy is a draft."""

    queryset = QualityObjective.objects.select_related("policy", "estate", "department", "owner")
    serializer_class = QualityObjectiveSerializer
    filterset_class = QualityObjectiveFilterSet

    @extend_schema(responses={201: QualityObjectiveSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        policy = data.pop("policy")
        objective = services.quality_objective_add(actor=request.user, policy=policy, **data)
        return self._answer(objective, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        objective = self.get_object()
        serializer = self.get_serializer(objective, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("policy", None)
        return self._answer(services.quality_objective_update(actor=request.user, objective=objective, **data))


ROUTES = [
    ("quality-policies", QualityPolicyViewSet),
    ("quality-objectives", QualityObjectiveViewSet),
]
