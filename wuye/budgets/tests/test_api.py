"""The budgets API: a budget made, lined, approved and spent through the endpoints; refusals as 400 with the field;
the execution figures; reversal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from wuye.budgets.models import Budget, Expense

from .factories import budget, category, spend, today

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_budget_through_the_api(world, client_for):
    manager, executive = client_for("cs_manager", api=True), client_for("executive", api=True)
    year = today().year
    response = manager.post(reverse("api:budgets-budget-list"), {"department": world.department.pk, "year": year},
                            format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "draft"
    duplicate = manager.post(reverse("api:budgets-budget-list"), {"department": world.department.pk, "year": year},
                             format="json")
    assert duplicate.status_code == 400 and Budget.objects.count() == 1
    line = manager.post(reverse("api:budgets-budget-lines", args=[pk]),
                        {"category": category("office").pk, "amount": "1000.00"}, format="json")
    assert line.status_code == 201, line.content
    assert line.json()["phasing"][:11] == ["83.33"] * 11 and line.json()["phasing"][11] == "83.37"
    bad = manager.post(reverse("api:budgets-budget-lines", args=[pk]),
                       {"category": category("telecom").pk, "amount": "100.00", "phasing": ["10.00"] * 12},
                       format="json")
    assert bad.status_code == 400 and "phasing" in bad.json()
    assert manager.post(reverse("api:budgets-budget-approve", args=[pk]), format="json").status_code == 403
    approved = executive.post(reverse("api:budgets-budget-approve", args=[pk]), format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    # expenses
    body = {"line": line.json()["id"], "amount": "950.00", "spent_on": today().isoformat(), "voucher_number": "A1",
            "description": "办公桌椅"}
    created = manager.post(reverse("api:budgets-expense-list"), body, format="json")
    assert created.status_code == 201, created.content
    again = manager.post(reverse("api:budgets-expense-list"), body, format="json")
    assert again.status_code == 400 and "voucher_number" in again.json()
    zero = manager.post(reverse("api:budgets-expense-list"), {**body, "voucher_number": "A2", "amount": "0"},
                        format="json")
    assert zero.status_code == 400 and "amount" in zero.json()
    assert Expense.objects.count() == 1
    execution = manager.get(reverse("api:budgets-budget-execution", args=[pk])).json()
    assert execution["totals"]["actual"] == "950.00" and execution["totals"]["percent"] == "95.0"
    assert execution["lines"][0]["warning"] == "near"
    assert execution["lines"][0]["months"][today().month - 1]["actual"] == "950.00"
    detail = manager.get(reverse("api:budgets-budget-detail", args=[pk])).json()
    assert detail["total"] == "1000.00" and len(detail["lines"]) == 1
    # reversal
    expense_pk = created.json()["id"]
    refused = manager.post(reverse("api:budgets-expense-reverse", args=[expense_pk]), {"reason": ""}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    done = manager.post(reverse("api:budgets-expense-reverse", args=[expense_pk]), {"reason": "录错"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "reversed"
    execution = manager.get(reverse("api:budgets-budget-execution", args=[pk])).json()
    assert execution["totals"]["actual"] == "0.00"
    # no DELETE anywhere
    assert manager.delete(reverse("api:budgets-expense-detail", args=[expense_pk])).status_code == 405
    assert manager.delete(reverse("api:budgets-budget-detail", args=[pk])).status_code == 405


def test_execution_until_a_date_and_a_bad_date(world, client_for):
    item = budget(world, year=today().year - 1)
    import datetime as dt

    spend(world, item.lines.get(), "10.00", on=dt.date(item.year, 2, 1))
    spend(world, item.lines.get(), "20.00", on=dt.date(item.year, 8, 1))
    client = client_for("quality_auditor", api=True)
    url = reverse("api:budgets-budget-execution", args=[item.pk])
    data = client.get(url, {"until": f"{item.year}-06-30"}).json()
    assert data["to_month"] == 6 and data["totals"]["actual"] == "10.00"
    assert data["totals"]["planned_to_date"] == "600.00"
    assert client.get(url, {"until": "not-a-date"}).status_code == 400


def test_a_line_revision_through_the_api(world, client_for):
    item = budget(world)
    line = item.lines.get()
    client = client_for("cs_manager", api=True)
    url = reverse("api:budgets-budgetline-detail", args=[line.pk])
    refused = client.patch(url, {"amount": "2400.00"}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    done = client.patch(url, {"amount": "2400.00", "reason": "追加"}, format="json")
    assert done.status_code == 200 and done.json()["amount"] == "2400.00"
    assert done.json()["revision_reason"] == "追加" and done.json()["phasing"] == ["200.00"] * 12
