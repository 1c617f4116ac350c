"""Evidence files of quality records (an objective's measurement, a finding, a corrective action, minutes, a
submission): stored like a document revision's files (content checked, checksum, extracted text), never deleted."""

from __future__ import annotations

import secrets

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.models import BaseModel
from wuye.documents.models import StoredFile


def quality_file_path(instance, filename: str) -> str:
    return f"quality/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}"


class QualityFile(StoredFile, BaseModel):
    """A file attached to a quality record (``owner``). Who may open it follows who may see the record."""

    # StoredFile's ``content_type`` is the file's MIME type; the record it belongs to is ``owner``.
    owner_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.PROTECT,
                                   related_name="+")
    owner_id = models.PositiveBigIntegerField(_("record"))
    owner = GenericForeignKey("owner_type", "owner_id")
    file = models.FileField(_("file"), upload_to=quality_file_path, max_length=300)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["owner_type", "owner_id", "created_at", "id"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="quality_file_owner_idx")]

    def get_absolute_url(self):
        return reverse("quality:file", args=[self.pk])
