"""The phone-call journey: an agent logs in (Chinese UI), types the caller's phone tail, opens the customer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_finds_a_caller_by_phone_tail_and_opens_their_page(page, live_url, login, world):
    login(page, world.users["agent"])
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    # the home page has the lookup box for agents
    box = page.locator("main input[name=q]").first
    expect(box).to_be_visible()
    box.fill("5678")  # 王芳's mobile 13812345678; 李强 (…4321, estate B) must never show
    results = page.locator("main .lookup-results .list-group")
    expect(results.get_by_text("王芳")).to_be_visible()
    expect(page.get_by_text("李强")).to_have_count(0)
    expect(results).to_contain_text("138****5678")  # masked in the results
    expect(results).to_contain_text("3-2-1201")

    results.get_by_text("王芳").click()
    expect(page).to_have_url(re.compile(rf"/estates/customers/{world.customer_a.pk}/$"))
    expect(page.locator("h1")).to_contain_text("王芳")
    expect(page.locator("main")).to_contain_text("138****5678")
    expect(page.locator("main")).not_to_contain_text("13812345678")

    # reveal the number: shown, and recorded
    page.locator("main button", has_text="显示").first.click()
    expect(page.locator(".personal.revealed").first).to_have_text("13812345678")
    from wuye.core.models import AuditEvent

    assert AuditEvent.objects.filter(event_type="personal_data.reveal", object_id=str(world.customer_a.pk)).exists()


def test_enter_in_the_navbar_search_jumps_straight_to_the_only_match(page, live_url, login, world):
    login(page, world.users["agent"])
    search = page.get_by_placeholder(re.compile("搜索"))
    search.fill("3-2-1201")
    with page.expect_navigation():
        search.press("Enter")
    expect(page).to_have_url(re.compile(rf"/estates/customers/{world.customer_a.pk}/$"))
