"""The manager's desk, in Chinese, through the real pages (issue 9): the manager opens the dashboard, follows the
overdue-complaints number to the ticket list (which shows exactly those complaints), generates the monthly service
work report and downloads its PDF and Excel."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from wuye.core.scope import user_scope
from wuye.reports.models import Report
from wuye.tickets import services as ticket_services
from wuye.tickets.choices import Priority, TicketKind
from wuye.tickets.models import Ticket
from wuye.tickets.tests.factories import category, make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_overdue_complaints_then_monthly_service_work_report(page, live_url, login, world):
    manager = world.users["cs_manager"]
    reported = timezone.now() - dt.timedelta(hours=5)
    complaint = category("服务态度")
    # two urgent complaints past their 2-hour answer limit, one ordinary complaint still in time, one in estate B
    # (outside the manager's estates), and a repair
    late = [make_ticket(world, kind=TicketKind.COMPLAINT, priority=Priority.URGENT, category=complaint,
                        title=f"投诉 {i}", reported_at=reported) for i in range(2)]
    make_ticket(world, kind=TicketKind.COMPLAINT, category=complaint, title="普通投诉", reported_at=reported)
    make_ticket(world, estate=world.estate_b, actor=world.users["admin"], kind=TicketKind.COMPLAINT,
                priority=Priority.URGENT, category=complaint, title="外项目投诉", reported_at=reported)
    make_ticket(world, title="水管漏水", reported_at=reported)
    ticket_services.tickets_escalate()
    scope = user_scope(manager)
    overdue = Ticket.objects.filter(kind=TicketKind.COMPLAINT, is_overdue=True)
    if not scope.all_estates:
        overdue = overdue.filter(estate_id__in=scope.estate_ids)
    overdue = set(overdue.values_list("number", flat=True))
    # the two late ones (and estate B's when the manager sees every estate); the ordinary complaint is in time
    assert {t.number for t in late} <= overdue and len(overdue) == (3 if scope.all_estates else 2)

    # 1. the dashboard: the overdue-complaints number, and its link opens exactly those complaints
    login(page, manager)
    page.goto(live_url("home"))
    figure = page.locator("a.figure-overdue_complaints")
    expect(figure.locator(".figure-value")).to_have_text(str(len(overdue)))
    with page.expect_navigation():
        figure.click()
    assert "/tickets/" in page.url
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(len(overdue))
    shown = {rows.nth(i).inner_text() for i in range(len(overdue))}
    for number in overdue:
        assert any(number in text for text in shown)

    # 2. the report centre: the month's service work report
    month = f"{timezone.localtime(reported):%Y-%m}"
    page.goto(live_url("reports:report_add"))
    page.select_option("#id_kind", "service_work")
    page.fill("#id_period", month)
    page.select_option("#id_estate", str(world.estate_a.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    report = Report.objects.get(kind="service_work")
    assert page.url.rstrip("/").endswith(f"/reports/{report.pk}")
    assert report.estate_id == world.estate_a.pk and report.period_start == dt.date.fromisoformat(f"{month}-01")
    expect(page.locator("main")).to_contain_text("客户服务工作报告")

    # 3. the PDF and the Excel, through the links on the page
    pdf_link = page.locator("a.report-pdf").first
    pdf = page.request.get(live_url(pdf_link.get_attribute("href")) if pdf_link.get_attribute("href").startswith("/")
                           else pdf_link.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    with page.expect_download() as download:
        page.locator("a.report-xlsx").first.click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    # the month's tickets of estate A: 3 complaints and 1 repair received (estate B's complaint is not in the report)
    volumes = next(s for s in report.version().content["sections"] if s["key"] == "volumes")
    received = next(f for f in volumes["figures"] if f["key"] == "received")
    assert received["value"] == 4
    assert [received["label"], 4] in [row[:2] for row in rows]
