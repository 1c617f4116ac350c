"""The contracts API: published paths; the whole life of a contract (draft → under review → review passed →
signed → in force) through the endpoints; every refusal answered 400 with the field at fault and nothing changed
(end before start, signing without a passed review, a point not confirmed, the drafter reviewing, overlapping
property-management contracts, a renewal naming another estate, a takeover without the contract the rule
names); the register's filters; files; renewal through the committee; the checklist; no DELETE."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from wuye.contracts import services
from wuye.contracts.choices import ContractKind, ContractStatus, PartyKind, RenewalState, ReviewResult
from wuye.contracts.models import (
    Contract,
    ContractFile,
    ContractReview,
    RenewalTask,
    ReviewCheck,
    ReviewChecklistItem,
    Takeover,
)
from wuye.contracts.tests.factories import draft, reviewed, signed
from wuye.core.models import AuditEvent
from wuye.documents.tests.factories import pdf_file, text_file
from wuye.estates.choices import EstateKind, EstateStatus
from wuye.estates.models import Estate

pytestmark = pytest.mark.django_db

LIST = "api:contracts-contract-list"


def today() -> dt.date:
    return timezone.localdate()


def day(days: int) -> dt.date:
    return today() + dt.timedelta(days=days)


def detail(contract) -> str:
    return reverse("api:contracts-contract-detail", args=[contract.pk])


def action(client, contract, name: str, body: dict | None = None):
    return client.post(reverse(f"api:contracts-contract-{name}", args=[contract.pk]), body or {}, format="json")


def all_hold(contract) -> dict:
    review = contract.reviews.get(result=ReviewResult.PENDING)
    return {"checks": {str(check.pk): True for check in review.checks.all()}}


def snapshot() -> dict:
    """Everything a contracts refusal could have touched."""
    return {
        "contracts": list(Contract.objects.order_by("pk").values()),
        "reviews": list(ContractReview.objects.order_by("pk").values()),
        "checks": list(ReviewCheck.objects.order_by("pk").values()),
        "files": list(ContractFile.objects.order_by("pk").values()),
        "takeovers": list(Takeover.objects.order_by("pk").values()),
        "tasks": list(RenewalTask.objects.order_by("pk").values()),
        "estates": list(Estate.objects.order_by("pk").values("pk", "status", "managed_since")),
        "events": AuditEvent.objects.exclude(event_type__startswith="auth.").count(),  # not the test's logins
    }


def refused(response, field: str = "non_field_errors") -> bool:
    return response.status_code == 400 and field in response.json() and all(response.json()[field])


def new_contract(world, **fields) -> dict:
    body = {"number": "HT-2026-0901", "title": "丽景园前期物业服务合同", "kind": ContractKind.PRELIMINARY,
            "estate": world.estate_a.pk, "party_kind": PartyKind.DEVELOPER, "party_name": "丽景置业有限公司",
            "valid_from": day(-30).isoformat(), "valid_to": day(700).isoformat(), "amount": "360000.00",
            "payment_terms": "按月结算", "owner": world.staff["cs_manager"].pk}
    body.update(fields)
    return body


def test_paths_are_the_published_ones():
    assert reverse(LIST) == "/api/v1/contracts/"
    assert reverse("api:contracts-contract-detail", args=[7]) == "/api/v1/contracts/7/"
    for name in ("submit-review", "pass-review", "return-review", "sign", "terminate", "renew", "files"):
        assert reverse(f"api:contracts-contract-{name}", args=[7]) == f"/api/v1/contracts/7/{name}/"
    assert reverse("api:contracts-takeover-list") == "/api/v1/takeovers/"
    assert reverse("api:estate-takeover-list", kwargs={"estate_pk": 7}) == "/api/v1/estates/7/takeover/"
    assert reverse("api:contracts-renewaltask-list") == "/api/v1/renewal-tasks/"
    assert reverse("api:contracts-reviewchecklistitem-list") == "/api/v1/contract-checklist/"


# --- the life of a contract -------------------------------------------------------------------------------------------


def test_draft_review_sign_and_the_contract_is_in_force(world, client_for):
    manager, executive = client_for("cs_manager", api=True), client_for("executive", api=True)
    created = manager.post(reverse(LIST), new_contract(world), format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["number"], data["status"], data["estate"]) == ("HT-2026-0901", "draft", world.estate_a.pk)
    assert data["signed_on"] is None and data["reviews"] == [] and data["days_left"] == 700
    contract = Contract.objects.get(pk=data["id"])
    assert contract.created_by == world.users["cs_manager"]

    submitted = action(manager, contract, "submit-review")
    assert submitted.status_code == 200, submitted.content
    review = submitted.json()
    points = list(ReviewChecklistItem.objects.filter(is_active=True).values_list("text", flat=True))
    assert review["result"] == "pending" and [c["text"] for c in review["checks"]] == points
    assert all(c["passed"] is None for c in review["checks"])
    assert manager.get(detail(contract)).json()["status"] == "in_review"

    first, *rest = review["checks"]
    answers = {str(first["id"]): {"passed": True, "note": "营业执照已核实"}, **{str(c["id"]): True for c in rest}}
    passed = action(executive, contract, "pass-review", {"checks": answers, "comments": "同意签订"})
    assert passed.status_code == 200, passed.content
    assert passed.json()["status"] == "reviewed"
    decided = passed.json()["reviews"][0]
    assert decided["result"] == "passed" and decided["reviewer"] == world.users["executive"].pk
    assert decided["comments"] == "同意签订" and all(c["passed"] is True for c in decided["checks"])
    assert [c["note"] for c in decided["checks"] if c["id"] == first["id"]] == ["营业执照已核实"]

    sign = action(executive, contract, "sign")
    assert sign.status_code == 200, sign.content
    data = sign.json()
    assert data["status"] == ContractStatus.IN_FORCE and data["signed_on"] == today().isoformat()
    assert data["days_left"] == 700
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_FORCE and contract.signed_on == today()
    events = set(AuditEvent.objects.filter(object_id=str(contract.pk)).values_list("event_type", flat=True))
    assert {"contract.create", "contract.submit_review", "contract.review_passed", "contract.sign"} <= events


def test_a_contract_created_without_a_number_gets_the_next_one(world, client_for):
    body = new_contract(world)
    body.pop("number")
    response = client_for("cs_manager", api=True).post(reverse(LIST), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["number"] == f"HT-{today().year}-0001"


def test_a_draft_changes_freely_then_only_its_owner_terms_and_notes(world, client_for):
    manager = client_for("cs_manager", api=True)
    contract = draft(world)
    changed = manager.patch(detail(contract), {"title": "丽景园前期物业服务合同（修订）", "status": "signed"},
                            format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == "丽景园前期物业服务合同（修订）" and changed.json()["status"] == "draft"
    services.contract_submit_review(actor=world.users["cs_manager"], contract=contract)
    before = snapshot()
    assert refused(manager.patch(detail(contract), {"title": "改名"}, format="json"))
    assert refused(manager.patch(detail(contract), {"valid_to": day(900).isoformat()}, format="json"))
    assert snapshot() == before
    late = manager.patch(detail(contract), {"notes": "对方盖章待寄回"}, format="json")
    assert late.status_code == 200 and late.json()["notes"] == "对方盖章待寄回"
    contract.refresh_from_db()
    assert contract.title == "丽景园前期物业服务合同（修订）" and contract.status == ContractStatus.IN_REVIEW
    # only those who draft may change
    assert client_for("executive", api=True).patch(detail(contract), {"notes": "x"},
                                                   format="json").status_code == 403


def test_a_returned_contract_goes_back_to_draft_and_is_reviewed_again(world, client_for):
    manager, executive = client_for("cs_manager", api=True), client_for("executive", api=True)
    contract = draft(world)
    action(manager, contract, "submit-review")
    before = snapshot()
    assert refused(action(executive, contract, "return-review", {"comments": "  "}), "comments")
    assert snapshot() == before
    checks = all_hold(contract)["checks"]
    point = next(iter(checks))
    returned = action(executive, contract, "return-review", {
        "comments": "付款条件不清", "checks": {point: {"passed": False, "note": "缺少付款节点"}}})
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"] == "draft"
    review = ContractReview.objects.get(contract=contract)
    assert review.result == ReviewResult.FAILED and review.comments == "付款条件不清"
    assert review.checks.get(pk=point).passed is False and review.checks.get(pk=point).note == "缺少付款节点"
    assert action(manager, contract, "submit-review").status_code == 200
    assert action(executive, contract, "pass-review", all_hold(contract)).json()["status"] == "reviewed"
    assert contract.reviews.count() == 2
    assert [r["result"] for r in client_for("quality_auditor", api=True).get(detail(contract)).json()["reviews"]] \
        == ["passed", "failed"]


def test_terminate_needs_a_reason_and_a_date_after_signing(world, client_for):
    executive = client_for("executive", api=True)
    contract = signed(world, kind=ContractKind.CLEANING, signed_on=day(-300))
    before = snapshot()
    assert refused(action(executive, contract, "terminate", {"reason": " "}), "reason")
    assert refused(action(executive, contract, "terminate", {"reason": "协商解除",
                                                             "ended_on": day(-301).isoformat()}), "ended_on")
    assert snapshot() == before
    ended = action(executive, contract, "terminate", {"reason": "服务质量不达标"})
    assert ended.status_code == 200, ended.content
    data = ended.json()
    assert data["status"] == "terminated" and data["ended_on"] == today().isoformat()
    assert data["end_reason"] == "服务质量不达标" and data["days_left"] is None
    # a terminated contract takes no more steps
    assert refused(action(executive, contract, "terminate", {"reason": "再次"}))


# --- refusals: 400, and nothing changed -------------------------------------------------------------------------------


def test_a_contract_cannot_end_before_it_starts(world, client_for):
    manager = client_for("cs_manager", api=True)
    before = snapshot()
    response = manager.post(reverse(LIST), new_contract(world, valid_from=day(10).isoformat(),
                                                        valid_to=day(9).isoformat()), format="json")
    assert refused(response, "valid_to")
    assert snapshot() == before
    contract = draft(world)
    before = snapshot()
    assert refused(manager.patch(detail(contract), {"valid_to": (contract.valid_from - dt.timedelta(days=1))
                                                    .isoformat()}, format="json"), "valid_to")
    assert snapshot() == before


def test_signing_needs_a_passed_review(world, client_for):
    executive = client_for("executive", api=True)
    contract = draft(world)
    before = snapshot()
    assert refused(action(executive, contract, "sign"))
    assert snapshot() == before
    action(client_for("cs_manager", api=True), contract, "submit-review")
    before = snapshot()
    assert refused(action(executive, contract, "sign"))
    assert snapshot() == before
    action(executive, contract, "return-review", {"comments": "条款需修改"})
    before = snapshot()
    assert refused(action(executive, contract, "sign"))
    assert snapshot() == before
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT and contract.signed_on is None
    # reviewed: not signed in the future, nor after the period
    reviewed(world, contract)
    before = snapshot()
    assert refused(action(executive, contract, "sign", {"signed_on": day(1).isoformat()}), "signed_on")
    assert snapshot() == before
    assert action(executive, contract, "sign", {"signed_on": day(-3).isoformat()}).json()["signed_on"] == \
        day(-3).isoformat()


def test_a_review_passes_only_when_every_point_holds(world, client_for):
    executive = client_for("executive", api=True)
    contract = draft(world)
    services.contract_submit_review(actor=world.users["cs_manager"], contract=contract)
    checks = all_hold(contract)["checks"]
    first = next(iter(checks))
    before = snapshot()
    assert refused(action(executive, contract, "pass-review", {"checks": {**checks, first: False}}), "checks")
    assert refused(action(executive, contract, "pass-review", {"checks": {
        **checks, first: {"passed": False, "note": "签约人无授权"}}}), "checks")
    missing = dict(checks)
    del missing[first]
    assert refused(action(executive, contract, "pass-review", {"checks": missing}), "checks")
    assert refused(action(executive, contract, "pass-review", {"checks": {**checks, "999999": True}}), "checks")
    assert refused(action(executive, contract, "pass-review"), "checks")
    assert snapshot() == before
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_REVIEW
    assert set(ReviewCheck.objects.filter(review__contract=contract).values_list("passed", flat=True)) == {None}


def test_the_one_who_drafted_or_submitted_does_not_review(world, client_for):
    admin, executive = client_for("admin", api=True), client_for("executive", api=True)
    # drafted by the administrator (who may also review), submitted by the manager
    created = admin.post(reverse(LIST), new_contract(world), format="json")
    assert created.status_code == 201, created.content
    own = Contract.objects.get(pk=created.json()["id"])
    assert action(client_for("cs_manager", api=True), own, "submit-review").status_code == 200
    before = snapshot()
    assert refused(action(admin, own, "pass-review", all_hold(own)))
    assert refused(action(admin, own, "return-review", {"comments": "自己退回"}))
    assert snapshot() == before
    assert action(executive, own, "pass-review", all_hold(own)).json()["status"] == "reviewed"
    # drafted by the manager, submitted by the administrator
    other = draft(world, kind=ContractKind.CLEANING)
    assert action(admin, other, "submit-review").status_code == 200
    before = snapshot()
    assert refused(action(admin, other, "pass-review", all_hold(other)))
    assert snapshot() == before
    assert action(executive, other, "pass-review", all_hold(other)).status_code == 200


def test_service_contracts_of_one_estate_may_not_overlap(world, client_for):
    manager, executive = client_for("cs_manager", api=True), client_for("executive", api=True)
    first = signed(world, kind=ContractKind.SERVICE, start=day(-365), end=day(365))
    assert first.status == ContractStatus.IN_FORCE
    overlapping = draft(world, kind=ContractKind.SERVICE, start=day(300), end=day(1000))
    before = snapshot()
    assert refused(action(manager, overlapping, "submit-review"), "valid_from")
    assert snapshot() == before
    assert first.number in action(manager, overlapping, "submit-review").json()["valid_from"][0]
    # after the first one ends, and in another estate, a service contract is fine
    after = draft(world, kind=ContractKind.SERVICE, start=day(366), end=day(1000))
    assert action(manager, after, "submit-review").status_code == 200
    elsewhere = draft(world, estate=world.estate_b, kind=ContractKind.SERVICE, start=day(0), end=day(700))
    assert action(manager, elsewhere, "submit-review").status_code == 200
    # two overlapping drafts of estate B both pass review; the second cannot be signed once the first is
    one = reviewed(world, draft(world, estate=world.estate_b, kind=ContractKind.SERVICE, start=day(-10),
                                end=day(700)))
    two = reviewed(world, draft(world, estate=world.estate_b, kind=ContractKind.SERVICE, start=day(100),
                                end=day(800)))
    assert action(executive, one, "sign").status_code == 200
    before = snapshot()
    assert refused(action(executive, two, "sign"), "valid_from")
    assert snapshot() == before
    two.refresh_from_db()
    assert two.status == ContractStatus.REVIEWED and two.signed_on is None


def test_a_renewal_stays_in_its_estate(world, client_for):
    manager = client_for("cs_manager", api=True)
    contract = signed(world, kind=ContractKind.CLEANING, start=day(-300), end=day(64), amount="80000.00")
    before = snapshot()
    assert refused(action(manager, contract, "renew", {"estate": world.estate_b.pk}), "estate")
    assert snapshot() == before
    # a draft is edited, not renewed
    editable = draft(world, kind=ContractKind.GREENING)
    before = snapshot()
    assert refused(action(manager, editable, "renew"))
    assert snapshot() == before
    renewal = action(manager, contract, "renew", {"amount": "85000.00"})
    assert renewal.status_code == 201, renewal.content
    data = renewal.json()
    assert data["renews"] == contract.pk and data["estate"] == world.estate_a.pk and data["status"] == "draft"
    assert data["kind"] == "cleaning" and data["party_name"] == contract.party_name and data["amount"] == "85000.00"
    assert data["valid_from"] == day(65).isoformat()
    assert data["number"] == f"HT-{today().year}-0003"
    assert manager.get(detail(contract)).json()["renewals"] == [data["id"]]


# --- takeovers --------------------------------------------------------------------------------------------------------


def _prepare(estate, kind=EstateKind.NEW_BUILD):
    Estate.objects.filter(pk=estate.pk).update(status=EstateStatus.PREPARING, kind=kind, managed_since=None)
    estate.refresh_from_db()
    return estate


def test_takeover_needs_the_contract_the_rule_names(world, client_for):
    manager = client_for("cs_manager", api=True)
    estate = _prepare(world.estate_a)
    url = reverse("api:estate-takeover-list", kwargs={"estate_pk": estate.pk})
    state = manager.get(url).json()
    assert state["allowed"] is False and state["contract"] is None and state["estate_status"] == "preparing"
    # nothing signed: a draft preliminary contract, a service contract with the committee
    draft(world, kind=ContractKind.PRELIMINARY)
    signed(world, kind=ContractKind.SERVICE)
    before = snapshot()
    assert refused(manager.post(url, {}, format="json"))
    assert refused(manager.post(reverse("api:contracts-takeover-list"), {"estate": estate.pk}, format="json"))
    assert snapshot() == before
    # an existing estate needs a service contract: a preliminary one is not enough
    other = _prepare(world.estate_b, EstateKind.EXISTING)
    signed(world, estate=other, kind=ContractKind.PRELIMINARY)
    before = snapshot()
    assert refused(manager.post(reverse("api:estate-takeover-list", kwargs={"estate_pk": other.pk}), {},
                                format="json"))
    assert snapshot() == before
    # with the preliminary contract in force, only that one, and not in the future
    basis = signed(world, kind=ContractKind.PRELIMINARY, start=day(-20), end=day(700), signed_on=day(-20))
    state = manager.get(url).json()
    assert state["allowed"] is True and state["contract"] == basis.pk and state["contract_number"] == basis.number
    foreign = Contract.objects.get(estate=other, kind=ContractKind.PRELIMINARY)
    before = snapshot()
    assert refused(manager.post(url, {"contract": foreign.pk}, format="json"), "contract")
    assert refused(manager.post(url, {"taken_over_on": day(1).isoformat()}, format="json"), "taken_over_on")
    assert refused(manager.post(url, {"taken_over_on": day(-21).isoformat()}, format="json"), "taken_over_on")
    assert snapshot() == before
    done = manager.post(url, {"taken_over_on": day(-5).isoformat(), "notes": "接管验收完成"}, format="json")
    assert done.status_code == 201, done.content
    assert done.json()["contract"] == basis.pk and done.json()["taken_over_on"] == day(-5).isoformat()
    estate.refresh_from_db()
    assert estate.status == EstateStatus.MANAGED and estate.managed_since == day(-5)
    assert AuditEvent.objects.filter(event_type="estate.takeover", object_id=str(estate.pk)).count() == 1
    state = manager.get(url).json()
    assert state["takeover"] == done.json()["id"] and state["estate_status"] == "managed"
    # once managed, a second takeover is refused
    before = snapshot()
    assert refused(manager.post(url, {}, format="json"))
    assert snapshot() == before
    listed = client_for("quality_auditor", api=True).get(reverse("api:contracts-takeover-list")).json()["results"]
    assert [(t["estate"], t["contract_number"]) for t in listed] == [(estate.pk, basis.number)]


def test_takeover_through_the_takeovers_endpoint(world, client_for):
    estate = _prepare(world.estate_b, EstateKind.EXISTING)
    basis = signed(world, estate=estate, kind=ContractKind.SERVICE)
    response = client_for("cs_manager", api=True).post(reverse("api:contracts-takeover-list"),
                                                        {"estate": estate.pk, "notes": "与业委会签约后接管"},
                                                        format="json")
    assert response.status_code == 201, response.content
    assert response.json()["contract"] == basis.pk and response.json()["taken_over_on"] == today().isoformat()
    estate.refresh_from_db()
    assert estate.status == EstateStatus.MANAGED


# --- renewal with the owners' committee -------------------------------------------------------------------------------


def test_renewal_task_closed_by_the_service_contract_with_the_committee(world, client_for):
    manager, executive = client_for("cs_manager", api=True), client_for("executive", api=True)
    preliminary = signed(world, kind=ContractKind.PRELIMINARY)
    task = services.renewal_open(committee=world.committee_a, actor=world.users["cs_manager"])
    tasks = manager.get(reverse("api:contracts-renewaltask-list"), {"state": "open"}).json()["results"]
    assert [(t["id"], t["contract"], t["committee"]) for t in tasks] == [(task.pk, preliminary.pk,
                                                                         world.committee_a.pk)]
    assert manager.get(reverse("api:contracts-renewaltask-list"), {"state": "done"}).json()["results"] == []
    renewal = action(manager, preliminary, "renew")
    assert renewal.status_code == 201, renewal.content
    data = renewal.json()
    assert (data["kind"], data["party_kind"], data["party_committee"]) == ("service", "committee",
                                                                           world.committee_a.pk)
    assert data["renews"] == preliminary.pk and data["valid_from"] == today().isoformat()
    service = Contract.objects.get(pk=data["id"])
    action(manager, service, "submit-review")
    action(executive, service, "pass-review", all_hold(service))
    assert action(executive, service, "sign").json()["status"] == "in_force"
    preliminary.refresh_from_db()
    assert preliminary.status == ContractStatus.SUPERSEDED and preliminary.ended_on == today()
    closed = manager.get(reverse("api:contracts-renewaltask-detail", args=[task.pk])).json()
    assert closed["state"] == RenewalState.DONE and closed["new_contract"] == service.pk
    assert closed["closed_on"] == today().isoformat()
    # read only: tasks open and close by themselves
    assert manager.post(reverse("api:contracts-renewaltask-list"), {}, format="json").status_code in (403, 405)
    assert RenewalTask.objects.count() == 1


# --- the register's filters -------------------------------------------------------------------------------------------


@pytest.fixture
def register(world):
    """Six contracts: c1 preliminary (A) ends in 20 days; c2 cleaning (B) in force; c3 security (A) draft;
    c4 elevator (B) expired; c5 greening (B) terminated; c6 cleaning (A) ends in 80 days."""
    w = world
    made = {
        "c1": signed(w, kind=ContractKind.PRELIMINARY, start=day(-365), end=day(20)),
        "c2": signed(w, estate=w.estate_b, kind=ContractKind.CLEANING, party_name="乙洁保洁服务公司",
                     start=day(-100), end=day(200), amount="50000.00"),
        "c3": draft(w, kind=ContractKind.SECURITY, party_name="丙安保安服务公司", start=day(10), end=day(375)),
        "c4": signed(w, estate=w.estate_b, kind=ContractKind.ELEVATOR, party_name="丁达电梯工程公司",
                     start=day(-400), end=day(-10), signed_on=day(-400)),
        "c5": signed(w, estate=w.estate_b, kind=ContractKind.GREENING, party_name="戊绿园林公司", start=day(-30),
                     end=day(60)),
        "c6": signed(w, kind=ContractKind.CLEANING, party_name="己净保洁公司", start=day(-10), end=day(80)),
    }
    services.contract_terminate(actor=w.users["executive"], contract=made["c5"], reason="协商解除")
    for item in made.values():
        item.refresh_from_db()
    assert [made[k].status for k in sorted(made)] == ["expiring", "in_force", "draft", "expired", "terminated",
                                                      "expiring"]
    return made


@pytest.mark.parametrize(("query", "expected"), [
    ({}, {"c1", "c2", "c3", "c4", "c5", "c6"}),
    ({"estate": "a"}, {"c1", "c3", "c6"}),
    ({"estate": "b"}, {"c2", "c4", "c5"}),
    ({"kind": "cleaning"}, {"c2", "c6"}),
    ({"status": "in_force"}, {"c2"}),
    ({"status": ["expiring", "expired"]}, {"c1", "c4", "c6"}),
    ({"status": "terminated"}, {"c5"}),
    ({"party": "保洁"}, {"c2", "c6"}),
    ({"party": "电梯"}, {"c4"}),
    ({"party_kind": "developer"}, {"c1"}),
    ({"expiring_within": 0}, set()),
    ({"expiring_within": 30}, {"c1"}),
    ({"expiring_within": 90}, {"c1", "c6"}),
    ({"expiring_within": 365}, {"c1", "c2", "c6"}),
    ({"valid_on": 70}, {"c2", "c6"}),  # signed contracts only: not the draft c3
    ({"valid_on": -5}, {"c1", "c2", "c5", "c6"}),  # c5 was in force then; terminated today
    ({"valid_on": -200}, {"c1", "c4"}),
    ({"estate": "a", "status": "expiring"}, {"c1", "c6"}),
    ({"estate": "b", "expiring_within": 365}, {"c2"}),
])
def test_register_filters(query, expected, world, register, client_for):
    params = dict(query)
    if "estate" in params:
        params["estate"] = (world.estate_a if params["estate"] == "a" else world.estate_b).pk
    if "valid_on" in params:
        params["valid_on"] = day(params["valid_on"]).isoformat()
    response = client_for("quality_auditor", api=True).get(reverse(LIST), params)
    assert response.status_code == 200, response.content
    names = {pk: name for name, pk in ((k, v.pk) for k, v in register.items())}
    assert {names[row["id"]] for row in response.json()["results"]} == expected


def test_register_days_left_and_a_bad_filter(world, register, client_for):
    client = client_for("executive", api=True)
    rows = {row["id"]: row for row in client.get(reverse(LIST)).json()["results"]}
    assert rows[register["c1"].pk]["days_left"] == 20
    assert rows[register["c4"].pk]["days_left"] == -10
    assert rows[register["c5"].pk]["days_left"] is None
    assert rows[register["c6"].pk]["days_left"] == 80
    assert rows[register["c1"].pk]["estate_name"] == world.estate_a.name
    assert client.get(reverse(LIST), {"expiring_within": -1}).status_code == 400
    assert client.get(reverse(LIST), {"status": "nonsense"}).status_code == 400


def test_register_search_finds_counterparty_and_file_text(world, register, client_for):
    client = client_for("cs_manager", api=True)

    def found(q):
        response = client.get(reverse(LIST), {"q": q})
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert found("丁达电梯") == {register["c4"].pk}
    assert found(register["c2"].number) == {register["c2"].pk}
    assert found("每日清扫") == set()
    services.contract_add_file(actor=world.users["cs_manager"], contract=register["c6"],
                               upload=text_file("保洁服务范围：公共区域每日清扫两次。", "保洁合同.txt"))
    assert found("每日清扫") == {register["c6"].pk}


# --- files ------------------------------------------------------------------------------------------------------------


def test_files_are_checked_kept_and_downloaded_with_an_audit(world, client_for):
    manager = client_for("cs_manager", api=True)
    contract = signed(world)
    upload = pdf_file("Signed contract")
    content = upload.read()
    upload.seek(0)
    response = manager.post(reverse("api:contracts-contract-files", args=[contract.pk]), {"file": upload},
                            format="multipart")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["content_type"] == "application/pdf" and data["size"] == len(content)
    assert data["sha256"] == hashlib.sha256(content).hexdigest()
    assert data["download"] == f"http://testserver/contracts/files/{data['id']}/"
    assert [f["id"] for f in manager.get(detail(contract)).json()["files"]] == [data["id"]]
    downloaded = client_for("quality_auditor").get(data["download"])
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content) == content
    assert "attachment" in downloaded["Content-Disposition"]
    event = AuditEvent.objects.get(event_type="contract.download")
    assert event.actor == world.users["quality_auditor"] and event.object_id == str(contract.pk)
    assert event.data["sha256"] == data["sha256"]
    # HTML renamed .pdf is refused and nothing is kept
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = snapshot()
    fake = SimpleUploadedFile("合同.pdf", b"<!doctype html><script>alert(1)</script>", content_type="application/pdf")
    bad = manager.post(reverse("api:contracts-contract-files", args=[contract.pk]), {"file": fake},
                       format="multipart")
    assert bad.status_code == 400
    assert snapshot() == before
    text = manager.post(reverse("api:contracts-contract-files", args=[contract.pk]),
                        {"file": text_file("保洁服务合同正文", "正文.txt")}, format="multipart")
    assert text.status_code == 201 and text.json()["content_type"] == "text/plain"
    assert ContractFile.objects.filter(contract=contract).count() == 2


# --- the checklist, and no DELETE -------------------------------------------------------------------------------------


def test_the_checklist_is_kept_by_top_management_and_used_by_the_next_review(world, client_for):
    executive = client_for("executive", api=True)
    url = reverse("api:contracts-reviewchecklistitem-list")
    assert client_for("cs_manager", api=True).post(url, {"text": "违约责任对等"}, format="json").status_code == 403
    created = executive.post(url, {"text": "违约责任对等", "sort_order": 99}, format="json")
    assert created.status_code == 201, created.content
    retired = ReviewChecklistItem.objects.order_by("sort_order", "pk").first()
    patched = executive.patch(reverse("api:contracts-reviewchecklistitem-detail", args=[retired.pk]),
                              {"is_active": False}, format="json")
    assert patched.status_code == 200 and patched.json()["is_active"] is False
    contract = draft(world)
    review = action(client_for("cs_manager", api=True), contract, "submit-review").json()
    texts = [c["text"] for c in review["checks"]]
    assert texts[-1] == "违约责任对等" and retired.text not in texts
    assert len(texts) == ReviewChecklistItem.objects.filter(is_active=True).count()


def test_an_empty_checklist_stops_submission(world, client_for):
    ReviewChecklistItem.objects.update(is_active=False)
    contract = draft(world)
    before = snapshot()
    assert refused(action(client_for("cs_manager", api=True), contract, "submit-review"))
    assert snapshot() == before


@pytest.mark.parametrize("name", ["api:contracts-contract-detail", "api:contracts-takeover-detail",
                                  "api:contracts-renewaltask-detail", "api:contracts-reviewchecklistitem-detail"])
def test_nothing_is_deleted(world, client_for, name):
    assert client_for("admin", api=True).delete(reverse(name, args=[1])).status_code == 405
