"""The figures of the budget selectors, each checked against an independent computation from the raw amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from wuye.budgets import selectors, services
from wuye.budgets.models import Budget

from .factories import category, other_budget, today

pytestmark = pytest.mark.django_db
D = Decimal
YEAR = today().year - 1  # a year that is over: every date of it may carry expenses

PHASING = {
    "office": [D("100.00")] * 12,                                          # 1200
    "training": [D("0")] * 3 + [D("1000.00")] * 3 + [D("0")] * 6,          # 3000, all in Q2
    "telecom": [D("50.00")] * 11 + [D("450.00")],                          # 1000
}
# (category, date, amount, reversed?)
EXPENSES = [
    ("office", dt.date(YEAR, 1, 15), D("80.00"), False),
    ("office", dt.date(YEAR, 1, 31), D("30.00"), False),
    ("office", dt.date(YEAR, 4, 2), D("120.50"), False),
    ("office", dt.date(YEAR, 6, 30), D("999.00"), True),
    ("training", dt.date(YEAR, 5, 20), D("1500.00"), False),
    ("training", dt.date(YEAR, 6, 1), D("1300.00"), False),  # 2800 of 3000: 93.3 %
    ("telecom", dt.date(YEAR, 3, 3), D("600.00"), False),
    ("telecom", dt.date(YEAR, 9, 9), D("450.01"), False),    # 1050.01 of 1000: overrun
]


@pytest.fixture
def data(world):
    manager = world.users["cs_manager"]
    budget = services.budget_create(actor=manager, department=world.department, year=YEAR)
    lines = {code: services.line_add(actor=manager, budget=budget, category=category(code),
                                     amount=sum(phasing), phasing=phasing) for code, phasing in PHASING.items()}
    services.budget_approve(actor=world.users["executive"], budget=budget)
    for number, (code, on, amount, undone) in enumerate(EXPENSES):
        expense = services.expense_record(actor=manager, line=lines[code], amount=amount, spent_on=on,
                                          voucher_number=f"V{number}", description="x")
        if undone:
            services.expense_reverse(actor=manager, expense=expense, reason="录错")
    # a draft budget of next year and another department's budget stay out of the department figures
    services.budget_create(actor=manager, department=world.department, year=YEAR + 1)
    other_budget(world)
    budget.refresh_from_db()
    return budget, lines


def expected_actual(code, month=None, until=None, start=None, end=None):
    return sum((a for c, on, a, undone in EXPENSES if c == code and not undone
                and (month is None or on.month == month) and (until is None or on <= until)
                and (start is None or on >= start) and (end is None or on <= end)), D("0"))


def pct(actual, planned):
    return (actual / planned * 100).quantize(D("0.1")) if planned else None


def test_budget_execution_lines_by_months(data):
    budget, lines = data
    result = selectors.budget_execution(budget)
    assert result["to_month"] == 12 and result["months"] == list(range(1, 13))
    rows = {row["line"].category.code: row for row in result["lines"]}
    assert set(rows) == set(PHASING)
    for code, phasing in PHASING.items():
        row = rows[code]
        for m in range(1, 13):
            actual = expected_actual(code, m)
            assert row["months"][m - 1] == {"month": m, "planned": phasing[m - 1], "actual": actual,
                                            "variance": phasing[m - 1] - actual,
                                            "percent": pct(actual, phasing[m - 1])}, (code, m)
        annual = sum(phasing)
        actual = expected_actual(code)
        assert (row["annual"], row["actual"], row["remaining"]) == (annual, actual, annual - actual)
        assert row["percent"] == pct(actual, annual)
        assert row["planned_to_date"] == annual and row["variance_to_date"] == annual - actual
    assert (rows["office"]["warning"], rows["training"]["warning"], rows["telecom"]["warning"]) == (
        None, "near", "over")
    assert rows["training"]["percent"] == D("93.3") and rows["telecom"]["percent"] == D("105.0")
    totals = result["totals"]
    all_actual = sum(expected_actual(code) for code in PHASING)
    assert totals["annual"] == D("5200.00") and totals["actual"] == all_actual == D("4080.51")
    for m in range(1, 13):
        planned = sum(p[m - 1] for p in PHASING.values())
        actual = sum(expected_actual(code, m) for code in PHASING)
        assert (totals["months"][m - 1]["planned"], totals["months"][m - 1]["actual"]) == (planned, actual)
    assert [(w["line"].category.code, w["level"]) for w in result["warnings"]] == [
        ("training", "near"), ("telecom", "over")]


def test_budget_execution_until_a_date(data):
    budget, _lines = data
    until = dt.date(YEAR, 4, 15)
    result = selectors.budget_execution(budget, until=until)
    assert result["to_month"] == 4
    rows = {row["line"].category.code: row for row in result["lines"]}
    for code, phasing in PHASING.items():
        actual = expected_actual(code, until=until)
        assert rows[code]["actual"] == actual
        assert rows[code]["planned_to_date"] == sum(phasing[:4])
        assert rows[code]["percent_to_date"] == pct(actual, sum(phasing[:4]))
    assert rows["office"]["actual"] == D("230.50") and rows["training"]["actual"] == D("0")
    # before the year: nothing planned to date
    assert selectors.budget_execution(budget, until=dt.date(YEAR - 1, 12, 31))["totals"]["planned_to_date"] == 0


@pytest.mark.parametrize(("period", "month", "first", "last"), [
    ("month", 5, 5, 5), ("quarter", 5, 4, 6), ("quarter", 12, 10, 12), ("ytd", 6, 1, 6), ("year", 3, 1, 12)])
def test_the_budget_control_report_for_a_period(data, period, month, first, last):
    budget, _lines = data
    report = selectors.budget_report(budget, period, month)
    assert (report["first_month"], report["last_month"]) == (first, last)
    start = dt.date(YEAR, first, 1)
    end = (dt.date(YEAR, last, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    assert (report["start"], report["end"]) == (start, end)
    rows = {row["line"].category.code: row for row in report["rows"]}
    for code, phasing in PHASING.items():
        planned = sum(phasing[first - 1:last])
        actual = expected_actual(code, start=start, end=end)
        to_end = expected_actual(code, until=end)
        row = rows[code]
        assert (row["planned"], row["actual"], row["variance"], row["percent"]) == (
            planned, actual, planned - actual, pct(actual, planned)), code
        assert (row["actual_to_end"], row["percent_of_annual"]) == (to_end, pct(to_end, sum(phasing)))
    totals = report["totals"]
    assert totals["planned"] == sum(sum(p[first - 1:last]) for p in PHASING.values())
    assert totals["actual"] == sum(expected_actual(c, start=start, end=end) for c in PHASING)


def test_department_budget_figures_for_a_quarter(data, world):
    budget, lines = data
    start, end = dt.date(YEAR, 4, 1), dt.date(YEAR, 6, 30)
    figures = selectors.department_budget_figures(world.department, start, end)
    assert figures["budgets"] == [budget]  # not next year's draft, not the other department's
    by = {row["category"]: row for row in figures["by_category"]}
    for code, phasing in PHASING.items():
        name = category(code).name
        planned, actual = sum(phasing[3:6]), expected_actual(code, start=start, end=end)
        assert (by[name]["planned"], by[name]["actual"], by[name]["variance"], by[name]["percent"]) == (
            planned, actual, planned - actual, pct(actual, planned)), code
    assert figures["planned"] == D("300.00") + D("3000.00") + D("150.00")
    assert figures["actual"] == D("120.50") + D("2800.00") and figures["expenses"] == 3
    assert figures["variance"] == figures["planned"] - figures["actual"]
    assert figures["annual"] == D("5200.00")
    assert sorted((w["line"].category.code, w["level"]) for w in figures["warnings"]) == [
        ("telecom", "over"), ("training", "near")]


def test_department_budget_figures_across_a_year_end_count_overlapping_months(data, world):
    budget, _lines = data
    draft = Budget.objects.get(department=world.department, year=YEAR + 1)
    services.line_add(actor=world.users["cs_manager"], budget=draft, category=category("office"), amount="1200.00")
    figures = selectors.department_budget_figures(world.department, dt.date(YEAR, 12, 15), dt.date(YEAR + 1, 1, 10))
    # December of YEAR overlaps; next year's budget is a draft: its January is not counted
    assert figures["budgets"] == [budget]
    assert figures["planned"] == D("100.00") + D("0") + D("450.00")
    assert figures["actual"] == 0
    approved = services.budget_approve(actor=world.users["executive"], budget=draft)
    figures = selectors.department_budget_figures(world.department, dt.date(YEAR, 12, 15), dt.date(YEAR + 1, 1, 10))
    assert figures["budgets"] == [budget, approved]
    assert figures["planned"] == D("550.00") + D("100.00") and figures["annual"] == D("5200.00") + D("1200.00")
