"""Training API: ``/training-plans/`` (items nested, actions ``approve``, ``close`` and ``items`` to add one to a
draft) and ``/training-sessions/`` (actions ``record`` and ``cancel``). Every queryset goes through
``restrict()``; every write is a service call; nothing is deleted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from wuye.core.api.schema import step_responses
from wuye.core.api.viewsets import ServiceModelViewSet

from .. import services
from ..filtersets import TrainingPlanFilterSet, TrainingSessionFilterSet
from ..models import TrainingPlan, TrainingSession
from .serializers import (
    PlanCloseSerializer,
    PlanItemWriteSerializer,
    SessionCancelSerializer,
    SessionRecordSerializer,
    TrainingPlanSerializer,
    TrainingSessionSerializer,
)


class TrainingPlanViewSet(ServiceModelViewSet):
    """Annual training plans of the departments, with their trainings (``items``). Filters: ``department``,
    ``year``, ``status``, ``q``. A plan is drafted, its trainings added (``POST items``), approved by someone who
    did not draft it, and closed; an approved plan is read-only."""

    queryset = TrainingPlan.objects.select_related("department").prefetch_related("items__target_posts",
                                                                                   "items__trainer_staff")
    serializer_class = TrainingPlanSerializer
    filterset_class = TrainingPlanFilterSet
    action_permissions = {
        "approve": services.APPROVE,
        "close": services.CHANGE_PLAN,
        "items": services.CHANGE_PLAN,
    }

    @extend_schema(responses={201: TrainingPlanSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_create(actor=request.user, **dict(serializer.validated_data))
        return self._answer(plan, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        plan = self.get_object()
        serializer = self.get_serializer(plan, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        return self._answer(services.plan_update(actor=request.user, plan=plan, **dict(serializer.validated_data)))

    @extend_schema(request=None, responses=step_responses(TrainingPlanSerializer),
                   description=_("Approve a draft plan (not by the person who drafted it)."))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(services.plan_approve(actor=request.user, plan=self.get_object()))

    @extend_schema(request=PlanCloseSerializer, responses=step_responses(TrainingPlanSerializer),
                   description=_("Close an approved plan."))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        plan = self.get_object()
        params = self._params(PlanCloseSerializer)
        return self._answer(services.plan_close(actor=request.user, plan=plan, reason=params.get("reason", "")))

    @extend_schema(request=PlanItemWriteSerializer, responses={201: TrainingPlanSerializer, **step_responses(
        TrainingPlanSerializer)}, description=_("Add a training to a draft plan."))
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        plan = self.get_object()
        params = self._params(PlanItemWriteSerializer)
        services.item_add(actor=request.user, plan=plan, **params)
        return self._answer(plan, status.HTTP_201_CREATED)


class TrainingSessionViewSet(ServiceModelViewSet):
    """Training sessions. Filters: ``department``, ``status`` (repeatable), ``date_from``, ``date_to``, ``plan``,
    ``plan_item``, ``adhoc``, ``q``. Scheduled for an item of an approved plan or ad hoc; recorded on or after its
    date with every attendee and score at once (``record``), or cancelled with a reason (``cancel``)."""

    queryset = TrainingSession.objects.select_related("department", "plan_item", "trainer_staff").prefetch_related(
        "materials")
    serializer_class = TrainingSessionSerializer
    filterset_class = TrainingSessionFilterSet
    action_permissions = {"record": services.RECORD, "cancel": services.CHANGE_SESSION}

    @extend_schema(responses={201: TrainingSessionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if v not in (None, "") or k == "plan_item"}
        session = services.session_schedule(actor=request.user, **data)
        return self._answer(session, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        session = self.get_object()
        serializer = self.get_serializer(session, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        return self._answer(services.session_update(actor=request.user, session=session,
                                                    **dict(serializer.validated_data)))

    @extend_schema(request=SessionRecordSerializer, responses=step_responses(TrainingSessionSerializer),
                   description=_("Record who attended and their scores (0–100), all at once."))
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        session = self.get_object()
        params = self._params(SessionRecordSerializer)
        return self._answer(services.session_record(actor=request.user, session=session,
                                                    attendance=[dict(row) for row in params["attendance"]]))

    @extend_schema(request=SessionCancelSerializer, responses=step_responses(TrainingSessionSerializer),
                   description=_("Cancel a planned session, with the reason."))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        session = self.get_object()
        params = self._params(SessionCancelSerializer)
        return self._answer(services.session_cancel(actor=request.user, session=session, reason=params["reason"]))
