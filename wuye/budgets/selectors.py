"""Reads of the budgets app for its pages, the dashboard and the report centre (部门服务经费控制报告).

Figures: *planned* is the monthly phasing of the lines; *actual* the expenses not reversed; *variance* is planned −
actual (negative: more spent than planned); *percent* (execution %) is actual ÷ planned × 100, None when nothing
is planned. The warnings compare a line's actual of the whole year with its **annual** amount: ``near`` from 90 %,
``over`` above 100 %. The database does the sums (one grouped query per figure set); Python only arranges the
twelve months.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from .choices import BudgetStatus, ExpenseStatus
from .models import MONTH_FIELDS, MONTHS, ZERO, Budget, BudgetLine, Expense
from .services import warning_level

Q_RECORDED = Q(expenses__status=ExpenseStatus.RECORDED)
PERIODS = ("month", "quarter", "ytd", "year")
LIVE = (BudgetStatus.APPROVED, BudgetStatus.CLOSED)  # a draft is not a budget yet: not in the reports


def percent(actual: Decimal, planned: Decimal) -> Decimal | None:
    return (Decimal(actual) / Decimal(planned) * 100).quantize(Decimal("0.1")) if planned else None


def cell(planned: Decimal, actual: Decimal) -> dict:
    return {"planned": planned, "actual": actual, "variance": planned - actual, "percent": percent(actual, planned)}


def _to_month(year: int, until: dt.date | None) -> int:
    """How many months of ``year`` have begun by ``until`` (12 without a date)."""
    if until is None or until.year > year:
        return 12
    if until.year < year:
        return 0
    return until.month


def _actuals(budget: Budget, until: dt.date | None) -> dict[tuple[int, int], Decimal]:
    qs = Expense.objects.filter(budget=budget, status=ExpenseStatus.RECORDED)
    if until is not None:
        qs = qs.filter(spent_on__lte=until)
    rows = (qs.annotate(month=ExtractMonth("spent_on")).values("line_id", "month").annotate(total=Sum("amount"))
            .order_by())
    return {(r["line_id"], r["month"]): r["total"] for r in rows}


def _summary(annual: Decimal, months: list[dict], to_month: int) -> dict:
    actual = sum((m["actual"] for m in months), ZERO)
    planned_to_date = sum((m["planned"] for m in months[:to_month]), ZERO)
    return {"annual": annual, "actual": actual, "planned_to_date": planned_to_date,
            "variance_to_date": planned_to_date - actual, "percent_to_date": percent(actual, planned_to_date),
            "percent": percent(actual, annual), "remaining": annual - actual, "warning": warning_level(annual, actual)}


def budget_execution(budget: Budget, until: dt.date | None = None) -> dict:
    """The budget's execution, lines × months: ``{"budget", "until", "to_month", "months": [1..12], "lines": [{"line",
    "months": [{"month", "planned", "actual", "variance", "percent"} × 12], "annual", "actual", "planned_to_date",
    "variance_to_date", "percent_to_date", "percent", "remaining", "warning"}], "totals": {same, over all lines},
    "warnings": [{"line", "level", "percent", "actual", "annual"}]}``. Expenses after ``until`` are left out;
    "to date" means the months begun by ``until`` (the whole year without it)."""
    to_month = _to_month(budget.year, until)
    actuals = _actuals(budget, until)
    lines = list(BudgetLine.objects.filter(budget=budget).select_related("category")
                 .order_by("category__sort_order", "description", "id"))
    rows, total_months = [], [{"month": m, "planned": ZERO, "actual": ZERO} for m in MONTHS]
    for line in lines:
        months = []
        for m, planned in zip(MONTHS, line.phasing, strict=True):
            actual = actuals.get((line.pk, m), ZERO)
            months.append({"month": m, **cell(planned, actual)})
            total_months[m - 1]["planned"] += planned
            total_months[m - 1]["actual"] += actual
        rows.append({"line": line, "months": months, **_summary(line.amount, months, to_month)})
    totals_months = [{"month": t["month"], **cell(t["planned"], t["actual"])} for t in total_months]
    totals = {"months": totals_months,
              **_summary(sum((line.amount for line in lines), ZERO), totals_months, to_month)}
    warnings = [{"line": r["line"], "level": r["warning"], "percent": r["percent"], "actual": r["actual"],
                 "annual": r["annual"]} for r in rows if r["warning"]]
    return {"budget": budget, "until": until, "to_month": to_month, "months": list(MONTHS), "lines": rows,
            "totals": totals, "warnings": warnings}


def period_months(period: str, month: int) -> tuple[int, int]:
    """The first and last month of a report period ending in ``month``: the month, its quarter, or January to it
    (year to date); ``year`` is the whole year."""
    if period == "month":
        return month, month
    if period == "quarter":
        first = (month - 1) // 3 * 3 + 1
        return first, first + 2
    if period == "year":
        return 1, 12
    return 1, month


def budget_report(budget: Budget, period: str = "ytd", month: int | None = None) -> dict:
    """The 经费控制报告 of one budget for a period: per line the planned, actual, variance and execution % of the
    period, and beside them the annual amount, the actual of the year to the period's end and its share of the
    annual amount with the warning. ``month`` defaults to this month in the budget's year (December otherwise)."""
    today = timezone.localdate()
    if month is None:
        month = today.month if today.year == budget.year else 12
    period = period if period in PERIODS else "ytd"
    first, last = period_months(period, month)
    end = dt.date(budget.year, last, 1)
    end = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    execution = budget_execution(budget, until=end)

    def _row(months, annual, actual_to_end):
        chosen = months[first - 1:last]
        planned = sum((m["planned"] for m in chosen), ZERO)
        actual = sum((m["actual"] for m in chosen), ZERO)
        return {**cell(planned, actual), "annual": annual, "actual_to_end": actual_to_end,
                "percent_of_annual": percent(actual_to_end, annual), "warning": warning_level(annual, actual_to_end)}

    rows = [{"line": r["line"], **_row(r["months"], r["annual"], r["actual"])} for r in execution["lines"]]
    totals = _row(execution["totals"]["months"], execution["totals"]["annual"], execution["totals"]["actual"])
    return {"budget": budget, "period": period, "month": month, "first_month": first, "last_month": last,
            "start": dt.date(budget.year, first, 1), "end": end, "rows": rows, "totals": totals,
            "warnings": [r for r in rows if r["warning"]]}


# --- the report centre ---------------------------------------------------------------------------------------------


def _months_in(year: int, start: dt.date, end: dt.date) -> list[int]:
    """The months of ``year`` that overlap [start, end]."""
    return [m for m in MONTHS
            if dt.date(year, m, 1) <= end and (dt.date(year, m, 28) + dt.timedelta(days=4)).replace(day=1)
            > start]


def department_budget_figures(department, start: dt.date, end: dt.date) -> dict:
    """The department's budget against its spending for a period (the 部门服务经费控制报告): approved and closed
    budgets only. *planned* sums the phasing of the months that overlap the period; *actual* the expenses not
    reversed dated in it. ``{"department", "start", "end", "budgets": [Budget], "annual", "planned", "actual",
    "variance", "percent", "expenses", "by_category": [{"category", "planned", "actual", "variance", "percent",
    "expenses"}], "warnings": [{"budget", "line", "level", "annual", "actual", "percent"}]}`` (warnings: lines
    at 90 % or over of their annual amount on the whole year's spending)."""
    budgets = list(Budget.objects.filter(department=department, year__gte=start.year, year__lte=end.year,
                                         status__in=LIVE).order_by("year"))
    planned_by: dict[int, dict] = {}
    for budget in budgets:
        months = _months_in(budget.year, start, end)
        if not months:
            continue
        expression = sum((F(MONTH_FIELDS[m - 1]) for m in months[1:]), F(MONTH_FIELDS[months[0] - 1]))
        for row in (BudgetLine.objects.filter(budget=budget).values("category_id", "category__name",
                                                                     "category__sort_order")
                    .annotate(planned=Sum(expression)).order_by()):
            entry = planned_by.setdefault(row["category_id"], {
                "category": row["category__name"], "order": row["category__sort_order"], "planned": ZERO,
                "actual": ZERO, "expenses": 0})
            entry["planned"] += row["planned"] or ZERO
    spent = (Expense.objects.filter(budget__in=budgets, status=ExpenseStatus.RECORDED, spent_on__gte=start,
                                    spent_on__lte=end)
             .values("line__category_id", "line__category__name", "line__category__sort_order")
             .annotate(actual=Sum("amount"), count=Count("id")).order_by())
    for row in spent:
        entry = planned_by.setdefault(row["line__category_id"], {
            "category": row["line__category__name"], "order": row["line__category__sort_order"], "planned": ZERO,
            "actual": ZERO, "expenses": 0})
        entry["actual"] += row["actual"]
        entry["expenses"] += row["count"]
    by_category = [{"category": e["category"], **cell(e["planned"], e["actual"]), "expenses": e["expenses"]}
                   for e in sorted(planned_by.values(), key=lambda e: (e["order"], e["category"]))]
    planned = sum((e["planned"] for e in by_category), ZERO)
    actual = sum((e["actual"] for e in by_category), ZERO)
    lines = (BudgetLine.objects.filter(budget__in=budgets).select_related("budget", "category")
             .annotate(spent=Coalesce(Sum("expenses__amount", filter=Q_RECORDED), Value(ZERO)))
             .order_by("budget__year", "category__sort_order", "id"))
    warnings = []
    for line in lines:
        level = warning_level(line.amount, line.spent)
        if level:
            warnings.append({"budget": line.budget, "line": line, "level": level, "annual": line.amount,
                             "actual": line.spent, "percent": percent(line.spent, line.amount)})
    annual = sum((b["total"] or ZERO for b in BudgetLine.objects.filter(budget__in=budgets).values("budget_id")
                  .annotate(total=Sum("amount")).order_by()), ZERO)
    return {"department": department, "start": start, "end": end, "budgets": budgets, "annual": annual,
            "planned": planned, "actual": actual, "variance": planned - actual, "percent": percent(actual, planned),
            "expenses": sum(e["expenses"] for e in by_category), "by_category": by_category, "warnings": warnings}


def dashboard_budgets(user, year: int | None = None) -> list[dict]:
    """This year's approved budgets the user may see, with the total, the spending, the execution % and the
    number of lines at 90 % and over (for the manager's home-page panel)."""
    year = year or timezone.localdate().year
    budgets = (Budget.objects.restrict(user, "view").filter(year=year, status__in=LIVE)
               .select_related("department").order_by("department__name"))
    result = []
    for budget in budgets[:10]:
        execution = budget_execution(budget)
        levels = [w["level"] for w in execution["warnings"]]
        result.append({"budget": budget, "annual": execution["totals"]["annual"],
                       "actual": execution["totals"]["actual"], "percent": execution["totals"]["percent"],
                       "near": levels.count("near"), "over": levels.count("over")})
    return result
