"""The manager's reports in the API: ``/api/v1/reports/complaint-register/``, ``.../complaint-stats/`` and
``.../repair-stats/`` (JSON, the same figures as the pages; ``?format=xlsx`` answers the Excel workbook).

Permission ``tickets.view_reports`` (Excel also ``core.export_lists``); the data are what ``restrict()`` lets
the caller see. Registered in ``tickets/api/urls.py`` as non-model routes ``(prefix, viewset, basename)``.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from .. import reports
from ..choices import TicketKind
from ..models import Ticket
from ..reports import ComplaintRegisterFilterSet, StatsForm
from ..views.reports import XLSX, register_export, stats_export


class XlsxRenderer(BaseRenderer):
    """Lets ``?format=xlsx`` through content negotiation; the views answer the workbook themselves."""

    media_type = XLSX
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data, renderer_context=renderer_context)


def wants_xlsx(request) -> bool:
    return request.query_params.get("format") == "xlsx"


class ReportViewSet(viewsets.GenericViewSet):
    # Not one model's resource: ``queryset`` only names the model for the router; the permission is explicit.
    queryset = Ticket.objects.none()
    action_permissions = {"list": "tickets.view_reports"}
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, XlsxRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        # An error asked for as Excel (403, 400) is answered as JSON, not as a broken workbook.
        if isinstance(response, Response) and getattr(request, "accepted_renderer", None) is not None \
                and request.accepted_renderer.format == "xlsx":
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


class RegisterRowSerializer(serializers.Serializer):
    """One row of the complaint register."""

    id = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    url = serializers.SerializerMethodField()
    case_file_url = serializers.SerializerMethodField()
    reported_at = serializers.DateTimeField()
    complainant = serializers.SerializerMethodField()
    estate = serializers.IntegerField(source="estate_id")
    estate_name = serializers.CharField(source="estate.name")
    unit = serializers.SerializerMethodField()
    channel = serializers.CharField()
    channel_display = serializers.CharField(source="get_channel_display")
    priority = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    category = serializers.SerializerMethodField()
    is_valid_complaint = serializers.BooleanField(allow_null=True)
    handler = serializers.SerializerMethodField()
    department = serializers.SerializerMethodField()
    resolution_due = serializers.DateTimeField(allow_null=True)
    is_overdue = serializers.BooleanField()
    progress = serializers.SerializerMethodField()
    resolution = serializers.CharField()
    callback_at = serializers.DateTimeField(source="last_callback_at", allow_null=True)
    satisfaction = serializers.IntegerField(allow_null=True)
    satisfaction_display = serializers.SerializerMethodField()
    closed_at = serializers.DateTimeField(allow_null=True)
    resolution_met = serializers.BooleanField(allow_null=True)
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_url(self, obj) -> str:
        return self._absolute(obj.get_absolute_url())

    def get_case_file_url(self, obj) -> str:
        return self._absolute(reverse("tickets:case_file", args=[obj.pk]))

    def get_complainant(self, obj) -> str:
        return obj.contact_name or (obj.customer.name if obj.customer_id else "")

    def get_unit(self, obj) -> str:
        return obj.unit.code if obj.unit_id else obj.location

    def get_category(self, obj) -> str:
        return obj.category.path if obj.category_id else ""

    def get_handler(self, obj) -> str:
        return obj.assignee.name if obj.assignee_id else ""

    def get_department(self, obj) -> str:
        return obj.department.name if obj.department_id else ""

    def get_progress(self, obj) -> str:
        return obj.latest_progress or obj.get_status_display()

    def get_satisfaction_display(self, obj) -> str:
        return obj.get_satisfaction_display() if obj.satisfaction else ""


FORMAT_PARAMETER = OpenApiParameter("format", str, enum=["json", "xlsx"],
                                    description="`xlsx` answers an Excel workbook of the same report.")


@extend_schema(parameters=[FORMAT_PARAMETER])
class ComplaintRegisterViewSet(mixins.ListModelMixin, ReportViewSet):
    """客户投诉案件登记追踪表: one row per complaint with its handling trail, newest first; filters by period
    (``reported_from``/``reported_to``), estate, category (with its subcategories), handler, state and validity.
    ``?format=xlsx`` answers the filtered register as an Excel workbook."""

    serializer_class = RegisterRowSerializer
    filterset_class = ComplaintRegisterFilterSet

    def get_queryset(self):
        return reports.complaint_register(user=self.request.user)

    def list(self, request, *args, **kwargs):
        if wants_xlsx(request):
            return register_export(request, self.filter_queryset(self.get_queryset()), channel="api")
        return super().list(request, *args, **kwargs)


STATS_PARAMETERS = [
    OpenApiParameter("period", str, enum=[k for k, _label in reports.PERIOD_CHOICES],
                     description="month (default), quarter, year, or custom with `from` and `to`."),
    OpenApiParameter("date", OpenApiTypes.DATE, description="Any day in the month, quarter or year (default today)."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day of a custom period."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day of a custom period (included)."),
    OpenApiParameter("estate", int, description="One estate; default all the caller may see."),
    FORMAT_PARAMETER,
]


class TicketStatsViewSet(ReportViewSet):
    kind = TicketKind.COMPLAINT
    pagination_class = None
    filter_backends: list = []

    @extend_schema(parameters=STATS_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def list(self, request, *args, **kwargs):
        form = StatsForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError({"non_field_errors" if field == "__all__" else field: [e["message"] for e in errors]
                                   for field, errors in form.errors.get_json_data().items()})
        stats = reports.ticket_stats(user=request.user, kind=self.kind, period=form.cleaned_data["range"],
                                     estate=form.cleaned_data.get("estate"))
        if wants_xlsx(request):
            return stats_export(request, stats, channel="api")
        return Response(reports.stats_as_json(stats))


class ComplaintStatsViewSet(TicketStatsViewSet):
    """客户投诉案件统计表: complaints received in a period (month, quarter, year or from–to) in the caller's
    estates or one of them: counts, valid complaints, resolved on time (投诉处理及时率), average handling time,
    callback rate (回访率), satisfaction (average and 满意率), first-time resolution, reopens; by month, category,
    estate and category × estate × month; with the previous period of the same length. ``notes`` defines each
    figure."""

    kind = TicketKind.COMPLAINT


class RepairStatsViewSet(TicketStatsViewSet):
    """The same statistics for repairs (报修及时率 and the rest)."""

    kind = TicketKind.REPAIR


# For tickets/api/urls.py (owned by the API): ROUTES += REPORT_ROUTES
REPORT_ROUTES = [
    ("reports/complaint-register", ComplaintRegisterViewSet, "tickets-report-complaint-register"),
    ("reports/complaint-stats", ComplaintStatsViewSet, "tickets-report-complaint-stats"),
    ("reports/repair-stats", RepairStatsViewSet, "tickets-report-repair-stats"),
]
