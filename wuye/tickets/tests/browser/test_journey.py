"""The whole journey of a complaint, in Chinese, through the real pages:

a resident files it on the portal with a photo, an agent accepts and assigns it, the handler starts and
resolves it, the agent records the callback and archives it, and the manager finds it in the complaint register
and the complaint statistics.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from wuye.core.roles import Role
from wuye.tickets.choices import TicketKind, TicketStatus
from wuye.tickets.models import Ticket
from wuye.tickets.tests.factories import png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, login, user):
    page.context.clear_cookies()
    login(page, user)


def take_step(page, step: str, fill=None):
    """Open the step's form in the ticket page's modal, fill it, submit; back on the ticket page."""
    page.locator(f"a.step-{step}").first.click()
    form = page.locator("#ticket-modal-content form")
    expect(form).to_be_visible()
    if fill:
        fill(form)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(".alert-danger")).to_have_count(0)


def test_complaint_from_portal_to_register(page, live_url, login, world, tmp_path):
    from wuye.org.tests.factories import StaffFactory, UserFactory

    handler_user = UserFactory(username="t_handler", roles=[Role.AGENT])
    handler = StaffFactory(user=handler_user, post=world.post, name="赵师傅", estates=[world.estate_a])

    # 1. the resident files a complaint with a photo on the portal
    login(page, world.users["resident"])
    page.get_by_role("link", name="报修 / 投诉").click()
    page.locator("label[for=id_kind_1]").click()  # complaint
    page.select_option("#id_category", label="服务态度")
    page.fill("#id_title", "保安态度差")
    page.fill("#id_description", "晚上十点回家，东门保安拒绝开门")
    photo = tmp_path / "现场.png"
    photo.write_bytes(png().read())
    page.set_input_files("#id_files", str(photo))
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()
    ticket = Ticket.objects.get()
    assert ticket.kind == TicketKind.COMPLAINT and ticket.status == TicketStatus.SUBMITTED

    # 2. the agent finds it among the portal submissions, accepts and assigns it
    switch_user(page, login, world.users["agent"])
    page.goto(live_url("tickets:ticket_list") + "?status=submitted")
    page.get_by_role("link", name=ticket.number).click()
    expect(page.locator("main")).to_contain_text("晚上十点回家")
    expect(page.locator("main img").first).to_be_visible()  # the resident's photo
    take_step(page, "accept")
    take_step(page, "assign", lambda form: form.locator("#id_assignee").select_option(label="赵师傅（客户服务部）"))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ASSIGNED and ticket.assignee == handler

    # 3. the handler starts and resolves it, recording the complaint analysis
    switch_user(page, login, handler_user)
    page.goto(live_url("tickets:ticket", ticket.pk))
    take_step(page, "start")

    def resolve(form):
        form.locator("#id_resolution").fill("已向业主道歉，当班保安停岗培训")
        form.locator("#id_is_valid_complaint").select_option("true")
        form.locator("#id_responsible_department").select_option(label="客户服务部")
        form.locator("#id_cause").fill("保安服务意识不足")

    take_step(page, "resolve", resolve)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED and ticket.callback_required and ticket.is_valid_complaint

    # 4. the agent calls the customer back and archives the case
    switch_user(page, login, world.users["agent"])
    page.goto(live_url("tickets:ticket", ticket.pk))

    def callback(form):
        form.locator("label[for=id_satisfaction_1]").click()  # 满意 (4)
        form.locator("#id_comment").fill("业主表示满意")

    take_step(page, "callback", callback)
    take_step(page, "close")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED and ticket.satisfaction == 4
    expect(page.locator("main")).to_contain_text("业主表示满意")

    # 5. the manager sees it in the complaint register and the statistics
    switch_user(page, login, world.users["cs_manager"])
    page.goto(live_url("tickets:complaint_register"))
    row = page.locator("main table tbody tr", has_text=ticket.number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("保安态度差")
    expect(row).to_contain_text("赵师傅")
    page.goto(live_url("tickets:complaint_stats") + "?period=year")
    figures = page.locator("table.stats-figures")
    current = "td:nth-child(2)"
    expect(figures.locator(f"tr[data-figure=received] {current}")).to_have_text("1")
    expect(figures.locator(f"tr[data-figure=valid] {current}")).to_have_text("1")
    expect(figures.locator(f"tr[data-figure=callback_rate] {current}")).to_contain_text("100")
    expect(figures.locator(f"tr[data-figure=satisfaction_rate] {current}")).to_contain_text("100")
    expect(page.locator("main")).to_contain_text("服务态度")  # its category in the breakdown
