"""Serializers of the appraisal-form API. Writes go through ``services.forms``; these only shape input and output.
A form is shown with its version in use nested (scale, grade bands, sections and items in order), the draft under
way if any, and the list of its versions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wuye.core.api.fields import CodeField
from wuye.core.api.serializers import BaseModelSerializer

from ..choices import FormStatus
from ..models import AppraisalForm, FormItem, FormSection, FormVersion
from ..services.forms import clean_scale


class FormItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormItem
        fields = ("id", "number", "text")
        read_only_fields = fields


class FormSectionSerializer(serializers.ModelSerializer):
    items = FormItemSerializer(many=True, read_only=True)

    class Meta:
        model = FormSection
        fields = ("id", "title", "weight", "sort_order", "items")
        read_only_fields = fields


class ScaleLevelSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField()


class GradeBandSerializer(serializers.Serializer):
    min = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False)
    grade = serializers.CharField()


class FormVersionSerializer(serializers.ModelSerializer):
    """One version: its title, scale (best level first), grade bands (highest first), sections and items."""

    status = CodeField(FormStatus.choices, read_only=True)
    scale = serializers.SerializerMethodField()
    bands = GradeBandSerializer(many=True, read_only=True)
    sections = FormSectionSerializer(many=True, read_only=True)

    class Meta:
        model = FormVersion
        fields = ("id", "number", "status", "title", "scale", "bands", "change_note", "published_at", "sections")
        read_only_fields = fields

    @extend_schema_field(ScaleLevelSerializer(many=True))
    def get_scale(self, obj) -> list:
        return clean_scale(obj.scale)


class FormVersionSummarySerializer(serializers.ModelSerializer):
    status = CodeField(FormStatus.choices, read_only=True)

    class Meta:
        model = FormVersion
        fields = ("id", "number", "status", "title", "change_note", "published_at")
        read_only_fields = fields


def _version(form, status):
    versions = getattr(form, "_prefetched_objects_cache", {}).get("versions")
    if versions is None:
        return form.versions.filter(status=status).order_by("-number").first()
    return next((v for v in sorted(versions, key=lambda v: -v.number) if v.status == status), None)


class AppraisalFormSerializer(BaseModelSerializer):
    """An appraisal form (测评表). Created through ``appraisal_form_create()`` with a draft version 1 (the default
    scale and bands; ``title`` defaults to the name); ``name`` and ``posts`` change through
    ``appraisal_form_update()``; the content changes only through a new version (the pages edit the draft)."""

    title = serializers.CharField(max_length=100, required=False, allow_blank=True, write_only=True,
                                  help_text=_("The title printed on the form (version 1); empty: the name."))
    active_version = serializers.SerializerMethodField(help_text=_("The version in use, or null."))
    draft_version = serializers.SerializerMethodField(help_text=_("The draft under way, or null."))
    versions = serializers.SerializerMethodField()

    class Meta:
        model = AppraisalForm
        fields = (*BaseModelSerializer.base_fields, "code", "name", "posts", "is_builtin", "title",
                  "active_version", "draft_version", "versions", "created_at", "updated_at")
        read_only_fields = ("is_builtin",)

    @extend_schema_field(FormVersionSerializer(allow_null=True))
    def get_active_version(self, obj):
        version = _version(obj, FormStatus.ACTIVE)
        return FormVersionSerializer(version, context=self.context).data if version else None

    @extend_schema_field(FormVersionSerializer(allow_null=True))
    def get_draft_version(self, obj):
        version = _version(obj, FormStatus.DRAFT)
        return FormVersionSerializer(version, context=self.context).data if version else None

    @extend_schema_field(FormVersionSummarySerializer(many=True))
    def get_versions(self, obj):
        versions = sorted(obj.versions.all(), key=lambda v: -v.number)
        return FormVersionSummarySerializer(versions, many=True, context=self.context).data

    def validate(self, attrs):
        if self.instance is not None and "code" in attrs and attrs["code"] != self.instance.code:
            raise serializers.ValidationError({"code": _("The code of a form does not change.")})
        attrs = dict(attrs)
        title = attrs.pop("title", None)
        attrs = super().validate(attrs)
        if title is not None:
            attrs["title"] = title
        return attrs


class NewVersionSerializer(serializers.Serializer):
    change_note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PublishVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text=_("The draft version's id; empty: the form's "
                                                                    "draft."))
