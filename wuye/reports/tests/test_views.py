"""The report centre's pages: the centre, a new report, the report's page, the steps, versions, PDF and Excel."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wuye.reports import services
from wuye.reports.choices import ReportStatus
from wuye.reports.models import Report

from .test_services import fake_kinds, generate, last_month, submitted  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_kinds")]


def test_centre_lists_kinds_and_reports(world, client_for):
    mine = generate(world)
    other = generate(world, role="cs_manager", estate="b")
    response = client_for("agent").get(reverse("reports:report_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "report-kind kind-service_work" in html and "kind-work_summary" in html
    assert f"{reverse('reports:report_add')}?kind=service_work" in html
    assert "?kind=work_summary" in html  # listed, but the agent may not make one
    assert f"{reverse('reports:report_add')}?kind=work_summary" not in html
    assert f'href="/reports/{mine.pk}/"' in html and f'href="/reports/{other.pk}/"' not in html  # estate B
    manager = client_for("cs_manager").get(reverse("reports:report_list"), {"kind": "service_work",
                                                                              "period": last_month()})
    assert f'href="/reports/{mine.pk}/"' in manager.content.decode()
    assert f'href="/reports/{other.pk}/"' in manager.content.decode()
    filtered = client_for("cs_manager").get(reverse("reports:report_list"), {"status": "accepted"})
    assert f'href="/reports/{mine.pk}/"' not in filtered.content.decode()


def test_centre_excel(world, client_for):
    generate(world)
    response = client_for("cs_manager").get(reverse("reports:report_list"), {"export": "xlsx"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2 and last_month() in rows[1]


def test_new_report_form(world, client_for):
    client = client_for("agent")
    page = client.get(reverse("reports:report_add"), {"kind": "service_work"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="service_work"' in html and 'value="archives"' not in html  # only the kinds the agent may make
    assert f'<option value="{last_month()}">' in html and 'list="report-periods"' in html
    response = client.post(reverse("reports:report_add"), {"kind": "service_work", "period": last_month(),
                                                           "estate": world.estate_a.pk})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    # the same again: refused with the message, nothing created
    again = client.post(reverse("reports:report_add"), {"kind": "service_work", "period": last_month(),
                                                        "estate": world.estate_a.pk})
    assert again.status_code == 400 and Report.objects.count() == 1
    future = client.post(reverse("reports:report_add"), {"kind": "service_work", "period": "2999",
                                                         "estate": world.estate_a.pk})
    assert future.status_code == 400 and Report.objects.count() == 1
    assert "is-invalid" in future.content.decode() or "invalid-feedback" in future.content.decode()
    # quality auditors generate nothing
    assert client_for("quality_auditor").get(reverse("reports:report_add")).status_code == 403


def test_report_page_renders_content(world, client_for):
    report = generate(world)
    response = client_for("agent").get(report.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Test report" in html and "section-volumes" in html and "section-staff" in html
    assert 'href="/tickets/?kind=complaint">12' in html  # a figure links to its list
    assert "95.5" in html and "丽景园" in html and "张三" in html and "Counted by the day received." in html
    assert 'id="report-chart-1"' in html and "vendor/echarts/echarts.min.js" in html
    assert "report-charts-data" in html
    steps = {s["step"] for s in response.context["steps"]}
    assert steps == {"texts", "regenerate", "submit", "cancel"}
    manager_steps = {s["step"] for s in client_for("cs_manager").get(report.get_absolute_url()).context["steps"]}
    assert manager_steps == {"cancel"}


def test_steps_through_the_pages(world, client_for):
    agent, manager = client_for("agent"), client_for("cs_manager")
    report = generate(world)
    edit = reverse("reports:report_edit", args=[report.pk])
    assert agent.get(edit).status_code == 200
    assert agent.post(edit, {"conclusions": "Volumes fell.", "next_steps": "Train new staff."}).status_code == 302
    assert report.version().texts == {"conclusions": "Volumes fell.", "next_steps": "Train new staff."}
    step = lambda name: reverse("reports:report_step", args=[report.pk, name])  # noqa: E731
    assert agent.post(step("submit")).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    # the author may not review; the manager does
    own = client_for("agent").get(step("review"))
    assert own.status_code == 403
    page = manager.get(report.get_absolute_url())
    assert {s["step"] for s in page.context["steps"]} == {"review", "cancel"}
    bad = manager.post(step("review"), {"decision": "returned", "comments": ""})
    assert bad.status_code == 400
    assert manager.post(step("review"), {"decision": "returned", "comments": "Too short",
                                         "instructions": "Add causes"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    page = agent.get(report.get_absolute_url()).content.decode()
    assert "Too short" in page and "Add causes" in page
    assert agent.post(step("regenerate")).status_code == 302
    report.refresh_from_db()
    assert report.current_version == 2 and report.status == ReportStatus.DRAFT
    old = agent.get(reverse("reports:report_version", args=[report.pk, 1]))
    assert old.status_code == 200 and "report-old-version" in old.content.decode()
    assert agent.get(reverse("reports:report_version", args=[report.pk, 9])).status_code == 404
    assert agent.post(step("cancel"), {"reason": "Replaced"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.CANCELLED
    assert agent.get(reverse("reports:report_history", args=[report.pk])).status_code == 200


def test_self_review_page_refuses(world, client_for):
    report = submitted(world, "cs_manager")
    response = client_for("cs_manager").post(reverse("reports:report_step", args=[report.pk, "review"]),
                                             {"decision": "accepted", "comments": "fine"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and not report.reviews.exists()


def test_pdf(world, client_for):
    report = submitted(world)
    services.report_review(actor=world.users["cs_manager"], report=report, decision="accepted", comments="Good")
    response = client_for("agent").get(reverse("reports:report_pdf", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client_for("agent").get(reverse("reports:report_pdf", args=[report.pk]) + "?version=7").status_code == 404


def test_excel_holds_every_section(world, client_for):
    report = submitted(world)
    response = client_for("cs_manager").get(reverse("reports:report_xlsx", args=[report.pk]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(wb.sheetnames) == 3  # the report, then one sheet per section
    first = list(wb.worksheets[0].iter_rows(values_only=True))
    assert any("All well." in row for row in first)
    volumes = list(wb.worksheets[1].iter_rows(values_only=True))
    assert ("Received", 12) in [tuple(r[:2]) for r in volumes]
    assert ("Resolved on time", 95.5, "%") in [tuple(r[:3]) for r in volumes]
    assert ("丽景园", 7) in [tuple(r[:2]) for r in volumes]
    assert ("2026-10", 4) in [tuple(r[:2]) for r in volumes]  # the chart's data
    staff = list(wb.worksheets[2].iter_rows(values_only=True))
    assert ("张三", 5) in [tuple(r[:2]) for r in staff]


def test_out_of_scope_report_is_404(world, client_for):
    other = generate(world, role="cs_manager", estate="b")
    client = client_for("agent")
    for name in ("reports:report", "reports:report_pdf", "reports:report_xlsx", "reports:report_history"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404, name
