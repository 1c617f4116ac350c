"""The incident pages: report form, list filters, the steps through the pages, refusals shown on the form with
nothing changed, the printable report, the period's report with PDF and Excel, the estate panel."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wuye.core.models import AuditEvent
from wuye.incidents.choices import IncidentStatus
from wuye.incidents.models import Incident

from .factories import incident, kind, reported

pytestmark = pytest.mark.django_db


def _form(w, **changes):
    when = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {"title": "电梯困人", "occurred_at": when,
            "place": "5号楼2号电梯", "estate": w.estate_a.pk, "kind": kind("equipment").pk, "severity": "minor",
            "people_involved": "两名住户", "description": "电梯停在8、9层之间。", "injured_count": "0",
            "injuries": "", "losses": "", "loss_amount": "", "immediate_measures": "通知维保单位救援。"}
    data.update(changes)
    return data


def test_agent_reports_an_incident_through_the_form(world, client_for):
    client = client_for("agent")
    response = client.post(reverse("incidents:incident_add"), _form(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    item = Incident.objects.get()
    assert response["Location"] == item.get_absolute_url()
    assert item.reported_by == world.users["agent"] and item.status == IncidentStatus.REPORTED
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert item.number in body and "电梯停在8、9层之间。" in body
    # an agent sees no workflow step but attaching a file
    assert [s["step"] for s in page.context["steps"]] == ["file"]


def test_report_form_refusals_change_nothing(world, client_for):
    client = client_for("agent")
    future = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("incidents:incident_add"), _form(world, occurred_at=future))
    assert response.status_code == 400
    assert "occurred_at" in response.context["form"].errors
    response = client.post(reverse("incidents:incident_add"), _form(world, people_involved="王女士 13812345678"))
    assert response.status_code == 400
    assert "people_involved" in response.context["form"].errors
    # the agent is offered only the estates it serves: estate B is not a valid choice
    response = client.post(reverse("incidents:incident_add"), _form(world, estate=world.estate_b.pk))
    assert response.status_code == 400 and "estate" in response.context["form"].errors
    assert Incident.objects.count() == 0


def test_list_filters(world, client_for):
    a = incident(world, "reported")
    b = incident(world, "closed")
    other = incident(world, "reported", estate="b")
    client = client_for("cs_manager")
    url = reverse("incidents:incident_list")

    def numbers(query):
        response = client.get(url, query)
        assert response.status_code == 200
        return {row.record.number for row in response.context["table"].page.object_list}

    assert numbers({}) == {a.number, b.number, other.number}
    assert numbers({"estate": world.estate_b.pk}) == {other.number}
    assert numbers({"status": "closed"}) == {b.number}
    assert numbers({"open": "true"}) == {a.number, other.number}
    assert numbers({"kind": kind("injury").pk}) == {a.number, b.number, other.number}
    assert numbers({"kind": kind("fire").pk}) == set()
    assert numbers({"severity": "serious"}) == {a.number, b.number, other.number}
    today = timezone.localdate()
    assert numbers({"occurred_after": (today + dt.timedelta(days=1)).isoformat()}) == set()
    # the agent sees estate A only
    agent = client_for("agent").get(url)
    assert {row.record.number for row in agent.context["table"].page.object_list} == {a.number, b.number}


def test_steps_through_the_pages(world, client_for):
    item = reported(world)
    client = client_for("cs_manager")

    def step(name, data=None):
        return client.post(reverse("incidents:incident_step", args=[item.pk, name]), data or {})

    assert step("investigate").status_code == 302
    assert step("investigation", {"cause": "地面湿滑", "responsibility": "保洁班组"}).status_code == 302
    # closing before the review: the form shows why, nothing changes
    response = step("close")
    assert response.status_code == 400
    assert Incident.objects.get(pk=item.pk).status == IncidentStatus.INVESTIGATED
    assert step("review", {"comment": "同意", "instructions": "培训"}).status_code == 302
    assert step("raise-action", {"title": "", "description": ""}).status_code == 302
    assert step("close").status_code == 302
    item.refresh_from_db()
    assert item.status == IncidentStatus.CLOSED and item.corrective_action is not None
    page = client.get(item.get_absolute_url())
    assert item.corrective_action.number in page.content.decode()
    # a second corrective action is refused on the page
    response = step("raise-action", {})
    assert response.status_code == 400
    assert Incident.objects.get(pk=item.pk).corrective_action_id == item.corrective_action_id


def test_the_reporter_sees_no_review_button_and_is_refused(world, client_for):
    item = reported(world, reporter="cs_manager")
    client = client_for("cs_manager")
    client.post(reverse("incidents:incident_step", args=[item.pk, "investigation"]),
                {"cause": "原因", "responsibility": "责任"})
    page = client.get(item.get_absolute_url())
    assert "review" not in [s["step"] for s in page.context["steps"]]
    response = client.post(reverse("incidents:incident_step", args=[item.pk, "review"]), {"comment": "同意"})
    assert response.status_code == 400
    assert Incident.objects.get(pk=item.pk).status == IncidentStatus.INVESTIGATED


def test_withdraw_and_attach_file_pages(world, client_for):
    item = reported(world)
    from wuye.documents.tests.factories import text_file

    response = client_for("agent").post(reverse("incidents:incident_step", args=[item.pk, "file"]),
                                        {"file": text_file("现场说明", "说明.txt")})
    assert response.status_code == 302
    stored = item.files.get(name="说明.txt")
    download = client_for("quality_auditor").get(stored.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode() == "现场说明"
    response = client_for("cs_manager").post(reverse("incidents:incident_step", args=[item.pk, "withdraw"]),
                                             {"reason": "重复报告"})
    assert response.status_code == 302
    assert Incident.objects.get(pk=item.pk).status == IncidentStatus.WITHDRAWN


def test_edit_only_while_editable(world, client_for):
    item = reported(world)
    client = client_for("cs_manager")
    url = reverse("incidents:incident_edit", args=[item.pk])
    response = client.post(url, _form(world, title="业主滑倒（更正）", kind=item.kind_id))
    assert response.status_code == 302
    assert Incident.objects.get(pk=item.pk).title == "业主滑倒（更正）"
    closed = incident(world, "closed")
    assert client.get(reverse("incidents:incident_edit", args=[closed.pk])).status_code == 403


def test_incident_pdf_has_the_signature_lines(world, client_for):
    item = incident(world, "reviewed")
    response = client_for("executive").get(reverse("incidents:incident_pdf", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(event_type="report.export", object_id=str(item.pk)).exists()
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert item.number in text


def test_period_report_page_pdf_and_excel(world, client_for):
    a = incident(world, "closed")
    b = incident(world, "reported", estate="b")
    client = client_for("cs_manager")
    url = reverse("incidents:incident_report")
    today = timezone.localdate()
    query = {"start": (today - dt.timedelta(days=7)).isoformat(), "end": today.isoformat()}
    page = client.get(url, query)
    assert page.status_code == 200
    assert page.context["figures"]["total"] == 2
    assert {i.number for i in page.context["incidents"]} == {a.number, b.number}
    only_b = client.get(url, {**query, "estate": world.estate_b.pk})
    assert [i.number for i in only_b.context["incidents"]] == [b.number]
    assert only_b.context["figures"]["total"] == 1
    # the agent's report holds its estates only
    agent = client_for("agent").get(url, query)
    assert [i.number for i in agent.context["incidents"]] == [a.number]
    assert agent.context["figures"]["total"] == 1

    pdf = client.get(url, {**query, "export": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(url, {**query, "export": "xlsx"})
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == {a.number, b.number}
    figures = {r[0]: r[1] for r in book.worksheets[1].iter_rows(values_only=True)}
    assert 2 in figures.values()
    assert AuditEvent.objects.filter(event_type="report.export").count() == 2


def test_period_report_refuses_a_reversed_or_future_period(world, client_for):
    today = timezone.localdate()
    client = client_for("cs_manager")
    url = reverse("incidents:incident_report")
    assert client.get(url, {"start": today.isoformat(),
                            "end": (today - dt.timedelta(days=3)).isoformat()}).status_code == 400
    assert client.get(url, {"start": (today + dt.timedelta(days=3)).isoformat(),
                            "end": (today + dt.timedelta(days=5)).isoformat()}).status_code == 400


def test_estate_panel_shows_open_incidents(world, client_for):
    open_one = incident(world, "investigating")
    closed = incident(world, "closed")
    page = client_for("agent").get(world.estate_a.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert open_one.number in body and closed.number not in body
    # a role without incidents sees no panel
    page = client_for("document_controller").get(world.estate_a.get_absolute_url())
    assert open_one.number not in page.content.decode()
