"""Management review API (seed 1.9): ``/management-reviews/`` with the actions ``compile``, ``hold``, ``close``,
``cancel``, ``update-input`` and ``add-action`` (inputs and outputs nested in the answer); ``/action-items/``
(reviews' and meetings' items) with ``complete`` and ``cancel``. Every queryset goes through ``restrict()``; every
write is a service call; nothing is deleted."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from wuye.core.api.schema import step_responses
from wuye.core.api.viewsets import ServiceModelViewSet

from ..choices import OutputKind
from ..filtersets.reviews import ActionItemFilterSet, ManagementReviewFilterSet
from ..models import ActionItem, ManagementReview, ReviewInput
from ..services import reviews as services
from .reviews_serializers import (
    ActionItemCompleteSerializer,
    ActionItemSerializer,
    ManagementReviewSerializer,
    ReviewActionSerializer,
    ReviewHoldSerializer,
    ReviewInputSerializer,
    ReviewInputTextSerializer,
    ReviewReasonSerializer,
)


class ManagementReviewViewSet(ServiceModelViewSet):
    """Management reviews (管理评审). ``POST`` plans one (``title``, ``period_start``, ``period_end``,
    ``planned_on``, ``chair``, ``attendees``); a planned review may be changed, its inputs compiled from wuye for
    the period (``compile``, re-runnable while planned), their summaries written (``update-input``); top management
    records it as held (``hold``), its outputs are added (``add-action``) and, once every output is done or
    cancelled, it is closed (``close``). A planned review may be cancelled with a reason. Filters: ``status``
    (repeatable), ``year``, ``q``."""

    queryset = ManagementReview.objects.select_related("chair").prefetch_related("attendees", "inputs",
                                                                                  "actions__owner")
    serializer_class = ManagementReviewSerializer
    filterset_class = ManagementReviewFilterSet
    action_permissions = {
        "compile": services.REVIEW_CHANGE,
        "hold": services.REVIEW_HOLD,
        "close": services.REVIEW_HOLD,
        "cancel": services.REVIEW_CHANGE,
        "update_input": services.INPUT_CHANGE,
        "add_action": services.REVIEW_CHANGE,
    }

    @extend_schema(responses={201: ManagementReviewSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        review = services.management_review_plan(actor=request.user, attendees=data.pop("attendees", ()), **data)
        return self._answer(review, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        review = self.get_object()
        serializer = self.get_serializer(review, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        review = services.management_review_update(actor=request.user, review=review,
                                                   attendees=data.pop("attendees", None), **data)
        return self._answer(review)

    @extend_schema(request=None, responses=step_responses(ManagementReviewSerializer),
                   description=_("Compile (or refresh) the inputs from wuye for the review's period."))
    @action(detail=True, methods=["post"])
    def compile(self, request, pk=None):
        return self._answer(services.management_review_compile(actor=request.user, review=self.get_object()))

    @extend_schema(request=ReviewHoldSerializer, responses=step_responses(ManagementReviewSerializer),
                   description=_("Record the review as held: day, minutes, conclusion, attendees."))
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        review = self.get_object()
        params = self._params(ReviewHoldSerializer)
        return self._answer(services.management_review_hold(
            actor=request.user, review=review, held_on=params.get("held_on"), minutes=params["minutes"],
            conclusion=params["conclusion"], attendees=params.get("attendees")))

    @extend_schema(request=None, responses=step_responses(ManagementReviewSerializer),
                   description=_("Close a held review whose outputs are all done or cancelled."))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._answer(services.management_review_close(actor=request.user, review=self.get_object()))

    @extend_schema(request=ReviewReasonSerializer, responses=step_responses(ManagementReviewSerializer),
                   description=_("Cancel a planned review, with the reason."))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        review = self.get_object()
        params = self._params(ReviewReasonSerializer)
        return self._answer(services.management_review_cancel(actor=request.user, review=review,
                                                              reason=params["reason"]))

    @extend_schema(request=ReviewInputTextSerializer, responses=step_responses(ReviewInputSerializer),
                   description=_("Write the summary of one of the review's inputs."))
    @action(detail=True, methods=["post"], url_path="update-input", url_name="update-input")
    def update_input(self, request, pk=None):
        review = self.get_object()
        params = self._params(ReviewInputTextSerializer)
        item = get_object_or_404(ReviewInput.objects.filter(review=review), pk=params["input"])
        item = services.review_input_update(actor=request.user, input=item, text=params["text"])
        return Response(ReviewInputSerializer(item).data)

    @extend_schema(request=ReviewActionSerializer, responses={201: ActionItemSerializer, **step_responses(
        ActionItemSerializer)}, description=_("Add an output: a decision, a resource need or an improvement action "
                                              "(which needs an owner and a due date)."))
    @action(detail=True, methods=["post"], url_path="add-action", url_name="add-action")
    def add_action(self, request, pk=None):
        review = self.get_object()
        params = self._params(ReviewActionSerializer)
        item = services.action_item_add(actor=request.user, parent=review, text=params["text"],
                                        kind=params.get("kind") or OutputKind.IMPROVEMENT, owner=params.get("owner"),
                                        due_on=params.get("due_on"))
        return Response(ActionItemSerializer(item, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class ActionItemViewSet(ServiceModelViewSet):
    """Action items of management reviews and meetings. ``POST`` adds one to a ``review`` or a ``meeting`` (who may
    change that record may); ``complete`` (its owner, or who may change its record) and ``cancel`` (with a reason).
    Filters: ``mine``, ``open``, ``overdue`` (true/false), ``parent`` (review, meeting), ``status``, ``kind``,
    ``review``, ``meeting``."""

    queryset = ActionItem.objects.select_related("owner", "review", "meeting")
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"complete": "quality.view_actionitem", "cancel": "quality.change_actionitem"}

    def get_queryset(self):
        return super().get_queryset().order_by("status", "due_on", "pk")

    @extend_schema(responses={201: ActionItemSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        item = services.action_item_add(actor=request.user, parent=data.get("review") or data.get("meeting"),
                                        text=data.get("text", ""), kind=data.get("kind") or OutputKind.IMPROVEMENT,
                                        owner=data.get("owner"), due_on=data.get("due_on"))
        return self._answer(item, status.HTTP_201_CREATED)

    @extend_schema(request=ActionItemCompleteSerializer, responses=step_responses(ActionItemSerializer),
                   description=_("Mark the action item as done, with what was done."))
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        item = self.get_object()
        params = self._params(ActionItemCompleteSerializer)
        return self._answer(services.action_item_complete(actor=request.user, item=item, result=params["result"],
                                                          done_on=params.get("done_on")))

    @extend_schema(request=ReviewReasonSerializer, responses=step_responses(ActionItemSerializer),
                   description=_("Cancel the action item, with the reason."))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        item = self.get_object()
        params = self._params(ReviewReasonSerializer)
        return self._answer(services.action_item_cancel(actor=request.user, item=item, reason=params["reason"]))


ROUTES = [
    ("management-reviews", ManagementReviewViewSet),
    ("action-items", ActionItemViewSet),
]
