"""Every workflow write of the budgets app. Each service is atomic, checks the actor's permission and department,
refuses bad input with a field-keyed message in the user's language (nothing changed) and writes an audit event.

The budget's life: draft → approved (top management, not the one who drafted it) → closed (the year is over; an
early close needs a reason). Lines are added and changed freely in the draft; once approved, adding or changing a
line is a *revision* that needs a reason (kept on the line, in its history and in the audit event); a closed budget
changes no more. Expenses are recorded against the lines of an approved budget of the actor's own department, dated
inside the budget year and not in the future, with a voucher number unique in the budget; a mistake is reversed
with a reason. After each expense the line's warnings are checked: 90 % of the annual amount used, and overrun
(more than the annual amount); each goes out once per line (``BudgetAlert``).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify

from .choices import AlertLevel, BudgetStatus, ExpenseStatus
from .models import (
    ZERO,
    Budget,
    BudgetAlert,
    BudgetLine,
    Expense,
    VoucherFile,
    department_condition,
)

ADD = "budgets.add_budget"
CHANGE = "budgets.change_budget"
APPROVE = "budgets.approve_budget"
CLOSE = "budgets.close_budget"
RECORD = "budgets.add_expense"
REVERSE = "budgets.change_expense"

NEAR_SHARE = Decimal("0.90")  # the warning threshold: 90 % of the line's annual amount
CENT = Decimal("0.01")


def _require(actor, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


def _may_see(actor, budget: Budget) -> None:
    if not Budget.objects.restrict(actor, "view").filter(pk=budget.pk).exists():
        raise PermissionDenied(_("You may not do this."))


def is_own(actor, budget_id: int) -> bool:
    """Whether ``actor`` may change the budget: their own department (or one under it)."""
    return Budget.objects.filter(department_condition(actor, "change"), pk=budget_id).exists()


def own_departments(actor):
    """The departments whose budgets ``actor`` may plan and spend (their own and the two levels under it)."""
    from wuye.org.models import Department

    if actor is None or not getattr(actor, "is_authenticated", False):
        return Department.objects.none()
    if actor.is_superuser:
        return Department.objects.filter(is_active=True)
    staff = getattr(actor, "staff", None)
    if staff is None:
        return Department.objects.none()
    d = staff.department_id
    return Department.objects.filter(Q(pk=d) | Q(parent_id=d) | Q(parent__parent_id=d))


def _own(actor, budget: Budget) -> None:
    if not is_own(actor, budget.pk):
        _may_see(actor, budget)  # 404-like for those who may not even see it
        raise ValidationError(_("This budget belongs to another department."))


def _locked(budget: Budget) -> Budget:
    return Budget.objects.select_for_update().get(pk=budget.pk)


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter an amount in yuan, like 1200.50.")}) from None
    return amount


def even_split(amount) -> list[Decimal]:
    """Twelve monthly amounts summing to ``amount``: an even split to the cent, the rounding put on December."""
    amount = Decimal(amount).quantize(CENT)
    month = (amount / 12).quantize(CENT, rounding=ROUND_DOWN)
    return [month] * 11 + [amount - month * 11]


def _year_over(budget: Budget, today: dt.date | None = None) -> bool:
    return (today or timezone.localdate()) > dt.date(budget.year, 12, 31)


# --- the budget ----------------------------------------------------------------------------------------------------


@transaction.atomic
def budget_create(*, actor, department, year: int, notes: str = "") -> Budget:
    """A draft budget of the actor's own department (or one under it) for a year."""
    _require(actor, ADD)
    if department is None or not own_departments(actor).filter(pk=department.pk).exists():
        raise ValidationError({"department": _("You may plan only the budget of your own department.")})
    with acting_as(actor):
        budget = Budget(department=department, year=year, notes=notes or "")
        budget.full_clean()
        budget.save()
        audit("budget.create", actor=actor, obj=budget, department=department.pk, year=year)
    return budget


@transaction.atomic
def budget_update(*, actor, budget: Budget, **fields) -> Budget:
    """Change a budget's notes; its department and year only while it is a draft."""
    _require(actor, CHANGE)
    unknown = set(fields) - {"department", "year", "notes"}
    if unknown:
        raise TypeError(f"unknown budget fields: {sorted(unknown)}")
    _own(actor, budget)
    budget = _locked(budget)
    changed = {name for name, value in fields.items() if getattr(budget, name) != value}
    if budget.status == BudgetStatus.CLOSED and changed:
        raise ValidationError(_("A closed budget cannot be changed."))
    if budget.status != BudgetStatus.DRAFT and changed & {"department", "year"}:
        raise ValidationError(_("Only a draft budget may change its department or year."))
    if "department" in changed and not own_departments(actor).filter(pk=fields["department"].pk).exists():
        raise ValidationError({"department": _("You may plan only the budget of your own department.")})
    for name in changed:
        setattr(budget, name, fields[name])
    with acting_as(actor):
        budget.full_clean()
        budget.save()
        if changed:
            audit("budget.update", actor=actor, obj=budget, fields=sorted(changed))
    return budget


@transaction.atomic
def budget_approve(*, actor, budget: Budget) -> Budget:
    """Draft → approved, by top management (someone other than the one who drafted the budget)."""
    _require(actor, APPROVE)
    _may_see(actor, budget)
    budget = _locked(budget)
    if budget.status != BudgetStatus.DRAFT:
        raise ValidationError(_("Only a draft budget can be approved."))
    if actor.pk == budget.created_by_id:
        raise ValidationError(_("A budget is approved by someone other than the one who drafted it."))
    if not budget.lines.exists():
        raise ValidationError(_("The budget has no lines yet."))
    with acting_as(actor):
        budget.status = BudgetStatus.APPROVED
        budget.approved_by = actor
        budget.approved_at = timezone.now()
        budget.save()
        audit("budget.approve", actor=actor, obj=budget, total=str(budget.total))
    if budget.created_by_id:
        notify([budget.created_by], key=f"budget:{budget.pk}:approved",
               title=_("Budget approved: %(budget)s") % {"budget": budget}, url=budget.get_absolute_url())
    return budget


@transaction.atomic
def budget_close(*, actor, budget: Budget, reason: str = "") -> Budget:
    """Approved → closed: no more expenses. Before the year is over only with a reason."""
    _require(actor, CLOSE)
    _may_see(actor, budget)
    if not actor.has_perm(APPROVE):
        _own(actor, budget)  # the department's manager closes their own; top management any
    budget = _locked(budget)
    if budget.status != BudgetStatus.APPROVED:
        raise ValidationError(_("Only an approved budget can be closed."))
    reason = (reason or "").strip()
    if not _year_over(budget) and not reason:
        raise ValidationError({"reason": _("The year %(year)s is not over: give the reason for closing early.")
                               % {"year": budget.year}})
    with acting_as(actor):
        budget.status = BudgetStatus.CLOSED
        budget.closed_by = actor
        budget.closed_at = timezone.now()
        budget.close_reason = reason[:200]
        budget.save()
        audit("budget.close", actor=actor, obj=budget, reason=reason)
    return budget


# --- lines ---------------------------------------------------------------------------------------------------------


def _phasing(amount: Decimal, phasing) -> list[Decimal]:
    if phasing is None:
        return even_split(amount)
    values = list(phasing)
    if len(values) != 12:
        raise ValidationError({"phasing": _("Give twelve monthly amounts.")})
    return [_money(v if v not in (None, "") else 0, "phasing") for v in values]


def _check_line_change(actor, budget: Budget, reason: str) -> str:
    if budget.status == BudgetStatus.CLOSED:
        raise ValidationError(_("A closed budget cannot be changed."))
    reason = (reason or "").strip()
    if budget.status == BudgetStatus.APPROVED and not reason:
        raise ValidationError({"reason": _("The budget is approved: give the reason for this revision.")})
    return reason


@transaction.atomic
def line_add(*, actor, budget: Budget, category, amount, description: str = "", phasing=None,
             reason: str = "") -> BudgetLine:
    """A line of the budget; without ``phasing`` the amount is split evenly over the months (rounding on
    December). On an approved budget this is a revision and needs a reason."""
    _require(actor, CHANGE)
    _own(actor, budget)
    budget = _locked(budget)
    reason = _check_line_change(actor, budget, reason)
    if category is None or not category.is_active:
        raise ValidationError({"category": _("Choose a category in use.")})
    amount = _money(amount, "amount")
    if amount < 0:
        raise ValidationError({"amount": _("An amount cannot be negative.")})
    with acting_as(actor):
        line = BudgetLine(budget=budget, category=category, description=(description or "").strip(), amount=amount,
                          revision_reason=reason[:300])
        line.phasing = _phasing(amount, phasing)
        line.full_clean()
        line.save()
        audit("budget.revise" if budget.status == BudgetStatus.APPROVED else "budget.line_add", actor=actor,
              obj=budget, line=line.pk, amount=str(amount), reason=reason)
    return line


@transaction.atomic
def line_update(*, actor, line: BudgetLine, reason: str = "", **fields) -> BudgetLine:
    """Change a line (``category``, ``description``, ``amount``, ``phasing``). A new amount without a phasing is
    split evenly again. On an approved budget this is a revision and needs a reason."""
    _require(actor, CHANGE)
    unknown = set(fields) - {"category", "description", "amount", "phasing"}
    if unknown:
        raise TypeError(f"unknown line fields: {sorted(unknown)}")
    _own(actor, line.budget)
    budget = _locked(line.budget)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    reason = _check_line_change(actor, budget, reason)
    before = {"amount": str(line.amount), "phasing": [str(v) for v in line.phasing]}
    if "category" in fields and fields["category"] != line.category:
        if fields["category"] is None or not fields["category"].is_active:
            raise ValidationError({"category": _("Choose a category in use.")})
        line.category = fields["category"]
    if "description" in fields and fields["description"] is not None:
        line.description = fields["description"].strip()
    if fields.get("amount") is not None:
        amount = _money(fields["amount"], "amount")
        if amount < 0:
            raise ValidationError({"amount": _("An amount cannot be negative.")})
        if amount != line.amount and fields.get("phasing") is None:
            line.phasing = even_split(amount)
        line.amount = amount
    if fields.get("phasing") is not None:
        line.phasing = _phasing(line.amount, fields["phasing"])
    with acting_as(actor):
        if budget.status == BudgetStatus.APPROVED:
            line.revision_reason = reason[:300]
        line.full_clean()
        line.save()
        audit("budget.revise" if budget.status == BudgetStatus.APPROVED else "budget.line_update", actor=actor,
              obj=budget, line=line.pk, before=before, amount=str(line.amount), reason=reason)
    if budget.status == BudgetStatus.APPROVED:
        check_warnings(line)  # a smaller amount may bring the spending past 90 % or over
    return line


# --- expenses ------------------------------------------------------------------------------------------------------


@transaction.atomic
def expense_record(*, actor, line: BudgetLine, amount, spent_on: dt.date, voucher_number: str, description: str,
                   payee: str = "", file=None) -> Expense:
    """Money spent against a line of an approved budget of the actor's own department; then the line's warnings
    are checked (90 % of the annual amount, overrun)."""
    _require(actor, RECORD)
    if line is None:
        raise ValidationError({"line": _("Choose the budget line.")})
    if not is_own(actor, line.budget_id):
        raise ValidationError({"line": _("This line belongs to another department's budget.")})
    budget = _locked(line.budget)
    if budget.status == BudgetStatus.DRAFT:
        raise ValidationError({"line": _("The budget is not approved yet: expenses are recorded against an "
                                         "approved budget.")})
    if budget.status == BudgetStatus.CLOSED:
        raise ValidationError({"line": _("The budget of %(year)s is closed: no more expenses.")
                               % {"year": budget.year}})
    amount = _money(amount, "amount") if amount not in (None, "") else None
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if spent_on is None:
        raise ValidationError({"spent_on": _("Give the date of the expense.")})
    if spent_on.year != budget.year:
        raise ValidationError({"spent_on": _("The date is outside the budget year %(year)s.")
                               % {"year": budget.year}})
    if spent_on > timezone.localdate():
        raise ValidationError({"spent_on": _("An expense cannot be dated in the future.")})
    voucher_number = (voucher_number or "").strip()
    if not voucher_number:
        raise ValidationError({"voucher_number": _("Give the voucher number.")})
    if Expense.objects.filter(budget=budget, voucher_number=voucher_number, status=ExpenseStatus.RECORDED).exists():
        raise ValidationError({"voucher_number": _("Voucher %(number)s is already recorded in this budget.")
                               % {"number": voucher_number}})
    info = None
    if file is not None:
        from wuye.documents.files import inspect_upload

        info = inspect_upload(file)
    with acting_as(actor):
        expense = Expense(budget=budget, line=line, amount=amount, spent_on=spent_on, voucher_number=voucher_number,
                          payee=(payee or "").strip(), description=(description or "").strip(), recorded_by=actor)
        expense.full_clean()
        expense.save()
        if info is not None:
            VoucherFile(expense=expense).store(file, info)
        audit("budget.expense", actor=actor, obj=expense, budget=budget.pk, line=line.pk, amount=str(amount),
              voucher=voucher_number)
    check_warnings(line)
    return expense


@transaction.atomic
def expense_reverse(*, actor, expense: Expense, reason: str) -> Expense:
    """Take back an expense recorded by mistake (it stays on record, reversed, with the reason)."""
    _require(actor, REVERSE)
    if not is_own(actor, expense.budget_id):
        raise ValidationError(_("This expense belongs to another department's budget."))
    budget = _locked(expense.budget)
    expense = Expense.objects.select_for_update().get(pk=expense.pk)
    if expense.status == ExpenseStatus.REVERSED:
        raise ValidationError(_("This expense is already reversed."))
    if budget.status == BudgetStatus.CLOSED:
        raise ValidationError(_("The budget of %(year)s is closed: no more expenses.") % {"year": budget.year})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the reversal.")})
    with acting_as(actor):
        expense.status = ExpenseStatus.REVERSED
        expense.reversed_by = actor
        expense.reversed_at = timezone.now()
        expense.reverse_reason = reason[:300]
        expense.save()
        audit("budget.expense_reverse", actor=actor, obj=expense, budget=budget.pk, amount=str(expense.amount),
              reason=reason)
    return expense


# --- warnings ------------------------------------------------------------------------------------------------------


def line_actual(line: BudgetLine) -> Decimal:
    return (line.expenses.filter(status=ExpenseStatus.RECORDED).aggregate(total=Sum("amount"))["total"] or ZERO)


def warning_level(amount: Decimal, actual: Decimal) -> str | None:
    """``over`` when more than the annual amount is spent, ``near`` from 90 % of it, else None."""
    if actual > amount:
        return AlertLevel.OVER
    if amount > 0 and actual >= amount * NEAR_SHARE:
        return AlertLevel.NEAR
    return None


def recipients(budget: Budget) -> list:
    """Who is told of a line's warning: the holders of ``budgets.change_budget`` in the budget's department or the
    department above it."""
    department = budget.department
    departments = [department.pk] + ([department.parent_id] if department.parent_id else [])
    return list(get_user_model().objects.filter(
        is_active=True, staff__department_id__in=departments, groups__permissions__codename="change_budget",
        groups__permissions__content_type__app_label="budgets").distinct())


def check_warnings(line: BudgetLine) -> list[str]:
    """Send the line's warnings that are due and not yet sent (idempotent); returns the levels sent now."""
    line = BudgetLine.objects.select_related("budget__department", "category").get(pk=line.pk)
    actual = line_actual(line)
    level = warning_level(line.amount, actual)
    due = [] if level is None else ([AlertLevel.NEAR, AlertLevel.OVER] if level == AlertLevel.OVER
                                    else [AlertLevel.NEAR])
    if line.amount == 0:
        due = [lv for lv in due if lv == AlertLevel.OVER]
    sent = []
    for lv in due:
        alert, created = BudgetAlert.objects.get_or_create(line=line, level=lv)
        if not created:
            continue
        people = recipients(line.budget)
        percent = (actual / line.amount * 100).quantize(Decimal("0.1")) if line.amount else None
        title = (_("Budget overrun: %(line)s") if lv == AlertLevel.OVER else _("Budget 90%% used: %(line)s")) % {
            "line": line}
        body = _("%(budget)s · spent %(actual)s of %(amount)s (%(percent)s%%)") % {
            "budget": line.budget, "actual": f"{actual:.2f}", "amount": f"{line.amount:.2f}",
            "percent": percent if percent is not None else "—"}
        notify(people, key=f"budget-line:{line.pk}:{lv}", title=title, body=body, url=line.get_absolute_url(),
               level="danger" if lv == AlertLevel.OVER else "warning")
        alert.recipients = len(people)
        alert.save(update_fields=["recipients"])
        sent.append(str(lv))
    return sent
