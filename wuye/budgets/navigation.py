from django.utils.translation import gettext_lazy as _

from wuye.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(_("Budget"), order=77, icon="cash-coin", items=(
        MenuItem(_("Budgets"), "budgets:budget_list", "budgets.view_budget", icon="wallet2"),
        MenuItem(_("Expenses"), "budgets:expense_list", "budgets.view_expense", icon="receipt"),
        MenuItem(_("Budget categories"), "budgets:budgetcategory_list", "budgets.change_budgetcategory",
                 icon="tags"),
    )),
)
