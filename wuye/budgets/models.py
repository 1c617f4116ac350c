"""Department budget (业务工作 7: 控制部门经费): the department's annual budget with lines by category and their
monthly phasing, the expenses recorded against the lines, the warnings at 90 % and at overrun.

Workflow writes go through ``services.py``. Nothing is deleted: an expense recorded by mistake is reversed with a
reason; a budget ends closed. Who sees a budget: holders of ``budgets.view_all_budgets`` see every department's;
everyone else (with the model permission) the budgets of their own department and the departments under it
(``Budget.visible_to``); changes always need the own department.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.models import BaseModel
from wuye.documents.models import StoredFile

from .choices import AlertLevel, BudgetStatus, ExpenseStatus

MONTHS = tuple(range(1, 13))
MONTH_FIELDS = tuple(f"month_{m}" for m in MONTHS)
ZERO = Decimal("0.00")


def department_condition(user, action: str, prefix: str = "") -> Q:
    """The budgets ``user`` may ``action``: every one for a superuser, and for viewing with
    ``budgets.view_all_budgets``; otherwise those of the user's own department and the two levels under it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser or (action == "view" and user.has_perm("budgets.view_all_budgets")):
        return Q()
    staff = getattr(user, "staff", None)
    if staff is None:
        return Q(pk__in=[])
    department = staff.department_id
    return (Q(**{f"{prefix}department_id": department})
            | Q(**{f"{prefix}department__parent_id": department})
            | Q(**{f"{prefix}department__parent__parent_id": department}))


class BudgetCategory(BaseModel):
    """A cost category of the budget lines (办公费, 培训费 …): the company keeps the list; a category no longer
    used is deactivated, never deleted (past lines keep it)."""

    code = models.SlugField(_("code"), max_length=30, unique=True,
                            error_messages={"unique": _("A category with this code already exists.")})
    name = models.CharField(_("name"), max_length=60, unique=True,
                            error_messages={"unique": _("A category with this name already exists.")})
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("budget category")
        verbose_name_plural = _("budget categories")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("budgets:budgetcategory_edit", args=[self.pk])


class Budget(BaseModel):
    """One department's budget for one calendar year: draft → approved (by top management) → closed (no more
    expenses)."""

    department = models.ForeignKey("org.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000),
                                                                   MaxValueValidator(2100)])
    status = models.CharField(_("status"), max_length=10, choices=BudgetStatus.choices, default=BudgetStatus.DRAFT,
                              editable=False, db_index=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+", editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    close_reason = models.CharField(_("reason for closing"), max_length=200, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "department__name"]
        permissions = [
            ("approve_budget", _("Can approve department budgets")),
            ("close_budget", _("Can close department budgets")),
            ("view_all_budgets", _("Can see every department's budget")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="budgets_one_per_department_year",
                                    violation_error_message=_("This department already has a budget for this "
                                                              "year.")),
        ]

    def __str__(self):
        return _("%(department)s budget %(year)s") % {"department": self.department, "year": self.year}

    def get_absolute_url(self):
        return reverse("budgets:budget", args=[self.pk])

    @classmethod
    def restrict_queryset(cls, queryset, user, action):
        return queryset.filter(department_condition(user, action))

    @property
    def total(self) -> Decimal:
        return self.lines.aggregate(total=models.Sum("amount"))["total"] or ZERO


def _month_field(month: int):
    return models.DecimalField(_month_label(month), max_digits=14, decimal_places=2, default=ZERO,
                               validators=[MinValueValidator(0)])


def _month_label(month: int):
    return [_("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"), _("August"),
            _("September"), _("October"), _("November"), _("December")][month - 1]


class BudgetLine(BaseModel):
    """A line of a budget: a category (and what it covers), the annual amount and its monthly phasing (twelve
    amounts summing to the annual amount)."""

    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="lines")
    category = models.ForeignKey(BudgetCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="lines")
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(_("annual amount (yuan)"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    month_1 = _month_field(1)
    month_2 = _month_field(2)
    month_3 = _month_field(3)
    month_4 = _month_field(4)
    month_5 = _month_field(5)
    month_6 = _month_field(6)
    month_7 = _month_field(7)
    month_8 = _month_field(8)
    month_9 = _month_field(9)
    month_10 = _month_field(10)
    month_11 = _month_field(11)
    month_12 = _month_field(12)
    revision_reason = models.CharField(_("reason for the revision"), max_length=300, blank=True, editable=False,
                                       help_text=_("Why an approved budget's line was added or changed."))

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["budget", "category__sort_order", "description", "id"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "category", "description"], name="budgets_line_unique",
                                    violation_error_message=_("This budget already has a line of this category "
                                                              "with this description.")),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budgets_line_amount_not_negative",
                                   violation_error_message=_("An amount cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.category}{' · ' + self.description if self.description else ''}"

    def get_absolute_url(self):
        return reverse("budgets:budget", args=[self.budget_id]) + f"#line-{self.pk}"

    @classmethod
    def restrict_queryset(cls, queryset, user, action):
        return queryset.filter(department_condition(user, action, prefix="budget__"))

    @property
    def phasing(self) -> list[Decimal]:
        return [getattr(self, name) for name in MONTH_FIELDS]

    @phasing.setter
    def phasing(self, values) -> None:
        for name, value in zip(MONTH_FIELDS, values, strict=True):
            setattr(self, name, value)

    def clean(self):
        if self.amount is not None and all(v is not None for v in self.phasing):
            if any(Decimal(v) < 0 for v in self.phasing):
                raise ValidationError({"phasing": _("A monthly amount cannot be negative.")})
            total = sum((Decimal(v) for v in self.phasing), ZERO)
            if total != Decimal(self.amount):
                raise ValidationError({"phasing": _(
                    "The twelve monthly amounts add up to %(total)s, not to the annual amount %(amount)s.")
                    % {"total": f"{total:.2f}", "amount": f"{Decimal(self.amount):.2f}"}})


def voucher_file_path(instance, filename: str) -> str:
    return f"budgets/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}"


class Expense(BaseModel):
    """Money spent against a budget line: amount, date, voucher number (unique in the budget among recorded
    expenses), payee and what it was for; a mistake is reversed with a reason, never deleted."""

    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="expenses",
                               editable=False)
    line = models.ForeignKey(BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT,
                             related_name="expenses")
    amount = models.DecimalField(_("amount spent (yuan)"), max_digits=14, decimal_places=2)
    spent_on = models.DateField(_("date"))
    voucher_number = models.CharField(_("voucher number"), max_length=40)
    payee = models.CharField(_("payee"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    status = models.CharField(_("status"), max_length=10, choices=ExpenseStatus.choices,
                              default=ExpenseStatus.RECORDED, editable=False, db_index=True)
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reversed by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+", editable=False)
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True, editable=False)
    reverse_reason = models.CharField(_("reason for the reversal"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-spent_on", "-id"]
        indexes = [models.Index(fields=["budget", "status", "spent_on"], name="budgets_expense_budget_idx"),
                   models.Index(fields=["line", "status", "spent_on"], name="budgets_expense_line_idx")]
        constraints = [
            models.UniqueConstraint(fields=["budget", "voucher_number"], condition=Q(status="recorded"),
                                    name="budgets_voucher_unique",
                                    violation_error_message=_("This voucher number is already recorded in this "
                                                              "budget.")),
            models.CheckConstraint(condition=Q(amount__gt=0), name="budgets_expense_amount_positive",
                                   violation_error_message=_("The amount must be more than zero.")),
        ]

    def __str__(self):
        return f"{self.voucher_number} · {self.amount}"

    def get_absolute_url(self):
        return reverse("budgets:expense", args=[self.pk])

    @classmethod
    def restrict_queryset(cls, queryset, user, action):
        return queryset.filter(department_condition(user, action, prefix="budget__"))


class VoucherFile(StoredFile, BaseModel):
    """The scan of an expense's voucher: stored like a document revision's file (content checked, checksum)."""

    expense = models.ForeignKey(Expense, verbose_name=_("expense"), on_delete=models.PROTECT, related_name="files")
    file = models.FileField(_("file"), upload_to=voucher_file_path, max_length=300)

    class Meta:
        verbose_name = _("voucher file")
        verbose_name_plural = _("voucher files")
        ordering = ["expense", "created_at", "id"]

    def get_absolute_url(self):
        return reverse("budgets:voucherfile", args=[self.pk])

    @classmethod
    def restrict_queryset(cls, queryset, user, action):
        return queryset.filter(department_condition(user, action, prefix="expense__budget__"))


class BudgetAlert(models.Model):
    """A warning that has gone out for a line (one per line and level: 90 % used, overrun)."""

    line = models.ForeignKey(BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT,
                             related_name="alerts")
    level = models.CharField(_("level"), max_length=6, choices=AlertLevel.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("budget warning")
        verbose_name_plural = _("budget warnings")
        ordering = ["line", "level"]
        constraints = [models.UniqueConstraint(fields=["line", "level"], name="budgets_alert_once")]

    def __str__(self):
        return f"{self.line} · {self.get_level_display()}"
