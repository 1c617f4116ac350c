"""The budget panel of the home page (registered in ``BudgetsConfig.ready``): this year's budgets the user
plans or approves, their execution % and the lines at 90 % and over, each linking to the budget."""

from __future__ import annotations

from django.urls import reverse

from . import selectors


def budgets_dashboard_panel(request):
    user = request.user
    if not user.has_perm("budgets.view_budget") or not (user.has_perm("budgets.change_budget")
                                                        or user.has_perm("budgets.approve_budget")):
        return None
    rows = selectors.dashboard_budgets(user)
    return {"template": "budgets/panels/dashboard.html", "css": "col-12 col-xl-6", "rows": rows,
            "list_url": reverse("budgets:budget_list")}
