"""Ticket API shapes: the ticket (with its deadlines and the steps the caller may take), the bodies of the
lifecycle actions, progress notes, service levels and categories. Writes go through ``tickets.services``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wuye.core.api.fields import CodeField, MaskedField, RestrictedPrimaryKeyRelatedField
from wuye.core.api.serializers import BaseModelSerializer, TreeNodeSerializerMixin
from wuye.core.scope import user_scope
from wuye.estates.models import Unit
from wuye.org.models import Department, Staff

from ..choices import (
    CallbackMethod,
    CallbackOutcome,
    CancelReason,
    LimitUnit,
    NoteVisibility,
    Step,
    TicketKind,
    TicketStatus,
)
from ..models import ProgressNote, ServiceLevel, Ticket, TicketCategory
from ..services import ANALYSIS_FIELDS, DETAIL_FIELDS
from ..workflow import available_steps

# The fields ticket_create() takes (besides the actor and files); the rest of the ticket is the workflow's.
CREATE_FIELDS = ("estate", *DETAIL_FIELDS, "reported_at", "assignee", "department")


class DeadlineSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("response, onsite or resolution"))
    label = serializers.CharField()
    due = serializers.DateTimeField()
    done = serializers.DateTimeField(allow_null=True, help_text=_("When the limit was met (the step was taken)."))
    met = serializers.BooleanField(allow_null=True, help_text=_("True: on time; false: late; null: not yet known."))
    seconds_left = serializers.IntegerField(allow_null=True, help_text=_("Negative once the limit has passed."))
    overdue = serializers.BooleanField()

    def to_representation(self, row):
        left = row.get("left")
        due, done = self.fields["due"], self.fields["done"]
        return {"name": row["name"], "label": str(row["label"]), "due": due.to_representation(row["due"]),
                "done": done.to_representation(row["done"]) if row["done"] else None,
                "met": row["met"], "seconds_left": int(left.total_seconds()) if left is not None else None,
                "overdue": row["overdue"]}


class FilesField(serializers.ListField):
    """Photos and files (multipart): JPEG, PNG, GIF, WebP or PDF, each within the upload limit."""

    child = serializers.FileField()

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("write_only", True)
        kwargs.setdefault("allow_empty", True)
        super().__init__(**kwargs)


class TicketSerializer(BaseModelSerializer):
    """A ticket. Create (staff) and update go through the services; ``version`` is required on update and must
    be the one last read: a ticket changed by someone else in the meantime answers 409."""

    contact_phone = MaskedField(max_length=30)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    priority_label = serializers.CharField(source="get_priority_display", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    estate_name = serializers.CharField(source="estate.name", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True, default=None, allow_null=True)
    category_path = serializers.CharField(source="category.path", read_only=True, default=None, allow_null=True)
    assignee_name = serializers.CharField(source="assignee.name", read_only=True, default=None, allow_null=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default=None, allow_null=True)
    cancel_reason = CodeField(CancelReason.choices, read_only=True)
    cancel_reason_label = serializers.CharField(source="get_cancel_reason_display", read_only=True)
    satisfaction_label = serializers.CharField(source="get_satisfaction_display", read_only=True, default=None,
                                               allow_null=True)
    deadlines = serializers.SerializerMethodField()
    available_steps = serializers.SerializerMethodField()
    version = serializers.IntegerField(min_value=1, help_text=_(
        "The version last read. Required on update and optional on the step actions: a stale version answers "
        "409 and changes nothing."))
    files = FilesField()

    class Meta:
        model = Ticket
        fields = (*BaseModelSerializer.base_fields, "number", "kind", "kind_label", "status", "status_label",
                  "priority", "priority_label", "channel", "channel_label", "estate", "estate_name", "unit",
                  "unit_code", "customer", "contact_name", "contact_phone", "location", "category", "category_path",
                  "title", "description", "reported_at", "assignee", "assignee_name", "department",
                  "department_name", "resolution", "accepted_at", "assigned_at", "responded_at", "started_at",
                  "resolved_at", "called_back_at", "closed_at", "cancelled_at", "cancel_reason",
                  "cancel_reason_label", "cancel_comment", "response_due", "onsite_due", "resolution_due",
                  "response_met", "onsite_met", "resolution_met", "is_overdue", "overdue_limits",
                  "handling_minutes", "callback_required", "callback_due", "satisfaction", "satisfaction_label",
                  "flagged", "reopen_count", "is_valid_complaint", "responsible_department", "cause", "measures",
                  "legacy_ref", "deadlines", "available_steps", "version", "files", "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        writable = set(CREATE_FIELDS) | {"files"} if self.instance is None else {
            *DETAIL_FIELDS, *ANALYSIS_FIELDS, "version"}
        for name, field in fields.items():
            if name not in writable and name not in ("url", "display", "id"):
                field.read_only = True
        if self.instance is None:
            fields["version"].read_only = True
        for name in ("assignee", "department", "responsible_department"):
            fields[name].allow_null = True
            fields[name].required = False
        return fields

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, obj):
        return DeadlineSerializer(obj.deadlines(), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Step.choices)))
    def get_available_steps(self, obj) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        steps = [str(t.step) for t in available_steps(obj, request.user)]
        if obj.status == TicketStatus.RESOLVED and user_scope(request.user).is_resident:
            steps.append(str(Step.RATE))
        return steps

    def validate(self, attrs):
        version = attrs.pop("version", None)
        files = attrs.pop("files", None)
        attrs = super().validate(attrs)
        if version is not None:
            attrs["version"] = version
        if files:
            attrs["files"] = files
        return attrs

    def _clean_exclude(self, model):
        # The model's checks for the fields written here; the workflow fields are the services' business.
        return [*super()._clean_exclude(model), "assignee", "department"]


class TicketSubmitSerializer(serializers.ModelSerializer):
    """What a resident files for one of their household's units (the estate follows the unit)."""

    unit = RestrictedPrimaryKeyRelatedField(queryset=Unit.objects.all())
    # Categories are reference data, the same for everyone: any category in use may be chosen.
    category = serializers.PrimaryKeyRelatedField(queryset=TicketCategory.objects.filter(is_active=True),
                                                  required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=TicketKind.choices, default=TicketKind.REPAIR)
    files = FilesField()

    class Meta:
        model = Ticket
        fields = ("unit", "kind", "category", "title", "description", "location", "files")

    def validate(self, attrs):
        return attrs  # ticket_submit() checks the unit and the rest


# --- the bodies of the step actions ----------------------------------------------------------------------------


class StepSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=_(
        "The version last read; when given and stale, the answer is 409 and nothing changes."))
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(StepSerializer):
    assignee = RestrictedPrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False, allow_null=True,
                                                help_text=_("A staff member who serves the ticket's estate."))
    department = RestrictedPrimaryKeyRelatedField(queryset=Department.objects.all(), required=False,
                                                  allow_null=True)


class ResolveSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)
    resolution = serializers.CharField(allow_blank=True)
    is_valid_complaint = serializers.BooleanField(required=False, allow_null=True)
    responsible_department = RestrictedPrimaryKeyRelatedField(queryset=Department.objects.all(), required=False,
                                                              allow_null=True)
    cause = serializers.CharField(required=False, allow_blank=True)
    measures = serializers.CharField(required=False, allow_blank=True)


class CallbackSerializer(StepSerializer):
    outcome = serializers.ChoiceField(choices=CallbackOutcome.choices, default=CallbackOutcome.REACHED)
    satisfaction = serializers.IntegerField(required=False, allow_null=True,
                                            help_text=_("5 very satisfied … 1 very dissatisfied; none when the "
                                                        "customer was not reached."))
    method = serializers.ChoiceField(choices=CallbackMethod.choices, default=CallbackMethod.PHONE)
    called_at = serializers.DateTimeField(required=False, allow_null=True)


class ReopenSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)
    reason = serializers.CharField(allow_blank=True)


class CancelSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)
    reason = serializers.ChoiceField(choices=CancelReason.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RateSerializer(serializers.Serializer):
    satisfaction = serializers.IntegerField(help_text=_("5 very satisfied … 1 very dissatisfied."))
    comment = serializers.CharField(required=False, allow_blank=True, default="")


# --- notes, service levels, categories -------------------------------------------------------------------------


class ProgressNoteSerializer(BaseModelSerializer):
    visibility = serializers.ChoiceField(choices=NoteVisibility.choices, default=NoteVisibility.INTERNAL)
    visibility_label = serializers.CharField(source="get_visibility_display", read_only=True)
    author = serializers.SerializerMethodField()
    files = FilesField()

    class Meta:
        model = ProgressNote
        fields = ("id", "url", "display", "ticket", "body", "visibility", "visibility_label", "noted_at", "author",
                  "files")
        read_only_fields = ("ticket", "noted_at")

    def get_url(self, obj) -> str:
        from django.urls import reverse

        path = reverse("api:tickets-ticket-notes", kwargs={"pk": obj.ticket_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_author(self, obj) -> str:
        user = obj.created_by
        if user is None:
            return ""
        return user.get_full_name() or user.get_username()

    def validate(self, attrs):
        return attrs  # note_add() validates


class ServiceLevelSerializer(BaseModelSerializer):
    kind = CodeField(TicketKind.choices, read_only=True)
    response_unit = CodeField(LimitUnit.choices, required=False)
    onsite_unit = CodeField(LimitUnit.choices, required=False)
    resolution_unit = CodeField(LimitUnit.choices, required=False)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    priority_label = serializers.CharField(source="get_priority_display", read_only=True)

    class Meta:
        model = ServiceLevel
        fields = (*BaseModelSerializer.base_fields, "kind", "kind_label", "priority", "priority_label",
                  "response_value", "response_unit", "onsite_value", "onsite_unit", "resolution_value",
                  "resolution_unit", "callback_required", "updated_at")
        read_only_fields = ("kind", "priority")
        validators = []


class TicketCategorySerializer(TreeNodeSerializerMixin, BaseModelSerializer):
    kinds = serializers.ListField(child=CodeField(TicketKind.choices), required=False,
                                  help_text=_("The kinds this category is offered for; empty for all kinds."))

    class Meta:
        model = TicketCategory
        fields = (*BaseModelSerializer.base_fields, "name", "parent", "path", "kinds", "department", "sort_order",
                  "is_active", "created_at", "updated_at")
        read_only_fields = ("path",)
        validators = []
