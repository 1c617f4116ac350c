"""Serializers of the budgets API. Writes go through ``budgets.services``; these only shape input and output."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wuye.core.api.fields import CodeField
from wuye.core.api.serializers import BaseModelSerializer

from ..choices import BudgetStatus, ExpenseStatus
from ..models import Budget, BudgetCategory, BudgetLine, Expense, VoucherFile


class BudgetCategorySerializer(BaseModelSerializer):
    class Meta:
        model = BudgetCategory
        fields = (*BaseModelSerializer.base_fields, "code", "name", "sort_order", "is_active")


class BudgetLineSerializer(BaseModelSerializer):
    """A line: category, description, annual amount and its monthly phasing (twelve amounts, January first)."""

    category_name = serializers.CharField(source="category.name", read_only=True)
    phasing = serializers.ListField(child=serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0),
                                    min_length=12, max_length=12, required=False, help_text=_(
        "Twelve monthly amounts summing to the annual amount; empty: an even split, the rounding on December."))
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True, help_text=_(
        "Required once the budget is approved (a revision)."))

    class Meta:
        model = BudgetLine
        fields = (*BaseModelSerializer.base_fields, "budget", "category", "category_name", "description", "amount",
                  "phasing", "revision_reason", "reason")
        read_only_fields = ("budget", "revision_reason")

    def validate(self, attrs):
        return attrs  # the service checks (sum of the phasing, status, reason)




class BudgetSerializer(BaseModelSerializer):
    """A department's budget for a year, with its lines. Created as a draft through ``budget_create()``; the
    status changes only through the actions ``approve`` and ``close``; lines are added with ``lines``."""

    status = CodeField(BudgetStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    lines = BudgetLineSerializer(many=True, read_only=True)
    total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Budget
        fields = (*BaseModelSerializer.base_fields, "department", "department_name", "year", "status", "status_label",
                  "notes", "total", "approved_by", "approved_at", "closed_by", "closed_at", "close_reason", "lines",
                  "created_at", "updated_at")
        read_only_fields = ("approved_by", "approved_at", "closed_by", "closed_at", "close_reason")

    def validate(self, attrs):
        return attrs  # the service checks (own department, one per department and year, draft only)


class BudgetCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, help_text=_(
        "Required when the year is not over yet."))


class VoucherFileSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = VoucherFile
        fields = ("id", "name", "content_type", "size", "sha256", "created_at", "download")
        read_only_fields = fields

    def get_download(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class ExpenseSerializer(BaseModelSerializer):
    """An expense against a budget line. Recorded through ``expense_record()`` (JSON, or multipart with ``file``,
    the voucher scan); never changed afterwards, only reversed (action ``reverse``)."""

    status = CodeField(ExpenseStatus.choices, read_only=True)
    file = serializers.FileField(write_only=True, required=False, help_text=_("The voucher scan."))
    files = VoucherFileSerializer(many=True, read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        model = Expense
        fields = (*BaseModelSerializer.base_fields, "budget", "line", "amount", "spent_on", "voucher_number", "payee",
                  "description", "status", "recorded_by", "reversed_by", "reversed_at", "reverse_reason", "file",
                  "files", "created_at")
        read_only_fields = ("budget", "recorded_by", "reversed_by", "reversed_at", "reverse_reason")

    def validate(self, attrs):
        return attrs  # the service checks every rule, field by field


class ExpenseReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class ExecutionCellSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    planned = serializers.DecimalField(max_digits=16, decimal_places=2)
    actual = serializers.DecimalField(max_digits=16, decimal_places=2)
    variance = serializers.DecimalField(max_digits=16, decimal_places=2)
    percent = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)


class ExecutionSummarySerializer(serializers.Serializer):
    months = ExecutionCellSerializer(many=True)
    annual = serializers.DecimalField(max_digits=16, decimal_places=2)
    actual = serializers.DecimalField(max_digits=16, decimal_places=2)
    planned_to_date = serializers.DecimalField(max_digits=16, decimal_places=2)
    variance_to_date = serializers.DecimalField(max_digits=16, decimal_places=2)
    percent_to_date = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    percent = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    remaining = serializers.DecimalField(max_digits=16, decimal_places=2)
    warning = serializers.CharField(allow_null=True, help_text="near, over or null")


class ExecutionLineSerializer(ExecutionSummarySerializer):
    line = serializers.IntegerField(source="line.pk")
    category = serializers.CharField(source="line.category.name")
    description = serializers.CharField(source="line.description")


class ExecutionSerializer(serializers.Serializer):
    budget = serializers.IntegerField(source="budget.pk")
    until = serializers.DateField(allow_null=True)
    to_month = serializers.IntegerField()
    lines = ExecutionLineSerializer(many=True)
    totals = ExecutionSummarySerializer()
