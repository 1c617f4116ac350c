"""Serializers of the audits API. Writes go through ``quality.services``; these only shape input and output."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wuye.core.api.fields import CodeField
from wuye.core.api.serializers import BaseModelSerializer

from ..choices import AuditKind, AuditStatus, CheckResult, FindingGrade, ProgrammeStatus
from ..models import Audit, AuditChecklistItem, AuditProgramme, ChecklistTemplate, Finding, FindingLimit, IsoClause
from ..services.audits import AUDIT_FIELDS


class AuditProgrammeSerializer(BaseModelSerializer):
    """The year's audit programme. Approved through the ``approve`` action; a change to an approved programme
    returns it to draft."""

    status = CodeField(ProgrammeStatus.choices, read_only=True)
    audits = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = AuditProgramme
        fields = (*BaseModelSerializer.base_fields, "year", "title", "objectives", "status", "approved_by",
                  "approved_on", "audits")
        read_only_fields = ("approved_by", "approved_on")


class ChecklistItemSerializer(serializers.ModelSerializer):
    result = CodeField(CheckResult.choices, read_only=True)
    clause = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = AuditChecklistItem
        fields = ("id", "clause", "question", "guidance", "result", "evidence", "sort_order")
        read_only_fields = fields


class AuditSerializer(BaseModelSerializer):
    """An audit (internal, or external by a certification body). Created as planned through ``audit_create()``
    (numbered AU-<year>-NN), changed through ``audit_update()`` while planned or in progress; an auditor may not
    audit their own department. Its status changes only through the actions."""

    kind = CodeField(AuditKind.choices, required=False)
    status = CodeField(AuditStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    clauses = serializers.SlugRelatedField(slug_field="number", many=True, required=False,
                                           queryset=IsoClause.objects.all(),
                                           help_text=_("ISO 9001 clause numbers, e.g. \"8.2.1\"."))
    checklist = ChecklistItemSerializer(many=True, read_only=True)
    findings = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Audit
        fields = (*BaseModelSerializer.base_fields, "number", *AUDIT_FIELDS, "status", "status_label", "started_on",
                  "reported_on", "closed_on", "summary", "cancel_reason", "checklist", "findings", "created_at",
                  "updated_at")
        read_only_fields = ("number", "started_on", "reported_on", "closed_on", "summary", "cancel_reason")
        extra_kwargs = {"estates": {"required": False}, "departments": {"required": False},
                        "auditors": {"required": False}}


class FindingSerializer(BaseModelSerializer):
    """A finding of an audit, recorded through ``finding_record()``: grade and clause required; the estate is one of
    the audit's (its only one by default)."""

    grade = CodeField(FindingGrade.choices, required=False, allow_blank=True)
    clause = serializers.SlugRelatedField(slug_field="number", queryset=IsoClause.objects.all(), required=False,
                                          allow_null=True, help_text=_("The ISO 9001 clause number."))
    reference = serializers.CharField(read_only=True)
    found_on = serializers.DateField(required=False, allow_null=True, help_text=_("Empty: today."))
    corrective_action = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = (*BaseModelSerializer.base_fields, "audit", "number", "reference", "grade", "clause", "statement",
                  "evidence", "found_on", "estate", "department", "checklist_item", "corrective_action",
                  "created_at")
        read_only_fields = ("number",)

    def get_corrective_action(self, obj) -> int | None:
        action = getattr(obj, "corrective_action", None) if hasattr(obj, "corrective_action") else None
        return action.pk if action is not None else None

    def validate(self, attrs):
        return attrs  # the service checks the finding as a whole


class FindingLimitSerializer(BaseModelSerializer):
    """The company's limit of external observations and minor nonconformities per managed estate and year."""

    class Meta:
        model = FindingLimit
        fields = (*BaseModelSerializer.base_fields, "year", "limit", "note")


class ExternalFindingCountSerializer(serializers.Serializer):
    estate = serializers.IntegerField()
    estate_name = serializers.CharField()
    year = serializers.IntegerField()
    observations = serializers.IntegerField()
    minors = serializers.IntegerField()
    total = serializers.IntegerField()
    limit = serializers.IntegerField(allow_null=True, help_text=_("Null when no limit was ever set."))
    reached = serializers.BooleanField()


# --- action bodies ------------------------------------------------------------------------------------------------


class DateParams(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, help_text=_("Empty: today."))


class ReportParams(DateParams):
    summary = serializers.CharField(allow_blank=True)


class CancelParams(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class FromTemplateParams(serializers.Serializer):
    template = serializers.PrimaryKeyRelatedField(queryset=ChecklistTemplate.objects.all())


class ChecklistAnswerParams(serializers.Serializer):
    answers = serializers.DictField(child=serializers.JSONField(), help_text=_(
        "Checklist points by id: {\"result\": \"conforms\" (or observation, nonconforms, empty), "
        "\"evidence\": \"…\"}."))
