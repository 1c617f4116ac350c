"""Serializers of the corrective-actions API. Writes go through ``services.actions``; these only shape input and
output."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wuye.core.api.fields import CodeField, RestrictedPrimaryKeyRelatedField
from wuye.core.api.serializers import BaseModelSerializer
from wuye.org.models import Staff

from ..choices import ActionSource, ActionState, Effectiveness, FindingGrade
from ..models import CorrectiveAction, QualityFile

RAISE_FIELDS = ("source", "title", "description", "grade", "finding", "ticket", "review", "source_reference",
                "estate", "department", "immediate_correction")
EDIT_FIELDS = ("title", "description", "grade", "estate", "department", "source_reference", "immediate_correction")


class CorrectiveActionFileSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = QualityFile
        fields = ("id", "name", "content_type", "size", "sha256", "note", "created_at", "download")
        read_only_fields = fields

    def get_download(self, obj) -> str:
        from django.urls import reverse

        request = self.context.get("request")
        path = reverse("quality:file", args=[obj.pk])
        return request.build_absolute_uri(path) if request is not None else path


class CorrectiveActionSerializer(BaseModelSerializer):
    """A nonconformity and its corrective action. Created through ``corrective_action_raise()`` (numbered
    CA-<year>-NNN, in draft); corrected through ``corrective_action_update()`` while draft or under cause analysis;
    the state changes only through the actions (there is no way to "closed" but ``verify``)."""

    source = CodeField(ActionSource.choices)
    grade = CodeField(FindingGrade.choices, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                  help_text=_("Empty for an action from a finding or a complaint: taken from it."))
    description = serializers.CharField(required=False, allow_blank=True)
    state = CodeField(ActionState.choices, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    effectiveness = CodeField(Effectiveness.choices, read_only=True)
    is_overdue = serializers.SerializerMethodField()
    owner_name = serializers.CharField(source="owner.name", read_only=True, default=None, allow_null=True)
    estate_name = serializers.CharField(source="estate.name", read_only=True, default=None, allow_null=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = CorrectiveAction
        fields = (*BaseModelSerializer.base_fields, "number", *RAISE_FIELDS, "estate_name", "raised_on", "state",
                  "state_label", "root_cause", "action_plan", "owner", "owner_name", "due_on", "is_overdue",
                  "started_on", "completed_on", "completed_by", "completion_note", "verifier", "verified_on",
                  "effectiveness", "verification_note", "closed_on", "cancel_reason", "files", "created_at",
                  "updated_at")
        read_only_fields = ("number", "raised_on", "root_cause", "action_plan", "owner", "due_on", "started_on",
                            "completed_on", "completed_by", "completion_note", "verifier", "verified_on",
                            "closed_on", "cancel_reason")

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()

    def get_files(self, obj) -> list[dict]:
        from ..services.files import files_of

        return CorrectiveActionFileSerializer(files_of(obj), many=True, context=self.context).data

    def validate(self, attrs):
        if self.instance is not None:
            fixed = sorted(set(attrs) - set(EDIT_FIELDS))
            if fixed:
                raise serializers.ValidationError({name: _("This cannot be changed after raising.")
                                                   for name in fixed})
        return attrs  # the rules are the service's


class CorrectiveActionCauseSerializer(serializers.Serializer):
    immediate_correction = serializers.CharField(required=False, allow_blank=True,
                                                 help_text=_("Empty: the one recorded when raising."))
    root_cause = serializers.CharField(allow_blank=True)


class CorrectiveActionPlanSerializer(serializers.Serializer):
    action_plan = serializers.CharField(allow_blank=True)
    owner = RestrictedPrimaryKeyRelatedField(queryset=Staff.objects.all(), allow_null=True)
    due_on = serializers.DateField(allow_null=True)


class CorrectiveActionCompleteSerializer(serializers.Serializer):
    completion_note = serializers.CharField(allow_blank=True)
    files = serializers.ListField(child=serializers.FileField(), required=False,
                                  help_text=_("Evidence files (multipart)."))


class CorrectiveActionVerifySerializer(serializers.Serializer):
    effective = serializers.BooleanField(help_text=_("true: close the action; false: back to the owner."))
    note = serializers.CharField(allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True,
                                   help_text=_("Only when not effective: a new due date."))


class CorrectiveActionCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
