"""Serializers of the contracts API. Writes go through ``contracts.services``; these only shape input and
output."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wuye.core.api.fields import CodeField, RestrictedPrimaryKeyRelatedField
from wuye.core.api.serializers import BaseModelSerializer

from ..choices import ContractKind, ContractStatus, PartyKind, RenewalState, ReviewResult
from ..models import Contract, ContractFile, ContractReview, RenewalTask, ReviewCheck, ReviewChecklistItem, Takeover
from ..services import CONTRACT_FIELDS


class ReviewCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewCheck
        fields = ("id", "text", "passed", "note")
        read_only_fields = fields


class ContractReviewSerializer(serializers.ModelSerializer):
    result = CodeField(ReviewResult.choices, read_only=True)
    checks = ReviewCheckSerializer(many=True, read_only=True)

    class Meta:
        model = ContractReview
        fields = ("id", "submitted_by", "submitted_at", "reviewer", "decided_at", "result", "comments", "checks")
        read_only_fields = fields


class ContractFileSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = ContractFile
        fields = ("id", "name", "content_type", "size", "sha256", "created_at", "download")
        read_only_fields = fields

    def get_download(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class ContractSerializer(BaseModelSerializer):
    """A contract of the register (合同清单). Created as a draft through ``contract_create()`` (without ``number``
    it is numbered HT-<year>-<next>); a draft is changed through ``contract_update()`` (afterwards only its owner,
    payment terms and notes). Status changes only through the actions."""

    number = serializers.CharField(max_length=50, required=False, allow_blank=True,
                                   help_text=_("Empty: the next number, HT-<year>-0001."))
    kind = CodeField(ContractKind.choices)
    party_kind = CodeField(PartyKind.choices)
    status = CodeField(ContractStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    days_left = serializers.SerializerMethodField(help_text=_(
        "Days to the last valid day (negative after it); null once terminated or superseded."))
    estate_name = serializers.CharField(source="estate.name", read_only=True, default=None, allow_null=True)
    renewals = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    reviews = ContractReviewSerializer(many=True, read_only=True)
    files = ContractFileSerializer(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = (*BaseModelSerializer.base_fields, *CONTRACT_FIELDS, "estate_name", "status", "status_label",
                  "signed_on", "days_left", "ended_on", "end_reason", "renewals", "reviews", "files", "created_at",
                  "updated_at")
        read_only_fields = ("signed_on", "ended_on", "end_reason")

    def get_days_left(self, obj) -> int | None:
        return obj.days_left(timezone.localdate())

    def validate(self, attrs):
        if self.instance is not None and self.instance.status != ContractStatus.DRAFT:
            return attrs  # the service says which fields may still change
        return super().validate(attrs)

    def _clean_exclude(self, model):
        exclude = super()._clean_exclude(model)
        if self.instance is None and not (self.initial_data.get("number") or "").strip():
            exclude.append("number")  # numbered by contract_create()
        return exclude


class ContractReviewDecisionSerializer(serializers.Serializer):
    checks = serializers.DictField(child=serializers.JSONField(), required=False, help_text=_(
        "The review's points by id: true (holds), false, or {\"passed\": bool, \"note\": \"…\"}."))
    comments = serializers.CharField(required=False, allow_blank=True)


class ContractReturnSerializer(serializers.Serializer):
    checks = serializers.DictField(child=serializers.JSONField(), required=False)
    comments = serializers.CharField(allow_blank=True)


class ContractSignSerializer(serializers.Serializer):
    signed_on = serializers.DateField(required=False, allow_null=True, help_text=_("Empty: today."))


class ContractTerminateSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False, allow_null=True, help_text=_("Empty: today."))
    reason = serializers.CharField(allow_blank=True)


class ContractRenewSerializer(BaseModelSerializer):
    """What differs from the renewed contract (everything else is taken from it, see ``renewal_defaults``)."""

    number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    kind = CodeField(ContractKind.choices, required=False)
    party_kind = CodeField(PartyKind.choices, required=False)

    class Meta:
        model = Contract
        fields = tuple(f for f in CONTRACT_FIELDS if f != "renews")
        extra_kwargs = {f: {"required": False} for f in CONTRACT_FIELDS}

    def validate(self, attrs):
        return attrs  # checked by contract_renew() on the whole new contract


class ContractFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class TakeoverSerializer(BaseModelSerializer):
    """A takeover (接管) of an estate: recorded through ``takeover_record()``, which refuses it without the contract
    seed 2.10 / 2.11 require (``contract`` empty: the one in force)."""

    contract = RestrictedPrimaryKeyRelatedField(queryset=Contract.objects.all(), required=False, allow_null=True)
    taken_over_on = serializers.DateField(required=False)
    contract_number = serializers.CharField(source="contract.number", read_only=True)

    class Meta:
        model = Takeover
        fields = (*BaseModelSerializer.base_fields, "estate", "contract", "contract_number", "taken_over_on",
                  "notes", "created_by", "created_at")
        read_only_fields = ("created_by", "created_at")

    def validate(self, attrs):
        return attrs  # the rules are the service's


class EstateTakeoverSerializer(serializers.Serializer):
    """The takeover rule for one estate: what it needs, the contract that satisfies it now, the takeover if any."""

    estate = serializers.IntegerField()
    estate_kind = serializers.CharField()
    estate_status = serializers.CharField()
    rule = serializers.CharField()
    allowed = serializers.BooleanField()
    contract = serializers.IntegerField(allow_null=True)
    contract_number = serializers.CharField(allow_null=True)
    takeover = serializers.IntegerField(allow_null=True)


class EstateTakeoverRecordSerializer(serializers.Serializer):
    contract = serializers.IntegerField(required=False, allow_null=True)
    taken_over_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class RenewalTaskSerializer(BaseModelSerializer):
    state = CodeField(RenewalState.choices, read_only=True)

    class Meta:
        model = RenewalTask
        fields = (*BaseModelSerializer.base_fields, "estate", "contract", "committee", "state", "opened_on",
                  "closed_on", "new_contract", "note")
        read_only_fields = fields


class ReviewChecklistItemSerializer(BaseModelSerializer):
    class Meta:
        model = ReviewChecklistItem
        fields = (*BaseModelSerializer.base_fields, "text", "guidance", "sort_order", "is_active")


