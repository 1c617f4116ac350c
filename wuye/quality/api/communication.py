"""Meetings and submissions API (seed 1.10): ``/api/v1/meetings/`` (plan by POST, change while planned, actions
``minutes`` and ``cancel``; action items read nested) and ``/api/v1/submissions/`` (file by POST, actions ``assign``,
``reply``, ``close``). Every queryset goes through ``restrict()`` (confidential submissions included); every write
is a service call; nothing is deleted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from wuye.core.api.schema import step_responses
from wuye.core.api.viewsets import ServiceModelViewSet

from .. import services
from ..filtersets.communication import MeetingFilterSet, SubmissionFilterSet
from ..models import Meeting, Submission
from ..services.communication import MEETING_CHANGE, SUBMISSION_HANDLE
from .communication_serializers import (
    MeetingCancelSerializer,
    MeetingMinutesSerializer,
    MeetingSerializer,
    SubmissionAssignSerializer,
    SubmissionCloseSerializer,
    SubmissionReplySerializer,
    SubmissionSerializer,
)

__all__ = ["MeetingViewSet", "ROUTES", "SubmissionViewSet"]


class MeetingViewSet(ServiceModelViewSet):
    """Meetings (例会 and others). Filters: ``kind``, ``status``, ``department``, ``starts_after``, ``starts_before``,
    ``q``. ``POST`` plans one (its attendees are told); ``PUT``/``PATCH`` change it while planned; ``minutes``
    records the minutes (then it is held); ``cancel`` cancels a planned one with the reason."""

    queryset = Meeting.objects.select_related("department", "chair").prefetch_related("attendees", "actions__owner")
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    action_permissions = {"minutes": MEETING_CHANGE, "cancel": MEETING_CHANGE}

    @extend_schema(responses={201: MeetingSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        meeting = services.meeting_plan(actor=request.user, **{k: v for k, v in data.items()
                                                               if k in services.MEETING_FIELDS})
        return self._answer(meeting, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        meeting = self.get_object()
        serializer = self.get_serializer(meeting, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k in services.MEETING_FIELDS}
        return self._answer(services.meeting_update(actor=request.user, meeting=meeting, **data))

    @extend_schema(request=MeetingMinutesSerializer, responses=step_responses(MeetingSerializer),
                   description=_("Record (or correct) the minutes, decisions and who attended."))
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        meeting = self.get_object()
        params = self._params(MeetingMinutesSerializer)
        return self._answer(services.meeting_record_minutes(
            actor=request.user, meeting=meeting, minutes=params["minutes"], decisions=params.get("decisions", ""),
            attendees=params.get("attendees")))

    @extend_schema(request=MeetingCancelSerializer, responses=step_responses(MeetingSerializer),
                   description=_("Cancel a planned meeting, with the reason."))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = self.get_object()
        params = self._params(MeetingCancelSerializer)
        return self._answer(services.meeting_cancel(actor=request.user, meeting=meeting, reason=params["reason"]))


class SubmissionViewSet(ServiceModelViewSet):
    """Reports (报告) and appeals (申诉), as the caller may see them: those who do not handle submissions see their
    own; confidential ones only their submitter, their assignee and holders of the confidential permission.
    Filters: ``kind``, ``state`` (repeatable), ``estate``, ``confidential``, ``filed_after``, ``filed_before``,
    ``q``. ``POST`` files one; ``assign``, ``reply`` and ``close`` move it on. Never changed otherwise."""

    queryset = Submission.objects.select_related("estate", "assignee", "customer")
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"assign": SUBMISSION_HANDLE, "reply": SUBMISSION_HANDLE, "close": SUBMISSION_HANDLE}

    @extend_schema(responses={201: SubmissionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        submission = services.submission_file(
            actor=request.user, kind=data["kind"], subject=data.get("subject", ""), body=data.get("body", ""),
            estate=data.get("estate"), confidential=data.get("confidential", False), customer=data.get("customer"),
            submitter_name=data.get("submitter_name", ""))
        return self._answer(submission, status.HTTP_201_CREATED)

    @extend_schema(request=SubmissionAssignSerializer, responses=step_responses(SubmissionSerializer),
                   description=_("Give the submission to a user who handles submissions."))
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        submission = self.get_object()
        params = self._params(SubmissionAssignSerializer)
        return self._answer(services.submission_assign(actor=request.user, submission=submission,
                                                       assignee=params["assignee"]))

    @extend_schema(request=SubmissionReplySerializer, responses=step_responses(SubmissionSerializer),
                   description=_("Answer the submission; the submitter is told."))
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        submission = self.get_object()
        params = self._params(SubmissionReplySerializer)
        return self._answer(services.submission_reply(actor=request.user, submission=submission,
                                                      reply=params["reply"]))

    @extend_schema(request=SubmissionCloseSerializer, responses=step_responses(SubmissionSerializer),
                   description=_("Close an answered submission."))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        submission = self.get_object()
        params = self._params(SubmissionCloseSerializer)
        return self._answer(services.submission_close(actor=request.user, submission=submission,
                                                      note=params.get("note", "")))


ROUTES = [
    ("meetings", MeetingViewSet),
    ("submissions", SubmissionViewSet),
]
