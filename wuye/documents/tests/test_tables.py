"""The register renders its rows itself (fast path): it must be exactly what django-tables2 renders."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.html import parse_html

from wuye.documents import services
from wuye.documents.models import Document
from wuye.documents.tables import DocumentTable
from wuye.documents.tests.factories import issued, make_document

pytestmark = pytest.mark.django_db


def _tbody(table) -> str:
    html = render_to_string(table.template_name, {"table": table}, request=table.request)
    return html[html.index("<tbody"):html.index("</tbody>") + len("</tbody>")]


def test_fast_rows_equal_django_tables2_rows(world):
    controller = world.users["document_controller"]
    current = make_document(world, title="电梯<维保> & 程序")
    issued(world, current)
    old = make_document(world, title="旧程序", custodian=None)
    issued(world, old)
    services.document_obsolete(actor=controller, document=old, reason="替代")
    make_document(world, path="合同", title="保密合同", confidentiality="confidential")
    request = RequestFactory().get("/documents/")
    request.user = controller
    queryset = Document.objects.select_related("category", "current_revision", "custodian", "location") \
        .order_by("status", "code")
    fast = DocumentTable(queryset, request=request)
    fast.paginate(per_page=25)
    assert fast.fast_tbody is not None
    slow = DocumentTable(queryset, request=request)
    slow.fast_columns = ()
    slow.paginate(per_page=25)
    assert slow.fast_tbody is None
    assert parse_html(_tbody(fast)) == parse_html(_tbody(slow))
    body = _tbody(fast)
    assert "&lt;维保&gt;" in body and "obsolete-mark" in body and "text-muted" in body
