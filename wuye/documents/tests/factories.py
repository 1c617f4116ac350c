"""Documents for tests, made through the services (DESIGN.md §10)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wuye.documents import services
from wuye.documents.models import DocumentCategory


def category(path: str = "程序文件") -> DocumentCategory:
    return DocumentCategory.objects.get(path=path)


def text_file(text: str = "电梯维保程序：每月检查一次电梯。", name: str = "程序.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def pdf_file(text: str = "Elevator maintenance", name: str = "procedure.pdf") -> SimpleUploadedFile:
    """A real one-page PDF (made with WeasyPrint, which the app ships) holding ``text``."""
    from weasyprint import HTML

    data = HTML(string=f"<p>{text}</p>").write_pdf()
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def make_document(world, *, actor=None, path: str = "程序文件", title: str = "电梯维保管理程序", **fields):
    actor = actor or world.users["document_controller"]
    fields.setdefault("custodian", world.staff["document_controller"])
    return services.document_create(actor=actor, category=category(path), title=title, **fields)


def issued(world, document, *, text: str = "电梯维保程序：每月检查一次电梯。", author=None, approver=None):
    """A document with an issued revision: drafted by the manager, approved and issued by the controller."""
    author = author or world.users["cs_manager"]
    approver = approver or world.users["document_controller"]
    revision = services.revision_create(actor=author, document=document, change_description="首次发布",
                                        files=[text_file(text)])
    services.revision_submit(actor=author, revision=revision)
    services.revision_approve(actor=approver, revision=revision)
    return services.revision_issue(actor=approver, revision=revision)


def period(hours_from: float = -1, hours_to: float = 24):
    now = timezone.now()
    return now + dt.timedelta(hours=hours_from), now + dt.timedelta(hours=hours_to)
