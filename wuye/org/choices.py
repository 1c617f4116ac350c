from django.db import models
from django.utils.translation import gettext_lazy as _


class StandardStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CURRENT = "current", _("Current")
    SUPERSEDED = "superseded", _("Superseded")


class StaffStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left")
