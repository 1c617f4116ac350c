"""The document controller's promise (seed 2.1, 2.6), in Chinese, through the real pages:

an agent searches 电梯 and finds the current elevator maintenance procedure, asks to borrow a confidential
contract by its code, the controller approves, the agent opens the contract — and once the loan's end time has
passed (no job runs) the contract answers 404 again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wuye.documents.choices import LoanState
from wuye.documents.models import Loan
from wuye.documents.tests.factories import issued, make_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_finds_the_procedure_and_borrows_a_confidential_contract(page, live_url, login, world):
    procedure = make_document(world, title="电梯维保管理程序")
    issued(world, procedure, text="电梯维保管理程序：维保单位每半月保养一次电梯，困人故障五分钟内响应。")
    contract = make_document(world, path="合同", title="丽景园电梯维保合同", confidentiality="confidential")

    # 1. the agent searches the register for 电梯: the current procedure, not the confidential contract
    login(page, world.users["agent"])
    page.goto(live_url("documents:document_list") + "?q=电梯")
    table = page.locator("main table")
    expect(table).to_contain_text(procedure.code)
    expect(table).not_to_contain_text(contract.code)
    page.get_by_role("link", name=procedure.code).click()
    expect(page.locator("main")).to_contain_text("电梯维保管理程序")
    expect(page.locator("main")).to_contain_text("A/0")

    # 2. the contract itself answers 404 to the agent; they ask to borrow it by its code
    response = page.goto(live_url("documents:document", contract.pk))
    assert response.status == 404
    page.goto(live_url("documents:loan_request"))
    now = timezone.localtime()
    page.fill("#id_code", contract.code)
    page.fill("#id_purpose", "核对维保费用条款，答复业主")
    page.select_option("#id_medium", "electronic")
    page.fill("#id_starts_at", now.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (now + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.locator("form.loan-request-form button[type=submit]").click()
    loan = Loan.objects.get(document=contract)
    assert loan.state == LoanState.REQUESTED and loan.borrower == world.users["agent"]

    # 3. the controller approves the request
    page.context.clear_cookies()
    login(page, world.users["document_controller"])
    page.goto(live_url("documents:loan", loan.pk))
    page.locator("a.step-approve").click()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    loan.refresh_from_db()
    assert loan.state == LoanState.LENT

    # 4. the agent opens the contract while the loan runs
    page.context.clear_cookies()
    login(page, world.users["agent"])
    response = page.goto(live_url("documents:document", contract.pk))
    assert response.status == 200
    expect(page.locator("main")).to_contain_text("丽景园电梯维保合同")

    # 5. the end time passes (the loan is moved into the past; nothing else changes): 404 again
    Loan.objects.filter(pk=loan.pk).update(starts_at=timezone.now() - dt.timedelta(hours=6),
                                           ends_at=timezone.now() - dt.timedelta(minutes=1))
    response = page.goto(live_url("documents:document", contract.pk))
    assert response.status == 404
    assert Loan.objects.get(pk=loan.pk).state == LoanState.LENT  # no job ran: the end time alone closed it
