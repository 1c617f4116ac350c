"""Choices of the report centre."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("report", "Submitted")
    RETURNED = "returned", pgettext_lazy("report", "Returned for revision")
    ACCEPTED = "accepted", pgettext_lazy("report", "Accepted")
    CANCELLED = "cancelled", pgettext_lazy("report", "Cancelled")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("report decision", "Accept")
    RETURNED = "returned", _("Return for revision")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


# the author may still change the texts and regenerate the figures
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# may still be cancelled (an accepted report is final)
CANCELLABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.SUBMITTED)
