"""Evidence files attached to quality records (``QualityFile``): checked like a document revision's files (type by
content, size), kept with checksum and extracted text, never removed. The subject's own service checks that the
actor may change the record before calling ``quality_file_add``."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wuye.core.audit import audit
from wuye.core.context import acting_as

from ..models import QualityFile
from .common import require

__all__ = ["quality_file_add", "files_of"]


@transaction.atomic
def quality_file_add(*, actor, owner, upload, note: str = "") -> QualityFile:
    from wuye.documents.files import inspect_upload

    require(actor, "quality.add_qualityfile")
    info = inspect_upload(upload)
    with acting_as(actor):
        stored = QualityFile(owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk, note=note)
        stored.store(upload, info)
        audit("quality.file", actor=actor, obj=owner, name=stored.name, sha256=stored.sha256)
    return stored


def files_of(owner):
    """The files of one record, oldest first."""
    return QualityFile.objects.filter(owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk)\
        .select_related("created_by").order_by("created_at", "id")
