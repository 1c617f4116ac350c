"""An agent logs in through the real form in Chinese, sees the Chinese menu, switches to English and back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_logs_in_in_chinese_and_switches_language(page, live_url, login, world):
    agent = world.users["agent"]

    page.goto(live_url("login"))
    expect(page).to_have_title(re.compile("登录"))
    expect(page.locator("form button[type=submit]")).to_have_text("登录")
    expect(page.locator("label[for=id_username]")).to_have_text("用户名")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    login(page, agent)
    assert page.url.rstrip("/") == live_url("home").rstrip("/")
    nav = page.locator("#mainnav")
    menu = nav.locator(".navbar-nav.me-auto > .nav-item > .dropdown-toggle")
    expect(menu.filter(has_text="系统")).to_be_visible()
    expect(page.get_by_placeholder(re.compile("搜索"))).to_be_visible()

    # the user menu, in Chinese
    page.locator("#mainnav .dropdown-toggle").filter(has_text=agent.get_full_name() or agent.username).click()
    expect(page.get_by_role("link", name="修改密码")).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    expect(nav.locator(".dropdown-item-text", has_text="客服专员")).to_be_visible()  # the role, in Chinese

    # to English …
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(menu.filter(has_text="System")).to_be_visible()
    expect(menu.filter(has_text="系统")).to_have_count(0)
    expect(page.get_by_placeholder(re.compile("Search"))).to_be_visible()

    # … and back to Chinese, which stays across pages
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.goto(live_url("home"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(menu.filter(has_text="系统")).to_be_visible()


def test_wrong_password_is_refused_in_chinese(page, live_url, world):
    page.goto(live_url("login"))
    page.fill("#id_username", world.users["agent"].username)
    page.fill("#id_password", "wrong-password")
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert "/accounts/login/" in page.url
    expect(page.locator(".alert-danger")).to_contain_text("密码")
