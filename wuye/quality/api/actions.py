"""Corrective-actions API: ``/api/v1/corrective-actions/`` with the state actions ``submit``, ``cause``, ``plan``,
``complete``, ``verify`` and ``cancel``. Every queryset goes through ``restrict()``; every write is a service call;
nothing is deleted and there is no ``close``: an action closes only when verified effective."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from wuye.core.api.schema import step_responses
from wuye.core.api.viewsets import ServiceModelViewSet

from ..filtersets.actions import CorrectiveActionFilterSet
from ..models import CorrectiveAction
from ..services import actions as services
from .actions_serializers import (
    RAISE_FIELDS,
    CorrectiveActionCancelSerializer,
    CorrectiveActionCauseSerializer,
    CorrectiveActionCompleteSerializer,
    CorrectiveActionPlanSerializer,
    CorrectiveActionSerializer,
    CorrectiveActionVerifySerializer,
)


class CorrectiveActionViewSet(ServiceModelViewSet):
    """Nonconformities and corrective actions. Filters: ``state`` (repeatable), ``source``, ``grade``, ``estate``,
    ``department``, ``owner``, ``overdue`` (true/false), ``raised_after``, ``raised_before``, ``q``. States: draft →
    cause_analysis → action_plan → in_progress → verification → closed (effective) or back to in_progress (not
    effective); cancelled with a reason from any open state."""

    queryset = CorrectiveAction.objects.select_related("estate", "department", "owner", "finding", "ticket",
                                                       "review")
    serializer_class = CorrectiveActionSerializer
    filterset_class = CorrectiveActionFilterSet
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    action_permissions = {
        "submit": services.CHANGE,
        "cause": services.CHANGE,
        "plan": services.CHANGE,
        "complete": "quality.view_correctiveaction",  # the owner, or a holder of change (the service decides)
        "verify": services.VERIFY,
        "cancel": services.CANCEL,
    }

    def get_queryset(self):
        return super().get_queryset().order_by("-raised_on", "-number")

    @extend_schema(responses={201: CorrectiveActionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        fields = {name: data.get(name, None if name in ("finding", "ticket", "review", "estate", "department")
                                 else "") for name in RAISE_FIELDS}
        created = services.corrective_action_raise(actor=request.user, **fields)
        return self._answer(created, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        current = self.get_object()
        serializer = self.get_serializer(current, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        return self._answer(services.corrective_action_update(actor=request.user, action=current,
                                                              **dict(serializer.validated_data)))

    @extend_schema(request=None, responses=step_responses(CorrectiveActionSerializer),
                   description=_("Draft → cause analysis."))
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(services.corrective_action_submit(actor=request.user, action=self.get_object()))

    @extend_schema(request=CorrectiveActionCauseSerializer, responses=step_responses(CorrectiveActionSerializer),
                   description=_("Cause analysis → action plan: the immediate correction and the root cause."))
    @action(detail=True, methods=["post"])
    def cause(self, request, pk=None):
        current = self.get_object()
        params = self._params(CorrectiveActionCauseSerializer)
        return self._answer(services.corrective_action_record_cause(
            actor=request.user, action=current, root_cause=params["root_cause"],
            immediate_correction=params.get("immediate_correction")))

    @extend_schema(request=CorrectiveActionPlanSerializer, responses=step_responses(CorrectiveActionSerializer),
                   description=_("Action plan → in progress: the corrective action, its owner and due date."))
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        current = self.get_object()
        params = self._params(CorrectiveActionPlanSerializer)
        return self._answer(services.corrective_action_plan(actor=request.user, action=current,
                                                            action_plan=params["action_plan"],
                                                            owner=params["owner"], due_on=params["due_on"]))

    @extend_schema(request={"multipart/form-data": CorrectiveActionCompleteSerializer,
                            "application/json": CorrectiveActionCompleteSerializer},
                   responses=step_responses(CorrectiveActionSerializer),
                   description=_("In progress → verification: what was done, with evidence files; by the owner or "
                                 "a quality manager."))
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        current = self.get_object()
        params = self._params(CorrectiveActionCompleteSerializer)
        return self._answer(services.corrective_action_complete(
            actor=request.user, action=current, completion_note=params["completion_note"],
            files=params.get("files") or ()))

    @extend_schema(request=CorrectiveActionVerifySerializer, responses=step_responses(CorrectiveActionSerializer),
                   description=_("Verification of effectiveness by someone other than the owner: effective → "
                                 "closed; not effective → in progress."))
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        current = self.get_object()
        params = self._params(CorrectiveActionVerifySerializer)
        return self._answer(services.corrective_action_verify(actor=request.user, action=current,
                                                              effective=params["effective"], note=params["note"],
                                                              due_on=params.get("due_on")))

    @extend_schema(request=CorrectiveActionCancelSerializer, responses=step_responses(CorrectiveActionSerializer),
                   description=_("Cancel an open corrective action, with the reason."))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        current = self.get_object()
        params = self._params(CorrectiveActionCancelSerializer)
        return self._answer(services.corrective_action_cancel(actor=request.user, action=current,
                                                              reason=params["reason"]))


ROUTES = [("corrective-actions", CorrectiveActionViewSet)]
