"""The budget control report (部门服务经费控制报告): every figure and cell checked against Python over the budget
lines and expenses made through the budgets services; the warnings at 90 % and over 100 %."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from wuye.budgets import services
from wuye.budgets.choices import ExpenseStatus
from wuye.budgets.models import MONTH_FIELDS, Budget, BudgetLine, Expense
from wuye.budgets.tests.factories import budget, other_department, spend
from wuye.reports.kinds import budget as builder
from wuye.tickets.reports import Period, period_for

pytestmark = pytest.mark.django_db

YEAR = 2025
Q2 = period_for("quarter", dt.date(YEAR, 5, 1))


@pytest.fixture
def data(world):
    item = budget(world, year=YEAR, lines=(("office", "1200.00"), ("training", "6000.00"), ("telecom", "1000.00")))
    office, training, telecom = item.lines.order_by("id")
    expenses = [
        (office, "300.00", dt.date(YEAR, 4, 1)),      # the first day of the quarter
        (office, "250.50", dt.date(YEAR, 6, 30)),     # the last day
        (office, "99.00", dt.date(YEAR, 7, 1)),       # the day after: out of the quarter, in the year
        (office, "100.00", dt.date(YEAR, 3, 31)),     # the day before
        (training, "5500.00", dt.date(YEAR, 5, 15)),  # 91.7 % of the annual amount: near
        (telecom, "600.00", dt.date(YEAR, 5, 2)),
        (telecom, "500.00", dt.date(YEAR, 2, 2)),     # 110 %: over
        (telecom, "77.00", dt.date(YEAR, 5, 3)),      # reversed: not counted
    ]
    for line, amount, on in expenses:
        # the services refuse dates in the future only; the year 2025 is past
        spend(world, line, amount, on=on)
    services.expense_reverse(actor=world.users["cs_manager"], expense=Expense.objects.get(amount=Decimal("77.00")),
                             reason="录入错误")
    # a draft budget of the same department and year does not count; another department's budget is elsewhere
    budget(world, status="draft", year=YEAR + 1, lines=(("office", "999.00"),))
    department, manager = other_department(world)
    other = budget(world, year=YEAR, department=department, actor=manager, lines=(("office", "500.00"),))
    spend(world, other.lines.get(), "120.00", on=dt.date(YEAR, 8, 8), actor=manager)
    return world, item, other


def _months(start: dt.date, end: dt.date) -> list[int]:
    return [m for m in range(1, 13) if dt.date(YEAR, m, 1) <= end and
            (dt.date(YEAR, m, 28) + dt.timedelta(days=4)).replace(day=1) > start]


def _expected(item: Budget, start: dt.date, end: dt.date) -> dict:
    lines = list(BudgetLine.objects.filter(budget=item).select_related("category"))
    expenses = [e for e in Expense.objects.filter(budget=item).select_related("line__category")
                if e.status == ExpenseStatus.RECORDED and start <= e.spent_on <= end]
    by_category = {}
    for line in lines:
        row = by_category.setdefault(line.category.name, {"annual": Decimal(0), "planned": Decimal(0),
                                                          "actual": Decimal(0), "expenses": 0})
        row["annual"] += line.amount
        row["planned"] += sum((getattr(line, MONTH_FIELDS[m - 1]) for m in _months(start, end)), Decimal(0))
    for e in expenses:
        by_category[e.line.category.name]["actual"] += e.amount
        by_category[e.line.category.name]["expenses"] += 1
    return by_category


def _pct(actual, planned):
    return round(float(actual / planned * 100), 1) if planned else None


def test_quarter(data):
    world, item, _other = data
    content = builder.build(period=Q2, estate_ids=None, department=world.department)
    json.dumps(content)
    sections = {s["key"]: s for s in content["sections"]}
    expected = _expected(item, Q2.start, Q2.end)
    planned = sum(r["planned"] for r in expected.values())
    actual = sum(r["actual"] for r in expected.values())
    assert actual == Decimal("300.00") + Decimal("250.50") + Decimal("5500.00") + Decimal("600.00")
    figures = {f["key"]: f["value"] for f in sections["summary"]["figures"]}
    assert figures["annual"] == 8200.0
    assert figures["planned"] == float(planned)
    assert figures["actual"] == float(actual)
    assert figures["variance"] == float(planned - actual)
    assert figures["percent"] == _pct(actual, planned)
    assert figures["expenses"] == sum(r["expenses"] for r in expected.values()) == 4
    assert figures["near"] == 1 and figures["over"] == 1
    rows = sections["by_category"]["tables"][0]["rows"]
    assert [r[0] for r in rows] == ["办公费", "培训费", "通讯费"]
    for r in rows:
        e = expected[r[0]]
        assert r[1:] == [str(e["annual"]), str(e["planned"]), str(e["actual"]), str(e["planned"] - e["actual"]),
                         _pct(e["actual"], e["planned"]), e["expenses"]]
    month_rows = sections["by_month"]["tables"][0]["rows"]
    assert [r[0] for r in month_rows] == ["2025-04", "2025-05", "2025-06"]
    for r, m in zip(month_rows, (4, 5, 6), strict=True):
        first = dt.date(YEAR, m, 1)
        last = period_for("month", first).end
        e = _expected(item, first, last)
        p, a = sum(x["planned"] for x in e.values()), sum(x["actual"] for x in e.values())
        assert r[1:] == [str(p), str(a), str(p - a), _pct(a, p)]
    assert sections["by_month"]["chart"]["series"][1]["data"] == [float(r[2]) for r in month_rows]
    warnings = sections["warnings"]["tables"][0]["rows"]
    year_spent = {}
    for e in Expense.objects.filter(budget=item, status=ExpenseStatus.RECORDED).select_related("line"):
        year_spent[e.line_id] = year_spent.get(e.line_id, Decimal(0)) + e.amount
    expected_warnings = []
    for line in BudgetLine.objects.filter(budget=item).select_related("category").order_by("category__sort_order"):
        spent = year_spent.get(line.pk, Decimal(0))
        if spent >= line.amount * Decimal("0.9"):
            expected_warnings.append([line.category.name, str(line.amount), str(spent), _pct(spent, line.amount)])
    assert [[r[2], r[4], r[5], r[6]] for r in warnings] == expected_warnings
    assert len(warnings) == 2 and warnings[0][7] != warnings[1][7]


def test_thresholds(world):
    """89.9 % is no warning, 90 % is, 100 % is still near, 100.01 % is over."""
    item = budget(world, year=YEAR, lines=(("office", "1000.00"), ("training", "1000.00"), ("telecom", "1000.00"),
                                           ("transport", "1000.00")))
    office, training, telecom, transport = item.lines.order_by("id")
    for line, amount in ((office, "899.99"), (training, "900.00"), (telecom, "1000.00"), (transport, "1000.01")):
        spend(world, line, amount, on=dt.date(YEAR, 3, 3))
    content = builder.build(period=period_for("year", dt.date(YEAR, 1, 1)), estate_ids=None,
                            department=world.department)
    sections = {s["key"]: s for s in content["sections"]}
    rows = sections["warnings"]["tables"][0]["rows"]
    assert [r[2] for r in rows] == ["培训费", "通讯费", "交通费"]
    assert [r[6] for r in rows] == [90.0, 100.0, 100.0]
    assert rows[0][7] == rows[1][7] != rows[2][7]
    figures = {f["key"]: f["value"] for f in sections["summary"]["figures"]}
    assert figures["near"] == 2 and figures["over"] == 1


def test_all_departments(data):
    """Without a department: every department's budget together, and a table of each; one department alone
    leaves the other out."""
    world, item, other = data
    year = period_for("year", dt.date(YEAR, 6, 1))
    content = builder.build(period=year, estate_ids=None, department=None)
    sections = {s["key"]: s for s in content["sections"]}
    figures = {f["key"]: f["value"] for f in sections["summary"]["figures"]}
    ours = _expected(item, year.start, year.end)
    theirs = _expected(other, year.start, year.end)
    assert figures["annual"] == float(sum(r["annual"] for r in (*ours.values(), *theirs.values())))
    assert figures["actual"] == float(sum(r["actual"] for r in (*ours.values(), *theirs.values())))
    rows = {r[0]: r for r in sections["by_department"]["tables"][0]["rows"]}
    assert set(rows) == {"客户服务部", "工程部"}
    assert rows["工程部"][1:4] == ["500.00", "500.00", "120.00"]
    office = {r[0]: r for r in sections["by_category"]["tables"][0]["rows"]}["办公费"]
    assert office[1] == str(ours["办公费"]["annual"] + theirs["办公费"]["annual"])
    alone = builder.build(period=year, estate_ids=None, department=world.department)
    alone_figures = {f["key"]: f["value"] for s in alone["sections"] if s["key"] == "summary" for f in s["figures"]}
    assert alone_figures["annual"] == float(sum(r["annual"] for r in ours.values()))
    assert "by_department" not in {s["key"] for s in alone["sections"]}


def test_empty(world):
    content = builder.build(period=Period(dt.date(2019, 1, 1), dt.date(2019, 1, 31), "month"), estate_ids=None,
                            department=world.department)
    figures = {f["key"]: f["value"] for s in content["sections"] if s["key"] == "summary" for f in s["figures"]}
    assert figures["annual"] == 0.0 and figures["actual"] == 0.0 and figures["percent"] is None
    json.dumps(content)
