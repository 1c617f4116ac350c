"""Budgets for tests, made through the services (DESIGN.md §10): drafted by the customer-service manager of the test
world's department (客户服务部), approved by top management, spent by the manager."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wuye.budgets import services
from wuye.budgets.models import Budget, BudgetCategory
from wuye.core.roles import Role


def today() -> dt.date:
    return timezone.localdate()


def category(code: str = "office") -> BudgetCategory:
    return BudgetCategory.objects.get(code=code)


def budget(world, *, status: str = "approved", year: int | None = None, department=None, actor=None,
           lines=(("office", "1200.00"),)) -> Budget:
    """A budget of the world's department (or ``department`` with ``actor`` its manager) for this year, with
    ``lines`` ((category code, amount), …), in ``status`` (draft, approved or closed)."""
    actor = actor or world.users["cs_manager"]
    item = services.budget_create(actor=actor, department=department or world.department,
                                  year=year or today().year)
    for number, (code, amount) in enumerate(lines):
        services.line_add(actor=actor, budget=item, category=category(code), amount=amount,
                          description=f"测试预算{number + 1}")
    if status in ("approved", "closed"):
        services.budget_approve(actor=world.users["executive"], budget=item)
    if status == "closed":
        services.budget_close(actor=actor, budget=item, reason="测试关闭")
    item.refresh_from_db()
    return item


def spend(world, line, amount, *, voucher: str | None = None, on: dt.date | None = None, actor=None):
    number = voucher or f"PZ-{line.pk}-{line.expenses.count() + 1:03d}-{Decimal(amount):.0f}"
    return services.expense_record(actor=actor or world.users["cs_manager"], line=line, amount=amount,
                                   spent_on=on or today(), voucher_number=number, description="测试支出",
                                   payee="测试商户")


def other_department(world):
    """工程部 and its manager (a cs_manager-role user of that department): their budget is out of the test
    world's managers' scope."""
    from wuye.org.tests.factories import DepartmentFactory, PostFactory, StaffFactory, UserFactory

    department = DepartmentFactory(company=world.company, name="工程部", code="eng")
    user = UserFactory(username="t_eng_manager", roles=[Role.CS_MANAGER])
    StaffFactory(user=user, post=PostFactory(department=department, name="工程经理", code="eng_mgr"),
                 estates=[world.estate_a])
    return department, user


def other_budget(world, status: str = "approved"):
    department, user = other_department(world)
    return budget(world, status=status, department=department, actor=user)
