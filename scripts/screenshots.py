"""Regenerate the screenshots in docs/img/ from a running demo server (Debian's Chromium, headless).

    make run            # in one terminal (demo data loaded, serving on 127.0.0.1:8000)
    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000]

Apps add their own shots by listing them in SHOTS below: (file name, demo user, path, optional action).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
OUT = Path(__file__).resolve().parent.parent / "docs" / "img"


def type_lookup(page, text="0151"):
    page.fill("main input[name=q]", text)
    page.wait_for_timeout(1200)


def open_first_customer(page):
    page.locator("main table tbody tr a").first.click()
    page.wait_for_load_state()


def open_first_ticket(page):
    page.locator("main table tbody tr a").first.click()
    page.wait_for_load_state()


def intake_lookup(page):
    page.fill("#intake-q", "3-2-1201")
    page.wait_for_timeout(1200)
    hit = page.locator("#intake-lookup-results a").first
    if hit.count():
        hit.click()
        page.wait_for_timeout(1200)


PHONE = {"width": 390, "height": 844}


def open_results(page):
    page.locator("main table tbody tr a").first.click()
    page.wait_for_load_state()
    page.goto(page.url.rstrip("/") + "/results/")
    page.wait_for_load_state()


def open_a_personal_link(page):
    """The first household's personal link of the open campaign, opened as that household would (logged out)."""
    page.locator("main table tbody tr a").first.click()
    page.wait_for_load_state()
    page.goto(page.url.rstrip("/") + "/households/")
    links = [urlsplit(field.input_value()).path for field in page.locator("input.invitation-link").all()]
    here = urlsplit(page.url)
    page.context.clear_cookies()
    for link in links:  # the first household whose link is not used yet (the list does not tell: anonymous)
        page.goto(f"{here.scheme}://{here.netloc}{link}")
        page.wait_for_load_state()
        if page.locator("form").count():
            break

SHOTS = [
    ("login.png", None, "/accounts/login/", None),
    ("home-agent.png", "agent", "/", None),
    ("lookup.png", "agent", "/estates/lookup/", type_lookup),
    ("customers.png", "agent", "/estates/customers/", None),
    ("customer.png", "agent", "/estates/customers/", open_first_customer),
    ("estate.png", "cs_manager", "/estates/", lambda p: (p.locator("main table tbody tr a").first.click(),
                                                               p.wait_for_load_state())),
    ("department.png", "cs_manager", "/org/departments/", lambda p: (p.locator("main table tbody tr a").first.click(),
                                                                   p.wait_for_load_state())),
    ("my-standard.png", "agent", "/org/my-standard/", None),
    ("pending-acknowledgements.png", "cs_manager", "/org/acknowledgements/pending/", None),
    ("ticket-list.png", "agent", "/tickets/?status=open", None),
    ("ticket.png", "agent", "/tickets/?status=open", open_first_ticket),
    ("ticket-intake.png", "agent", "/tickets/new/", intake_lookup),
    ("complaint-register.png", "cs_manager", "/tickets/reports/complaint-register/", None),
    ("complaint-stats.png", "cs_manager", "/tickets/reports/complaint-stats/?period=year",
     lambda p: p.wait_for_timeout(1500)),  # the chart's animation
    ("contracts-register.png", "cs_manager", "/contracts/", None),
    ("contract-review.png", "executive", "/contracts/?q=云栖雅苑物业服务合同",
     lambda p: (p.locator("main table tbody tr a").first.click(), p.wait_for_load_state())),
    ("quality-selfcheck.png", "quality_auditor", "/quality/self-check/", None),
    ("quality-workplan.png", "cs_manager", "/quality/plans/",
     lambda p: (p.locator("main table tbody tr a").first.click(), p.wait_for_load_state())),
    ("quality-action.png", "quality_auditor", "/quality/corrective-actions/?state=in_progress",
     lambda p: (p.locator("main table tbody tr a").first.click(), p.wait_for_load_state())),
    ("quality-review.png", "executive", "/quality/reviews/?status=planned",
     lambda p: (p.locator("main table tbody tr a").first.click(), p.wait_for_load_state())),
    ("appraisal-sheet.png", "cs_manager", "/appraisals/?state=scoring",
     lambda p: (p.locator("main table tbody tr a").first.click(), p.wait_for_load_state())),
    ("appraisal-form.png", "cs_manager", "/appraisals/forms/",
     lambda p: (p.locator("main table tbody tr a").first.click(), p.wait_for_load_state())),
    ("survey-campaign.png", "cs_manager", "/surveys/campaigns/?status=open",
     lambda p: (p.locator("main table tbody tr a").first.click(), p.wait_for_load_state())),
    ("survey-results.png", "cs_manager", "/surveys/campaigns/?status=closed", open_results),
    ("survey-answer-phone.png", "cs_manager", "/surveys/campaigns/?status=open", open_a_personal_link, PHONE),
    ("dashboard-manager.png", "cs_manager", "/",
     lambda p: (p.wait_for_timeout(1500), p.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)"))),
    ("report-service-work.png", "cs_manager", "/reports/?kind=service_work",
     lambda p: (p.locator("main table tbody tr a").first.click(), p.wait_for_load_state(), p.wait_for_timeout(800))),
    ("portal-home.png", "resident", "/portal/", None, PHONE),
    ("portal-new.png", "resident", "/portal/new/", None, PHONE),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--only", nargs="*", help="file names to regenerate (default: all)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, user, path, action, *viewport in SHOTS:
            if args.only and name not in args.only:
                continue
            context = browser.new_context(viewport=viewport[0] if viewport else {"width": 1280, "height": 760},
                                          locale="zh-CN")
            page = context.new_page()
            if user:
                page.goto(args.base + "/accounts/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", f"{user}-demo")
                page.click("main button[type=submit]")
                page.wait_for_load_state()
            page.goto(args.base + path)
            if action:
                action(page)
            page.screenshot(path=str(OUT / name), full_page=False)
            print("wrote", OUT / name)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
