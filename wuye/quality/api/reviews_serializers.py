"""Serializers of the management review API. Writes go through ``services.reviews``; these only shape input and
output."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wuye.core.api.fields import CodeField, RestrictedPrimaryKeyRelatedField
from wuye.core.api.serializers import BaseModelSerializer
from wuye.org.models import Staff

from ..choices import ActionItemStatus, OutputKind, ReviewStatus, ReviewTopic
from ..models import ActionItem, ManagementReview, Meeting, ReviewInput


class ReviewInputSerializer(serializers.ModelSerializer):
    topic = CodeField(ReviewTopic.choices, read_only=True)
    topic_label = serializers.CharField(source="get_topic_display", read_only=True)

    class Meta:
        model = ReviewInput
        fields = ("id", "topic", "topic_label", "figures", "text", "sort_order", "updated_at")
        read_only_fields = fields


class ActionItemSerializer(BaseModelSerializer):
    """An output of a management review or an action of a meeting. Created through ``action_item_add()``
    (improvement actions need ``owner`` and ``due_on``); done and cancelled only through the actions."""

    review = RestrictedPrimaryKeyRelatedField(queryset=ManagementReview.objects.all(), required=False,
                                              allow_null=True)
    meeting = RestrictedPrimaryKeyRelatedField(queryset=Meeting.objects.all(), required=False, allow_null=True)
    kind = CodeField(OutputKind.choices, required=False)
    owner = RestrictedPrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False, allow_null=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True, default=None, allow_null=True)
    status = CodeField(ActionItemStatus.choices, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = (*BaseModelSerializer.base_fields, "review", "meeting", "kind", "text", "owner", "owner_name",
                  "due_on", "status", "overdue", "done_on", "result", "created_at")
        read_only_fields = ("done_on", "result", "created_at")

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()

    def validate(self, attrs):
        if bool(attrs.get("review")) == bool(attrs.get("meeting")):
            raise serializers.ValidationError({"review": [_("Name one management review or one meeting.")]})
        return attrs  # the service checks the rest


class ManagementReviewSerializer(BaseModelSerializer):
    """A management review. Planned through ``management_review_plan()`` (numbered MR-<year>-NN); a planned review
    is changed through ``management_review_update()``; the status moves only through the actions."""

    chair = RestrictedPrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False, allow_null=True)
    attendees = RestrictedPrimaryKeyRelatedField(queryset=Staff.objects.all(), many=True, required=False)
    status = CodeField(ReviewStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    inputs = ReviewInputSerializer(many=True, read_only=True)
    actions = ActionItemSerializer(many=True, read_only=True)

    class Meta:
        model = ManagementReview
        fields = (*BaseModelSerializer.base_fields, "number", "title", "period_start", "period_end", "planned_on",
                  "chair", "attendees", "status", "status_label", "held_on", "compiled_at", "minutes",
                  "conclusion", "cancel_reason", "inputs", "actions", "created_at", "updated_at")
        read_only_fields = ("number", "held_on", "compiled_at", "minutes", "conclusion", "cancel_reason")

    def validate(self, attrs):
        if self.instance is not None and self.instance.status != ReviewStatus.PLANNED:
            return attrs  # the service refuses
        return super().validate(attrs)


class ReviewHoldSerializer(serializers.Serializer):
    held_on = serializers.DateField(required=False, allow_null=True, help_text=_("Empty: today."))
    minutes = serializers.CharField(allow_blank=True)
    conclusion = serializers.CharField(allow_blank=True)
    attendees = RestrictedPrimaryKeyRelatedField(queryset=Staff.objects.all(), many=True, required=False,
                                                 help_text=_("Empty: the attendees planned."))


class ReviewReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class ReviewInputTextSerializer(serializers.Serializer):
    input = serializers.IntegerField(help_text=_("The input's id."))
    text = serializers.CharField(allow_blank=True)


class ReviewActionSerializer(serializers.Serializer):
    kind = CodeField(OutputKind.choices, required=False)
    text = serializers.CharField(allow_blank=True)
    owner = RestrictedPrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class ActionItemCompleteSerializer(serializers.Serializer):
    result = serializers.CharField(allow_blank=True)
    done_on = serializers.DateField(required=False, allow_null=True, help_text=_("Empty: today."))
