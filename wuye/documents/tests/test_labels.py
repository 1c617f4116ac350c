"""Label sheets (seed 2.8): one label per document the user may see, A4 pages per label size, a QR code of the
record's absolute address (inline SVG), chosen by ids or by the register's filters."""

import io
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from wuye.documents import labels
from wuye.documents.models import Document
from wuye.documents.tests.factories import make_document

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(("kind", "per_sheet"), [("folder", 24), ("box", 8), ("cabinet", 3)])
def test_a_sheet_has_one_label_per_document_and_pages_by_size(world, kind, per_sheet):
    documents = [make_document(world, title=f"电梯维保记录{n:02d}") for n in range(per_sheet + 1)]
    pages, text = _text(labels.labels_pdf(documents, kind))
    assert pages == 2  # one more than a sheet holds
    codes = re.findall(r"WY-QP-\d{3}", text)
    assert sorted(codes) == sorted(d.code for d in documents)  # each label once


@override_settings(WUYE_SITE_URL="https://wuye.example.cn/")
def test_the_qr_code_opens_the_record(world):
    document = make_document(world, title="电梯维保管理程序")
    html = labels.labels_html([document], "box")
    url = f"https://wuye.example.cn/documents/{document.pk}/"
    assert labels.record_url(document) == url
    assert re.search(r'<svg[^>]*viewBox="0 0 \d+ \d+"', html) and '<path class="qrline"' in html
    assert f"<title>{url}</title>" in html and f'data-url="{url}"' in html
    assert "电梯维保管理程序" in html and "程序文件" in html


def test_the_page_prints_what_the_user_may_see(world, client_for):
    public = make_document(world, title="电梯维保管理程序")
    secret = make_document(world, title="电梯合同", confidentiality="secret", custodian=world.staff["admin"])
    other = make_document(world, title="电梯图纸", estate=world.estate_b)
    ids = ",".join(str(d.pk) for d in (public, secret, other))
    response = client_for("cs_manager").get(reverse("documents:labels"), {"ids": ids, "kind": "folder"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    _pages, text = _text(response.content)
    assert public.code in text and other.code in text and secret.code not in text
    # by the register's filters
    response = client_for("document_controller").get(reverse("documents:labels"), {"q": "电梯", "kind": "cabinet"})
    _pages, text = _text(response.content)
    assert {public.code, secret.code, other.code} <= set(re.findall(r"WY-QP-\d{3}", text))
    assert client_for("cs_manager").get(reverse("documents:labels"), {"ids": "x"}).status_code == 404
    assert client_for("cs_manager").get(reverse("documents:labels"), {"kind": "shelf"}).status_code == 404
    assert client_for("agent").get(reverse("documents:labels"), {"ids": ids}).status_code == 403
    assert Document.objects.count() == 3
