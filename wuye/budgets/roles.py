"""Who may do what with the department budget (业务工作 7).

- The customer-service manager and the administrator plan their own department's budget (its lines, revisions
  with a reason once approved), record and reverse expenses, and close it; they see their own department's budgets
  (and those of the departments under it). The administrator (a superuser in the demo) also sees every budget.
- Top management sees every department's budget, approves it and may close it (not plan it or spend from it).
- The quality auditor sees every budget (read only).
- Agents, the document controller and residents: nothing (403).
"""

from wuye.core.roles import Role

_VIEW = ["budgets.view_budget", "budgets.view_budgetline", "budgets.view_expense", "budgets.view_voucherfile",
         "budgets.view_budgetcategory"]
_MANAGE = ["budgets.add_budget", "budgets.change_budget", "budgets.add_budgetline", "budgets.change_budgetline",
           "budgets.add_expense", "budgets.change_expense", "budgets.close_budget"]
_CATEGORIES = ["budgets.add_budgetcategory", "budgets.change_budgetcategory"]

GRANTS = {
    Role.CS_MANAGER: _VIEW + _MANAGE + _CATEGORIES,
    Role.ADMIN: _VIEW + _MANAGE + _CATEGORIES + ["budgets.view_all_budgets"],
    Role.EXECUTIVE: _VIEW + ["budgets.approve_budget", "budgets.close_budget", "budgets.view_all_budgets"],
    Role.QUALITY_AUDITOR: _VIEW + ["budgets.view_all_budgets"],
    Role.AGENT: [],
    Role.DOCUMENT_CONTROLLER: [],
    Role.RESIDENT: [],
}
