"""Serializers of the incidents API. Writes go through ``incidents.services``; these only shape input and
output."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wuye.core.api.fields import CodeField
from wuye.core.api.serializers import BaseModelSerializer

from ..choices import IncidentStatus, Severity
from ..models import Incident, IncidentFile, IncidentKind
from ..services import INCIDENT_FIELDS


class IncidentFileSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = IncidentFile
        fields = ("id", "name", "content_type", "size", "sha256", "created_at", "download")
        read_only_fields = fields

    def get_download(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class IncidentSerializer(BaseModelSerializer):
    """An incident report (事故报告). Created through ``incident_report()`` (numbered SG-<year>-NNN, reported by the
    caller); corrected through ``incident_update()`` until its investigation is recorded. The status changes only
    through the actions."""

    severity = CodeField(Severity.choices, required=False)
    status = CodeField(IncidentStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    estate_name = serializers.CharField(source="estate.name", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    corrective_action_number = serializers.CharField(source="corrective_action.number", read_only=True,
                                                     default=None, allow_null=True)
    files = IncidentFileSerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = (*BaseModelSerializer.base_fields, "number", *INCIDENT_FIELDS, "estate_name", "kind_name", "status",
                  "status_label", "reported_by", "reported_at", "investigator", "investigation_started_at", "cause",
                  "responsibility", "investigated_at", "reviewer", "reviewed_at", "review_comment",
                  "review_instructions", "closed_at", "closed_by", "withdrawn_reason", "corrective_action",
                  "corrective_action_number", "files", "created_at", "updated_at")
        read_only_fields = ("number", "reported_by", "reported_at", "investigator", "investigation_started_at",
                            "cause", "responsibility", "investigated_at", "reviewer", "reviewed_at",
                            "review_comment", "review_instructions", "closed_at", "closed_by", "withdrawn_reason",
                            "corrective_action")


class InvestigationSerializer(serializers.Serializer):
    cause = serializers.CharField(help_text=_("What caused the incident."))
    responsibility = serializers.CharField(help_text=_("Who is responsible (or that no one is)."))


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField()
    instructions = serializers.CharField(required=False, allow_blank=True, default="")


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class RaiseActionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")


class RaisedActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    state = serializers.CharField()


class FileUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class IncidentKindSerializer(BaseModelSerializer):
    class Meta:
        model = IncidentKind
        fields = (*BaseModelSerializer.base_fields, "code", "name", "sort_order", "is_active")
