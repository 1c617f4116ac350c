"""Demo data of the budgets app (``manage.py load_demo``).

``load()``: this year's budget of the customer-service department (客户服务部), drafted by the manager (cs_manager)
with one line per default category, approved by top management (executive), and about forty expenses recorded by
the manager across the year so far: the 业务招待费 line is past 90 % of its annual amount, the 交通费 line overrun
(both warnings sent once), and one expense recorded twice by mistake has been reversed. Everything is made through
``services``; the budget is found by department and year, an expense by its voucher number, so a second run adds
and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wuye.core.demo import demo_user
from wuye.org.models import Department

from . import services
from .choices import BudgetStatus
from .models import Budget, BudgetCategory, BudgetLine, Expense

__all__ = ["load"]

# category code, line description, annual amount, spent so far, number of expenses, payee, what for
LINES = [
    ("office", "办公用品及打印耗材", "36000.00", "24000.00", 6, "杭州文源办公用品有限公司", "办公用品、打印纸及硒鼓"),
    ("training", "客服礼仪与投诉处理培训", "48000.00", "30000.00", 4, "浙江卓越企业管理咨询有限公司", "客服培训课程费"),
    ("telecom", "客服热线及移动通讯", "24000.00", "18000.00", 6, "中国电信杭州分公司", "客服热线及手机话费"),
    ("transport", "回访及巡查交通", "18000.00", "19500.00", 6, "杭州出行服务有限公司", "回访、巡查用车及打车费"),
    ("hospitality", "业主委员会及来访接待", "30000.00", "27600.00", 5, "杭州知味观餐饮有限公司", "业委会沟通会接待"),
    ("materials", "小区公共设施小修材料", "60000.00", "38000.00", 6, "杭州建材五金经营部", "维修材料采购"),
    ("publicity", "社区活动与宣传", "20000.00", "9000.00", 3, "杭州印象广告有限公司", "社区活动海报及宣传品"),
    ("other", "其他零星支出", "12000.00", "5000.00", 3, "杭州便民服务部", "零星支出"),
]
REVERSED = ("office", "办公用品重复入账", "1200.00")


def _split(total: Decimal, count: int) -> list[Decimal]:
    part = (total / count).quantize(Decimal("1"))
    return [part] * (count - 1) + [total - part * (count - 1)]


def load(*, stdout, style):
    try:
        manager, executive = demo_user("cs_manager"), demo_user("executive")
    except Exception:  # noqa: BLE001 - the demo users come from core.demo, which runs first
        stdout.write("budgets: the demo users are missing; no demo budget")
        return []
    department = Department.objects.filter(code="cs").first()
    if department is None or getattr(manager, "staff", None) is None:
        stdout.write("budgets: the customer-service department is missing; no demo budget")
        return []
    today = timezone.localdate()
    year = today.year
    budget = Budget.objects.filter(department=department, year=year).first()
    created = 0
    if budget is None:
        budget = services.budget_create(actor=manager, department=department, year=year,
                                        notes="按公司年度经营计划编制，经总经理审批后执行。")
    categories = {c.code: c for c in BudgetCategory.objects.all()}
    lines = {}
    for code, description, amount, _spent, _count, _payee, _what in LINES:
        line = BudgetLine.objects.filter(budget=budget, category=categories[code], description=description).first()
        if line is None and budget.status == BudgetStatus.DRAFT:
            line = services.line_add(actor=manager, budget=budget, category=categories[code], amount=amount,
                                     description=description)
        lines[code] = line
    if budget.status == BudgetStatus.DRAFT:
        budget = services.budget_approve(actor=executive, budget=budget)
    start = dt.date(year, 1, 1)
    span = max((today - start).days, 0)
    total = sum(spec[4] for spec in LINES)
    number = 0
    for code, _description, _amount, spent, count, payee, what in LINES:
        for part in _split(Decimal(spent), count):
            number += 1
            voucher = f"PZ-{year}-{number:03d}"
            if lines[code] is None or Expense.objects.filter(budget=budget, voucher_number=voucher).exists():
                continue
            spent_on = start + dt.timedelta(days=span * number // (total + 1))
            services.expense_record(actor=manager, line=lines[code], amount=part, spent_on=spent_on,
                                    voucher_number=voucher, payee=payee, description=f"{what}（{spent_on:%m}月）")
            created += 1
    voucher = f"PZ-{year}-099"
    if lines[REVERSED[0]] is not None and not Expense.objects.filter(budget=budget, voucher_number=voucher).exists():
        expense = services.expense_record(actor=manager, line=lines[REVERSED[0]], amount=REVERSED[2],
                                          spent_on=start + dt.timedelta(days=span // 2), voucher_number=voucher,
                                          payee="杭州文源办公用品有限公司", description=REVERSED[1])
        services.expense_reverse(actor=manager, expense=expense, reason=f"与凭证 PZ-{year}-002 重复入账，冲销。")
        created += 1
    stdout.write(f"budgets: {budget} ({budget.get_status_display()}), {len(LINES)} lines, {created} expenses added")
    return []
