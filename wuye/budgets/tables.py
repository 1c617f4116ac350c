"""Tables of the budget lists (pages and Excel)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from .models import Budget, BudgetCategory, Expense

BUDGET_COLORS = {"draft": "secondary", "approved": "success", "closed": "dark"}
EXPENSE_COLORS = {"recorded": "success", "reversed": "secondary"}


class BudgetTable(BaseTable):
    year = tables.Column(linkify=True)
    department = tables.Column(accessor="department__name", verbose_name=_("department"),
                               linkify=lambda record: record.get_absolute_url())
    status = ChoiceBadgeColumn(colors=BUDGET_COLORS)
    total = tables.Column(verbose_name=_("annual amount (yuan)"), accessor="total_amount", orderable=True,
                          attrs={"td": {"class": "text-end"}})
    spent = tables.Column(verbose_name=_("spent (yuan)"), accessor="spent_amount", orderable=True,
                          attrs={"td": {"class": "text-end"}})

    class Meta(BaseTable.Meta):
        model = Budget
        fields = ("year", "department", "status", "total", "spent", "approved_by", "approved_at", "notes")
        default_columns = ("year", "department", "status", "total", "spent", "approved_at")


class ExpenseTable(BaseTable):
    voucher_number = tables.Column(linkify=True)
    spent_on = tables.DateColumn(format="Y-m-d")
    budget = tables.Column(linkify=True)
    line = tables.Column(verbose_name=_("budget line"))
    amount = tables.Column(attrs={"td": {"class": "text-end"}})
    status = ChoiceBadgeColumn(colors=EXPENSE_COLORS)

    class Meta(BaseTable.Meta):
        model = Expense
        fields = ("spent_on", "voucher_number", "budget", "line", "amount", "payee", "description", "status",
                  "recorded_by", "reverse_reason")
        default_columns = ("spent_on", "voucher_number", "budget", "line", "amount", "payee", "description", "status")


class BudgetCategoryTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = BudgetCategory
        fields = ("sort_order", "code", "name", "is_active")
        default_columns = fields
