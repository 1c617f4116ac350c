"""Choices of the incidents app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")          # 一般
    SERIOUS = "serious", _("Serious")    # 较大
    MAJOR = "major", _("Major")          # 重大
    CRITICAL = "critical", _("Critical")  # 特别重大


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", pgettext_lazy("incident", "Reported")
    INVESTIGATING = "investigating", pgettext_lazy("incident", "Under investigation")
    INVESTIGATED = "investigated", pgettext_lazy("incident", "Investigated")
    REVIEWED = "reviewed", pgettext_lazy("incident", "Reviewed")
    CLOSED = "closed", pgettext_lazy("incident", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("incident", "Withdrawn")


# not yet closed or withdrawn: shown on the estate page, counted as "open"
OPEN_STATUSES = (IncidentStatus.REPORTED, IncidentStatus.INVESTIGATING, IncidentStatus.INVESTIGATED,
                 IncidentStatus.REVIEWED)
# the report's fields may still be corrected
EDITABLE_STATUSES = (IncidentStatus.REPORTED, IncidentStatus.INVESTIGATING)
# a withdrawal is possible until the manager's review
WITHDRAWABLE_STATUSES = (IncidentStatus.REPORTED, IncidentStatus.INVESTIGATING, IncidentStatus.INVESTIGATED)

# the kinds every installation starts with (code, name); the company adds or retires kinds on the kinds page
DEFAULT_KINDS = (
    ("injury", "人身伤害"),
    ("property", "财产损失"),
    ("equipment", "设备故障"),
    ("fire", "火情"),
    ("flood", "水浸"),
    ("security", "治安"),
    ("other", "其他"),
)
