"""The takeover rule of seed 2.10, in Chinese, through the real pages: the manager records a new-build estate's
takeover and is refused (no preliminary contract), adds the preliminary contract with the developer and sends it to
review; top management passes the review and signs it; the manager records the takeover again and it succeeds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wuye.contracts.choices import ContractStatus
from wuye.contracts.models import Contract, Takeover
from wuye.estates.choices import EstateKind, EstateStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page):
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_takeover_refused_without_the_preliminary_contract_then_recorded(page, live_url, login, world):
    estate = world.estate_b
    estate.kind, estate.status, estate.managed_since = EstateKind.NEW_BUILD, EstateStatus.PREPARING, None
    estate.save()
    today = timezone.localdate()

    # 1. the manager opens the new estate and records its takeover: refused, nothing changes
    login(page, world.users["cs_manager"])
    page.goto(live_url("estates:estate", estate.pk))
    page.locator("a.record-takeover").click()
    expect(page.locator(".takeover-missing")).to_be_visible()
    _submit(page)
    expect(page.locator("main .alert-danger, main .invalid-feedback, main .errorlist").first).to_contain_text("2.10")
    estate.refresh_from_db()
    assert estate.status == EstateStatus.PREPARING and not Takeover.objects.exists()

    # 2. the page offers to add the contract: the preliminary contract with the developer, for this estate
    page.locator("a.add-contract").click()
    expect(page.locator("#id_estate")).to_have_value(str(estate.pk))
    page.fill("#id_title", "翠湖苑前期物业服务合同")
    page.select_option("#id_kind", "preliminary")
    page.select_option("#id_party_kind", "developer")
    page.fill("#id_party_name", "翠湖置业有限公司")
    page.fill("#id_valid_from", (today - dt.timedelta(days=1)).isoformat())
    page.fill("#id_valid_to", (today + dt.timedelta(days=3 * 365)).isoformat())
    page.fill("#id_amount", "1200000")
    _submit(page)
    contract = Contract.objects.get(estate=estate)
    assert contract.status == ContractStatus.DRAFT and contract.party_name == "翠湖置业有限公司"
    expect(page.locator(".contract-number")).to_have_text(contract.number)

    # … and sends it to review
    page.locator("a.step-submit").click()
    _submit(page)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_REVIEW

    # 3. top management confirms every point of the checklist and passes the review, then records the signing
    page.context.clear_cookies()
    login(page, world.users["executive"])
    page.goto(live_url("contracts:contract", contract.pk))
    page.locator("a.step-review").click()
    boxes = page.locator("main form input[type=checkbox][name^=check_]")
    assert boxes.count() == 5
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.locator("main form input[name=decision][value=pass]").check()
    page.fill("#id_comments", "内容、期限、签约主体有效，同意签署")
    _submit(page)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.REVIEWED
    page.locator("a.step-sign").click()
    _submit(page)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_FORCE and contract.signed_on == today

    # 4. the manager records the takeover again: it succeeds on the strength of the contract
    page.context.clear_cookies()
    login(page, world.users["cs_manager"])
    page.goto(live_url("contracts:estate_takeover", estate.pk))
    expect(page.locator(".takeover-basis")).to_contain_text(contract.number)
    _submit(page)
    estate.refresh_from_db()
    assert estate.status == EstateStatus.MANAGED and estate.managed_since == today
    takeover = Takeover.objects.get(estate=estate)
    assert takeover.contract == contract
    expect(page.locator(".estate-takeover")).to_contain_text(contract.number)
    expect(page.locator("a.record-takeover")).to_have_count(0)
