"""Serializers of the report centre API. Writes go through ``reports.services``; these only shape input and
output."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wuye.core.api.fields import CodeField
from wuye.core.api.serializers import BaseModelSerializer
from wuye.estates.models import Estate

from ..choices import Decision, PeriodKind, ReportStatus
from ..kinds import KIND_CHOICES
from ..models import Report, ReportReview, ReportVersion


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


class ReportVersionSerializer(serializers.ModelSerializer):
    generated_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ReportVersion
        fields = ("number", "generated_at", "generated_by", "generated_by_name", "submitted_at")
        read_only_fields = fields

    def get_generated_by_name(self, obj) -> str:
        return _name(obj.generated_by)


class ReportReviewSerializer(serializers.ModelSerializer):
    decision = CodeField(Decision.choices, read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    reviewer_name = serializers.SerializerMethodField()

    class Meta:
        model = ReportReview
        fields = ("id", "version", "reviewer", "reviewer_name", "decision", "comments", "instructions", "reviewed_at")
        read_only_fields = fields

    def get_reviewer_name(self, obj) -> str:
        return _name(obj.reviewer)


class ReportListSerializer(BaseModelSerializer):
    """A report without its content (the list)."""

    kind = CodeField(KIND_CHOICES, read_only=True)
    kind_label = serializers.CharField(read_only=True)
    period = serializers.CharField(source="period_label", read_only=True)
    period_kind = CodeField(PeriodKind.choices, read_only=True)
    status = CodeField(ReportStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    estate_name = serializers.CharField(source="estate.name", read_only=True, default=None, allow_null=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default=None, allow_null=True)
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = (*BaseModelSerializer.base_fields, "kind", "kind_label", "period", "period_kind", "period_start",
                  "period_end", "estate", "estate_name", "department", "department_name", "author", "author_name",
                  "status", "status_label", "current_version", "submitted_at", "reviewed_at", "cancelled_at",
                  "cancel_reason", "created_at", "updated_at")
        read_only_fields = fields

    def get_author_name(self, obj) -> str:
        return _name(obj.author)


class ReportSerializer(ReportListSerializer):
    """A report with the content and texts of its current version, its versions and its reviews."""

    content = serializers.SerializerMethodField()
    texts = serializers.SerializerMethodField()
    versions = ReportVersionSerializer(many=True, read_only=True)
    reviews = ReportReviewSerializer(many=True, read_only=True)

    class Meta(ReportListSerializer.Meta):
        fields = (*ReportListSerializer.Meta.fields, "content", "texts", "versions", "reviews")
        read_only_fields = fields

    def _version(self, obj):
        cache = self.context.setdefault("_versions", {})
        if obj.pk not in cache:
            cache[obj.pk] = obj.version()
        return cache[obj.pk]

    def get_content(self, obj) -> dict:
        version = self._version(obj)
        return version.content if version is not None else {}

    def get_texts(self, obj) -> dict:
        version = self._version(obj)
        return version.texts if version is not None else {}


class ReportGenerateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES, help_text=_("The kind of report."))
    period = serializers.CharField(max_length=10, help_text=_("A month (2026-10), a quarter (2026-Q3) or a year "
                                                              "(2026)."))
    estate = serializers.PrimaryKeyRelatedField(queryset=Estate.objects.all(), required=False, allow_null=True,
                                                help_text=_("One estate; empty: all estates (for those who see "
                                                            "all)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["estate"].queryset = Estate.objects.restrict(request.user, "view")


class ReportTextsSerializer(serializers.Serializer):
    texts = serializers.DictField(child=serializers.CharField(allow_blank=True),
                                  help_text=_("The texts by key: conclusions, next_steps."))


class ReportDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comments = serializers.CharField()
    instructions = serializers.CharField(required=False, allow_blank=True, default="")


class ReportCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
