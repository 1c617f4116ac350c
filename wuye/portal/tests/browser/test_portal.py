"""A resident on a phone: logs in, files a complaint with a photo, follows it, rates it once it is resolved."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from wuye.tickets.choices import TicketKind, TicketStatus
from wuye.tickets.models import Ticket
from wuye.tickets.tests.factories import category, png, resolved

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = os.environ.get("WUYE_PORTAL_SCREENSHOTS")  # a directory: keep a screenshot of each page


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def test_resident_files_a_complaint_with_a_photo_and_rates_it(page, live_url, login, world, tmp_path):
    only_repairs = category("工程维修/水电")
    only_repairs.kinds = [TicketKind.REPAIR]
    only_repairs.save()
    page.set_viewport_size(PHONE)

    login(page, world.users["resident"])
    assert page.url == live_url("portal:home")
    expect(page.locator("#mainnav")).to_have_count(0)  # no staff menu
    expect(page.get_by_text("丽景园 3-2-1201")).to_be_visible()
    shot(page, "home-empty")

    page.get_by_role("link", name="报修 / 投诉").click()
    expect(page.locator("#portal-unit")).to_have_text("丽景园 3-2-1201")  # the only home, preselected
    water = page.locator(f"#id_category option[value='{only_repairs.pk}']")
    expect(water).to_be_enabled()
    page.locator("label[for=id_kind_1]").click()  # complaint
    expect(water).to_be_disabled()  # a repairs-only category is not offered for a complaint
    page.select_option("#id_category", label="服务态度")
    page.fill("#id_title", "保安态度差")
    page.fill("#id_description", "晚上十点回家，东门保安拒绝开门")
    page.fill("#id_location", "东门")
    photo = tmp_path / "现场.png"
    photo.write_bytes(png().read())
    page.set_input_files("#id_files", str(photo))
    shot(page, "new-request")
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()

    ticket = Ticket.objects.get()
    assert ticket.kind == TicketKind.COMPLAINT and ticket.status == TicketStatus.SUBMITTED
    assert ticket.attachments.get().name == "现场.png"
    expect(page.locator("#messages")).to_contain_text(ticket.number)
    expect(page.locator("#portal-progress li[aria-current=step]")).to_have_attribute("data-step", "submitted")
    expect(page.locator("#portal-rate")).to_have_count(0)

    # the service centre handles it
    manager = world.users["cs_manager"]
    from wuye.tickets import services

    ticket = services.ticket_accept(actor=manager, ticket=ticket)
    services.note_add(actor=manager, ticket=ticket, body="已联系秩序维护部核实", visibility="public")
    services.note_add(actor=manager, ticket=ticket, body="内部：当班保安已被警告", visibility="internal")
    resolved(world, ticket)

    page.goto(live_url("portal:home"))
    row = page.locator(f"#portal-current [data-ticket='{ticket.number}']")
    expect(row).to_contain_text("请评价")
    row.click()
    expect(page.locator("#portal-notes")).to_contain_text("已联系秩序维护部核实")
    expect(page.locator("#portal-notes")).not_to_contain_text("内部")
    expect(page.locator("#portal-result")).to_contain_text("已更换水管")
    shot(page, "ticket-resolved")
    page.locator("#portal-rate label[for=id_satisfaction_1]").click()  # the second choice: 4 stars, 满意
    page.fill("#id_comment", "处理及时")
    with page.expect_navigation():
        page.get_by_role("button", name="提交评价").click()
    expect(page.locator("#messages")).to_contain_text("感谢您的评价")
    expect(page.locator("#portal-rating")).to_be_visible()
    shot(page, "ticket-rated")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED_BACK and ticket.satisfaction == 4
