"""Demo budget (made through the services by the demo users, idempotent): this year's approved budget of 客户服务部
with 8 lines and about 40 expenses, one line past 90 %, one overrun, one reversed expense; a second run changes
nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps

from wuye.budgets import demo, selectors
from wuye.budgets.choices import BudgetStatus, ExpenseStatus
from wuye.budgets.models import Budget, BudgetAlert, Expense
from wuye.core import demo as core_demo
from wuye.org import demo as org_demo

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed}


def test_demo_budget_and_a_second_load_changes_nothing():
    out = StringIO()
    core_demo.load(stdout=out, style=None)
    org_demo.load(stdout=out, style=None)
    assert demo.load(stdout=out, style=None) == []
    budget = Budget.objects.get()
    assert budget.status == BudgetStatus.APPROVED and budget.department.code == "cs"
    assert budget.created_by.username == "cs_manager" and budget.approved_by.username == "executive"
    assert budget.lines.count() == 8
    assert Expense.objects.filter(status=ExpenseStatus.RECORDED).count() == 39
    assert Expense.objects.filter(status=ExpenseStatus.REVERSED).count() == 1
    execution = selectors.budget_execution(budget)
    levels = {w["line"].category.code: w["level"] for w in execution["warnings"]}
    assert levels == {"hospitality": "near", "transport": "over"}
    assert BudgetAlert.objects.count() == 3  # hospitality 90 %, transport 90 % and overrun
    before = _counts()
    again = StringIO()
    demo.load(stdout=again, style=None)
    assert "0 expenses added" in again.getvalue()
    assert _counts() == before
