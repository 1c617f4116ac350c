"""Report centre API (审查报告 1–10): ``/api/v1/reports/`` (list, retrieve with the current version's content,
create = generate) with the actions ``submit``, ``review``, ``regenerate``, ``texts`` (PATCH) and ``cancel``; and
``GET /api/v1/reports/{kind}/?period=2026-10&estate=<id>``: the content of that report generated now, not saved.
Every queryset goes through ``restrict()``; every write is a service call; nothing is deleted."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response

from wuye.core.api.schema import step_responses
from wuye.core.api.viewsets import ServiceModelViewSet
from wuye.estates.models import Estate

from .. import services
from ..filtersets import ReportFilterSet
from ..kinds import KINDS
from ..models import Report
from ..periods import parse_period
from .serializers import (
    ReportCancelSerializer,
    ReportDecisionSerializer,
    ReportGenerateSerializer,
    ReportListSerializer,
    ReportSerializer,
    ReportTextsSerializer,
)


class ReportViewSet(ServiceModelViewSet):
    """Reports of the report centre. Filters: ``kind`` and ``status`` (repeatable), ``period`` (``2026-10``,
    ``2026-Q3``, ``2026``), ``estate``, ``mine``. Created (generated) with kind, period and estate; the author
    edits the texts, regenerates the figures and submits; a reviewer (never the author) accepts or returns it.
    Cancelled with a reason, never deleted."""

    queryset = (Report.objects.select_related("estate", "department", "author")
                .prefetch_related("versions__generated_by", "reviews__reviewer", "reviews__version"))
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    lookup_value_regex = r"\d+"
    action_permissions = {
        "create": services.VIEW,  # the service checks the kind's own permission
        "submit": services.CHANGE,
        "regenerate": services.CHANGE,
        "texts": services.CHANGE,
        "cancel": services.CHANGE,
        "review": services.REVIEW,
    }

    def get_serializer_class(self):
        return ReportListSerializer if self.action == "list" else ReportSerializer

    @extend_schema(request=ReportGenerateSerializer, responses={201: ReportSerializer})
    def create(self, request, *args, **kwargs):
        params = self._params(ReportGenerateSerializer)
        report = services.report_generate(actor=request.user, kind=params["kind"], period=params["period"],
                                          estate=params.get("estate"))
        return self._answer(report, status.HTTP_201_CREATED, ReportSerializer)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        raise MethodNotAllowed(request.method)

    @extend_schema(exclude=True)
    def partial_update(self, request, *args, **kwargs):
        raise MethodNotAllowed(request.method)

    @extend_schema(request=None, responses=step_responses(ReportSerializer),
                   description=_("Submit the report for review (its author; the conclusions are required)."))
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(services.report_submit(actor=request.user, report=self.get_object()),
                            serializer_class=ReportSerializer)

    @extend_schema(request=None, responses=step_responses(ReportSerializer),
                   description=_("A new version with the figures as they are now (draft only; texts kept)."))
    @action(detail=True, methods=["post"])
    def regenerate(self, request, pk=None):
        report = self.get_object()
        services.report_regenerate(actor=request.user, report=report)
        return self._answer(report, serializer_class=ReportSerializer)

    @extend_schema(request=ReportTextsSerializer, responses=step_responses(ReportSerializer),
                   description=_("The author's texts (draft only); after a return they go into a new version."))
    @action(detail=True, methods=["patch"])
    def texts(self, request, pk=None):
        report = self.get_object()
        params = self._params(ReportTextsSerializer)
        services.report_update_texts(actor=request.user, report=report, texts=params["texts"])
        return self._answer(report, serializer_class=ReportSerializer)

    @extend_schema(request=ReportDecisionSerializer, responses=step_responses(ReportSerializer),
                   description=_("The review: accepted or returned, with comments and instructions (not by the "
                                 "author)."))
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        report = self.get_object()
        params = self._params(ReportDecisionSerializer)
        services.report_review(actor=request.user, report=report, **params)
        return self._answer(report, serializer_class=ReportSerializer)

    @extend_schema(request=ReportCancelSerializer, responses=step_responses(ReportSerializer),
                   description=_("Cancel a report not yet accepted, with the reason."))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        report = self.get_object()
        params = self._params(ReportCancelSerializer)
        services.report_cancel(actor=request.user, report=report, **params)
        return self._answer(report, serializer_class=ReportSerializer)


class ReportKindViewSet(viewsets.GenericViewSet):
    # Not one model's resource: ``queryset`` only names the model for the router; the permission is explicit.
    queryset = Report.objects.none()
    lookup_field = "kind"
    lookup_value_regex = "|".join(KINDS)
    action_permissions = {"retrieve": services.VIEW}
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        operation_id="reports_kind_retrieve",
        parameters=[
            OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(KINDS), description="The report kind."),
            OpenApiParameter("period", str, required=True,
                             description="A month (2026-10), a quarter (2026-Q3) or a year (2026); not in the "
                                         "future."),
            OpenApiParameter("estate", int, description="One estate; default all (for those who see all)."),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT,
                   404: OpenApiTypes.OBJECT})
    def retrieve(self, request, kind=None):
        """The content of a report of ``kind`` for ``period`` and ``estate``, generated now and not saved."""
        estate = None
        raw = request.query_params.get("estate")
        if raw:
            if not str(raw).isdigit():
                return Response({"estate": [_("Give the estate's id.")]}, status=status.HTTP_400_BAD_REQUEST)
            estate = get_object_or_404(Estate.objects.restrict(request.user, "view"), pk=int(raw))
        content = services.preview(actor=request.user, kind=kind, period=request.query_params.get("period", ""),
                                   estate=estate)
        period = parse_period(request.query_params.get("period", ""))
        return Response({"kind": kind, "label": str(KINDS[kind].label), "period": period.as_dict(),
                         "estate": estate.pk if estate else None, "content": content})
