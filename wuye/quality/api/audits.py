"""Audits API (seed 3.1–3.3): ``audits`` with the actions ``start``, ``report``, ``close``, ``cancel``,
``checklist-from-template`` and ``checklist-answer``; ``findings`` (recorded through ``finding_record()``);
``audit-programmes`` (action ``approve``); ``finding-limits``; ``external-finding-counts?year=`` (read only). Every
queryset goes through ``restrict()``; every write is a service call; nothing is deleted."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from wuye.core.api.schema import step_responses
from wuye.core.api.viewsets import ServiceModelViewSet
from wuye.core.querysets import restrict
from wuye.estates.models import Estate

from .. import services
from ..filtersets.audits import AuditFilterSet, AuditProgrammeFilterSet, FindingFilterSet, FindingLimitFilterSet
from ..models import Audit, AuditProgramme, Finding, FindingLimit
from ..selectors.audits import external_finding_counts
from .audits_serializers import (
    AuditProgrammeSerializer,
    AuditSerializer,
    CancelParams,
    ChecklistAnswerParams,
    DateParams,
    ExternalFindingCountSerializer,
    FindingLimitSerializer,
    FindingSerializer,
    FromTemplateParams,
    ReportParams,
)

CONDUCT = services.CONDUCT


class AuditProgrammeViewSet(ServiceModelViewSet):
    """The yearly audit programmes (年度审核方案) with their audits. ``approve``: top management, or a quality
    auditor who may change programmes."""

    queryset = AuditProgramme.objects.select_related("approved_by").prefetch_related("audits")
    serializer_class = AuditProgrammeSerializer
    filterset_class = AuditProgrammeFilterSet
    action_permissions = {"approve": "quality.view_auditprogramme"}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        programme = services.audit_programme_create(actor=request.user, **dict(serializer.validated_data))
        return self._answer(programme, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        programme = self.get_object()
        serializer = self.get_serializer(programme, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        programme = services.audit_programme_update(actor=request.user, programme=programme,
                                                    **dict(serializer.validated_data))
        return self._answer(programme)

    @extend_schema(request=DateParams, responses=step_responses(AuditProgrammeSerializer),
                   description=_("Approve the programme (recorded with who and when)."))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        programme = self.get_object()
        params = self._params(DateParams)
        return self._answer(services.audit_programme_approve(actor=request.user, programme=programme,
                                                             approved_on=params.get("on")))


class AuditViewSet(ServiceModelViewSet):
    """Audits, internal or external (certification body required). Filters: ``programme``, ``kind``, ``status``
    (repeatable), ``year``, ``estate``, ``department``, ``lead_auditor``, ``q``. Steps: planned → ``start`` → in
    progress → ``report`` (summary; every checklist nonconformity recorded as a finding) → reported → ``close``
    (every minor and major finding has a corrective action) → closed; ``cancel`` with a reason."""

    queryset = (Audit.objects.select_related("programme", "lead_auditor")
                .prefetch_related("estates", "departments", "clauses", "auditors", "checklist__clause", "findings"))
    serializer_class = AuditSerializer
    filterset_class = AuditFilterSet
    action_permissions = {"start": CONDUCT, "report": CONDUCT, "close": CONDUCT, "cancel": CONDUCT,
                          "checklist_from_template": CONDUCT, "checklist_answer": CONDUCT}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        audit = services.audit_create(actor=request.user, **dict(serializer.validated_data))
        return self._answer(audit, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        audit = self.get_object()
        serializer = self.get_serializer(audit, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        audit = services.audit_update(actor=request.user, audit=audit, **dict(serializer.validated_data))
        return self._answer(audit)

    @extend_schema(request=DateParams, responses=step_responses(AuditSerializer),
                   description=_("Planned → in progress."))
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        audit = self.get_object()
        params = self._params(DateParams)
        return self._answer(services.audit_start(actor=request.user, audit=audit, started_on=params.get("on")))

    @extend_schema(request=ReportParams, responses=step_responses(AuditSerializer),
                   description=_("In progress → reported, with the summary and conclusion."))
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        audit = self.get_object()
        params = self._params(ReportParams)
        return self._answer(services.audit_report(actor=request.user, audit=audit, summary=params["summary"],
                                                  reported_on=params.get("on")))

    @extend_schema(request=DateParams, responses=step_responses(AuditSerializer),
                   description=_("Reported → closed, when every minor and major finding has a corrective action."))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        audit = self.get_object()
        params = self._params(DateParams)
        return self._answer(services.audit_close(actor=request.user, audit=audit, closed_on=params.get("on")))

    @extend_schema(request=CancelParams, responses=step_responses(AuditSerializer),
                   description=_("Cancel a planned audit or one in progress, with the reason."))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        audit = self.get_object()
        params = self._params(CancelParams)
        return self._answer(services.audit_cancel(actor=request.user, audit=audit, reason=params["reason"]))

    @extend_schema(request=FromTemplateParams, responses=step_responses(AuditSerializer),
                   description=_("Append a checklist template's questions (not twice)."))
    @action(detail=True, methods=["post"], url_path="checklist-from-template", url_name="checklist-from-template")
    def checklist_from_template(self, request, pk=None):
        audit = self.get_object()
        params = self._params(FromTemplateParams)
        services.audit_checklist_from_template(actor=request.user, audit=audit, template=params["template"])
        return self._answer(audit)

    @extend_schema(request=ChecklistAnswerParams, responses=step_responses(AuditSerializer),
                   description=_("Answer checklist points while the audit is in progress."))
    @action(detail=True, methods=["post"], url_path="checklist-answer", url_name="checklist-answer")
    def checklist_answer(self, request, pk=None):
        audit = self.get_object()
        params = self._params(ChecklistAnswerParams)
        services.audit_checklist_answer(actor=request.user, audit=audit, answers=params["answers"])
        return self._answer(audit)


class FindingViewSet(ServiceModelViewSet):
    """Audit findings (观察项 / 轻微不合格 / 严重不合格) with clause and evidence. Filters: ``audit``, ``grade``
    (repeatable), ``kind`` (of the audit), ``year``, ``estate``, ``department``, ``clause``, ``without_action``.
    Created through ``finding_record()``; corrected through ``finding_update()`` while the audit takes findings."""

    queryset = Finding.objects.select_related("audit", "clause", "estate", "department", "corrective_action")
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        audit = data.pop("audit", None)
        if audit is None:
            raise DRFValidationError({"audit": [_("Name the audit.")]})
        finding = services.finding_record(actor=request.user, audit=audit, grade=data.pop("grade", ""),
                                          clause=data.pop("clause", None), statement=data.pop("statement", ""),
                                          evidence=data.pop("evidence", ""), found_on=data.pop("found_on", None),
                                          **data)
        return self._answer(finding, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        finding = self.get_object()
        serializer = self.get_serializer(finding, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("audit", None)
        if data.get("found_on", finding.found_on) is None:
            data.pop("found_on")
        return self._answer(services.finding_update(actor=request.user, finding=finding, **data))


class FindingLimitViewSet(ServiceModelViewSet):
    """The company's yearly limit of external-audit observations and minor nonconformities per managed estate
    (seed 3.3). No default: a year without a limit uses the latest earlier year's, else none."""

    queryset = FindingLimit.objects.all()
    serializer_class = FindingLimitSerializer
    filterset_class = FindingLimitFilterSet

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.finding_limit_create(actor=request.user, **dict(serializer.validated_data))
        return self._answer(item, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = self.get_serializer(item, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        return self._answer(services.finding_limit_update(actor=request.user, finding_limit=item,
                                                          **dict(serializer.validated_data)))


class ExternalFindingCountViewSet(viewsets.ViewSet):
    """外审发现项累计 (seed 3.3): per managed estate the observations and minor nonconformities found by external
    audits in ``year`` (default this year), the limit for the year (null when never set) and whether it is
    reached (total ≥ limit)."""

    queryset = Finding.objects.all()
    action_permissions = {"list": "quality.view_finding"}

    @extend_schema(parameters=[OpenApiParameter("year", int, description=_("Default: this year."))],
                   responses=ExternalFindingCountSerializer(many=True))
    def list(self, request):
        raw = request.query_params.get("year")
        try:
            year = int(raw) if raw else timezone.localdate().year
        except ValueError:
            raise DRFValidationError({"year": [_("Give the year as a number, e.g. 2026.")]}) from None
        if not 2000 <= year <= 2100:
            raise DRFValidationError({"year": [_("Give the year as a number, e.g. 2026.")]})
        rows = external_finding_counts(year, restrict(Estate.objects.all(), request.user, "view"))
        data = [{"estate": r.estate.pk, "estate_name": r.estate.name, "year": year, "observations": r.observations,
                 "minors": r.minors, "total": r.total, "limit": r.limit, "reached": r.reached} for r in rows]
        return Response(ExternalFindingCountSerializer(data, many=True).data)


ROUTES = [
    ("audit-programmes", AuditProgrammeViewSet),
    ("audits", AuditViewSet),
    ("findings", FindingViewSet),
    ("finding-limits", FindingLimitViewSet),
    ("external-finding-counts", ExternalFindingCountViewSet, "quality-external-finding-counts"),
]


