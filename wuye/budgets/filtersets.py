"""Filters of the budget lists; the same classes drive the pages' filter forms and the API's parameters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wuye.core.filtersets import BaseFilterSet
from wuye.org.models import Department

from .choices import BudgetStatus, ExpenseStatus
from .models import Budget, BudgetCategory, BudgetLine, Expense


class BudgetFilterSet(BaseFilterSet):
    search_fields = ("department__name", "notes")
    status = django_filters.ChoiceFilter(choices=BudgetStatus.choices, label=_("status"))
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label=_("department"))

    class Meta:
        model = Budget
        fields = ["q", "department", "year", "status"]


class BudgetLineFilterSet(BaseFilterSet):
    search_fields = ("description", "category__name")

    class Meta:
        model = BudgetLine
        fields = ["q", "budget", "category"]


class ExpenseFilterSet(BaseFilterSet):
    """``q`` searches the voucher number, payee and description; ``spent_after``/``spent_before`` the date."""

    search_fields = ("voucher_number", "payee", "description")
    status = django_filters.ChoiceFilter(choices=ExpenseStatus.choices, label=_("status"))
    category = django_filters.ModelChoiceFilter(field_name="line__category", queryset=BudgetCategory.objects.all(),
                                                label=_("category"))
    year = django_filters.NumberFilter(field_name="budget__year", label=_("year"))
    spent_after = django_filters.DateFilter(field_name="spent_on", lookup_expr="gte", label=_("From"))
    spent_before = django_filters.DateFilter(field_name="spent_on", lookup_expr="lte", label=_("To"))

    class Meta:
        model = Expense
        fields = ["q", "budget", "line", "category", "year", "status", "spent_after", "spent_before"]


class BudgetCategoryFilterSet(BaseFilterSet):
    search_fields = ("code", "name")

    class Meta:
        model = BudgetCategory
        fields = ["q", "is_active"]
