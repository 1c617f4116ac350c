"""Choices of core's own models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BackupKind(models.TextChoices):
    BACKUP = "backup", _("backup")
    VERIFY = "verify", _("verification")
    RESTORE = "restore", _("restore")
