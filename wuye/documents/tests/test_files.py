"""Files of documents (seed 2.5, bad input): uploads checked by content, the 作废 mark on every file served
from a withdrawn revision or document (PDF pages, photos, text), Word/Excel served as they are but named 作废-,
and never inline."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from wuye.documents import files, services
from wuye.documents.tests.factories import issued, make_document, text_file


def _pdf(pages: int = 2, landscape: bool = False) -> bytes:
    from weasyprint import HTML

    size = "A4 landscape" if landscape else "A4"
    body = "".join(f"<p style='page-break-after: always'>Elevator page {n}</p>" for n in range(1, pages + 1))
    return HTML(string=f"<style>@page {{ size: {size} }}</style>{body}").write_pdf()


def _image(fmt: str, size=(320, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (255, 255, 255)).save(out, fmt)
    return out.getvalue()


def _docx(text: str = "电梯维保记录") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("landscape", [False, True])
def test_a_stamped_pdf_opens_and_every_page_carries_the_mark(landscape):
    original = _pdf(3, landscape)
    stamped = files.stamp_obsolete(original, files.PDF)
    reader = PdfReader(io.BytesIO(stamped))
    assert len(reader.pages) == len(PdfReader(io.BytesIO(original)).pages) == 3
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "作废" in text and "OBSOLETE" in text, text
        assert f"Elevator page {number}" in text  # the content is still there
    first = PdfReader(io.BytesIO(original)).pages[0].mediabox
    assert reader.pages[0].mediabox.width == first.width  # the page size is kept


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_a_stamped_photo_keeps_its_size_and_shows_the_mark(fmt, content_type):
    original = _image(fmt)
    stamped = files.stamp_obsolete(original, content_type)
    with Image.open(io.BytesIO(stamped)) as after, Image.open(io.BytesIO(original)) as before:
        assert after.size == before.size and after.format == fmt
        raw = after.convert("RGB").tobytes()
        pixels = [tuple(raw[i:i + 3]) for i in range(0, len(raw), 3)]
        changed = [p for p in pixels if p != (255, 255, 255)]
        assert len(changed) > 0.02 * before.size[0] * before.size[1]
        reds = [p for p in changed if p[0] > p[1] + 40 and p[0] > p[2] + 40]
        assert reds, "the mark is red"


def test_a_stamped_text_file_starts_with_the_mark():
    stamped = files.stamp_obsolete("电梯维保程序\n第二行".encode("gb18030"), files.TEXT).decode("utf-8")
    first, *rest = stamped.splitlines()
    assert first.startswith("【作废 OBSOLETE】") and rest == ["电梯维保程序", "第二行"]


def test_word_and_excel_are_returned_as_they_are_with_a_marked_name():
    data = _docx()
    assert files.stamp_obsolete(data, files.DOCX) == data
    assert files.obsolete_name("程序.docx") == "作废-程序.docx"
    assert files.obsolete_name("作废-程序.docx") == "作废-程序.docx"


@pytest.mark.parametrize(("name", "data"), [
    ("procedure.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
    ("procedure.pdf", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
    ("notes.txt", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
    ("notes.txt", b"hello <iframe src='https://example.com'></iframe>"),
    ("photo.png", b"\x00\x01\x02 not a picture"),
    ("archive.docx", b"PK\x03\x04 not really a zip"),
])
def test_markup_and_unknown_files_are_refused_whatever_their_name(name, data):
    with pytest.raises(ValidationError) as refused:
        files.inspect_upload(SimpleUploadedFile(name, data))
    assert "files" in refused.value.message_dict


def test_a_word_file_is_accepted_and_its_text_read():
    info = files.inspect_upload(SimpleUploadedFile("记录.docx", _docx("电梯维保记录")))
    assert info.content_type == files.DOCX and "电梯维保记录" in info.text


# --- served through the download view -------------------------------------------------------------------------


def _download(client, stored):
    response = client.get(reverse("documents:file", args=[stored.pk]))
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def _assert_never_inline(response):
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_files_are_served_marked_once_their_revision_is_superseded(world, client_for):
    controller = world.users["document_controller"]
    document = make_document(world)
    first = issued(world, document, text="电梯维保程序 第一版")
    stored = first.files.get()
    client = client_for("agent")
    response, body = _download(client, stored)
    _assert_never_inline(response)
    assert body.decode() == "电梯维保程序 第一版" and "作废" not in response["Content-Disposition"]
    # a second revision supersedes the first: its file is now served with the mark
    second = services.revision_create(actor=world.users["cs_manager"], document=document, files=[text_file("第二版")])
    services.revision_submit(actor=world.users["cs_manager"], revision=second)
    services.revision_approve(actor=controller, revision=second)
    services.revision_issue(actor=controller, revision=second)
    response, body = _download(client, stored)
    _assert_never_inline(response)
    assert body.decode().splitlines()[0].startswith("【作废 OBSOLETE】")
    assert "%E4%BD%9C%E5%BA%9F-" in response["Content-Disposition"]  # 作废- in front of the name
    current, body = _download(client, second.files.get())
    assert body.decode() == "第二版"


@pytest.mark.django_db
def test_files_of_an_obsolete_document_are_marked_pdf_and_word(world, client_for):
    controller, manager = world.users["document_controller"], world.users["cs_manager"]
    document = make_document(world)
    pdf = SimpleUploadedFile("程序.pdf", _pdf(2))
    word = SimpleUploadedFile("记录.docx", _docx())
    revision = services.revision_create(actor=manager, document=document, files=[pdf, word])
    services.revision_submit(actor=manager, revision=revision)
    services.revision_approve(actor=controller, revision=revision)
    services.revision_issue(actor=controller, revision=revision)
    services.document_obsolete(actor=controller, document=document, reason="停用")
    client = client_for("agent")
    stored_pdf = revision.files.get(content_type=files.PDF)
    response, body = _download(client, stored_pdf)
    _assert_never_inline(response)
    assert response["Content-Type"] == files.PDF
    assert all("作废" in page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    stored_word = revision.files.get(content_type=files.DOCX)
    response, body = _download(client, stored_word)
    _assert_never_inline(response)
    assert body == stored_word.file.open("rb").read()  # Word cannot be marked inside: the original bytes
    assert "%E4%BD%9C%E5%BA%9F-" in response["Content-Disposition"]
