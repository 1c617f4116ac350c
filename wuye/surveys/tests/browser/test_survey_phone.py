"""On a phone (375×812, touch): an owner opens their personal link, answers every question and sees the thank-you
page; the manager's campaign page then shows the estate's response rate risen from 0 %, and the results API counts
the answer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from wuye.estates.tests.factories import UnitFactory
from wuye.surveys.models import Response
from wuye.surveys.tests.factories import invitation_for, open_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url,
                                  extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"}, **PHONE)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_owner_answers_by_link_on_a_phone_and_the_campaign_counts_it(phone, page, login, live_url, world):
    for number in ("1301", "1302", "1303"):  # four households in estate A
        UnitFactory(building=world.building_a, entrance="2", number=number)
    campaign = open_campaign(world, estates=[world.estate_a])
    q = campaign.version.q
    invitation = invitation_for(campaign, world.unit_a)

    login(page, world.users["cs_manager"])
    page.goto(live_url("surveys:campaign", campaign.pk))
    rate = page.locator(f"#campaign-rates .rate-row[data-estate='{world.estate_a.pk}'] .rate-rate")
    expect(rate).to_have_text(re.compile(r"^0(\.0+)?%$"))

    phone.goto(live_url(invitation.get_link_path()))
    expect(phone.locator("h1.survey-title")).to_have_text(campaign.version.title)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    box = phone.locator(f"label[for=id_q{q['service'].pk}_0]").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a finger-sized target
    phone.locator(f"label[for=id_q{q['service'].pk}_0]").tap()        # 满意 (5)
    phone.locator(f"label[for=id_q{q['repair'].pk}_1]").tap()         # 基本满意 (4)
    phone.locator(f"label[for=id_q{q['single'].pk}_2]").tap()         # 很少
    phone.locator(f"label[for=id_q{q['multiple'].pk}_0]").tap()       # 绿化
    phone.locator(f"label[for=id_q{q['multiple'].pk}_1]").tap()       # 停车
    phone.locator(f"label[for=id_q{q['recommend'].pk}_8]").tap()      # 8
    phone.fill(f"#id_q{q['text'].pk}", "晚上路灯太暗")
    expect(phone.locator(f"#id_q{q['service'].pk}_0")).to_be_checked()
    with phone.expect_navigation():
        phone.locator("button.survey-submit").tap()
    expect(phone.locator(".survey-done h1")).to_be_visible()

    response = Response.objects.get()
    assert response.channel == "link" and response.unit == world.unit_a
    assert {(a.question_id, a.value) for a in response.answers.exclude(question=q["text"])} == {
        (q["service"].pk, 5), (q["repair"].pk, 4), (q["single"].pk, 2), (q["multiple"].pk, 0),
        (q["multiple"].pk, 1), (q["recommend"].pk, 8)}
    assert response.answers.get(question=q["text"]).text == "晚上路灯太暗"

    # the link is used up
    phone.goto(live_url(invitation.get_link_path()))
    expect(phone.locator(".survey-reason")).to_be_visible()

    page.reload()
    expect(rate).to_have_text(re.compile(r"^25(\.0+)?%$"))  # 1 of 4 households
    results = page.request.get(live_url(f"/api/v1/survey-campaigns/{campaign.pk}/results/")).json()
    estate = next(e for e in results["estates"] if e["estate"]["id"] == world.estate_a.pk)
    assert estate["answered"] == 1 and estate["invited"] == 4
    service = next(d for d in estate["dimensions"] if d["dimension"]["code"] == "t-service")
    assert service["average"] == 5
