"""Permission matrix of the budgets app: every page and endpoint as every role, and another department's budget.

Who may do what comes from ``budgets/roles.py``: the customer-service manager and the administrator plan their own
department's budget, record and reverse expenses, keep the categories; top management approves (and may close) and,
with the quality auditor, sees every department's budget; agents, the document controller and residents: 403.

Out of scope here is another department: the manager of the test world's department (客户服务部) gets 404 for the
budget and expenses of 工程部 (``Route.other`` with ``scoped_roles={cs_manager}``); the administrator sees every
budget (``budgets.view_all_budgets``) but changes only their own department's.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from wuye.budgets import services
from wuye.budgets.models import Budget, BudgetCategory, Expense
from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests
from wuye.documents.tests.factories import text_file

from .factories import budget, category, other_budget, spend, today

R = Role
VIEW = {R.CS_MANAGER, R.EXECUTIVE, R.QUALITY_AUDITOR, R.ADMIN}
MANAGE = {R.CS_MANAGER, R.ADMIN}
APPROVE = {R.EXECUTIVE}
CLOSE = {R.CS_MANAGER, R.ADMIN, R.EXECUTIVE}
SCOPED = {R.CS_MANAGER}


# --- objects -------------------------------------------------------------------------------------------------------


def _budget(status="approved", other=False):
    def make(w):
        return other_budget(w, status) if other else budget(w, status=status)
    return make


def _line(status="approved", other=False):
    return lambda w: _budget(status, other)(w).lines.get()


def _expense(other=False, with_file=False):
    def make(w):
        item = _budget("approved", other)(w)
        if with_file:
            return services.expense_record(actor=item.created_by, line=item.lines.get(), amount="12.00",
                                           spent_on=today(), voucher_number="PZ-F", description="x",
                                           file=text_file("凭证", "凭证.txt"))
        return spend(w, item.lines.get(), "12.00", actor=item.created_by)
    return make


def _voucher(other=False):
    return lambda w: _expense(other, with_file=True)(w).files.get()


def _category(w):
    return BudgetCategory.objects.order_by("pk").first()


# --- request bodies ------------------------------------------------------------------------------------------------


def line_form(w, **changes):
    data = {"category": category("training").pk, "description": "岗前培训", "amount": "1200.00", "reason": "新增培训",
            **{f"month_{m}": "" for m in range(1, 13)}}
    data.update(changes)
    return data


def expense_form(w):
    line = budget(w).lines.get()
    return {"line": line.pk, "amount": "35.00", "spent_on": today().isoformat(), "voucher_number": "PZ-100",
            "payee": "文具店", "description": "签字笔"}


def api_expense(w):
    line = budget(w).lines.get()
    return {"line": line.pk, "amount": "35.00", "spent_on": today().isoformat(), "voucher_number": "PZ-100",
            "description": "签字笔"}


# --- routes --------------------------------------------------------------------------------------------------------


def _url(name, *args):
    return lambda w: reverse(name, args=args)


def _on(name, make, *extra):
    return lambda w: reverse(name, args=[make(w).pk, *extra])


def _page(name, make, make_other, allowed, *extra, **kwargs):
    return Route(name, _on(name, make, *extra), set(allowed), other=_on(name, make_other, *extra),
                 scoped_roles=SCOPED, **kwargs)


def _api(name, make, make_other, allowed, **kwargs):
    return Route(name, _on(name, make), set(allowed), other=_on(name, make_other), scoped_roles=SCOPED, api=True,
                 **kwargs)


def _export(name, make, query):
    def url(w):
        make(w)
        return f"{reverse(name)}?{query}"
    return url


def _report(fmt=""):
    def url(w):
        item = budget(w)
        spend(w, item.lines.get(), "100.00")
        return reverse("budgets:budget_report", args=[item.pk]) + (f"?period=quarter&format={fmt}" if fmt else "")
    return url


PAGE_CASES = [
    Route("budgets:budget_list", _url("budgets:budget_list"), VIEW),
    Route("budgets:budget_list", _export("budgets:budget_list", _budget(), "export=xlsx"), VIEW),
    _page("budgets:budget", _budget(), _budget(other=True), VIEW),
    _page("budgets:budget", _budget("draft"), _budget("draft", other=True), VIEW),
    _page("budgets:budget_history", _budget(), _budget(other=True), VIEW),
    Route("budgets:budget_add", _url("budgets:budget_add"), MANAGE),
    Route("budgets:budget_add", _url("budgets:budget_add"), MANAGE, method="post", ok=(302,),
          data=lambda w: {"department": w.department.pk, "year": today().year + 1, "notes": "下年度预算"}),
    _page("budgets:budget_edit", _budget("draft"), _budget("draft", other=True), MANAGE),
    _page("budgets:budget_edit", _budget("draft"), _budget("draft", other=True), MANAGE, method="post", ok=(302,),
          data=lambda w: {"department": w.department.pk, "year": today().year, "notes": "已调整"}),
    Route("budgets:budget_report", _report(), VIEW,
          other=_on("budgets:budget_report", _budget(other=True)), scoped_roles=SCOPED),
    Route("budgets:budget_report", _report("pdf"), VIEW),
    Route("budgets:budget_report", _report("xlsx"), VIEW),
    _page("budgets:budgetline_add", _budget("draft"), _budget("draft", other=True), MANAGE),
    _page("budgets:budgetline_add", _budget("draft"), _budget("draft", other=True), MANAGE, method="post",
          ok=(302,), data=line_form),
    _page("budgets:budgetline_edit", _line("draft"), _line("draft", other=True), MANAGE),
    _page("budgets:budgetline_edit", _line(), _line(other=True), MANAGE, method="post", ok=(302,),
          data=lambda w: line_form(w, category=category("office").pk, description="测试预算1", amount="2400.00",
                                   reason="追加")),
    _page("budgets:budget_step", _budget("draft"), _budget("draft", other=True), APPROVE, "approve"),
    Route("budgets:budget_step", _on("budgets:budget_step", _budget("draft"), "approve"), APPROVE, method="post",
          ok=(302,)),
    _page("budgets:budget_step", _budget(), _budget(other=True), CLOSE, "close"),
    Route("budgets:budget_step", _on("budgets:budget_step", _budget(), "close"), CLOSE, method="post", ok=(302,),
          data=lambda w: {"reason": "部门调整"}),
    Route("budgets:expense_list", _url("budgets:expense_list"), VIEW),
    Route("budgets:expense_list", _export("budgets:expense_list", _expense(), "export=xlsx"), VIEW),
    _page("budgets:expense", _expense(), _expense(other=True), VIEW),
    _page("budgets:expense_history", _expense(), _expense(other=True), VIEW),
    Route("budgets:expense_add", _url("budgets:expense_add"), MANAGE),
    Route("budgets:expense_add", _url("budgets:expense_add"), MANAGE, method="post", ok=(302,), data=expense_form),
    _page("budgets:expense_step", _expense(), _expense(other=True), MANAGE, "reverse"),
    Route("budgets:expense_step", _on("budgets:expense_step", _expense(), "reverse"), MANAGE, method="post",
          ok=(302,), data=lambda w: {"reason": "重复入账"}),
    _page("budgets:voucherfile", _voucher(), _voucher(other=True), VIEW),
    Route("budgets:budgetcategory_list", _url("budgets:budgetcategory_list"), MANAGE),
    Route("budgets:budgetcategory_add", _url("budgets:budgetcategory_add"), MANAGE),
    Route("budgets:budgetcategory_add", _url("budgets:budgetcategory_add"), MANAGE, method="post", ok=(302,),
          data=lambda w: {"code": "fuel", "name": "车辆燃油费", "sort_order": "45", "is_active": "on"}),
    Route("budgets:budgetcategory_edit", _on("budgets:budgetcategory_edit", _category), MANAGE),
    Route("budgets:budgetcategory_edit", _on("budgets:budgetcategory_edit", _category), MANAGE, method="post",
          ok=(302,), data=lambda w: {"code": "office", "name": "办公费用", "sort_order": "10", "is_active": "on"}),
]

API_CASES = [
    Route("api:budgets-budget-list", _url("api:budgets-budget-list"), VIEW, api=True),
    Route("api:budgets-budget-list", _url("api:budgets-budget-list"), MANAGE, api=True, method="post", ok=(201,),
          data=lambda w: {"department": w.department.pk, "year": today().year + 1}),
    _api("api:budgets-budget-detail", _budget(), _budget(other=True), VIEW),
    _api("api:budgets-budget-detail", _budget("draft"), _budget("draft", other=True), MANAGE, method="patch",
         data=lambda w: {"notes": "补充说明"}),
    _api("api:budgets-budget-approve", _budget("draft"), _budget("draft", other=True), APPROVE, method="post"),
    Route("api:budgets-budget-close", _on("api:budgets-budget-close", _budget()), CLOSE, api=True, method="post",
          data=lambda w: {"reason": "部门调整"}),
    _api("api:budgets-budget-lines", _budget("draft"), _budget("draft", other=True), MANAGE, method="post",
         ok=(201,), data=lambda w: {"category": category("training").pk, "amount": "1200.00"}),
    _api("api:budgets-budget-execution", _budget(), _budget(other=True), VIEW),
    Route("api:budgets-budgetline-list", _url("api:budgets-budgetline-list"), VIEW, api=True),
    _api("api:budgets-budgetline-detail", _line(), _line(other=True), VIEW),
    _api("api:budgets-budgetline-detail", _line("draft"), _line("draft", other=True), MANAGE, method="patch",
         data=lambda w: {"amount": "2400.00"}),
    Route("api:budgets-expense-list", _url("api:budgets-expense-list"), VIEW, api=True),
    Route("api:budgets-expense-list", _url("api:budgets-expense-list"), MANAGE, api=True, method="post", ok=(201,),
          data=api_expense),
    _api("api:budgets-expense-detail", _expense(), _expense(other=True), VIEW),
    _api("api:budgets-expense-reverse", _expense(), _expense(other=True), MANAGE, method="post",
         data=lambda w: {"reason": "重复入账"}),
    Route("api:budgets-budgetcategory-list", _url("api:budgets-budgetcategory-list"), VIEW, api=True),
    Route("api:budgets-budgetcategory-list", _url("api:budgets-budgetcategory-list"), MANAGE, api=True,
          method="post", ok=(201,), data=lambda w: {"code": "fuel", "name": "车辆燃油费"}),
    Route("api:budgets-budgetcategory-detail", _on("api:budgets-budgetcategory-detail", _category), VIEW, api=True),
    Route("api:budgets-budgetcategory-detail", _on("api:budgets-budgetcategory-detail", _category), MANAGE,
          api=True, method="patch", data=lambda w: {"name": "办公费用"}),
]

CASES = [*PAGE_CASES, *API_CASES]

test_matrix = matrix_tests(CASES)


# --- another department --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_manager_sees_and_spends_only_their_own_department(world, client_for):
    mine, theirs = budget(world), other_budget(world)
    api, page = client_for("cs_manager", api=True), client_for("cs_manager")
    listed = api.get(reverse("api:budgets-budget-list")).json()["results"]
    assert [row["id"] for row in listed] == [mine.pk]
    assert f'href="/budgets/{theirs.pk}/"' not in page.get(reverse("budgets:budget_list")).content.decode()
    before = Expense.objects.count()
    response = api.post(reverse("api:budgets-expense-list"), {
        "line": theirs.lines.get().pk, "amount": "10.00", "spent_on": today().isoformat(), "voucher_number": "X",
        "description": "x"}, format="json")
    assert response.status_code == 400 and "line" in response.json()
    response = page.post(reverse("budgets:expense_add"), {
        "line": theirs.lines.get().pk, "amount": "10.00", "spent_on": today().isoformat(), "voucher_number": "X",
        "description": "x"})
    assert response.status_code == 400
    assert Expense.objects.count() == before
    # the administrator sees every department's budget but spends only from their own
    admin = client_for("admin", api=True)
    assert {row["id"] for row in admin.get(reverse("api:budgets-budget-list")).json()["results"]} == {
        mine.pk, theirs.pk}
    response = admin.post(reverse("api:budgets-budget-lines", args=[theirs.pk]),
                          {"category": category("other").pk, "amount": "1.00", "reason": "x"}, format="json")
    assert response.status_code == 404
    response = admin.post(reverse("api:budgets-expense-list"), {
        "line": theirs.lines.get().pk, "amount": "10.00", "spent_on": today().isoformat(), "voucher_number": "X",
        "description": "x"}, format="json")
    assert response.status_code == 400 and response.json()["line"]
    assert Expense.objects.count() == before
    assert Budget.objects.get(pk=theirs.pk).lines.count() == 1
