"""PDF prints: Chinese text comes back out of the PDF (a real CJK font, not boxes), A4 in both orientations,
the company name in the header and page numbers in the footer, and nothing fetched but static files."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.test import RequestFactory

from wuye.core.pdf import PdfResponse, RefusedURL, _static_path, render_pdf, url_fetcher

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")

TEMPLATE = """{% extends "core/pdf_base.html" %}
{% block printed_label %}打印时间{% endblock %}
{% block content %}<h1>{{ title }}</h1>
<table class="grid"><thead><tr><th>编号</th><th>内容</th></tr></thead><tbody>
{% for n in rows %}<tr><td>{{ n }}</td><td>厨房水管漏水，电梯停运</td></tr>{% endfor %}</tbody></table>
{% for src in images %}<img src="{{ src }}" alt="">{% endfor %}
{% endblock %}"""


@pytest.fixture
def pdf_template(tmp_path, settings):
    (tmp_path / "pdf_test.html").write_text(TEMPLATE, encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], str(tmp_path)]}]
    settings.WUYE_COMPANY_NAME = "示例物业服务有限公司"
    return "pdf_test.html"


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    args = ["pdftotext", "-layout", "-", "-"] if layout else ["pdftotext", "-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode("utf-8")


def pdf_info(pdf: bytes) -> dict:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def test_chinese_text_comes_back_out(pdf_template):
    pdf = render_pdf(pdf_template, {"title": "客户投诉案件登记追踪表", "rows": range(3), "images": []})
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "客户投诉案件登记追踪表" in text
    assert "厨房水管漏水，电梯停运" in text
    assert "示例物业服务有限公司" in text  # header
    assert "打印时间" in text  # footer
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "CJK" in fonts, fonts


@pytest.mark.parametrize(("landscape", "size"), [(False, ("595", "841")), (True, ("841", "595"))])
def test_a4_portrait_and_landscape(pdf_template, landscape, size):
    pdf = render_pdf(pdf_template, {"title": "测试", "rows": range(1), "images": []}, landscape=landscape)
    width, height = pdf_info(pdf)["Page size"].split("x")[:2]
    assert (width.strip().split(".")[0], height.strip().split(" ")[0].split(".")[0]) == size


def test_page_numbers_and_repeated_table_header(pdf_template):
    pdf = render_pdf(pdf_template, {"title": "多页", "rows": range(150), "images": []})
    pages = int(pdf_info(pdf)["Pages"])
    assert pages >= 3
    text = pdf_text(pdf)
    for n in range(1, pages + 1):
        assert f"{n} / {pages}" in text or f"{n}/{pages}" in text
    assert text.count("编号") >= pages  # the table's header row is repeated on every page


def test_only_static_files_and_data_uris_are_fetched(pdf_template, caplog):
    fetch = url_fetcher()
    for url in ("https://example.com/logo.png", "http://127.0.0.1/x", "file:///etc/passwd",
                "file:///static/../../etc/passwd", "ftp://example.com/x"):
        with pytest.raises((RefusedURL, ValueError)):
            fetch(url)
    response = fetch("file:///static/wuye/favicon.svg")
    assert b"<svg" in response.read()
    assert fetch("data:text/plain;base64,5Lit5paH").read() == "中文".encode()
    assert _static_path("file:///static/vendor/../wuye/wuye.css") is None
    # a page that links outside still renders; the outside resource is simply not fetched
    pdf = render_pdf(pdf_template, {"title": "图片", "rows": [], "images": [
        "https://example.com/x.png", "/static/wuye/favicon.svg", "file:///etc/hostname"]})
    assert "图片" in pdf_text(pdf)
    refused = [r.getMessage() for r in caplog.records if "example.com" in r.getMessage()
               or "/etc/hostname" in r.getMessage()]
    assert len(refused) == 2, refused


def test_pdf_response_names_the_file_in_chinese():
    response = PdfResponse(b"%PDF-1.7 test", "投诉案件资料-GD20261127-0001")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(b"%PDF-1.7 test"))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;") and "filename*=utf-8''" in disposition
    assert "GD20261127-0001.pdf" in disposition
    download = PdfResponse(b"%PDF", "report.pdf", attachment=True)
    assert download["Content-Disposition"] == 'attachment; filename="report.pdf"'


@pytest.mark.django_db
def test_render_with_a_request_names_who_printed(pdf_template, django_user_model):
    request = RequestFactory().get("/")
    request.user = django_user_model.objects.create_user("printer", first_name="", last_name="张三")
    pdf = render_pdf(pdf_template, {"title": "谁打印", "rows": [], "images": []}, request=request)
    assert "张三" in pdf_text(pdf)
