"""Pages of the budgets app: the budgets list, a budget's page with its lines, execution (lines × months) and
warnings, its steps (add a line, revise a line, approve, close), the 经费控制报告 with PDF and Excel; expenses
(record, reverse, the voucher scan); the categories."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.audit import audit
from wuye.core.exports import write_rows
from wuye.core.forms import apply_errors
from wuye.core.pdf import PdfResponse, render_pdf
from wuye.core.querysets import restrict
from wuye.core.views import BaseView, ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.documents.files import file_response
from wuye.documents.forms import StepForm
from wuye.documents.views.base import StepView, TableStepView
from wuye.tickets.views.reports import xlsx_response

from . import selectors, services
from .choices import BudgetStatus, ExpenseStatus
from .filtersets import BudgetCategoryFilterSet, BudgetFilterSet, ExpenseFilterSet
from .forms import BudgetForm, CategoryForm, CloseForm, ExpenseForm, LineForm, ReportForm, ReverseForm
from .models import MONTHS, ZERO, Budget, BudgetCategory, BudgetLine, Expense, VoucherFile, _month_label
from .tables import BudgetCategoryTable, BudgetTable, ExpenseTable

_MONEY = DecimalField(max_digits=16, decimal_places=2)


def _with_totals(queryset):
    lines = (BudgetLine.objects.filter(budget=OuterRef("pk")).order_by().values("budget")
             .annotate(total=Sum("amount")).values("total"))
    spent = (Expense.objects.filter(budget=OuterRef("pk"), status=ExpenseStatus.RECORDED).order_by()
             .values("budget").annotate(total=Sum("amount")).values("total"))
    return queryset.annotate(total_amount=Coalesce(Subquery(lines, output_field=_MONEY), Value(ZERO)),
                             spent_amount=Coalesce(Subquery(spent, output_field=_MONEY), Value(ZERO)))


# --- budgets -------------------------------------------------------------------------------------------------------


class BudgetListView(ObjectListView):
    queryset = Budget.objects.select_related("department", "approved_by")
    filterset = BudgetFilterSet
    table = BudgetTable

    def get_queryset(self):
        return _with_totals(super().get_queryset())


def budget_steps(budget: Budget, user, own: bool) -> list[dict]:
    """The buttons of the steps ``user`` may take on ``budget`` now (the services have the last word)."""
    steps = []

    def add(label, url, style="outline-primary", name=""):
        steps.append({"label": label, "url": url, "style": style, "step": name})

    if budget.status != BudgetStatus.CLOSED and own and user.has_perm(services.CHANGE):
        add(_("Add a line"), reverse("budgets:budgetline_add", args=[budget.pk]), name="line")
    if budget.status == BudgetStatus.DRAFT and user.has_perm(services.APPROVE):
        add(_("Approve"), reverse("budgets:budget_step", args=[budget.pk, "approve"]), "success", "approve")
    if budget.status == BudgetStatus.APPROVED and user.has_perm(services.CLOSE) and (
            own or user.has_perm(services.APPROVE)):
        add(_("Close"), reverse("budgets:budget_step", args=[budget.pk, "close"]), "outline-danger", "close")
    if budget.status == BudgetStatus.APPROVED and own and user.has_perm(services.RECORD):
        add(_("Record an expense"), f"{reverse('budgets:expense_add')}?budget={budget.pk}", "primary", "expense")
    return steps


class BudgetView(ObjectDetailView):
    queryset = Budget.objects.select_related("department", "approved_by", "closed_by")
    template_name = "budgets/budget.html"

    def get_extra_context(self, budget):
        user = self.request.user
        today = timezone.localdate()
        own = services.is_own(user, budget.pk)
        execution = selectors.budget_execution(budget, until=today if today.year == budget.year else None)
        expenses = list(restrict(Expense.objects.filter(budget=budget), user, "view")
                        .select_related("line__category").order_by("-spent_on", "-id")[:20])
        return {
            "execution": execution,
            "month_labels": [_month_label(m) for m in MONTHS],
            "steps": budget_steps(budget, user, own),
            "can_revise": own and user.has_perm(services.CHANGE) and budget.status != BudgetStatus.CLOSED,
            "edit_url": reverse("budgets:budget_edit", args=[budget.pk])
            if self.can_change and budget.status != BudgetStatus.CLOSED else None,
            "expenses": expenses,
            "expenses_url": f"{reverse('budgets:expense_list')}?budget={budget.pk}",
            "report_url": reverse("budgets:budget_report", args=[budget.pk]),
        }


class BudgetAddView(ObjectEditView):
    queryset = Budget.objects.all()
    form = BudgetForm

    def get_initial(self):
        initial = super().get_initial()
        initial.setdefault("year", timezone.localdate().year)
        return initial

    def save(self, form):
        return services.budget_create(actor=self.request.user, **form.service_fields())


class BudgetEditView(ObjectEditView):
    queryset = Budget.objects.all()
    form = BudgetForm

    def get_initial(self):
        return {}

    def save(self, form):
        budget = Budget.objects.get(pk=form.instance.pk)
        return services.budget_update(actor=self.request.user, budget=budget, **form.service_fields())


class BudgetHistoryView(ObjectHistoryView):
    queryset = Budget.objects.all()


STEPS = {
    "approve": (gettext_lazy("Approve the budget"), "success", services.APPROVE, StepForm),
    "close": (gettext_lazy("Close the budget"), "danger", services.CLOSE, CloseForm),
}


class BudgetStepView(TableStepView):
    queryset = Budget.objects.select_related("department")
    steps = STEPS
    view_permission = "budgets.view_budget"

    def notice(self, budget):
        wanted = {"approve": BudgetStatus.DRAFT, "close": BudgetStatus.APPROVED}[self.step]
        if budget.status != wanted:
            return _("A budget that is %(status)s cannot take this step.") % {"status": budget.get_status_display()}
        return None

    def perform(self, budget, form):
        user = self.request.user
        if self.step == "approve":
            services.budget_approve(actor=user, budget=budget)
        else:
            services.budget_close(actor=user, budget=budget, reason=form.cleaned_data["reason"])
        return _("%(step)s: %(budget)s") % {"step": STEPS[self.step][0], "budget": budget}


class BudgetLineAddView(StepView):
    """Add a line to a budget of the user's own department (a revision with a reason once approved)."""

    queryset = Budget.objects.select_related("department")
    permission_required = services.CHANGE
    form_class = LineForm
    title = gettext_lazy("Add a budget line")
    view_action = "change"

    def notice(self, budget):
        if budget.status == BudgetStatus.CLOSED:
            return _("A closed budget cannot be changed.")
        return None

    def perform(self, budget, form):
        data = form.cleaned_data
        line = services.line_add(actor=self.request.user, budget=budget, category=data["category"],
                                 amount=data["amount"], description=data["description"], phasing=form.phasing(),
                                 reason=data["reason"])
        return _("Added the line %(line)s.") % {"line": line}


class BudgetLineEditView(StepView):
    """Change a line (a revision with a reason once the budget is approved)."""

    queryset = BudgetLine.objects.select_related("budget__department", "category")
    permission_required = services.CHANGE
    form_class = LineForm
    title = gettext_lazy("Change the budget line")
    view_action = "change"

    def make_form(self, line, data=None, files=None):
        return LineForm(data, files, user=self.request.user, obj=line, line=line)

    def notice(self, line):
        if line.budget.status == BudgetStatus.CLOSED:
            return _("A closed budget cannot be changed.")
        return None

    def perform(self, line, form):
        data = form.cleaned_data
        line = services.line_update(actor=self.request.user, line=line, category=data["category"],
                                    amount=data["amount"], description=data["description"], phasing=form.phasing(),
                                    reason=data["reason"])
        return _("Saved the line %(line)s.") % {"line": line}


class BudgetReportView(BaseView):
    """The 经费控制报告 of one budget for a month, a quarter, the year to date or the whole year; ``?format=pdf`` or
    ``xlsx`` downloads it."""

    permission_required = "budgets.view_budget"
    template_name = "budgets/report.html"

    def get(self, request, pk):
        budget = get_object_or_404(restrict(Budget.objects.select_related("department"), request.user, "view"),
                                   pk=pk)
        form = ReportForm(request.GET or None, user=request.user)
        period, month = "ytd", None
        if form.is_bound and form.is_valid():
            period = form.cleaned_data["period"] or "ytd"
            month = form.cleaned_data["month"]
        report = selectors.budget_report(budget, period, month)
        if not form.is_bound:
            form = ReportForm(initial={"period": report["period"], "month": report["month"]}, user=request.user)
        title = _("Department budget control report")
        fmt = request.GET.get("format")
        if fmt in ("pdf", "xlsx"):
            audit("report.export", actor=request.user, obj=budget, report="budget_control", format=fmt,
                  period=report["period"], month=report["month"])
            filename = f"{title}-{budget.department}-{budget.year}"
            if fmt == "pdf":
                pdf = render_pdf("budgets/report_pdf.html", {"title": title, "report": report, "budget": budget},
                                 request=request, landscape=True)
                return PdfResponse(pdf, f"{filename}.pdf")
            return xlsx_response(_report_xlsx(report), filename)
        query = request.GET.copy()
        query.pop("format", None)
        return TemplateResponse(request, self.template_name, {
            "title": title, "budget": budget, "report": report, "form": form, "query": query.urlencode(),
            "object": budget, "model": Budget})


def _report_xlsx(report):
    headers = [_("category"), _("description"), _("planned (yuan)"), _("actual (yuan)"), _("variance (yuan)"),
               _("execution %"), _("annual amount (yuan)"), _("spent in the year to date (yuan)"),
               _("share of annual (%)"), _("warning")]
    labels = {"near": _("Nearing the limit"), "over": _("Overrun")}

    def values(row, category, description):
        return [category, description, row["planned"], row["actual"], row["variance"], row["percent"],
                row["annual"], row["actual_to_end"], row["percent_of_annual"], labels.get(row["warning"] or "", "")]

    rows = [values(r, str(r["line"].category), r["line"].description) for r in report["rows"]]
    rows.append(values(report["totals"], _("Total"), ""))
    return write_rows(headers, ([float(v) if hasattr(v, "as_tuple") else v for v in row] for row in rows),
                      title=str(report["budget"]))


# --- expenses ------------------------------------------------------------------------------------------------------


class ExpenseListView(ObjectListView):
    queryset = Expense.objects.select_related("budget__department", "line__category", "recorded_by")
    filterset = ExpenseFilterSet
    table = ExpenseTable


class ExpenseView(ObjectDetailView):
    queryset = Expense.objects.select_related("budget__department", "line__category", "recorded_by", "reversed_by")
    template_name = "budgets/expense.html"

    def get_extra_context(self, expense):
        user = self.request.user
        may_reverse = (expense.status == ExpenseStatus.RECORDED and expense.budget.status != BudgetStatus.CLOSED
                       and user.has_perm(services.REVERSE) and services.is_own(user, expense.budget_id))
        return {"files": list(expense.files.all()),
                "reverse_url": reverse("budgets:expense_step", args=[expense.pk, "reverse"]) if may_reverse else None}


class ExpenseAddView(BaseView):
    """Record an expense against a line of an approved budget of the user's department (``services.expense_record``)."""

    permission_required = services.RECORD
    template_name = "core/object_edit.html"

    def render(self, form, status=200):
        return TemplateResponse(self.request, self.template_name, {
            "model": Expense, "verbose_name": Expense._meta.verbose_name, "object": Expense(), "form": form,
            "cancel_url": reverse("budgets:expense_list")}, status=status)

    def get(self, request):
        form = ExpenseForm(user=request.user, initial={"spent_on": timezone.localdate(),
                                                       "line": request.GET.get("line")})
        budget = request.GET.get("budget")
        if budget and budget.isdigit():
            form.fields["line"].queryset = form.fields["line"].queryset.filter(budget_id=int(budget))
        return self.render(form)

    def post(self, request):
        form = ExpenseForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    expense = services.expense_record(actor=request.user, line=data["line"], amount=data["amount"],
                                                      spent_on=data["spent_on"], voucher_number=data["voucher_number"],
                                                      description=data["description"], payee=data["payee"],
                                                      file=data.get("file"))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Recorded the expense %(expense)s.") % {"expense": expense})
                return redirect(expense.get_absolute_url())
        return self.render(form, status=400)


class ExpenseHistoryView(ObjectHistoryView):
    queryset = Expense.objects.all()


EXPENSE_STEPS = {
    "reverse": (gettext_lazy("Reverse the expense"), "danger", services.REVERSE, ReverseForm),
}


class ExpenseStepView(TableStepView):
    queryset = Expense.objects.select_related("budget")
    steps = EXPENSE_STEPS
    view_permission = "budgets.view_expense"

    def notice(self, expense):
        if expense.status == ExpenseStatus.REVERSED:
            return _("This expense is already reversed.")
        return None

    def perform(self, expense, form):
        services.expense_reverse(actor=self.request.user, expense=expense, reason=form.cleaned_data["reason"])
        return _("Reversed the expense %(expense)s.") % {"expense": expense}


class VoucherFileView(BaseView):
    """A voucher scan, through ``restrict()``, always as a download; every opening is audited."""

    permission_required = "budgets.view_voucherfile"

    def get(self, request, pk):
        stored = get_object_or_404(restrict(VoucherFile.objects.select_related("expense"), request.user, "view"),
                                   pk=pk)
        audit("budget.voucher_download", actor=request.user, obj=stored.expense, file=stored.name,
              sha256=stored.sha256)
        return file_response(stored, withdrawn=False)


# --- categories ----------------------------------------------------------------------------------------------------


class CategoryListView(ObjectListView):
    queryset = BudgetCategory.objects.all()
    filterset = BudgetCategoryFilterSet
    table = BudgetCategoryTable
    permission_required = "budgets.change_budgetcategory"


class CategoryEditView(ObjectEditView):
    queryset = BudgetCategory.objects.all()
    form = CategoryForm


_steps = "|".join(map(re.escape, STEPS))
_expense_steps = "|".join(map(re.escape, EXPENSE_STEPS))
urlpatterns = [
    path("", BudgetListView.as_view(), name="budget_list"),
    path("add/", BudgetAddView.as_view(), name="budget_add"),
    path("<int:pk>/", BudgetView.as_view(), name="budget"),
    path("<int:pk>/edit/", BudgetEditView.as_view(), name="budget_edit"),
    path("<int:pk>/history/", BudgetHistoryView.as_view(), name="budget_history"),
    path("<int:pk>/report/", BudgetReportView.as_view(), name="budget_report"),
    path("<int:pk>/lines/add/", BudgetLineAddView.as_view(), name="budgetline_add"),
    re_path(rf"^(?P<pk>\d+)/(?P<step>{_steps})/$", BudgetStepView.as_view(), name="budget_step"),
    path("lines/<int:pk>/edit/", BudgetLineEditView.as_view(), name="budgetline_edit"),
    path("expenses/", ExpenseListView.as_view(), name="expense_list"),
    path("expenses/add/", ExpenseAddView.as_view(), name="expense_add"),
    path("expenses/<int:pk>/", ExpenseView.as_view(), name="expense"),
    path("expenses/<int:pk>/history/", ExpenseHistoryView.as_view(), name="expense_history"),
    re_path(rf"^expenses/(?P<pk>\d+)/(?P<step>{_expense_steps})/$", ExpenseStepView.as_view(), name="expense_step"),
    path("vouchers/<int:pk>/", VoucherFileView.as_view(), name="voucherfile"),
    path("categories/", CategoryListView.as_view(), name="budgetcategory_list"),
    path("categories/add/", CategoryEditView.as_view(), name="budgetcategory_add"),
    path("categories/<int:pk>/edit/", CategoryEditView.as_view(), name="budgetcategory_edit"),
]
