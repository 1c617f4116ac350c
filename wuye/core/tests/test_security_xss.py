"""Stored XSS and formula injection: hostile text typed into a field comes back as text everywhere it is shown.

Table-driven: each row stores the payload through the app's service (or model factory) in the user-editable text
fields, then opens the object's page and its list page (the payload must be escaped, never raw markup), the PDF
print (pdftotext must read the payload back as text: had it been markup, WeasyPrint would have swallowed it) and
the Excel export (the cell holds the payload as a plain string). A second table stores a formula in the same
fields: no Excel cell may be a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

PAYLOAD = """<script>alert(1)</script>"><img src=x onerror=alert(1)>"""
RAW_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
# the last one starts with "=": a case that keeps only the last text (one customer) still shows a neutralised one
FORMULAS = ["+1+1", "-1+1", "@SUM(1,1)", '=HYPERLINK("http://127.0.0.1/x","x")']
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None


@dataclass
class Case:
    name: str
    role: str
    make: Callable  # (world, text) -> (pages, pdfs, sheets): lists of URLs
    unsafe_sheets: dict | None = None  # index in sheets -> the hole (an app's own Excel writer), for xfail
    sheets: int = 1  # how many Excel exports ``make`` names


def _month(w) -> str:
    today = timezone.localdate()
    return f"start={today - dt.timedelta(days=30):%Y-%m-%d}&end={today:%Y-%m-%d}"


def _ticket(w, text):
    from wuye.tickets import services
    from wuye.tickets.choices import NoteVisibility, TicketKind
    from wuye.tickets.tests.factories import make_ticket

    ticket = make_ticket(w, kind=TicketKind.COMPLAINT, title=text, description=text, location=text)
    services.note_add(actor=w.users["cs_manager"], ticket=ticket, body=text, visibility=NoteVisibility.PUBLIC)
    page, listing = reverse("tickets:ticket", args=[ticket.pk]), reverse("tickets:ticket_list")
    register = reverse("tickets:complaint_register")
    return ([page, listing, register], [reverse("tickets:case_file", args=[ticket.pk])],
            [f"{listing}?export=xlsx", f"{register}?format=xlsx"])


def _customer(w, text):
    from wuye.estates.models import Customer

    Customer.objects.filter(pk=w.customer_a.pk).update(name=text, notes=text)
    listing = reverse("estates:customer_list")
    return ([reverse("estates:customer", args=[w.customer_a.pk]), listing], [], [f"{listing}?export=xlsx"])


def _document(w, text):
    from wuye.documents.tests.factories import make_document

    document = make_document(w, title=text, description=text)
    listing = reverse("documents:document_list")
    return ([reverse("documents:document", args=[document.pk]), listing], [], [f"{listing}?export=xlsx"])


def _contract(w, text):
    from wuye.contracts.tests.factories import draft

    contract = draft(w, title=text)
    listing = reverse("contracts:contract_list")
    return ([reverse("contracts:contract", args=[contract.pk]), listing], [f"{listing}?export=pdf"],
            [f"{listing}?export=xlsx"])


def _incident(w, text):
    from wuye.incidents.tests.factories import reported

    incident = reported(w, title=text, description=text, people_involved=text, injuries=text,
                        immediate_measures=text)
    listing, report = reverse("incidents:incident_list"), reverse("incidents:incident_report")
    return ([reverse("incidents:incident", args=[incident.pk]), listing, f"{report}?{_month(w)}"],
            [reverse("incidents:incident_pdf", args=[incident.pk]), f"{report}?{_month(w)}&export=pdf"],
            [f"{listing}?export=xlsx", f"{report}?{_month(w)}&export=xlsx"])


_numbers = itertools.count(1)


def _survey(w, text):
    from wuye.surveys import services
    from wuye.surveys.choices import Channel
    from wuye.surveys.tests.factories import full_answers, invitation_for, make_version, open_campaign

    n = next(_numbers)
    version = make_version(code=f"xss-{n}")
    campaign = open_campaign(w, version, estates=[w.estate_a], number=f"SV-XSS-{n:02d}")
    response = services.response_submit(invitation=invitation_for(campaign, w.unit_a),
                                        answers=full_answers(version, text=text), channel=Channel.LINK)
    return ([reverse("surveys:campaign_results", args=[campaign.pk]),
             reverse("surveys:response", args=[response.pk])],
            [reverse("surveys:campaign_results_pdf", args=[campaign.pk])],
            [reverse("surveys:campaign_results_xlsx", args=[campaign.pk])])


def _report(w, text):
    from wuye.reports import services

    agent = w.users["agent"]
    month = timezone.localdate().replace(day=1)
    for _ in range(next(_numbers)):  # one report per period and estate: each call takes an earlier month
        month = (month - dt.timedelta(days=1)).replace(day=1)
    report = services.report_generate(actor=agent, kind="service_work", period=f"{month:%Y-%m}",
                                      estate=w.estate_a)
    services.report_update_texts(actor=agent, report=report, texts={"conclusions": text, "next_steps": text})
    return ([reverse("reports:report", args=[report.pk]), reverse("reports:report_list")],
            [reverse("reports:report_pdf", args=[report.pk])], [reverse("reports:report_xlsx", args=[report.pk])])


CASES = [
    Case("tickets", "cs_manager", _ticket, sheets=2),
    Case("customers", "cs_manager", _customer),
    Case("documents", "document_controller", _document),
    Case("contracts", "cs_manager", _contract),
    Case("incidents", "cs_manager", _incident, sheets=2),
    Case("surveys", "cs_manager", _survey),
    Case("reports", "agent", _report),
]


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    data = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return response, data


def _cells(data: bytes):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))  # not read-only: data_type tells a formula from a text
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield cell


def _pdf_text(data: bytes) -> str:
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return re.sub(r"\s+", "", text)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_stored_markup_comes_back_escaped(case, world):
    pages, pdfs, sheets = case.make(world, PAYLOAD)
    client = Client()
    client.force_login(world.users[case.role])
    shown = []
    for url in pages:
        _, data = _get(client, url)
        html = data.decode()
        for raw in RAW_MARKUP:
            assert raw not in html, (url, raw)
        shown.append(ESCAPED in html)
    assert shown[0], (pages[0], "the payload is not on the object's page: the check would test nothing")
    if HAVE_PDFTOTEXT:
        for url in pdfs:
            _, data = _get(client, url)
            assert data.startswith(b"%PDF-"), url
            text = _pdf_text(data)
            # a narrow table cell may wrap the payload at its spaces: then each of its words is printed whole
            assert all(word in text for word in PAYLOAD.split()), (url, "payload not printed as text", text[:2000])
    in_sheets = []
    for url in sheets:
        _, data = _get(client, url)
        values = [cell.value for cell in _cells(data) if isinstance(cell.value, str)]
        touched = [value for value in values if "alert(1)" in value]
        assert all(PAYLOAD in value for value in touched), (url, touched)  # whole, as text
        in_sheets.append(bool(touched))
    assert not sheets or any(in_sheets), (sheets, "the payload is in no Excel export: the check tested nothing")


def _sheet_params():
    for case in CASES:
        for index in range(case.sheets):
            reason = (case.unsafe_sheets or {}).get(index)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(case, index, marks=marks, id=f"{case.name}-{index}")


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "index"), list(_sheet_params()))
def test_no_excel_cell_is_a_formula(case, index, world):
    client = Client()
    client.force_login(world.users[case.role])
    sheets = []
    for formula in FORMULAS:
        sheets = case.make(world, formula)[2]
    assert len(sheets) == case.sheets, case.name
    url = sheets[index]
    _, data = _get(client, url)
    cells = list(_cells(data))
    formulas = [f"{cell.coordinate}: {cell.value}" for cell in cells if cell.data_type == "f"]
    assert not formulas, (url, formulas)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert any(text.startswith("'=") for text in texts), (url, "no neutralised formula: the check tested nothing")


def test_neutralise():
    from wuye.core.exports import _plain, neutralise

    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("+86 138") == "'+86 138"
    assert neutralise("-") == "-" and neutralise("报修") == "报修" and neutralise("") == ""
    assert _plain(-5) == -5 and _plain(1.5) == 1.5
