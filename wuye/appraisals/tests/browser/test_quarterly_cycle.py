"""A quarter's appraisal through the real pages, in Chinese: the customer-service manager opens a quarterly cycle
for the agents' post; as the agent's appraiser they score every item of the staff form with the system's evidence
beside it and submit; the agent acknowledges with a remark; the PDF of the filled form shows the scores."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wuye.appraisals.choices import AppraisalState
from wuye.appraisals.models import Appraisal, AppraisalCycle, AppraisalForm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, selector="main form button[type=submit]"):
    with page.expect_navigation():
        page.locator(selector).first.click()


def _as(page, login, user):
    page.context.clear_cookies()
    login(page, user)


def test_manager_opens_a_quarter_scores_an_agent_who_acknowledges_and_the_pdf_shows_it(page, live_url, login,
                                                                                      world):
    today = timezone.localdate()
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    agent = world.staff["agent"]
    version = AppraisalForm.objects.get(code="cs-staff").current_version
    items = [item for section in version.sections.all() for item in section.items.all()]
    assert len(items) == 22

    # 1. the manager opens the quarterly cycle for the agents' post
    _as(page, login, world.users["cs_manager"])
    page.goto(live_url("appraisals:appraisalcycle_add"))
    page.fill("#id_name", f"{today.year} 年第 {(today.month - 1) // 3 + 1} 季度客服专员测评")
    page.select_option("#id_form_version", str(version.pk))
    page.select_option("#id_period_kind", "quarter")
    page.fill("#id_period_start", quarter_start.isoformat())
    page.select_option("#id_posts", str(world.post.pk))
    _submit(page)
    cycle = AppraisalCycle.objects.get()
    appraisal = Appraisal.objects.get(cycle=cycle, appraisee=agent)
    assert appraisal.appraiser == world.staff["cs_manager"] and appraisal.state == AppraisalState.SCORING

    # 2. as the appraiser: the score sheet with the evidence panel beside it; every item scored, then submitted
    page.goto(live_url("appraisals:appraisal", appraisal.pk))
    expect(page.locator(".appraisal-evidence")).to_be_visible()
    assert page.locator(".appraisal-evidence .evidence-row").count() >= 4  # tickets handled, on time, callbacks…
    for n, item in enumerate(items):
        page.locator(f"input[name=score_{item.pk}][value='{4 if n % 2 else 5}']").check()
    page.fill(f"input[name=comment_{items[0].pk}]", "计划性强")
    _submit(page, "button.sheet-submit")
    appraisal.refresh_from_db()
    assert appraisal.state == AppraisalState.ACKNOWLEDGEMENT
    expected_total = appraisal.total
    assert expected_total is not None and 4 < expected_total < 5

    # 3. the agent sees it now and acknowledges with a remark
    _as(page, login, world.users["agent"])
    page.goto(live_url("appraisals:appraisal", appraisal.pk))
    expect(page.locator("main .total").first).to_contain_text(str(expected_total))
    page.locator("a.step-acknowledge").click()
    page.fill("#id_disagreement", "第二部分的评分希望再沟通")
    _submit(page)
    appraisal.refresh_from_db()
    assert appraisal.state == AppraisalState.ACKNOWLEDGEMENT and appraisal.acknowledged_at is not None
    assert appraisal.disagreement == "第二部分的评分希望再沟通"

    # 4. the PDF of the filled form shows the people, the scores and the total
    response = page.request.get(live_url("appraisals:appraisal_pdf", appraisal.pk))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(BytesIO(response.body())).pages).replace(" ", "")
    assert agent.name in text and world.staff["cs_manager"].name in text
    assert str(expected_total) in text and "计划性强" in text
