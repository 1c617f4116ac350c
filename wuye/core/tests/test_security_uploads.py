"""Hostile uploads on every upload field: refused with a clear error and nothing stored, or stored safely.

Each target is the service every page and API operation of that upload field calls (the forms and serializers
hand the file to it). Hostile files: HTML renamed ``.jpg``/``.pdf``, an SVG with a script, a file over
``WUYE_UPLOAD_MAX_BYTES``, zip bombs (a ``.docx`` and a ``.xlsx`` whose members expand to more than 100 MB),
a picture too large to decode, and path-traversal names. ``test_every_upload_field_is_covered`` fails when a
model gains a file field that no target here exercises.
"""

from __future__ import annotations

import functools
import io
import zipfile
from decimal import Decimal
from pathlib import Path, PurePosixPath

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from wuye.core.testing import s3

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"<script>alert(1)</script></svg>")
SVG_BARE = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _png(size=(4, 4)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


@functools.lru_cache
def _zip_bomb(kind: str, expanded: int = 120 * 1024 * 1024) -> bytes:
    """A small Office file (about 120 KB) whose main part expands to ``expanded`` bytes of zeros."""
    main = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open(main, "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(expanded // len(chunk)):
                member.write(chunk)
    return buf.getvalue()


def _traversal_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("../../../../tmp/evil.sh", "echo pwned")
    return buf.getvalue()


@functools.lru_cache
def _big_picture() -> bytes:
    """A PNG of 8,000 × 8,000 pixels (64 million: over the limit) that is only a few hundred KB on disk."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buf, format="PNG", optimize=True)
    return buf.getvalue()


HOSTILE = {
    "html-as-jpg": ("photo.jpg", HTML),
    "html-as-pdf": ("scan.pdf", HTML),
    "svg": ("drawing.svg", SVG),
    "svg-as-png": ("photo.png", SVG_BARE),
    "zip-bomb-docx": ("report.docx", "docx-bomb"),
    "zip-bomb-xlsx": ("figures.xlsx", "xlsx-bomb"),
    "zip-traversal": ("report.docx", "traversal-zip"),
    "picture-bomb": ("photo.png", "big-picture"),
    "oversize": ("big.pdf", "oversize"),
}
NAMES = ["../../etc/passwd.pdf", "..\\..\\x.pdf", "evil\x00.pdf.jpg", "/etc/cron.d/x.pdf", "..", "CON .pdf"]


def _content(kind: bytes | str) -> bytes:
    if isinstance(kind, bytes):
        return kind
    if kind == "docx-bomb":
        return _zip_bomb("docx")
    if kind == "xlsx-bomb":
        return _zip_bomb("xlsx")
    if kind == "traversal-zip":
        return _traversal_zip()
    if kind == "big-picture":
        return _big_picture()
    if kind == "oversize":
        return _pdf() + b"%" + b"0" * (settings.WUYE_UPLOAD_MAX_BYTES + 1)
    raise AssertionError(kind)


# --- the targets: (model label, world -> function(upload) that stores through the service) --------------------


def _ticket(w):
    from wuye.tickets import services
    from wuye.tickets.tests.factories import make_ticket

    ticket = make_ticket(w)
    return lambda upload: services.attachment_add(actor=w.users["cs_manager"], ticket=ticket, files=[upload])


def _ticket_note(w):
    from wuye.tickets import services
    from wuye.tickets.tests.factories import make_ticket

    ticket = make_ticket(w)
    return lambda upload: services.note_add(actor=w.users["cs_manager"], ticket=ticket, body="进展", files=[upload])


def _revision(w):
    from wuye.documents import services
    from wuye.documents.tests.factories import make_document

    document = make_document(w)
    revision = services.revision_create(actor=w.users["cs_manager"], document=document, change_description="修订")
    return lambda upload: services.revision_add_file(actor=w.users["cs_manager"], revision=revision, upload=upload)


def _revision_create(w):
    from wuye.documents import services
    from wuye.documents.tests.factories import make_document

    document = make_document(w)
    return lambda upload: services.revision_create(actor=w.users["cs_manager"], document=document,
                                                   change_description="修订", files=[upload])


def _contract(w):
    from wuye.contracts.services import contract_add_file
    from wuye.contracts.tests.factories import draft

    contract = draft(w)
    return lambda upload: contract_add_file(actor=w.users["cs_manager"], contract=contract, upload=upload)


def _incident(w):
    from wuye.incidents import services
    from wuye.incidents.tests.factories import reported

    incident = reported(w)
    return lambda upload: services.incident_add_file(actor=w.users["agent"], incident=incident, upload=upload)


def _voucher(w):
    from wuye.budgets import services
    from wuye.budgets.tests.factories import budget, today

    line = budget(w).lines.first()
    counter = iter(range(1000))
    return lambda upload: services.expense_record(actor=w.users["cs_manager"], line=line, amount=Decimal("10.00"),
                                                  spent_on=today(), voucher_number=f"PZ-{next(counter)}",
                                                  description="测试", payee="商户", file=upload)


def _material(w):
    from wuye.training import services
    from wuye.training.tests.factories import session

    item = session(w)
    return lambda upload: services.session_add_material(actor=w.users["cs_manager"], session=item, upload=upload)


def _quality(w):
    from wuye.quality.services.files import quality_file_add

    return lambda upload: quality_file_add(actor=w.users["quality_auditor"], owner=w.estate_a, upload=upload)


TARGETS = {
    "tickets.Attachment": _ticket,
    "tickets.Attachment(note)": _ticket_note,
    "documents.RevisionFile": _revision,
    "documents.RevisionFile(create)": _revision_create,
    "contracts.ContractFile": _contract,
    "incidents.IncidentFile": _incident,
    "budgets.VoucherFile": _voucher,
    "training.SessionMaterial": _material,
    "quality.QualityFile": _quality,
}
# File fields no user uploads to through a page or the API, each with its reason (and where it is tested).
NOT_UPLOADED = {
    "documents.Regulation": "no form or API field sets it (admin only; the admin is for administrators)",
    "tickets.ImportJob": "the historical import: tested below (test_ticket_import_*)",
}


def media_files() -> set[str]:
    """The stored files, by their names relative to the storage (the folder MEDIA_ROOT, or the test's folder in
    the bucket with DJANGO_STORAGE=s3), read directly rather than through the storage."""
    if s3.S3_TESTS:
        location = default_storage.location
        return {key[len(location) + 1:] for key in s3.keys(location)}
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def assert_stored_inside(name: str) -> None:
    """A stored file's name stays inside the storage: in the folder, or under the test's prefix in the bucket."""
    assert ".." not in PurePosixPath(name).parts and "\x00" not in name and "\\" not in name, name
    assert not name.startswith("/") and "passwd" not in name and PurePosixPath(name).parts[0] != "etc", name
    assert name in media_files(), name
    if not s3.S3_TESTS:
        root = Path(settings.MEDIA_ROOT).resolve()
        assert (root / name).resolve().is_relative_to(root), name


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_every_upload_field_is_covered():
    covered = {label.split("(")[0] for label in TARGETS} | set(NOT_UPLOADED)
    fields = {f"{m._meta.app_label}.{m.__name__}" for m in apps.get_models() if m.__module__.startswith("wuye.")
              and not m.__name__.startswith("Historical")
              and any(isinstance(f, models.FileField) for f in m._meta.get_fields())}
    assert fields <= covered, sorted(fields - covered)


@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_upload_is_refused(target, hostile, world):
    store = TARGETS[target](world)
    name, kind = HOSTILE[hostile]
    upload = SimpleUploadedFile(name, _content(kind), content_type="image/jpeg")
    before = media_files()
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        store(upload)
    message = " ".join(refused.value.messages)
    assert name in message or "MB" in message, message  # a clear error naming the file
    assert media_files() == before


@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", NAMES)
def test_hostile_names_are_stored_under_a_generated_name(target, name, world):
    store = TARGETS[target](world)
    upload = SimpleUploadedFile("x.png", _png())
    upload._name = name  # as a client could send it, path and all (UploadedFile's setter would strip some)
    store(upload)
    stored = media_files()
    assert stored
    for name in stored:
        assert_stored_inside(name)


@pytest.mark.django_db
def test_a_good_file_is_still_accepted(world):
    """The checks above refuse by content, not by accident: a small photo, a PDF and a real .docx pass."""
    import docx

    store = TARGETS["documents.RevisionFile"](world)
    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("电梯维保程序")
    document.save(buf)
    for name, data in (("photo.png", _png()), ("scan.pdf", _pdf()), ("procedure.docx", buf.getvalue())):
        store(SimpleUploadedFile(name, data))
    assert len(media_files()) == 3


def _raw_multipart(filename: str, data: bytes, fields: dict) -> tuple[bytes, str]:
    boundary = "----wuyeboundary"
    parts = []
    for key, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
                 f"Content-Type: image/png\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["../../etc/passwd.png", "..\\..\\x.png", "/etc/x.png"])
def test_traversal_name_over_http_is_stored_safely(name, world):
    """The raw multipart request, as a hostile client sends it (Django's test client would strip the path)."""
    from wuye.tickets.models import Attachment
    from wuye.tickets.tests.factories import make_ticket

    ticket = make_ticket(world)
    client = Client()
    client.force_login(world.users["cs_manager"])
    body, content_type = _raw_multipart(name, _png(), {"visibility": "public"})
    response = client.generic("POST", reverse("tickets:ticket_attach", args=[ticket.pk]), body,
                              content_type=content_type)
    assert response.status_code in (200, 302), response.status_code
    attachment = Attachment.objects.get(ticket=ticket)
    assert "/" not in attachment.name and "\\" not in attachment.name and ".." not in attachment.name
    assert_stored_inside(attachment.file.name)


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", ["html-as-jpg", "svg", "zip-bomb-docx", "oversize"])
def test_hostile_upload_over_http_is_refused_with_a_message(hostile, world, settings):
    """Through the page: the form answers with the error, nothing is stored."""
    from wuye.tickets.models import Attachment
    from wuye.tickets.tests.factories import make_ticket

    ticket = make_ticket(world)
    client = Client()
    client.force_login(world.users["cs_manager"])
    name, kind = HOSTILE[hostile]
    before = media_files()
    response = client.post(reverse("tickets:ticket_attach", args=[ticket.pk]),
                           {"files": SimpleUploadedFile(name, _content(kind)), "visibility": "public"})
    assert response.status_code in (200, 400), response.status_code
    assert name in response.content.decode()
    assert not Attachment.objects.filter(ticket=ticket).exists()
    assert media_files() == before


# --- the historical ticket import: the file goes to a job, not to users ---------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", ["html-as-xlsx", "zip-bomb-xlsx", "html-as-csv", "html-as-jsonl",
                                     "zip-as-csv"])
def test_ticket_import_refuses_hostile_files(hostile, world):
    """Checked by content before the file is stored and handed to the import job."""
    from wuye.tickets.models import ImportJob

    name, data = {"html-as-xlsx": ("tickets.xlsx", HTML), "zip-bomb-xlsx": ("tickets.xlsx", _zip_bomb("xlsx")),
                  "html-as-csv": ("tickets.csv", HTML), "html-as-jsonl": ("tickets.jsonl", HTML),
                  "zip-as-csv": ("tickets.csv", _zip_bomb("xlsx"))}[hostile]
    client = Client()
    client.force_login(world.users["admin"])
    before = media_files()
    response = client.post(reverse("tickets:ticket_import"), {"file": SimpleUploadedFile(name, data), "format": "",
                                                              "estate": world.estate_a.pk})
    assert response.status_code == 400, response.status_code
    assert not ImportJob.objects.exists()
    assert media_files() == before


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["estates:unit_import", "estates:customer_import"])
@pytest.mark.parametrize("hostile", ["html-as-xlsx", "zip-bomb-xlsx", "zip-without-workbook"])
def test_excel_imports_refuse_hostile_files(route, hostile, world):
    """The Excel imports (core.forms.ExcelUploadForm) check the content, not only the name, before any row is read."""
    import io
    import zipfile

    from wuye.estates.models import Customer, Unit

    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    data = {"html-as-xlsx": HTML, "zip-bomb-xlsx": _zip_bomb("xlsx"), "zip-without-workbook": other_zip.getvalue()}
    client = Client()
    client.force_login(world.users["admin"])
    counts = Unit.objects.count(), Customer.objects.count()
    response = client.post(reverse(route), {"file": SimpleUploadedFile("导入.xlsx", data[hostile])})
    assert response.status_code in (200, 400), response.status_code
    assert "请上传 Excel 工作簿（.xlsx）" in response.content.decode() or "压缩文件" in response.content.decode()
    assert (Unit.objects.count(), Customer.objects.count()) == counts
