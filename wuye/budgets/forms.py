"""Forms of the budget pages. They only collect input; the services decide (and refuse in the user's language)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wuye.core.forms import BaseForm, BaseModelForm, DateInput
from wuye.documents.forms import StepForm

from .choices import BudgetStatus
from .models import MONTH_FIELDS, Budget, BudgetCategory, BudgetLine, _month_label
from .services import own_departments


class BudgetForm(BaseModelForm):
    """A draft budget (``services.budget_create`` / ``budget_update``): the department (the user's own or one under
    it), the year and notes. Once approved only the notes change."""

    class Meta:
        model = Budget
        fields = ["department", "year", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = own_departments(self.user)
        if self.instance.pk and self.instance.status != BudgetStatus.DRAFT:
            self.fields["department"].disabled = True
            self.fields["year"].disabled = True

    def service_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if not self.fields[name].disabled}


class LineForm(StepForm):
    """A budget line: category, description, annual amount, and optionally its twelve monthly amounts (all empty:
    an even split, the rounding on December). On an approved budget the reason for the revision is required."""

    category = forms.ModelChoiceField(label=_("category"), queryset=BudgetCategory.objects.filter(is_active=True))
    description = forms.CharField(label=_("description"), max_length=200, required=False)
    amount = forms.DecimalField(label=_("annual amount (yuan)"), max_digits=14, decimal_places=2, min_value=0)
    reason = forms.CharField(label=_("reason for the revision"), max_length=300, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required once the budget is approved."))

    def __init__(self, *args, line: BudgetLine | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for month, name in enumerate(MONTH_FIELDS, start=1):
            self.fields[name] = forms.DecimalField(label=_month_label(month), max_digits=14, decimal_places=2,
                                                   min_value=0, required=False)
        self.fields[MONTH_FIELDS[0]].help_text = _("Leave all twelve months empty for an even split.")
        if line is not None and not self.is_bound:
            self.initial.update({"category": line.category_id, "description": line.description,
                                 "amount": line.amount, **{name: getattr(line, name) for name in MONTH_FIELDS}})
        from wuye.core.forms import _style

        for name in MONTH_FIELDS:
            _style(self.fields[name])

    def phasing(self):
        values = [self.cleaned_data.get(name) for name in MONTH_FIELDS]
        if all(v is None for v in values):
            return None
        return [v or 0 for v in values]


class ExpenseForm(BaseForm):
    line = forms.ModelChoiceField(label=_("budget line"), queryset=BudgetLine.objects.none())
    amount = forms.DecimalField(label=_("amount spent (yuan)"), max_digits=14, decimal_places=2)
    spent_on = forms.DateField(label=_("date"), widget=DateInput())
    voucher_number = forms.CharField(label=_("voucher number"), max_length=40)
    payee = forms.CharField(label=_("payee"), max_length=100, required=False)
    description = forms.CharField(label=_("description"), max_length=300)
    file = forms.FileField(label=_("voucher scan"), required=False,
                           help_text=_("PDF or photo of the voucher; checked by its content."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = (BudgetLine.objects.restrict(self.user, "view")
                                        .filter(budget__status=BudgetStatus.APPROVED,
                                                budget__department__in=own_departments(self.user))
                                        .select_related("budget__department", "category")
                                        .order_by("-budget__year", "category__sort_order", "description"))
        self.fields["line"].label_from_instance = lambda line: f"{line.budget} · {line}"


class CloseForm(StepForm):
    reason = forms.CharField(label=_("reason"), max_length=200, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required when the year is not over yet."))


class ReverseForm(StepForm):
    reason = forms.CharField(label=_("reason for the reversal"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CategoryForm(BaseModelForm):
    class Meta:
        model = BudgetCategory
        fields = ["code", "name", "sort_order", "is_active"]


class ReportForm(BaseForm):
    period = forms.ChoiceField(label=_("period"), required=False, choices=[
        ("month", _("Month")), ("quarter", _("Quarter")), ("ytd", _("Year to date")), ("year", _("Whole year"))])
    month = forms.TypedChoiceField(label=_("up to month"), required=False, coerce=int, empty_value=None,
                                   choices=[(m, _month_label(m)) for m in range(1, 13)])
