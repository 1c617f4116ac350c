"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against pytest-django's live_server.

Never a downloaded browser (no ``playwright install``). Without Chromium these tests FAIL with a clear message
(``.ci/run`` installs it); ``WUYE_SKIP_BROWSER=1`` skips them instead. ``-m "not browser"`` deselects them.

Fixtures (an app's own ``tests/browser/conftest.py`` reuses them with
``from wuye.core.tests.browser.conftest import *  # noqa: F403``):

- ``browser``: one headless Chromium per test process (per pytest-xdist worker);
- ``page``: a fresh browser context and page per test, Chinese UI (zh-CN), failing screenshots in test-results/;
- ``login(page, user)``: logs in through the real login form (password ``pw-test-123`` of the factories);
- ``live_url(path_or_url_name, *args)``: an absolute URL on the live server.

live_server makes the test transactional (data is committed so the server thread sees it; the database is
flushed afterwards), which works the same on SQLite and PostgreSQL and under pytest-xdist (one live server per
worker, on its own port).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from wuye.core.testing.browser import CHROMIUM, CHROMIUM_ARGS, chromium_available

# Playwright's sync API runs an event loop in this thread; the Django ORM in the same test refuses to run next to
# one unless told it is safe (it is: the loop only waits for the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "pw-test-123"
TIMEOUT_MS = 20_000
RESULTS = Path(__file__).resolve().parents[4] / "test-results"

__all__ = ["browser", "page", "login", "live_url", "PASSWORD"]


def _skip_requested() -> bool:
    return os.environ.get("WUYE_SKIP_BROWSER", "").lower() in {"1", "true", "yes"}


# One Playwright and one Chromium per test process. Apps reuse these fixtures by importing them into their own
# conftest, which makes a second (session-scoped) ``browser`` fixture definition: both must share this one
# instance, because a second sync_playwright() in the same thread fails ("Sync API inside the asyncio loop").
_shared: dict = {}


def _launch_browser():
    if "browser" not in _shared:
        from playwright.sync_api import sync_playwright

        _shared["playwright"] = sync_playwright().start()
        _shared["browser"] = _shared["playwright"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                                   headless=True)
    return _shared["browser"]


def _close_browser():
    browser, playwright = _shared.pop("browser", None), _shared.pop("playwright", None)
    if browser is not None:
        with contextlib.suppress(Exception):
            browser.close()
    if playwright is not None:
        playwright.stop()


@pytest.fixture(scope="session")
def browser():
    if _skip_requested():
        pytest.skip("WUYE_SKIP_BROWSER is set")
    if not chromium_available():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium; .ci/run does) or set "
                    "WUYE_SKIP_BROWSER=1 to skip the browser tests. Never run `playwright install`.",
                    pytrace=False)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("playwright is not installed: run `make test` (it installs requirements/dev.lock)", pytrace=False)
    yield _launch_browser()
    _close_browser()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url,
                                  extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    pg = context.new_page()
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.nodeid)[-150:]
        with contextlib.suppress(Exception):  # a screenshot must not hide the real failure
            pg.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def live_url(live_server):
    def make(path_or_name: str, *args) -> str:
        if path_or_name.startswith("/"):
            return live_server.url + path_or_name
        try:
            return live_server.url + reverse(path_or_name, args=args)
        except NoReverseMatch:
            raise ValueError(f"{path_or_name!r} is neither a path nor a URL name") from None

    return make


@pytest.fixture
def login(live_url):
    """``login(page, user, password=PASSWORD)``: fill in and submit the real login form; lands on the home page."""

    def do(pg, user, password: str = PASSWORD):
        pg.goto(live_url("login"))
        pg.fill("#id_username", user.username)
        pg.fill("#id_password", password)
        with pg.expect_navigation():
            pg.click("form button[type=submit]")
        if "/accounts/login/" in pg.url:
            alert = pg.locator(".alert-danger")
            raise AssertionError(f"login as {user.username} failed: "
                                 f"{alert.inner_text() if alert.count() else pg.url}")
        return pg

    return do


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report
