"""Ticket API: the tickets and their lifecycle steps as POST actions, progress notes, service levels and the
category tree. Every write is a call to ``tickets.services``; scope comes from ``restrict()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from wuye.core.api.viewsets import BaseModelViewSet
from wuye.core.scope import user_scope

from .. import services
from ..filtersets import ServiceLevelFilterSet, TicketCategoryFilterSet, TicketFilterSet
from ..models import ProgressNote, ServiceLevel, Ticket, TicketCategory
from ..workflow import TRANSITIONS
from .serializers import (
    AssignSerializer,
    CallbackSerializer,
    CancelSerializer,
    ProgressNoteSerializer,
    RateSerializer,
    ReopenSerializer,
    ResolveSerializer,
    ServiceLevelSerializer,
    StepSerializer,
    TicketCategorySerializer,
    TicketSerializer,
    TicketSubmitSerializer,
)

_TICKETS = Ticket.objects.all()


class TicketChangedConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Someone else changed this ticket in the meantime. Reload it and try again.")
    default_code = "changed"


STEP_RESPONSES = {
    200: TicketSerializer,
    400: OpenApiResponse(description=_("The step cannot be taken now, or the input is wrong (field errors).")),
    403: OpenApiResponse(description=_("The caller may not take this step.")),
    404: OpenApiResponse(description=_("No such ticket, or not one the caller may see.")),
    409: OpenApiResponse(description=_("The ticket changed since the given version was read.")),
}


def _step(request_serializer, description):
    """The schema of one lifecycle action."""
    return extend_schema(request=request_serializer, responses=STEP_RESPONSES, description=description)


class TicketViewSet(BaseModelViewSet):
    """Tickets (工单). ``q`` finds any 2+ character Chinese substring (Simplified or Traditional), the number, the
    unit number or the contact phone's last 4 digits. Staff create accepted tickets; a resident's token files a
    ticket for one of their household's units (``unit``, ``kind``, ``category``, ``title``, ``description``,
    ``location``, ``files``) and sees only their household's tickets. Lifecycle steps are POST actions; each
    takes an optional ``version`` (409 when stale). ``contact_phone`` is masked unless ``unmasked=true``."""

    queryset = _TICKETS.select_related(
        "estate", "unit", "customer", "category", "assignee", "department", "responsible_department",
    ).order_by("-reported_at", "-id")
    serializer_class = TicketSerializer
    filterset_class = TicketFilterSet
    action_permissions = {
        **{step: t.permission for step, t in TRANSITIONS.items()},
        # Residents rate their own resolved tickets; ticket_rate() refuses anyone else.
        "rate": "tickets.view_ticket",
        "notes": "tickets.view_progressnote",
        "add_note": "tickets.add_progressnote",
    }

    def handle_exception(self, exc):
        if isinstance(exc, services.TicketChanged):
            exc = TicketChangedConflict(detail=exc.messages[0] if exc.messages else None)
        return super().handle_exception(exc)

    def _is_resident(self) -> bool:
        return user_scope(self.request.user).is_resident

    def get_serializer_class(self):
        if self.action == "create" and getattr(self, "request", None) is not None and self._is_resident():
            return TicketSubmitSerializer
        return super().get_serializer_class()

    def _fresh(self, pk) -> Ticket:
        return self.queryset.get(pk=pk)

    def _answer(self, ticket, status_code=status.HTTP_200_OK) -> Response:
        return Response(TicketSerializer(self._fresh(ticket.pk), context=self.get_serializer_context()).data,
                        status=status_code)

    # create and update ---------------------------------------------------------------------------------------
    @extend_schema(request=TicketSerializer, responses={201: TicketSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        files = data.pop("files", None) or ()
        if isinstance(serializer, TicketSubmitSerializer):
            ticket = services.ticket_submit(actor=request.user, files=files, **data)
        else:
            ticket = services.ticket_create(actor=request.user, files=files, **data)
        return self._answer(ticket, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        ticket = self.get_object()
        serializer = self.get_serializer(ticket, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise exceptions.ValidationError({"version": [_("Give the version of the ticket you last read.")]})
        ticket = services.ticket_update(actor=request.user, ticket=ticket, version=version, **data)
        return self._answer(ticket)

    # the lifecycle -------------------------------------------------------------------------------------------
    def _params(self, serializer_class):
        params = serializer_class(data=self.request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        return dict(params.validated_data)

    @_step(StepSerializer, _("Accept a ticket filed on the portal."))
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        ticket = services.ticket_accept(actor=request.user, ticket=self.get_object(), **self._params(StepSerializer))
        return self._answer(ticket)

    @_step(AssignSerializer, _("Assign the ticket to a staff member who serves the estate and/or a department."))
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        ticket = services.ticket_assign(actor=request.user, ticket=self.get_object(),
                                        **self._params(AssignSerializer))
        return self._answer(ticket)

    @_step(StepSerializer, _("Start: the handler has started (the on-site limit is measured here)."))
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        ticket = services.ticket_start(actor=request.user, ticket=self.get_object(), **self._params(StepSerializer))
        return self._answer(ticket)

    @_step(ResolveSerializer, _("Resolve: the result, and for complaints the analysis (valid?, "
                                              "responsible department, cause, measures)."))
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        params = self._params(ResolveSerializer)
        ticket = services.ticket_resolve(actor=request.user, ticket=self.get_object(), **params)
        return self._answer(ticket)

    @_step(CallbackSerializer, _("Record the callback: reached with a rating (1–5), or not reached. A rating of "
                                                "dissatisfied or worse reopens the ticket or flags it."))
    @action(detail=True, methods=["post"])
    def callback(self, request, pk=None):
        ticket = self.get_object()
        services.ticket_callback(actor=request.user, ticket=ticket, **self._params(CallbackSerializer))
        return self._answer(ticket)

    @_step(StepSerializer, _("Close (archive) a resolved (or called-back) ticket."))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        ticket = services.ticket_close(actor=request.user, ticket=self.get_object(), **self._params(StepSerializer))
        return self._answer(ticket)

    @_step(ReopenSerializer, _("Reopen a resolved ticket, with the reason."))
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        ticket = services.ticket_reopen(actor=request.user, ticket=self.get_object(),
                                        **self._params(ReopenSerializer))
        return self._answer(ticket)

    @_step(CancelSerializer, _("Cancel an open ticket with a reason (it is kept, never deleted)."))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        ticket = services.ticket_cancel(actor=request.user, ticket=self.get_object(),
                                        **self._params(CancelSerializer))
        return self._answer(ticket)

    @_step(RateSerializer, _("The resident rates their resolved ticket (1–5); it counts as the "
                                        "callback."))
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        ticket = self.get_object()
        services.ticket_rate(actor=request.user, ticket=ticket, **self._params(RateSerializer))
        return self._answer(ticket)

    # progress notes ------------------------------------------------------------------------------------------
    @extend_schema(responses=ProgressNoteSerializer(many=True),
                   description=_("The ticket's progress notes; residents see those visible to the customer."))
    @action(detail=True, methods=["get"], serializer_class=ProgressNoteSerializer, pagination_class=None)
    def notes(self, request, pk=None):
        ticket = self.get_object()
        notes = (ProgressNote.objects.restrict(request.user, "view").filter(ticket=ticket)
                 .select_related("created_by").order_by("noted_at", "id"))
        return Response(ProgressNoteSerializer(notes, many=True, context=self.get_serializer_context()).data)

    @extend_schema(request=ProgressNoteSerializer, responses={201: ProgressNoteSerializer},
                   description=_("Add a progress note (internal, or visible to the customer), with files."))
    @notes.mapping.post
    def add_note(self, request, pk=None):
        ticket = self.get_object()
        params = ProgressNoteSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        note = services.note_add(actor=request.user, ticket=ticket, body=data.get("body", ""),
                                 visibility=data.get("visibility"), files=data.get("files") or ())
        return Response(ProgressNoteSerializer(note, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class ServiceLevelViewSet(BaseModelViewSet):
    """Time limits (时限) per kind × priority: response, on-site and resolution. New tickets take them; the
    limits of existing tickets stay as they were set."""

    queryset = ServiceLevel.objects.order_by("kind", "priority")
    serializer_class = ServiceLevelSerializer
    filterset_class = ServiceLevelFilterSet
    http_method_names = ["get", "put", "patch", "head", "options"]


class TicketCategoryViewSet(BaseModelViewSet):
    """The category tree (e.g. 工程维修/水电). ``path`` is the full name; categories are retired with
    ``is_active=false``, never deleted."""

    queryset = TicketCategory.objects.select_related("parent").order_by("path")
    serializer_class = TicketCategorySerializer
    filterset_class = TicketCategoryFilterSet
    # A rename or a move renames the subtree in TicketCategory.save(), for the pages and the API alike.
