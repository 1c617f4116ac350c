"""Documents API shapes: the register, revisions and their files, categories, locations, loans, handovers and
regulations, and the bodies of their POST actions. Writes of the workflow go through ``documents.services``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wuye.core.api.fields import CodeField
from wuye.core.api.serializers import BaseModelSerializer, TreeNodeSerializerMixin
from wuye.org.models import Staff

from ..choices import (
    Confidentiality,
    DocumentStatus,
    HandoverState,
    LoanMedium,
    LoanState,
    RegulationStatus,
    RevisionState,
)
from ..models import (
    Document,
    DocumentCategory,
    Handover,
    HandoverItem,
    Loan,
    Location,
    Regulation,
    Revision,
    RevisionFile,
)
from ..services import DOCUMENT_FIELDS


def _absolute(serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class FilesField(serializers.ListField):
    """Files of a revision (multipart): PDF, Word, Excel, plain text or photos, checked by their content."""

    child = serializers.FileField()

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("write_only", True)
        kwargs.setdefault("allow_empty", True)
        super().__init__(**kwargs)


class RevisionFileSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(help_text=_("Where the file is downloaded (never shown inline)."))

    class Meta:
        model = RevisionFile
        fields = ("id", "name", "content_type", "size", "sha256", "download")
        read_only_fields = fields

    def get_download(self, obj) -> str:
        return _absolute(self, reverse("documents:file", args=[obj.pk]))


class RevisionSerializer(BaseModelSerializer):
    """A revision (A/0, A/1, B/0 …) with its files. Created as a draft through
    ``POST /api/v1/documents/{id}/revisions/``; its steps are POST actions on ``/api/v1/revisions/{id}/``."""

    state = CodeField(RevisionState.choices, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    is_withdrawn = serializers.BooleanField(read_only=True, help_text=_(
        "Superseded or obsolete: its files are served with the 作废 (obsolete) mark."))
    author_name = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = Revision
        fields = (*BaseModelSerializer.base_fields, "document", "mark", "state", "state_label", "is_current",
                  "is_withdrawn", "change_description", "author", "author_name", "reviewer", "approver",
                  "submitted_at", "approved_at", "issued_at", "effective_on", "superseded_at", "files",
                  "created_at", "updated_at")
        read_only_fields = fields

    def get_author_name(self, obj) -> str:
        user = obj.author
        return (user.get_full_name() or user.get_username()) if user else ""

    @extend_schema_field(RevisionFileSerializer(many=True))
    def get_files(self, obj):
        """Only the files the caller may open (a paper loan does not open the electronic copy)."""
        openable = self.context.get("openable_files")
        files = [f for f in obj.files.all() if openable is None or f.pk in openable]
        return RevisionFileSerializer(files, many=True, context=self.context).data


class RevisionCreateSerializer(serializers.Serializer):
    change_description = serializers.CharField(required=False, allow_blank=True, default="")
    major = serializers.BooleanField(required=False, default=False, help_text=_(
        "A new edition (B/0) instead of a change (A/1)."))
    mark = serializers.CharField(required=False, allow_blank=True, default="", help_text=_(
        "The revision mark by hand (e.g. A/0); empty: the next one."))
    files = FilesField()


class RevisionRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class RevisionIssueSerializer(serializers.Serializer):
    effective_on = serializers.DateField(required=False, allow_null=True, help_text=_("Empty: today."))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class DocumentSerializer(BaseModelSerializer):
    """A document of the register. Created through ``document_create()`` (without ``code`` it is numbered by its
    category's rule), changed through ``document_update()``; the custodian changes through a handover."""

    code = serializers.CharField(max_length=60, required=False, allow_blank=True, help_text=_(
        "Empty: numbered by the category's rule, e.g. WY-QP-7.5-001."))
    status = CodeField(DocumentStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    confidentiality = CodeField(Confidentiality.choices, required=False)
    confidentiality_label = serializers.CharField(source="get_confidentiality_display", read_only=True)
    category_path = serializers.CharField(source="category.path", read_only=True)
    custodian_name = serializers.CharField(source="custodian.name", read_only=True, default=None, allow_null=True)
    revision = serializers.CharField(source="current_revision.mark", read_only=True, default=None, allow_null=True)
    location_name = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField(help_text=_("The document's page."))

    class Meta:
        model = Document
        fields = (*BaseModelSerializer.base_fields, "code", "title", "category", "category_path", "status",
                  "status_label", "current_revision", "revision", "confidentiality", "confidentiality_label",
                  "department", "custodian", "custodian_name", "retention_years", "review_by", "location",
                  "location_name", "estate", "building", "unit", "customer", "description", "keywords",
                  "obsoleted_at", "obsolete_reason", "page", "created_at", "updated_at")
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        writable = {"category", "code", "title", *DOCUMENT_FIELDS} if self.instance is None else {
            "title", *DOCUMENT_FIELDS}
        for name, field in fields.items():
            if name not in writable and name not in ("url", "display", "id"):
                field.read_only = True
            elif name in DOCUMENT_FIELDS and isinstance(field, serializers.RelatedField):
                field.required, field.allow_null = False, True
        # a custodian is any staff member (not only those serving the caller's estates)
        if "custodian" in fields and not fields["custodian"].read_only:
            fields["custodian"] = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False,
                                                                     allow_null=True)
        return fields

    def get_location_name(self, obj) -> str:
        return str(obj.location) if obj.location_id else ""

    def get_page(self, obj) -> str:
        return _absolute(self, obj.get_absolute_url())

    def validate(self, attrs):
        return attrs  # document_create() / document_update() check everything (full_clean, numbering, scope)


class DocumentSearchSerializer(serializers.Serializer):
    """A search hit: enough to show and open it."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    status = CodeField(DocumentStatus.choices)
    revision = serializers.CharField(source="current_revision.mark", default=None, allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return _absolute(self, reverse("api:documents-document-detail", args=[obj.pk]))


class DocumentCategorySerializer(TreeNodeSerializerMixin, BaseModelSerializer):
    default_confidentiality = CodeField(Confidentiality.choices, required=False)

    class Meta:
        model = DocumentCategory
        fields = (*BaseModelSerializer.base_fields, "name", "parent", "path", "prefix", "pattern", "next_number",
                  "default_confidentiality", "retention_years", "archive_type", "sort_order", "is_active",
                  "created_at", "updated_at")
        read_only_fields = ("path",)
        validators = []


class LocationSerializer(BaseModelSerializer):
    class Meta:
        model = Location
        fields = (*BaseModelSerializer.base_fields, "room", "cabinet", "shelf", "box", "notes", "is_active",
                  "created_at", "updated_at")
        validators = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        from django.core.exceptions import ValidationError as DjangoValidationError

        current = self.instance
        probe = Location(pk=current.pk if current else None,
                         **{k: attrs.get(k, getattr(current, k) if current else "")
                            for k in ("room", "cabinet", "shelf", "box")})
        probe._state.adding = current is None
        try:
            probe.validate_constraints()
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"non_field_errors": exc.messages}) from exc
        return attrs


class LoanSerializer(BaseModelSerializer):
    """A loan (借阅). Requested with the document's ``code`` or id (a confidential document is not listed to
    the asker, so it is named by its code), ``purpose``, ``medium``, ``starts_at`` and ``ends_at``."""

    document = serializers.PrimaryKeyRelatedField(read_only=True)
    document_code = serializers.CharField(source="document.code", read_only=True)
    document_title = serializers.CharField(source="document.title", read_only=True)
    medium = CodeField(LoanMedium.choices)
    state = CodeField(LoanState.choices, read_only=True)
    state_label = serializers.SerializerMethodField(help_text=_(
        "As people say it: a lent electronic loan past its end has expired, a paper one is overdue."))
    borrower_name = serializers.SerializerMethodField()

    class Meta:
        model = Loan
        fields = (*BaseModelSerializer.base_fields, "document", "document_code", "document_title", "borrower",
                  "borrower_name", "purpose", "medium", "starts_at", "ends_at", "state", "state_label",
                  "decided_by", "decided_at", "decision_reason", "lent_at", "returned_at", "returned_to",
                  "created_at", "updated_at")
        read_only_fields = ("borrower", "decided_by", "decided_at", "decision_reason", "lent_at", "returned_at",
                            "returned_to")

    def get_state_label(self, obj) -> str:
        return obj.display_state()

    def get_borrower_name(self, obj) -> str:
        return obj.borrower.get_full_name() or obj.borrower.get_username()


class LoanRequestSerializer(serializers.Serializer):
    code = serializers.CharField(required=False, allow_blank=True, help_text=_("The document's code."))
    document = serializers.IntegerField(required=False, allow_null=True, help_text=_("Or the document's id."))
    purpose = serializers.CharField(allow_blank=True)
    medium = CodeField(LoanMedium.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()

    def validate(self, attrs):
        if not (attrs.get("code") or "").strip() and not attrs.get("document"):
            raise serializers.ValidationError({"code": [_("Give the document's code.")]})
        return attrs


class HandoverItemSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="document.code", read_only=True)
    title = serializers.CharField(source="document.title", read_only=True)

    class Meta:
        model = HandoverItem
        fields = ("id", "document", "code", "title", "note", "confirmed_at")
        read_only_fields = fields


class HandoverSerializer(BaseModelSerializer):
    """交接: created listing every document in ``from_staff``'s custody; sent; the successor confirms each
    document; custody moves when the last one is confirmed."""

    from_staff = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())
    to_staff = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())
    from_staff_name = serializers.CharField(source="from_staff.name", read_only=True)
    to_staff_name = serializers.CharField(source="to_staff.name", read_only=True)
    state = CodeField(HandoverState.choices, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    items = HandoverItemSerializer(many=True, read_only=True)

    class Meta:
        model = Handover
        fields = (*BaseModelSerializer.base_fields, "from_staff", "from_staff_name", "to_staff", "to_staff_name",
                  "reason", "state", "state_label", "sent_at", "completed_at", "items", "created_at",
                  "updated_at")

    def validate(self, attrs):
        return attrs  # handover_create() checks


class HandoverConfirmSerializer(serializers.Serializer):
    document = serializers.IntegerField(help_text=_("The id of the document received."))


class RegulationSerializer(BaseModelSerializer):
    status = CodeField(RegulationStatus.choices, required=False)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    is_repealed = serializers.BooleanField(read_only=True)
    review_due_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Regulation
        fields = (*BaseModelSerializer.base_fields, "title", "number", "authority", "level", "level_label",
                  "issued_on", "effective_on", "status", "status_label", "is_repealed", "departments",
                  "last_reviewed_on", "review_due_on", "notes", "created_at", "updated_at")
        read_only_fields = ("last_reviewed_on",)


class RegulationReviewSerializer(serializers.Serializer):
    reviewed_on = serializers.DateField()
    status = CodeField(RegulationStatus.choices, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
