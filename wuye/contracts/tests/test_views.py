"""The staff pages of contracts: the register (days left, the figures of the filtered list, filters, Excel, a
PDF that is audited), a contract's page with the steps each role may take, the journey draft → review → sign
through the pages, files and their audited download, editing after the draft, renewal, takeovers, renewal tasks,
and the contracts panels on the estate page and the home page.

The Chinese catalogue of contracts is not final, so pages are read by their CSS classes, ids and links, never by
their wording."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wuye.contracts import services
from wuye.contracts.choices import ContractKind, ContractStatus, RenewalState
from wuye.contracts.models import Contract, ContractFile, ContractReview, RenewalTask, Takeover
from wuye.contracts.tests.factories import draft, signed
from wuye.core.models import AuditEvent
from wuye.documents.tests.factories import pdf_file
from wuye.estates.choices import EstateStatus
from wuye.estates.models import Estate

pytestmark = pytest.mark.django_db

LIST = "contracts:contract_list"


def html(response) -> str:
    return response.content.decode()


def today() -> dt.date:
    return timezone.localdate()


def day(days: int) -> dt.date:
    return today() + dt.timedelta(days=days)


def rows(response) -> dict[str, tuple[str, str] | None]:
    """The register's rows: contract number -> (colour, text) of its days-left cell, None when it has none."""
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html(response), re.S):
        number = re.search(r'<a href="/contracts/\d+/">([^<]+)</a>', row)
        if number is None:
            continue
        days = re.search(r'<span class="text-(\w+) days-left">([^<]*)</span>', row)
        found[number.group(1)] = (days.group(1), days.group(2)) if days else None
    return found


def figure(page: str, css: str) -> str:
    """The last number in the element carrying ``css`` (the summary figures above the register)."""
    match = re.search(rf'class="[^"]*\b{css}\b[^"]*"[^>]*>([^<]*)<', page)
    assert match, css
    return re.findall(r"\d+(?:\.\d+)?", match.group(1))[-1]


def steps(response) -> set[str]:
    return set(re.findall(r'class="btn btn-sm btn-[\w-]+ step-(\w+)"', html(response)))


def errors(response) -> str:
    return " ".join(re.findall(r'<div class="(?:invalid-feedback d-block|alert alert-danger[^"]*)"[^>]*>(.*?)</div>',
                               html(response), re.S))


def form_data(contract=None, **changes) -> dict:
    """The contract form as a browser posts it (from ``contract``, or a cleaning contract of no estate)."""
    data = {"number": "", "title": "保洁外包合同", "kind": "cleaning", "estate": "", "party_kind": "supplier",
            "party_name": "洁净保洁服务有限公司", "party_committee": "", "party_customer": "",
            "valid_from": day(-10).isoformat(), "valid_to": day(355).isoformat(), "amount": "", "payment_terms": "",
            "owner": "", "renews": "", "notes": ""}
    if contract is not None:
        for name in data:
            value = getattr(contract, f"{name}_id" if name in ("estate", "party_committee", "party_customer",
                                                                  "owner", "renews") else name)
            data[name] = "" if value is None else str(value)
    data.update(changes)
    return data


# --- the register -----------------------------------------------------------------------------------------------------


@dataclass
class Spec:
    estate: str
    kind: str
    party: str
    start: int
    end: int
    amount: str
    fate: str  # draft, signed or terminated


SPECS = {
    "c1": Spec("a", ContractKind.PRELIMINARY, "丽景置业有限公司", -365, 20, "300000.00", "signed"),
    "c2": Spec("b", ContractKind.CLEANING, "乙洁保洁服务公司", -100, 200, "50000.00", "signed"),
    "c3": Spec("a", ContractKind.SECURITY, "丙安保安服务公司", 10, 375, "90000.00", "draft"),
    "c4": Spec("b", ContractKind.ELEVATOR, "丁达电梯工程公司", -400, -10, "20000.00", "signed"),
    "c5": Spec("b", ContractKind.GREENING, "戊绿园林公司", -30, 60, "15000.00", "terminated"),
    "c6": Spec("a", ContractKind.CLEANING, "己净保洁公司", -10, 80, "45000.50", "signed"),
    "c7": Spec("a", ContractKind.GREENING, "庚林绿化公司", -50, 55, "12000.00", "signed"),
}


@pytest.fixture
def register(world):
    made = {}
    for key, spec in SPECS.items():
        fields = {"estate": world.estate_a if spec.estate == "a" else world.estate_b, "kind": spec.kind,
                  "party_name": spec.party, "start": day(spec.start), "end": day(spec.end),
                  "amount": Decimal(spec.amount), "title": f"{key}合同"}
        if spec.fate == "draft":
            made[key] = draft(world, **fields)
        else:
            made[key] = signed(world, signed_on=day(max(spec.start, -400)), **fields)
            if spec.fate == "terminated":
                services.contract_terminate(actor=world.users["executive"], contract=made[key], reason="协商解除")
        made[key].refresh_from_db()
    return made


def expected_figures(estate: str | None = None) -> dict:
    """The register's figures worked out from SPECS alone."""
    specs = [s for s in SPECS.values() if estate is None or s.estate == estate]
    live = [s for s in specs if s.fate == "signed" and s.end >= 0]
    in_force = [s for s in live if s.start <= 0]
    return {"total": len(specs), "in_force": len(in_force),
            "amount": sum((Decimal(s.amount) for s in in_force), Decimal(0)),
            **{f"within_{n}": sum(1 for s in live if s.end <= n) for n in (30, 60, 90)}}


def expected_days(spec: Spec) -> tuple[str, str] | None:
    if spec.fate == "terminated":
        return None
    if spec.end < 0:
        return ("muted", None)
    return ("danger" if spec.end <= 30 else "warning" if spec.end <= 90 else "body", str(spec.end))


def test_register_shows_days_left_and_the_figures_of_the_list(world, register, client_for):
    response = client_for("cs_manager").get(reverse(LIST))
    assert response.status_code == 200
    shown = rows(response)
    assert set(shown) == {c.number for c in register.values()}
    for key, spec in SPECS.items():
        cell, expected = shown[register[key].number], expected_days(spec)
        if expected is None:
            assert cell is None, (key, cell)
        elif expected[1] is None:  # ended: a muted word instead of a number
            assert cell is not None and cell[0] == "muted" and not re.search(r"\d", cell[1]), (key, cell)
        else:
            assert cell == expected, (key, cell)
    page = html(response)
    assert "register-summary" in page
    for estate, query in ((None, {}), ("a", {"estate": world.estate_a.pk}), ("b", {"estate": world.estate_b.pk})):
        page = html(client_for("quality_auditor").get(reverse(LIST), query))
        expected = expected_figures(estate)
        assert int(figure(page, "summary-total")) == expected["total"], estate
        assert int(figure(page, "summary-in-force")) == expected["in_force"], estate
        assert Decimal(figure(page, "summary-amount")) == expected["amount"], estate
        for n in (30, 60, 90):
            assert int(figure(page, f"summary-within-{n}")) == expected[f"within_{n}"], (estate, n)
    # a figure links to the filtered register
    assert 'href="?expiring_within=30"' in page


def test_register_filters_on_the_page(world, register, client_for):
    client = client_for("executive")

    def listed(**query):
        numbers = set(rows(client.get(reverse(LIST), query)))
        return {key for key, c in register.items() if c.number in numbers}

    assert listed(estate=world.estate_a.pk) == {"c1", "c3", "c6", "c7"}
    assert listed(kind="greening") == {"c5", "c7"}
    assert listed(status="expiring") == {"c1", "c6", "c7"}
    assert listed(status="terminated") == {"c5"}
    assert listed(party="保洁") == {"c2", "c6"}
    assert listed(expiring_within=30) == {"c1"}
    assert listed(expiring_within=60) == {"c1", "c7"}
    assert listed(valid_on=day(70).isoformat()) == {"c2", "c6"}
    assert listed(estate=world.estate_b.pk, status="in_force") == {"c2"}


def test_register_pdf_is_audited(world, register, client_for):
    client = client_for("cs_manager")
    page = html(client.get(reverse(LIST), {"estate": world.estate_a.pk}))
    assert "export=pdf" in page and f"estate={world.estate_a.pk}" in page  # the print link keeps the filters
    response = client.get(reverse(LIST), {"estate": world.estate_a.pk, "export": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(event_type="report.export")
    assert event.actor == world.users["cs_manager"]
    assert event.data["report"] == "contract_register" and event.data["format"] == "pdf"
    assert event.data["rows"] == expected_figures("a")["total"]
    assert f"estate={world.estate_a.pk}" in event.data["query"]


def test_register_excel_holds_the_filtered_list(world, register, client_for):
    response = client_for("quality_auditor").get(reverse(LIST), {"kind": "cleaning", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = {c for row in sheet.iter_rows(values_only=True) for c in row}
    assert {register["c2"].number, register["c6"].number} <= values
    assert not {register[k].number for k in ("c1", "c3", "c4", "c5", "c7")} & values
    assert AuditEvent.objects.filter(event_type="list.export").count() == 1


# --- a contract's page and its steps ----------------------------------------------------------------------------------


def test_the_page_offers_each_role_only_the_steps_it_may_take(world, client_for):
    contract = draft(world)

    def offered(role):
        response = client_for(role).get(contract.get_absolute_url())
        assert response.status_code == 200
        page = html(response)
        return steps(response), "action-edit" in page, "action-renew" in page

    assert offered("cs_manager") == ({"submit", "file"}, True, False)
    assert offered("admin") == ({"submit", "file"}, True, False)
    assert offered("executive") == (set(), False, False)
    assert offered("document_controller") == ({"file"}, False, False)
    assert offered("quality_auditor") == (set(), False, False)
    services.contract_submit_review(actor=world.users["cs_manager"], contract=contract)
    assert offered("executive")[0] == {"review"}
    assert offered("cs_manager")[0] == {"file"}
    services.contract_pass_review(actor=world.users["executive"], contract=contract,
                                  checks={c.pk: True for c in ContractReview.objects.get().checks.all()})
    assert offered("executive")[0] == {"sign"}
    assert offered("cs_manager")[0] == {"file"}
    services.contract_sign(actor=world.users["executive"], contract=contract)
    assert offered("executive") == ({"terminate"}, False, False)
    assert offered("cs_manager") == ({"file"}, True, True)
    assert offered("quality_auditor") == (set(), False, False)
    services.contract_terminate(actor=world.users["executive"], contract=contract, reason="协商解除")
    assert offered("executive")[0] == set()
    manager_steps, _edit, renew = offered("cs_manager")
    assert (manager_steps, renew) == ({"file"}, True)


def test_an_ended_contract_offers_no_edit_button(world, client_for):
    contract = signed(world, kind=ContractKind.CLEANING)
    services.contract_terminate(actor=world.users["executive"], contract=contract, reason="协商解除")
    manager = client_for("cs_manager")
    assert manager.get(reverse("contracts:contract_edit", args=[contract.pk])).status_code == 403
    assert "action-edit" not in html(manager.get(contract.get_absolute_url()))


def test_draft_review_and_sign_through_the_pages(world, client_for):
    manager, executive = client_for("cs_manager"), client_for("executive")
    response = manager.post(reverse("contracts:contract_add"), form_data(estate=world.estate_a.pk,
                                                                         amount="120000.00"))
    assert response.status_code == 302, errors(response)
    contract = Contract.objects.get()
    assert contract.number == f"HT-{today().year}-0001" and contract.status == ContractStatus.DRAFT
    assert response["Location"] == contract.get_absolute_url()
    step = lambda client, name, data=None: client.post(  # noqa: E731
        reverse("contracts:contract_step", args=[contract.pk, name]), data or {})
    assert step(manager, "submit").status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_REVIEW
    checks = list(ContractReview.objects.get().checks.all())
    assert manager.get(reverse("contracts:contract_step", args=[contract.pk, "review"])).status_code == 403
    form = executive.get(reverse("contracts:contract_step", args=[contract.pk, "review"]))
    assert all(f'name="check_{c.pk}"' in html(form) for c in checks)
    # passing with a point not ticked is refused on the form; nothing changes
    ticked = {f"check_{c.pk}": "on" for c in checks[1:]}
    response = step(executive, "review", {"decision": "pass", "comments": "", **ticked})
    assert response.status_code == 400 and errors(response)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_REVIEW
    assert set(ContractReview.objects.get().checks.values_list("passed", flat=True)) == {None}
    # returned with comments, submitted again, passed with every point, signed
    assert step(executive, "review", {"decision": "return", "comments": "付款条件需明确", **ticked}).status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT
    page = html(manager.get(contract.get_absolute_url()))
    assert "review-failed" in page and "付款条件需明确" in page
    assert step(manager, "submit").status_code == 302
    checks = list(ContractReview.objects.filter(result="pending").get().checks.all())
    response = step(executive, "review", {"decision": "pass", "comments": "同意",
                                          **{f"check_{c.pk}": "on" for c in checks}})
    assert response.status_code == 302, errors(response)
    assert step(executive, "sign", {"signed_on": ""}).status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_FORCE and contract.signed_on == today()
    page = html(manager.get(contract.get_absolute_url()))
    assert "status-in_force" in page and "review-passed" in page and "review-failed" in page


def test_refusals_on_the_pages_reshow_the_form_and_change_nothing(world, client_for):
    manager, executive = client_for("cs_manager"), client_for("executive")
    response = manager.post(reverse("contracts:contract_add"), form_data(valid_from=day(10).isoformat(),
                                                                         valid_to=day(9).isoformat()))
    assert response.status_code == 400 and errors(response)
    assert not Contract.objects.exists()
    contract = draft(world)
    # signing a draft: the page says why, and the service refuses
    assert "alert" in html(executive.get(reverse("contracts:contract_step", args=[contract.pk, "sign"])))
    response = executive.post(reverse("contracts:contract_step", args=[contract.pk, "sign"]), {"signed_on": ""})
    assert response.status_code == 400 and errors(response)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT and contract.signed_on is None
    # the drafter's own review (the administrator may review, but not what they drafted)
    own = draft(world, kind=ContractKind.CLEANING, actor=world.users["admin"])
    services.contract_submit_review(actor=world.users["cs_manager"], contract=own)
    checks = {f"check_{c.pk}": "on" for c in own.reviews.get().checks.all()}
    response = client_for("admin").post(reverse("contracts:contract_step", args=[own.pk, "review"]),
                                        {"decision": "pass", "comments": "", **checks})
    assert response.status_code == 400 and errors(response)
    own.refresh_from_db()
    assert own.status == ContractStatus.IN_REVIEW
    # a renewal naming another estate
    base = signed(world, kind=ContractKind.CLEANING, start=day(-300), end=day(64))
    count = Contract.objects.count()
    response = manager.post(reverse("contracts:contract_renew", args=[base.pk]),
                            form_data(base, number="", estate=world.estate_b.pk, valid_from=day(65).isoformat(),
                                      valid_to=day(429).isoformat()))
    assert response.status_code == 400 and errors(response)
    assert Contract.objects.count() == count and not base.renewals.exists()


def test_after_the_draft_only_owner_terms_and_notes_change(world, client_for):
    manager = client_for("cs_manager")
    contract = draft(world)
    services.contract_submit_review(actor=world.users["cs_manager"], contract=contract)
    url = reverse("contracts:contract_edit", args=[contract.pk])
    page = html(manager.get(url))
    assert re.search(r'<input[^>]*name="title"[^>]*disabled', page)
    assert not re.search(r'<textarea[^>]*name="notes"[^>]*disabled', page)
    response = manager.post(url, form_data(contract, title="偷偷改名", valid_to=day(999).isoformat(),
                                           notes="对方盖章待寄回"))
    assert response.status_code == 302, errors(response)
    contract.refresh_from_db()
    assert contract.notes == "对方盖章待寄回" and contract.title != "偷偷改名" and contract.valid_to != day(999)
    assert contract.status == ContractStatus.IN_REVIEW
    # an ended contract is not edited at all
    ended = signed(world, kind=ContractKind.CLEANING)
    services.contract_terminate(actor=world.users["executive"], contract=ended, reason="协商解除")
    assert manager.get(reverse("contracts:contract_edit", args=[ended.pk])).status_code == 403


def test_renewal_page_starts_from_the_contract_and_links_both(world, client_for):
    manager = client_for("cs_manager")
    base = signed(world, kind=ContractKind.CLEANING, start=day(-300), end=day(64), amount=Decimal("80000.00"))
    form = html(manager.get(reverse("contracts:contract_renew", args=[base.pk])))
    assert f'value="{day(65).isoformat()}"' in form and "80000" in form
    response = manager.post(reverse("contracts:contract_renew", args=[base.pk]),
                            form_data(base, number="", valid_from=day(65).isoformat(),
                                      valid_to=day(429).isoformat(), renews=""))
    assert response.status_code == 302, errors(response)
    renewal = Contract.objects.get(renews=base)
    assert renewal.estate == base.estate and renewal.status == ContractStatus.DRAFT
    assert response["Location"] == renewal.get_absolute_url()
    assert "contract-renews" in html(manager.get(renewal.get_absolute_url()))
    page = html(manager.get(base.get_absolute_url()))
    assert "contract-renewals" in page and renewal.number in page
    # the register links the renewal to what it renews
    listing = html(manager.get(reverse(LIST), {"kind": "cleaning"}))
    row = next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", listing, re.S) if renewal.number in r)
    assert f'<a href="{base.get_absolute_url()}">{base.number}</a>' in row


# --- files ------------------------------------------------------------------------------------------------------------


def test_attach_a_file_and_its_download_is_audited(world, client_for):
    contract = signed(world)
    upload = pdf_file("Signed contract, page 1", "合同扫描件.pdf")
    content = upload.read()
    upload.seek(0)
    response = client_for("cs_manager").post(reverse("contracts:contract_step", args=[contract.pk, "file"]),
                                             {"file": upload})
    assert response.status_code == 302, errors(response)
    stored = ContractFile.objects.get(contract=contract)
    assert stored.name == "合同扫描件.pdf" and stored.content_type == "application/pdf"
    page = html(client_for("quality_auditor").get(contract.get_absolute_url()))
    assert "contract-file" in page and f'href="{stored.get_absolute_url()}"' in page
    response = client_for("quality_auditor").get(stored.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == content
    event = AuditEvent.objects.get(event_type="contract.download")
    assert (event.actor, event.object_id, event.estate_id) == (world.users["quality_auditor"], str(contract.pk),
                                                               world.estate_a.pk)
    assert event.data["file"] == "合同扫描件.pdf"
    assert client_for("agent").get(stored.get_absolute_url()).status_code == 403
    assert AuditEvent.objects.filter(event_type="contract.download").count() == 1


def test_a_disguised_file_is_refused(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    contract = signed(world)
    fake = SimpleUploadedFile("合同.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client_for("cs_manager").post(reverse("contracts:contract_step", args=[contract.pk, "file"]),
                                             {"file": fake})
    assert response.status_code == 400 and errors(response)
    assert not ContractFile.objects.exists()


# --- takeovers and renewal tasks --------------------------------------------------------------------------------------


def _prepare(estate):
    Estate.objects.filter(pk=estate.pk).update(status=EstateStatus.PREPARING, managed_since=None)
    estate.refresh_from_db()
    return estate


def test_takeover_page_refuses_without_the_contract_then_records_it(world, client_for):
    manager = client_for("cs_manager")
    estate = _prepare(world.estate_a)
    url = reverse("contracts:estate_takeover", args=[estate.pk])
    page = html(manager.get(url))
    assert "takeover-missing" in page and "takeover-basis" not in page
    assert f'href="{reverse("contracts:contract_add")}?estate={estate.pk}"' in page
    response = manager.post(url, {"taken_over_on": "", "contract": "", "notes": ""})
    assert response.status_code == 400 and errors(response)
    estate.refresh_from_db()
    assert estate.status == EstateStatus.PREPARING and not Takeover.objects.exists()
    basis = signed(world, kind=ContractKind.PRELIMINARY, signed_on=day(-30))
    page = html(manager.get(url))
    assert "takeover-basis" in page and basis.number in page
    response = manager.post(url, {"taken_over_on": day(-1).isoformat(), "contract": "", "notes": "验收完成"})
    assert response.status_code == 302, errors(response)
    assert response["Location"] == estate.get_absolute_url()
    estate.refresh_from_db()
    assert estate.status == EstateStatus.MANAGED and estate.managed_since == day(-1)
    assert Takeover.objects.get().contract == basis
    assert "contract-takeovers" in html(manager.get(basis.get_absolute_url()))


def test_estate_page_shows_the_contracts_panel_and_the_takeover_button(world, client_for):
    mine = draft(world)
    theirs = draft(world, estate=world.estate_b)
    url = reverse("estates:estate", args=[world.estate_a.pk])
    button = f'href="{reverse("contracts:estate_takeover", args=[world.estate_a.pk])}"'

    def panel(role):
        page = html(client_for(role).get(url))
        return "estate-contracts" in page, "record-takeover" in page and button in page, page

    # managed since before the system, no takeover on record: the panel, and the button to record it afterwards
    shown, takeover, page = panel("cs_manager")
    assert shown and takeover
    assert mine.number in page and theirs.number not in page
    _prepare(world.estate_a)
    shown, takeover, _page = panel("cs_manager")
    assert shown and takeover
    assert panel("admin")[:2] == (True, True)
    for role in ("executive", "quality_auditor", "document_controller"):  # they read, they do not take over
        assert panel(role)[:2] == (True, False), role
    assert panel("agent")[:2] == (False, False)
    # taken over: the button goes
    signed(world, kind=ContractKind.PRELIMINARY, start=day(-400), end=day(700))
    services.takeover_record(actor=world.users["cs_manager"], estate=world.estate_a)
    assert panel("cs_manager")[:2] == (True, False)


def test_renewal_task_shown_and_cancelled_with_a_reason(world, client_for):
    manager = client_for("cs_manager")
    preliminary = signed(world, kind=ContractKind.PRELIMINARY)
    task = services.renewal_open(committee=world.committee_a, actor=world.users["cs_manager"])
    page = html(manager.get(preliminary.get_absolute_url()))
    assert "renewal-alert" in page and reverse("contracts:renewaltask_cancel", args=[task.pk]) in page
    assert "renewal-alert" in html(client_for("quality_auditor").get(preliminary.get_absolute_url()))
    assert "renewal-cancel" not in html(client_for("quality_auditor").get(preliminary.get_absolute_url()))
    assert "renewal-open" in html(manager.get(reverse("estates:estate", args=[world.estate_a.pk])))
    url = reverse("contracts:renewaltask_cancel", args=[task.pk])
    response = manager.post(url, {"reason": " "})
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.state == RenewalState.OPEN
    assert manager.post(url, {"reason": "业委会已解散"}).status_code == 302
    task.refresh_from_db()
    assert task.state == RenewalState.CANCELLED and task.note == "业委会已解散" and task.closed_on == today()
    page = html(manager.get(preliminary.get_absolute_url()))
    assert "renewal-alert" not in page and "renewal-task-cancelled" in page
    assert manager.post(url, {"reason": "再次"}).status_code == 400


# --- the home page ----------------------------------------------------------------------------------------------------


def test_the_home_page_panel_counts_what_ends_soon(world, register, client_for):
    signed(world, kind=ContractKind.PRELIMINARY, estate=world.estate_b, start=day(-100), end=day(500))
    task = services.renewal_open(committee=world.committee_b, actor=world.users["cs_manager"])
    assert task is not None
    page = html(client_for("cs_manager").get("/"))
    assert "contracts-dashboard-panel" in page
    expected = expected_figures()
    for n in (30, 60, 90):
        count = re.search(rf'contracts-within_{n}".*?<span class="badge[^"]*">(\d+)</span>', page, re.S)
        assert int(count.group(1)) == expected[f"within_{n}"], n
        assert f'href="/contracts/?expiring_within={n}"' in page
    assert page.count('class="list-group-item renewal-task"') == 1
    assert task.contract.get_absolute_url() in page
    assert "contracts-dashboard-panel" in html(client_for("executive").get("/"))
    for role in ("quality_auditor", "document_controller", "agent"):
        assert "contracts-dashboard-panel" not in html(client_for(role).get("/")), role
    assert RenewalTask.objects.count() == 1
    # checked against our own fixture: one contract ends within 30 days, three within 90
    assert (expected["within_30"], expected["within_90"]) == (1, 3)

