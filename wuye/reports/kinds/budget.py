"""部门服务经费控制报告 (department service budget control report): the department's approved budget against its
spending in the period, by category and by month, with the lines at 90 % of their annual amount or over it.

Not estate-scoped: the budget is the department's. Without a department, every department with an approved (or
closed) budget in the period's years is counted together, and a table shows each department."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from wuye.budgets.choices import AlertLevel, ExpenseStatus
from wuye.budgets.models import Budget, BudgetLine
from wuye.budgets.selectors import LIVE, department_budget_figures, percent
from wuye.tickets.reports import Period, period_for

from .common import chart, content, figure, list_url, money, section, table, text

ZERO = Decimal("0.00")


def _pct(value) -> float | None:
    return None if value is None else float(value)


def _departments(department, period: Period) -> list:
    if department is not None:
        return [department]
    from wuye.org.models import Department

    ids = (Budget.objects.filter(year__gte=period.start.year, year__lte=period.end.year, status__in=LIVE)
           .values_list("department_id", flat=True).distinct())
    return list(Department.objects.filter(pk__in=list(ids)).order_by("name"))


def _merge(figures: list[dict], start, end) -> dict:
    """The figures of several departments added up."""
    by_category: dict[str, dict] = {}
    order: list[str] = []
    for f in figures:
        for row in f["by_category"]:
            if row["category"] not in by_category:
                order.append(row["category"])
                by_category[row["category"]] = {"category": row["category"], "planned": ZERO, "actual": ZERO,
                                                "expenses": 0}
            entry = by_category[row["category"]]
            entry["planned"] += row["planned"]
            entry["actual"] += row["actual"]
            entry["expenses"] += row["expenses"]
    rows = []
    for name in order:
        e = by_category[name]
        rows.append({**e, "variance": e["planned"] - e["actual"], "percent": percent(e["actual"], e["planned"])})
    planned = sum((f["planned"] for f in figures), ZERO)
    actual = sum((f["actual"] for f in figures), ZERO)
    return {"start": start, "end": end, "budgets": [b for f in figures for b in f["budgets"]],
            "annual": sum((f["annual"] for f in figures), ZERO), "planned": planned, "actual": actual,
            "variance": planned - actual, "percent": percent(actual, planned),
            "expenses": sum(f["expenses"] for f in figures), "by_category": rows,
            "warnings": [w for f in figures for w in f["warnings"]]}


def figures_for(departments: list, start, end) -> dict:
    return _merge([department_budget_figures(d, start, end) for d in departments], start, end)


def build(*, period: Period, estate_ids: list[int] | None = None, department=None) -> dict:
    departments = _departments(department, period)
    per_department = [(d, department_budget_figures(d, period.start, period.end)) for d in departments]
    f = _merge([x for _d, x in per_department], period.start, period.end)
    budgets = f["budgets"]
    one_budget = budgets[0].pk if len(budgets) == 1 else None
    expenses_url = list_url("budgets:expense_list", spent_after=period.start, spent_before=period.end,
                            status=ExpenseStatus.RECORDED.value, budget=one_budget)
    near = sum(1 for w in f["warnings"] if w["level"] == AlertLevel.NEAR)
    over = sum(1 for w in f["warnings"] if w["level"] == AlertLevel.OVER)
    summary = section("summary", _("Budget and spending"), figures=[
        figure("annual", _("Annual budget"), money(f["annual"]), "元"),
        figure("planned", _("Planned for the period"), money(f["planned"]), "元"),
        figure("actual", _("Spent in the period"), money(f["actual"]), "元", url=expenses_url),
        figure("variance", _("Variance (planned − spent)"), money(f["variance"]), "元"),
        figure("percent", _("Execution"), _pct(f["percent"]), "%"),
        figure("expenses", _("Expenses recorded"), f["expenses"], url=expenses_url),
        # xgettext:no-python-format
        figure("near", _("Lines at 90% or more"), near),
        figure("over", _("Lines overspent"), over),
    ], notes=[
        _("Planned: the monthly phasing of the months in the period. Spent: expenses dated in the period, "
          "reversals left out. Variance: planned minus spent (negative: overspent). Execution: spent over planned."),
        _("Only approved or closed budgets count; a draft is not a budget yet."),
        _("Warnings compare a line's spending of the whole year with its annual amount: from 90%, and over 100%."),
        *([_("Departments: %(names)s.") % {"names": "、".join(d.name for d in departments)}]
          if department is None and departments else []),
        *([] if departments else [_("No approved budget for this period.")]),
    ])

    annual_by_category = {r["category__name"]: r["total"] for r in BudgetLine.objects.filter(budget__in=budgets)
                          .values("category__name").annotate(total=Sum("amount")).order_by()}
    category_rows = [[r["category"], annual_by_category.get(r["category"], ZERO), r["planned"], r["actual"],
                      r["variance"], _pct(r["percent"]), r["expenses"]] for r in f["by_category"]]
    by_category = section("by_category", _("By category"), tables=[
        table("by_category", _("By category"), [_("category"), _("annual budget (yuan)"), _("planned (yuan)"),
                                                _("spent (yuan)"), _("variance (yuan)"), _("execution %"),
                                                _("expenses")], category_rows)],
        chart=chart("bar", [r[0] for r in category_rows],
                    [(_("planned"), [money(r[2]) for r in category_rows]),
                     (_("spent"), [money(r[3]) for r in category_rows])]))

    month_rows = []
    for first in period.months():
        month = period_for("month", first)
        start, end = max(month.start, period.start), min(month.end, period.end)
        m = figures_for(departments, start, end)
        month_rows.append([f"{first:%Y-%m}", m["planned"], m["actual"], m["variance"], _pct(m["percent"])])
    by_month = section("by_month", _("By month"), tables=[
        table("by_month", _("By month"), [_("month"), _("planned (yuan)"), _("spent (yuan)"), _("variance (yuan)"),
                                          _("execution %")], month_rows)],
        chart=chart("bar", [r[0] for r in month_rows], [(_("planned"), [money(r[1]) for r in month_rows]),
                                                         (_("spent"), [money(r[2]) for r in month_rows])]))

    # xgettext:no-python-format
    levels = {AlertLevel.NEAR: _("90% or more"), AlertLevel.OVER: _("overspent")}
    warning_rows = [[w["budget"].year, text(w["budget"].department), text(w["line"].category),
                     w["line"].description, w["annual"], w["actual"], _pct(w["percent"]), text(levels[w["level"]])]
                    for w in f["warnings"]]
    warnings = section("warnings", _("Warnings"), tables=[
        # xgettext:no-python-format
        table("warnings", _("Lines at 90% or over their annual amount"),
              [_("year"), _("department"), _("category"), _("line"), _("annual amount (yuan)"), _("spent (yuan)"),
               _("execution %"), _("warning")], warning_rows)])

    sections = [summary, by_category, by_month, warnings]
    if department is None and len(departments) > 1:
        sections.append(section("by_department", _("By department"), tables=[
            table("by_department", _("By department"),
                  [_("department"), _("annual budget (yuan)"), _("planned (yuan)"), _("spent (yuan)"),
                   _("variance (yuan)"), _("execution %")],
                  [[d.name, x["annual"], x["planned"], x["actual"], x["variance"], _pct(x["percent"])]
                   for d, x in per_department])]))
    return content(_("Department service budget control report"), sections)
