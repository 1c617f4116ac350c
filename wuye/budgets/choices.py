from django.db import models
from django.utils.translation import pgettext_lazy


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("budget status", "Draft")
    APPROVED = "approved", pgettext_lazy("budget status", "Approved")
    CLOSED = "closed", pgettext_lazy("budget status", "Closed")


class ExpenseStatus(models.TextChoices):
    RECORDED = "recorded", pgettext_lazy("expense status", "Recorded")
    REVERSED = "reversed", pgettext_lazy("expense status", "Reversed")


class AlertLevel(models.TextChoices):
    NEAR = "near", pgettext_lazy("budget warning", "Nearing the limit")
    OVER = "over", pgettext_lazy("budget warning", "Overrun")

