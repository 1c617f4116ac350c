"""The budget services: phasing, the budget's steps, revisions, expenses with every refusal (nothing changed) and
the warnings exactly at 90 % and just over 100 % of a line's annual amount."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from wuye.budgets import services
from wuye.budgets.choices import AlertLevel, BudgetStatus, ExpenseStatus
from wuye.budgets.models import Budget, BudgetAlert, BudgetLine, Expense, VoucherFile
from wuye.core.models import AuditEvent, Notification
from wuye.core.roles import Role
from wuye.documents.tests.factories import text_file

from .factories import budget, category, other_budget, spend, today

pytestmark = pytest.mark.django_db
D = Decimal


def refused(call, field=None) -> str:
    """Run ``call``; it must raise a ValidationError (on ``field`` when given); returns the English message."""
    with translation.override("en"), pytest.raises(ValidationError) as info:
        call()
    error = info.value
    if field is not None:
        assert hasattr(error, "error_dict") and field in error.error_dict, error
        return " ".join(str(m) for m in error.error_dict[field][0].messages)
    return " ".join(error.messages)


def snapshot():
    return (Budget.objects.count(), BudgetLine.objects.count(), Expense.objects.count(),
            list(Expense.objects.values_list("status", flat=True).order_by("pk")), AuditEvent.objects.count(),
            VoucherFile.objects.count(), BudgetAlert.objects.count())


# --- phasing -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("amount", "month", "december"), [
    ("1200.00", "100.00", "100.00"), ("1000.00", "83.33", "83.37"), ("0.00", "0.00", "0.00"),
    ("0.11", "0.00", "0.11"), ("99999.99", "8333.33", "8333.36")])
def test_even_split_puts_the_rounding_on_december(amount, month, december):
    split = services.even_split(D(amount))
    assert split[:11] == [D(month)] * 11 and split[11] == D(december)
    assert sum(split) == D(amount)


def test_a_line_without_phasing_is_split_evenly_and_sums_to_the_amount(world):
    item = budget(world, status="draft", lines=(("office", "1000.00"), ("training", "35000.50")))
    for line in item.lines.all():
        assert sum(line.phasing) == line.amount
        assert len(set(line.phasing[:11])) == 1
    line = item.lines.get(category__code="training")
    assert line.phasing[0] == D("2916.70") and line.phasing[11] == D("35000.50") - D("2916.70") * 11


def test_a_phasing_that_does_not_add_up_is_refused_and_nothing_is_saved(world):
    item = budget(world, status="draft", lines=())
    before = snapshot()
    message = refused(lambda: services.line_add(actor=world.users["cs_manager"], budget=item,
                                                category=category("telecom"), amount="1200.00",
                                                phasing=["100.00"] * 11 + ["99.99"]), "phasing")
    assert "1199.99" in message and "1200.00" in message
    assert refused(lambda: services.line_add(actor=world.users["cs_manager"], budget=item,
                                             category=category("telecom"), amount="1200.00",
                                             phasing=["100.00"] * 10), "phasing") == "Give twelve monthly amounts."
    assert refused(lambda: services.line_add(actor=world.users["cs_manager"], budget=item,
                                             category=category("telecom"), amount="-1"), "amount")
    assert snapshot() == before
    line = services.line_add(actor=world.users["cs_manager"], budget=item, category=category("telecom"),
                             amount="1200.00", phasing=["0"] * 6 + ["200.00"] * 6)
    assert line.phasing == [D("0.00")] * 6 + [D("200.00")] * 6


def test_a_changed_amount_is_split_again_unless_a_phasing_is_given(world):
    item = budget(world, status="draft")
    line = item.lines.get()
    services.line_update(actor=world.users["cs_manager"], line=line, amount="2400.00")
    line.refresh_from_db()
    assert line.amount == D("2400.00") and line.phasing == [D("200.00")] * 12


# --- the budget ------------------------------------------------------------------------------------------------------


def test_one_budget_per_department_and_year(world):
    budget(world, status="draft")
    before = snapshot()
    message = refused(lambda: services.budget_create(actor=world.users["cs_manager"], department=world.department,
                                                     year=today().year))
    assert message == "This department already has a budget for this year."
    assert snapshot() == before


def test_a_manager_plans_only_their_own_department(world):
    from .factories import other_department

    department, _user = other_department(world)
    before = snapshot()
    assert refused(lambda: services.budget_create(actor=world.users["cs_manager"], department=department,
                                                  year=today().year), "department") == (
        "You may plan only the budget of your own department.")
    assert snapshot() == before


def test_approval_by_someone_else_than_the_drafter_with_lines(world):
    from wuye.org.tests.factories import StaffFactory, UserFactory

    both = UserFactory(username="t_both", roles=[Role.CS_MANAGER, Role.EXECUTIVE])
    StaffFactory(user=both, post=world.post)
    mine = budget(world, status="draft", actor=both)
    before = snapshot()
    assert refused(lambda: services.budget_approve(actor=both, budget=mine)) == (
        "A budget is approved by someone other than the one who drafted it.")
    empty = services.budget_create(actor=world.users["cs_manager"], department=world.department,
                                   year=today().year + 1)
    before = snapshot()
    assert refused(lambda: services.budget_approve(actor=world.users["executive"], budget=empty)) == (
        "The budget has no lines yet.")
    assert snapshot() == before
    with pytest.raises(PermissionDenied):
        services.budget_approve(actor=world.users["cs_manager"], budget=mine)
    approved = services.budget_approve(actor=world.users["executive"], budget=mine)
    assert approved.status == BudgetStatus.APPROVED and approved.approved_by == world.users["executive"]
    assert approved.approved_at is not None
    assert AuditEvent.objects.filter(event_type="budget.approve", object_id=str(mine.pk)).count() == 1
    assert refused(lambda: services.budget_approve(actor=world.users["executive"], budget=mine)) == (
        "Only a draft budget can be approved.")


def test_closing_early_needs_a_reason_and_stops_expenses(world):
    item = budget(world)
    line = item.lines.get()
    before = snapshot()
    assert refused(lambda: services.budget_close(actor=world.users["cs_manager"], budget=item), "reason") == (
        f"The year {item.year} is not over: give the reason for closing early.")
    assert snapshot() == before
    services.budget_close(actor=world.users["cs_manager"], budget=item, reason="部门合并")
    item.refresh_from_db()
    assert item.status == BudgetStatus.CLOSED and item.close_reason == "部门合并"
    before = snapshot()
    assert refused(lambda: spend(world, line, "10.00"), "line") == (
        f"The budget of {item.year} is closed: no more expenses.")
    assert refused(lambda: services.line_add(actor=world.users["cs_manager"], budget=item, category=category("other"),
                                             amount="1", reason="x")) == "A closed budget cannot be changed."
    assert snapshot() == before


def test_a_past_year_closes_without_a_reason(world):
    item = budget(world, year=today().year - 1)
    services.budget_close(actor=world.users["executive"], budget=item)
    item.refresh_from_db()
    assert item.status == BudgetStatus.CLOSED and item.closed_by == world.users["executive"]


def test_a_revision_of_an_approved_budget_needs_a_reason(world):
    item = budget(world)
    line = item.lines.get()
    manager = world.users["cs_manager"]
    before = snapshot()
    assert refused(lambda: services.line_add(actor=manager, budget=item, category=category("training"),
                                             amount="600.00"), "reason") == (
        "The budget is approved: give the reason for this revision.")
    assert refused(lambda: services.line_update(actor=manager, line=line, amount="2400.00"), "reason")
    assert snapshot() == before
    added = services.line_add(actor=manager, budget=item, category=category("training"), amount="600.00",
                              reason="新增新员工岗前培训")
    assert added.revision_reason == "新增新员工岗前培训"
    services.line_update(actor=manager, line=line, amount="2400.00", reason="追加办公设备")
    line.refresh_from_db()
    assert line.amount == D("2400.00") and line.revision_reason == "追加办公设备"
    revisions = AuditEvent.objects.filter(event_type="budget.revise", object_id=str(item.pk))
    assert revisions.count() == 2
    assert line.history.first().revision_reason == "追加办公设备"


def test_a_category_no_longer_in_use_takes_no_new_lines(world):
    item = budget(world, status="draft", lines=())
    old = category("publicity")
    old.is_active = False
    old.save()
    assert refused(lambda: services.line_add(actor=world.users["cs_manager"], budget=item, category=old,
                                             amount="100"), "category") == "Choose a category in use."


# --- expenses ------------------------------------------------------------------------------------------------------


def test_an_expense_is_recorded_with_its_voucher_scan(world):
    item = budget(world)
    line = item.lines.get()
    expense = services.expense_record(actor=world.users["cs_manager"], line=line, amount="88.50", spent_on=today(),
                                      voucher_number=" PZ-001 ", description="打印纸", payee="文具店",
                                      file=text_file("凭证", "凭证.txt"))
    assert (expense.budget, expense.amount, expense.voucher_number, expense.status, expense.recorded_by) == (
        item, D("88.50"), "PZ-001", ExpenseStatus.RECORDED, world.users["cs_manager"])
    assert expense.files.get().name == "凭证.txt"
    assert AuditEvent.objects.filter(event_type="budget.expense", object_id=str(expense.pk)).exists()


def test_every_refused_expense_changes_nothing(world):
    item = budget(world)
    line = item.lines.get()
    spend(world, line, "10.00", voucher="PZ-1")
    draft_line = budget(world, status="draft", year=today().year + 1).lines.get()
    theirs = other_budget(world).lines.get()
    manager = world.users["cs_manager"]

    def record(**changes):
        values = {"line": line, "amount": "20.00", "spent_on": today(), "voucher_number": "PZ-2",
                  "description": "测试"}
        values.update(changes)
        return lambda: services.expense_record(actor=manager, **values)

    before = snapshot()
    cases = [
        (record(line=theirs), "line", "This line belongs to another department's budget."),
        (record(line=draft_line), "line",
         "The budget is not approved yet: expenses are recorded against an approved budget."),
        (record(amount="0"), "amount", "The amount must be more than zero."),
        (record(amount="-5.00"), "amount", "The amount must be more than zero."),
        (record(amount="abc"), "amount", "Enter an amount in yuan, like 1200.50."),
        (record(spent_on=dt.date(item.year - 1, 12, 31)), "spent_on",
         f"The date is outside the budget year {item.year}."),
        (record(voucher_number="PZ-1"), "voucher_number", "Voucher PZ-1 is already recorded in this budget."),
        (record(voucher_number="  "), "voucher_number", "Give the voucher number."),
    ]
    if today() < dt.date(item.year, 12, 31):
        cases.append((record(spent_on=today() + dt.timedelta(days=1)), "spent_on",
                      "An expense cannot be dated in the future."))
    for call, field, message in cases:
        assert refused(call, field) == message
    with pytest.raises(PermissionDenied):
        services.expense_record(actor=world.users["agent"], line=line, amount="1", spent_on=today(),
                                voucher_number="PZ-9", description="x")
    with pytest.raises(PermissionDenied):
        services.expense_record(actor=world.users["executive"], line=line, amount="1", spent_on=today(),
                                voucher_number="PZ-9", description="x")
    assert snapshot() == before


def test_a_reversed_expense_stays_on_record_and_frees_its_voucher(world):
    item = budget(world)
    line = item.lines.get()
    expense = spend(world, line, "50.00", voucher="PZ-7")
    before = snapshot()
    assert refused(lambda: services.expense_reverse(actor=world.users["cs_manager"], expense=expense, reason=" "),
                   "reason") == "Give the reason for the reversal."
    assert snapshot() == before
    services.expense_reverse(actor=world.users["cs_manager"], expense=expense, reason="金额录错")
    expense.refresh_from_db()
    assert (expense.status, expense.reverse_reason, expense.reversed_by) == (
        ExpenseStatus.REVERSED, "金额录错", world.users["cs_manager"])
    assert services.line_actual(line) == D("0.00")
    assert refused(lambda: services.expense_reverse(actor=world.users["cs_manager"], expense=expense,
                                                    reason="x")) == "This expense is already reversed."
    again = spend(world, line, "55.00", voucher="PZ-7")
    assert again.pk != expense.pk and services.line_actual(line) == D("55.00")
    assert Expense.objects.filter(voucher_number="PZ-7").count() == 2


def test_another_departments_expense_cannot_be_reversed(world):
    theirs = other_budget(world)
    expense = spend(world, theirs.lines.get(), "10.00", actor=theirs.created_by)
    message = refused(lambda: services.expense_reverse(actor=world.users["cs_manager"], expense=expense, reason="x"))
    assert message == "This expense belongs to another department's budget."
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.RECORDED


# --- warnings ------------------------------------------------------------------------------------------------------


def _alerts(line):
    return sorted(BudgetAlert.objects.filter(line=line).values_list("level", flat=True))


def _notes(line, level):
    return Notification.objects.filter(key=f"budget-line:{line.pk}:{level}")


def test_warnings_exactly_at_90_percent_and_just_over_100_percent(world):
    item = budget(world, lines=(("office", "1000.00"), ("training", "500.00")))
    line = item.lines.get(category__code="office")
    spend(world, line, "899.99")
    assert _alerts(line) == [] and services.warning_level(line.amount, services.line_actual(line)) is None
    spend(world, line, "0.01")  # exactly 900.00 = 90 %
    assert _alerts(line) == [AlertLevel.NEAR]
    assert set(_notes(line, "near").values_list("recipient__username", flat=True)) == {"t_cs_manager", "t_admin"}
    spend(world, line, "100.00")  # exactly 1000.00 = 100 %: not an overrun yet
    assert _alerts(line) == [AlertLevel.NEAR] and not _notes(line, "over").exists()
    spend(world, line, "0.01")  # 1000.01: overrun
    assert _alerts(line) == [AlertLevel.NEAR, AlertLevel.OVER]
    assert _notes(line, "over").count() == 2
    assert _notes(line, "over").first().level == "danger"
    spend(world, line, "5.00")  # once per line and level
    assert _alerts(line) == [AlertLevel.NEAR, AlertLevel.OVER]
    assert _notes(line, "near").count() == 2 and _notes(line, "over").count() == 2
    # the other line is untouched
    assert _alerts(item.lines.get(category__code="training")) == []


def test_a_single_expense_past_the_whole_line_sends_both_warnings(world):
    item = budget(world, lines=(("telecom", "100.00"),))
    line = item.lines.get()
    spend(world, line, "150.00")
    assert _alerts(line) == [AlertLevel.NEAR, AlertLevel.OVER]


def test_a_line_of_nothing_warns_only_of_an_overrun(world):
    item = budget(world, lines=(("other", "0.00"),))
    line = item.lines.get()
    spend(world, line, "1.00")
    assert _alerts(line) == [AlertLevel.OVER]


def test_a_revision_that_lowers_the_amount_can_raise_the_warning(world):
    item = budget(world, lines=(("office", "1000.00"),))
    line = item.lines.get()
    spend(world, line, "800.00")
    assert _alerts(line) == []
    services.line_update(actor=world.users["cs_manager"], line=line, amount="850.00", reason="压缩开支")
    assert _alerts(line) == [AlertLevel.NEAR]
