"""The budget pages: the budget's page with its execution and warnings, adding and revising lines, recording and
reversing expenses (refusals on the form, nothing changed), the 经费控制报告 with its PDF and Excel, the home-page
panel."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wuye.budgets import selectors
from wuye.budgets.choices import BudgetStatus, ExpenseStatus
from wuye.budgets.models import Budget, BudgetLine, Expense

from .factories import budget, category, spend, today

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_budget_page_shows_lines_execution_and_warnings(world, client_for):
    item = budget(world, lines=(("office", "1000.00"), ("telecom", "200.00"), ("training", "500.00")))
    office, telecom = item.lines.get(category__code="office"), item.lines.get(category__code="telecom")
    spend(world, office, "950.00")
    spend(world, telecom, "250.00")
    response = client_for("cs_manager").get(item.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="budget-line') == 3
    assert f'id="line-{office.pk}" class="budget-line warning-near"' in html
    assert f'id="line-{telecom.pk}" class="budget-line warning-over"' in html
    assert html.count("budget-warning-near") == 1 and html.count("budget-warning-over") == 1
    assert "95.0%" in html and "125.0%" in html
    assert reverse("budgets:budgetline_edit", args=[office.pk]) in html
    assert "step-expense" in html and "step-close" in html and "step-approve" not in html
    # top management sees it read only: no line edits, no expenses, the close step
    html = client_for("executive").get(item.get_absolute_url()).content.decode()
    assert "line-edit" not in html and "step-expense" not in html and "step-close" in html


def test_adding_a_line_with_its_own_phasing_on_the_page(world, client_for):
    item = budget(world, status="draft", lines=())
    months = {f"month_{m}": ("300.00" if m in (3, 6, 9, 12) else "0") for m in range(1, 13)}
    response = client_for("cs_manager").post(reverse("budgets:budgetline_add", args=[item.pk]), {
        "category": category("training").pk, "description": "季度培训", "amount": "1200.00", "reason": "", **months})
    assert response.status_code == 302
    line = item.lines.get()
    assert line.phasing == [D("0.00"), D("0.00"), D("300.00")] * 4
    # a phasing that does not add up: the form says so, nothing saved
    months["month_12"] = "299.00"
    response = client_for("cs_manager").post(reverse("budgets:budgetline_add", args=[item.pk]), {
        "category": category("office").pk, "description": "", "amount": "1200.00", "reason": "", **months})
    assert response.status_code == 400
    assert "1199.00" in response.content.decode()
    assert BudgetLine.objects.filter(budget=item).count() == 1


def test_a_revision_on_the_page_needs_the_reason(world, client_for):
    item = budget(world)
    line = item.lines.get()
    data = {"category": line.category_id, "description": line.description, "amount": "2400.00", "reason": "",
            **{f"month_{m}": "" for m in range(1, 13)}}
    url = reverse("budgets:budgetline_edit", args=[line.pk])
    response = client_for("cs_manager").post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    line.refresh_from_db()
    assert line.amount == D("1200.00")
    response = client_for("cs_manager").post(url, {**data, "reason": "追加办公设备"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.amount == D("2400.00") and line.revision_reason == "追加办公设备"


def test_recording_an_expense_on_the_page(world, client_for):
    item = budget(world)
    line = item.lines.get()
    data = {"line": line.pk, "amount": "88.00", "spent_on": today().isoformat(), "voucher_number": "PZ-1",
            "payee": "文具店", "description": "打印纸"}
    client = client_for("cs_manager")
    assert client.get(f"{reverse('budgets:expense_add')}?budget={item.pk}").status_code == 200
    response = client.post(reverse("budgets:expense_add"), data)
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert response["Location"] == expense.get_absolute_url()
    response = client.post(reverse("budgets:expense_add"), {**data, "amount": "5.00"})
    assert response.status_code == 400 and response.context["form"].errors["voucher_number"]
    response = client.post(reverse("budgets:expense_add"), {**data, "voucher_number": "PZ-2", "amount": "0"})
    assert response.status_code == 400 and response.context["form"].errors["amount"]
    assert Expense.objects.count() == 1
    # reverse it
    response = client.post(reverse("budgets:expense_step", args=[expense.pk, "reverse"]), {"reason": "录错"})
    assert response.status_code == 302
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.REVERSED
    html = client.get(expense.get_absolute_url()).content.decode()
    assert "录错" in html and "step-reverse" not in html


def test_approving_and_closing_on_the_page(world, client_for):
    item = budget(world, status="draft")
    response = client_for("executive").post(reverse("budgets:budget_step", args=[item.pk, "approve"]), {})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == BudgetStatus.APPROVED
    url = reverse("budgets:budget_step", args=[item.pk, "close"])
    response = client_for("cs_manager").post(url, {"reason": ""})
    assert response.status_code == 400
    assert Budget.objects.get(pk=item.pk).status == BudgetStatus.APPROVED
    assert client_for("cs_manager").post(url, {"reason": "部门调整"}).status_code == 302
    assert Budget.objects.get(pk=item.pk).status == BudgetStatus.CLOSED


def test_the_budget_control_report_page_pdf_and_excel(world, client_for):
    item = budget(world, lines=(("office", "1200.00"), ("telecom", "600.00")))
    spend(world, item.lines.get(category__code="office"), "130.00")
    spend(world, item.lines.get(category__code="telecom"), "700.00")
    month = today().month
    url = reverse("budgets:budget_report", args=[item.pk])
    client = client_for("cs_manager")
    response = client.get(url, {"period": "month", "month": month})
    assert response.status_code == 200
    report = response.context["report"]
    assert report["totals"]["planned"] == D("150.00") and report["totals"]["actual"] == D("830.00")
    html = response.content.decode()
    assert html.count('class="report-line"') == 2
    pdf = client.get(url, {"period": "month", "month": month, "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(url, {"period": "ytd", "month": month, "format": "xlsx"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    expected = selectors.budget_report(item, "ytd", month)
    assert len(rows) == 1 + 2 + 1
    assert rows[-1][2] == float(expected["totals"]["planned"]) and rows[-1][3] == float(D("830.00"))
    assert rows[2][9]  # the telecom line is overrun: the warning column says so


def test_the_home_page_panel_shows_the_execution(world, client_for):
    item = budget(world, lines=(("office", "1000.00"), ("telecom", "100.00")))
    spend(world, item.lines.get(category__code="office"), "910.00")
    spend(world, item.lines.get(category__code="telecom"), "120.00")
    html = client_for("cs_manager").get(reverse("home")).content.decode()
    assert "budgets-dashboard-panel" in html
    assert f'data-budget="{item.pk}"' in html
    assert "budget-over" in html and "budget-near" in html
    assert "budgets-dashboard-panel" not in client_for("agent").get(reverse("home")).content.decode()
    assert "budgets-dashboard-panel" not in client_for("quality_auditor").get(reverse("home")).content.decode()
