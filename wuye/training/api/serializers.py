"""Serializers of the training API. Writes go through ``training.services``; these only shape input and output."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wuye.core.api.fields import CodeField, RestrictedPrimaryKeyRelatedField
from wuye.core.api.serializers import BaseModelSerializer
from wuye.core.querysets import restrict
from wuye.org.models import Post, Staff

from ..choices import PlanStatus, SessionStatus
from ..models import Attendance, PlanItem, SessionMaterial, TrainingPlan, TrainingSession


class PlanItemSerializer(serializers.ModelSerializer):
    trainer_name = serializers.CharField(read_only=True)

    class Meta:
        model = PlanItem
        fields = ("id", "topic", "target_posts", "hours", "month", "trainer", "trainer_staff", "trainer_name",
                  "notes")
        read_only_fields = fields


class PlanItemWriteSerializer(serializers.Serializer):
    """A training of a draft plan (``POST /training-plans/{id}/items/``)."""

    topic = serializers.CharField(max_length=200)
    target_posts = RestrictedPrimaryKeyRelatedField(queryset=Post.objects.all(), many=True, required=False)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    month = serializers.IntegerField(min_value=1, max_value=12)
    trainer = serializers.CharField(max_length=100, required=False, allow_blank=True)
    trainer_staff = RestrictedPrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class TrainingPlanSerializer(BaseModelSerializer):
    """A department's annual training plan: one per department and year. Created as a draft through
    ``plan_create()``; a draft is changed through ``plan_update()``; approved and closed plans are read-only. The
    status changes only through the actions ``approve`` and ``close``."""

    status = CodeField(PlanStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    items = PlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingPlan
        fields = (*BaseModelSerializer.base_fields, "department", "department_name", "year", "title", "notes",
                  "status", "status_label", "approved_by", "approved_at", "closed_at", "close_reason", "items",
                  "created_by", "created_at", "updated_at")
        read_only_fields = ("approved_by", "approved_at", "closed_at", "close_reason", "created_by")

    def validate(self, attrs):
        if self.instance is not None and self.instance.status != PlanStatus.DRAFT:
            return attrs  # the service refuses the change
        return super().validate(attrs)


class PlanCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class AttendanceSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ("id", "staff", "staff_name", "attended", "score", "comment")
        read_only_fields = fields


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = SessionMaterial
        fields = ("id", "name", "content_type", "size", "sha256", "created_at")
        read_only_fields = fields


class TrainingSessionSerializer(BaseModelSerializer):
    """A training session: for an item of an approved plan (topic, hours, trainer and department taken from the
    item when not given) or ad hoc. planned → held (``record``) or cancelled (``cancel``). ``attendances`` lists
    the rows the caller may see: their own, or everyone's with ``training.view_department_training``."""

    topic = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                  help_text=_("Empty: the plan item's topic."))
    department = RestrictedPrimaryKeyRelatedField(queryset=TrainingSession._meta.get_field("department")
                                                  .related_model.objects.all(), required=False, allow_null=True)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True)
    status = CodeField(SessionStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    attendances = serializers.SerializerMethodField()
    materials = MaterialSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingSession
        fields = (*BaseModelSerializer.base_fields, "plan_item", "department", "topic", "date", "start_time",
                  "end_time", "hours", "trainer", "trainer_staff", "place", "notes", "status", "status_label",
                  "recorded_at", "cancel_reason", "attendances", "materials", "created_at", "updated_at")
        read_only_fields = ("recorded_at", "cancel_reason")

    def validate(self, attrs):
        return attrs  # the services check the whole session (they fill what the plan item gives)

    def get_attendances(self, obj) -> list[dict]:
        request = self.context.get("request")
        rows = obj.attendances.select_related("staff")
        if request is not None:
            rows = restrict(rows, request.user, "view")
        return AttendanceSerializer(rows, many=True).data


class AttendanceInSerializer(serializers.Serializer):
    staff = RestrictedPrimaryKeyRelatedField(queryset=Staff.objects.all())
    attended = serializers.BooleanField(default=True)
    score = serializers.DecimalField(max_digits=6, decimal_places=1, required=False, allow_null=True,
                                     help_text=_("0–100, only for an attendee."))
    comment = serializers.CharField(max_length=200, required=False, allow_blank=True)


class SessionRecordSerializer(serializers.Serializer):
    attendance = AttendanceInSerializer(many=True)


class SessionCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
