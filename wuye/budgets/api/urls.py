from .views import BudgetCategoryViewSet, BudgetLineViewSet, BudgetViewSet, ExpenseViewSet

ROUTES = [
    ("budgets", BudgetViewSet),
    ("budget-lines", BudgetLineViewSet),
    ("expenses", ExpenseViewSet),
    ("budget-categories", BudgetCategoryViewSet),
]
