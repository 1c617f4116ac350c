"""API of the annual work plans: ``/api/v1/work-plans/`` (create, edit, milestones read nested; actions
``publish``, ``acknowledge``, ``close``, ``milestones`` (add) and ``acknowledgements``: who in scope has and has not
acknowledged the latest publication). Writes call ``quality.services``; nothing is deleted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from wuye.core.api.fields import CodeField, RestrictedPrimaryKeyRelatedField
from wuye.core.api.schema import step_responses
from wuye.core.api.serializers import BaseModelSerializer
from wuye.core.api.viewsets import ServiceModelViewSet

from .. import services
from ..choices import MilestoneKind, MilestoneStatus, PlanStatus
from ..filtersets.plans import WorkPlanFilterSet
from ..models import Milestone, WorkPlan
from ..selectors.plans import acknowledgement_summary, may_see_acknowledgements, milestone_progress
from ..services.plans import CHANGE_PLAN, MILESTONE_FIELDS, PLAN_FIELDS, PUBLISH_PLAN


class WorkPlanMilestoneSerializer(serializers.ModelSerializer):
    kind = CodeField(MilestoneKind.choices, required=False)
    status = CodeField(MilestoneStatus.choices, required=False)
    owner = RestrictedPrimaryKeyRelatedField(queryset=Milestone._meta.get_field("owner").related_model.objects.all(),
                                             required=False, allow_null=True)
    phase = serializers.PrimaryKeyRelatedField(queryset=Milestone.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Milestone
        fields = ("id", *MILESTONE_FIELDS)


class WorkPlanSerializer(BaseModelSerializer):
    """An annual work plan with its phases and milestones (read; added through the ``milestones`` action)."""

    status = CodeField(PlanStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    milestones = WorkPlanMilestoneSerializer(many=True, read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = WorkPlan
        fields = (*BaseModelSerializer.base_fields, *PLAN_FIELDS, "scope_departments", "status", "status_label",
                  "version", "published_at", "milestones", "progress", "created_at", "updated_at")
        read_only_fields = ("version", "published_at")

    def get_progress(self, obj) -> dict:
        return milestone_progress(obj)


class WorkPlanNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class WorkPlanPublicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    note = serializers.CharField()


class PlanAcknowledgementRowSerializer(serializers.Serializer):
    staff = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    department = serializers.CharField(source="department.name")
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class PlanAcknowledgementsSerializer(serializers.Serializer):
    publication = WorkPlanPublicationSerializer(allow_null=True)
    total = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    done = PlanAcknowledgementRowSerializer(many=True)
    pending = PlanAcknowledgementRowSerializer(many=True)


class WorkPlanViewSet(ServiceModelViewSet):
    """The annual work plans (年度工作计划). ``publish`` (re)publishes a plan: every active staff member in scope
    (the departments in scope, everyone when none) is asked to acknowledge the new publication; ``acknowledge``
    records the caller's acknowledgement of the latest publication; ``acknowledgements`` lists who has and has
    not; ``milestones`` adds a phase or milestone; ``close`` ends the plan."""

    queryset = WorkPlan.objects.select_related("department").prefetch_related("scope_departments", "milestones")
    serializer_class = WorkPlanSerializer
    filterset_class = WorkPlanFilterSet
    action_permissions = {"publish": PUBLISH_PLAN, "acknowledge": "quality.view_workplan", "close": CHANGE_PLAN,
                          "milestones": "quality.add_milestone", "acknowledgements": "quality.view_workplan"}

    @extend_schema(responses={201: WorkPlanSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.work_plan_create(actor=request.user, **dict(serializer.validated_data))
        return self._answer(plan, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        plan = self.get_object()
        serializer = self.get_serializer(plan, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        return self._answer(services.work_plan_update(actor=request.user, plan=plan,
                                                      **dict(serializer.validated_data)))

    @extend_schema(request=WorkPlanNoteSerializer, responses=step_responses(WorkPlanSerializer),
                   description=_("Publish or republish the plan; everyone in scope is asked to acknowledge it."))
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        plan = self.get_object()
        params = self._params(WorkPlanNoteSerializer)
        services.work_plan_publish(actor=request.user, plan=plan, note=params.get("note", ""))
        return self._answer(plan)

    @extend_schema(request=None, responses=step_responses(WorkPlanSerializer),
                   description=_("The caller confirms having read the latest publication of the plan."))
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        plan = self.get_object()
        services.work_plan_acknowledge(actor=request.user, plan=plan)
        return self._answer(plan)

    @extend_schema(request=WorkPlanNoteSerializer, responses=step_responses(WorkPlanSerializer),
                   description=_("Close the plan."))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        plan = self.get_object()
        params = self._params(WorkPlanNoteSerializer)
        return self._answer(services.work_plan_close(actor=request.user, plan=plan, note=params.get("note", "")))

    @extend_schema(request=WorkPlanMilestoneSerializer, responses={201: WorkPlanMilestoneSerializer, **step_responses(
        WorkPlanMilestoneSerializer)}, description=_("Add a phase or milestone to the plan."))
    @action(detail=True, methods=["post"])
    def milestones(self, request, pk=None):
        plan = self.get_object()
        params = self._params(WorkPlanMilestoneSerializer)
        milestone = services.milestone_add(actor=request.user, plan=plan, **params)
        return Response(WorkPlanMilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: PlanAcknowledgementsSerializer},
                   description=_("Who in scope has acknowledged the latest publication, and who has not."))
    @action(detail=True, methods=["get"])
    def acknowledgements(self, request, pk=None):
        if not may_see_acknowledgements(request.user):
            raise PermissionDenied(_("You may not see who has acknowledged the plan."))
        summary = acknowledgement_summary(self.get_object())
        return Response(PlanAcknowledgementsSerializer(summary).data)


ROUTES = [
    ("work-plans", WorkPlanViewSet),
]
