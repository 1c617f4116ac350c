"""Serializers of the meetings and submissions API. Writes go through ``quality.services``; these only shape input
and output."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wuye.core.api.fields import CodeField, RestrictedPrimaryKeyRelatedField
from wuye.core.api.serializers import BaseModelSerializer
from wuye.org.models import Staff

from ..choices import ActionItemStatus, MeetingKind, MeetingStatus, SubmissionKind, SubmissionState, SubmitterKind
from ..models import ActionItem, Meeting, Submission


class MeetingActionItemSerializer(serializers.ModelSerializer):
    status = CodeField(ActionItemStatus.choices, read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True, default=None, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = ("id", "text", "owner", "owner_name", "due_on", "status", "done_on", "result", "overdue")
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class MeetingSerializer(BaseModelSerializer):
    """A meeting: planned through ``meeting_plan()`` (numbered HY-<year>-NNN), changed while planned through
    ``meeting_update()``; minutes and cancellation through the actions. Action items are read here."""

    kind = CodeField(MeetingKind.choices)
    status = CodeField(MeetingStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    attendees = RestrictedPrimaryKeyRelatedField(many=True, queryset=Staff.objects.all(), required=False)
    actions = MeetingActionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = (*BaseModelSerializer.base_fields, "number", "kind", "title", "department", "starts_at",
                  "location", "chair", "attendees", "agenda", "minutes", "decisions", "status", "status_label",
                  "cancel_reason", "actions", "created_at", "updated_at")
        read_only_fields = ("number", "minutes", "decisions", "cancel_reason")

    def _clean_exclude(self, model):
        return [*super()._clean_exclude(model), "number"]


class MeetingMinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField(allow_blank=True)
    decisions = serializers.CharField(required=False, allow_blank=True, default="")
    attendees = RestrictedPrimaryKeyRelatedField(many=True, queryset=Staff.objects.all(), required=False,
                                                   help_text=_("Who attended; omitted: the planned attendees."))


class MeetingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class SubmissionSerializer(BaseModelSerializer):
    """A report (报告) or an appeal (申诉), filed through ``submission_file()`` (numbered SS-<year>-NNNN). Appeals are
    always confidential. ``customer``: only for those who handle submissions, entering one for a customer."""

    kind = CodeField(SubmissionKind.choices)
    state = CodeField(SubmissionState.choices, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    submitter_kind = CodeField(SubmitterKind.choices, read_only=True)
    estate_name = serializers.CharField(source="estate.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Submission
        fields = (*BaseModelSerializer.base_fields, "number", "kind", "subject", "body", "estate", "estate_name",
                  "confidential", "customer", "submitter_name", "submitter_kind", "submitted_by", "staff", "state",
                  "state_label", "assignee", "assigned_at", "reply", "replied_at", "closed_at", "closing_note",
                  "created_at")
        read_only_fields = ("number", "submitter_kind", "submitted_by", "staff", "assignee", "assigned_at", "reply",
                            "replied_at", "closed_at", "closing_note")
        extra_kwargs = {"confidential": {"required": False}, "submitter_name": {"required": False}}

    def validate(self, attrs):
        return attrs  # the service decides (who files, appeals always confidential)


class SubmissionAssignSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.filter(is_active=True))


class SubmissionReplySerializer(serializers.Serializer):
    reply = serializers.CharField(allow_blank=True)


class SubmissionCloseSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
