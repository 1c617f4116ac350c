"""Incidents API (审查报告 4): the incident reports with the actions ``start-investigation``, ``investigate``,
``review``, ``close``, ``withdraw``, ``raise-action`` and ``files``; the incident kinds. Every queryset goes through
``restrict()``; every write of an incident is a service call; nothing is deleted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from wuye.core.api.schema import step_responses
from wuye.core.api.viewsets import BaseModelViewSet, ServiceModelViewSet

from .. import services
from ..filtersets import IncidentFilterSet, IncidentKindFilterSet
from ..models import Incident, IncidentKind
from .serializers import (
    FileUploadSerializer,
    IncidentFileSerializer,
    IncidentKindSerializer,
    IncidentSerializer,
    InvestigationSerializer,
    RaiseActionSerializer,
    RaisedActionSerializer,
    ReviewSerializer,
    WithdrawSerializer,
)


class IncidentViewSet(ServiceModelViewSet):
    """Incident reports (意外事故). Filters: ``estate``, ``kind``, ``severity`` and ``status`` (repeatable),
    ``occurred_after`` / ``occurred_before`` (dates), ``open`` (true/false), ``q``. Reported by staff serving the
    estate; investigated (cause, responsibility); reviewed by the manager (never by its reporter); closed after the
    review, or withdrawn with a reason before it; one corrective action in the quality app."""

    queryset = Incident.objects.select_related("estate", "kind", "corrective_action").prefetch_related("files")
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    action_permissions = {
        "start_investigation": services.INVESTIGATE,
        "investigate": services.INVESTIGATE,
        "review": services.REVIEW,
        "close": services.CLOSE,
        "withdraw": services.CLOSE,
        "raise_action": services.REVIEW,
        "files": services.ADD_FILE,
    }

    @extend_schema(responses={201: IncidentSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = services.incident_report(actor=request.user, **dict(serializer.validated_data))
        return self._answer(incident, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        incident = self.get_object()
        serializer = self.get_serializer(incident, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        incident = services.incident_update(actor=request.user, incident=incident, **dict(serializer.validated_data))
        return self._answer(incident)

    @extend_schema(request=None, responses=step_responses(IncidentSerializer),
                   description=_("Start the investigation of a reported incident (the caller investigates)."))
    @action(detail=True, methods=["post"], url_path="start-investigation", url_name="start-investigation")
    def start_investigation(self, request, pk=None):
        return self._answer(services.incident_start_investigation(actor=request.user, incident=self.get_object()))

    @extend_schema(request=InvestigationSerializer, responses=step_responses(IncidentSerializer),
                   description=_("Record the investigation: the cause and the responsibility."))
    @action(detail=True, methods=["post"])
    def investigate(self, request, pk=None):
        incident = self.get_object()
        params = self._params(InvestigationSerializer)
        return self._answer(services.incident_record_investigation(actor=request.user, incident=incident, **params))

    @extend_schema(request=ReviewSerializer, responses=step_responses(IncidentSerializer),
                   description=_("The manager's review: comment and instructions (not by the reporter)."))
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        incident = self.get_object()
        params = self._params(ReviewSerializer)
        return self._answer(services.incident_review(actor=request.user, incident=incident, **params))

    @extend_schema(request=None, responses=step_responses(IncidentSerializer),
                   description=_("Close a reviewed incident."))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._answer(services.incident_close(actor=request.user, incident=self.get_object()))

    @extend_schema(request=WithdrawSerializer, responses=step_responses(IncidentSerializer),
                   description=_("Withdraw a report made by mistake, with the reason (before the review)."))
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        incident = self.get_object()
        params = self._params(WithdrawSerializer)
        return self._answer(services.incident_withdraw(actor=request.user, incident=incident, **params))

    @extend_schema(request=RaiseActionSerializer, responses={201: RaisedActionSerializer, **step_responses(
        RaisedActionSerializer)}, description=_("Raise the incident's corrective action in the quality app (one "
                                                "per incident)."))
    @action(detail=True, methods=["post"], url_path="raise-action", url_name="raise-action")
    def raise_action(self, request, pk=None):
        incident = self.get_object()
        params = self._params(RaiseActionSerializer)
        raised = services.incident_raise_action(actor=request.user, incident=incident, **params)
        return Response({"id": raised.pk, "number": raised.number, "state": raised.state},
                        status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": FileUploadSerializer},
                   responses={201: IncidentFileSerializer}, description=_("Attach a photo or a document."))
    @action(detail=True, methods=["post"])
    def files(self, request, pk=None):
        incident = self.get_object()
        params = self._params(FileUploadSerializer)
        stored = services.incident_add_file(actor=request.user, incident=incident, upload=params["file"])
        return Response(IncidentFileSerializer(stored, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class IncidentKindViewSet(BaseModelViewSet):
    """The kinds of incident (人身伤害, 财产损失 …). A kind is retired with ``is_active: false``, never deleted."""

    queryset = IncidentKind.objects.all()
    serializer_class = IncidentKindSerializer
    filterset_class = IncidentKindFilterSet
