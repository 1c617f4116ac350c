"""Demo contracts (made through the services by the demo users, idempotent): every status, the takeovers, the
renewal chain open and done, the estate still to take over, contracts ending within 30/60/90 days and their
alerts."""

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from wuye.contracts import selectors, services
from wuye.contracts.choices import ContractKind, ContractStatus, PartyKind, RenewalState, ReviewResult
from wuye.contracts.models import Contract, ContractAlert, ContractFile, RenewalTask, Takeover
from wuye.core import search
from wuye.core.models import AuditEvent, Notification
from wuye.estates.choices import CommitteeStatus, EstateKind, EstateStatus
from wuye.estates.models import Estate

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed}


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_contracts_tell_the_story_and_a_second_load_changes_nothing():
    first = _load()
    assert "contracts: 25 contracts (25 made now), 4 takeovers recorded now, 1 open renewal tasks" in first
    before = _counts()
    again = _load()
    assert "contracts: 25 contracts (0 made now), 0 takeovers recorded now" in again
    assert "0 expiry alerts sent" in again
    assert _counts() == before, "a second load_demo changed the number of rows of some model"

    today = timezone.localdate()
    contracts = Contract.objects.all()
    # every status and every kind but "other"
    assert set(contracts.values_list("status", flat=True)) == set(ContractStatus.values)
    assert set(contracts.values_list("kind", flat=True)) == set(ContractKind.values) - {ContractKind.OTHER}
    by_status = {s: contracts.filter(status=s).count() for s in ContractStatus.values}
    assert by_status == {"draft": 1, "in_review": 1, "reviewed": 1, "signed": 1, "in_force": 13, "expiring": 5,
                         "expired": 1, "terminated": 1, "superseded": 1}
    assert len(set(contracts.values_list("number", flat=True))) == 25

    # takeovers: each managed estate on the contract its rule requires (seed 2.10 new-build, 2.11 existing)
    managed = Estate.objects.filter(status=EstateStatus.MANAGED)
    assert managed.count() == 4 and Takeover.objects.count() == 4
    for estate in managed:
        takeover = estate.takeovers.get()
        assert takeover.taken_over_on == estate.managed_since >= takeover.contract.valid_from
        if estate.kind == EstateKind.NEW_BUILD:
            assert takeover.contract.kind == ContractKind.PRELIMINARY
            assert takeover.contract.party_kind == PartyKind.DEVELOPER
        else:
            assert takeover.contract.kind == ContractKind.SERVICE
            assert takeover.contract.party_kind == PartyKind.COMMITTEE
    assert {e.code: str(e.managed_since) for e in managed} == {
        "yqya": "2025-05-01", "jghy": "2019-03-01", "qtmzy": "2021-07-01", "yhjt": "2022-03-01"}

    # the estate still to take over: 新建, a signed preliminary contract in force, the button on its page
    preparing = Estate.objects.get(status=EstateStatus.PREPARING)
    assert preparing.kind == EstateKind.NEW_BUILD and not preparing.takeovers.exists()
    basis, rule = services.takeover_basis(preparing)
    assert basis is not None and basis.kind == ContractKind.PRELIMINARY and rule == ""
    client = Client()
    client.force_login(User.objects.get(username="cs_manager"))
    page = client.get(preparing.get_absolute_url())
    assert page.status_code == 200 and b"record-takeover" in page.content
    assert client.get(f"/contracts/estates/{preparing.pk}/takeover/").status_code == 200

    # the renewal chain, open: 云栖雅苑's committee formed, preliminary contract in force, service contract in review
    yqya = Estate.objects.get(code="yqya")
    task = RenewalTask.objects.get(state=RenewalState.OPEN)
    assert task.estate == yqya and task.committee.status == CommitteeStatus.ACTIVE
    assert task.contract.kind == ContractKind.PRELIMINARY and task.contract.status == ContractStatus.IN_FORCE
    assert task.opened_on == task.committee.established_on
    service = Contract.objects.get(estate=yqya, kind=ContractKind.SERVICE)
    assert service.status == ContractStatus.IN_REVIEW and service.renews == task.contract
    assert service.party_committee == task.committee
    rounds = list(service.reviews.order_by("submitted_at"))
    assert [r.result for r in rounds] == [ReviewResult.FAILED, ReviewResult.PENDING]
    assert rounds[0].comments and rounds[0].checks.filter(passed=False).count() == 2

    # ... and done: 运河锦庭's service contract took effect, the preliminary one is superseded, the task done
    yhjt = Estate.objects.get(code="yhjt")
    done = RenewalTask.objects.get(state=RenewalState.DONE)
    assert done.estate == yhjt and done.new_contract.status == ContractStatus.IN_FORCE
    preliminary = Contract.objects.get(estate=yhjt, kind=ContractKind.PRELIMINARY)
    assert preliminary.status == ContractStatus.SUPERSEDED and done.new_contract.renews == preliminary
    assert preliminary.ended_on == done.new_contract.valid_from and done.new_contract.number in preliminary.end_reason
    # the existing estates run on their service contracts with the owners' committee
    for code in ("jghy", "qtmzy"):
        assert Contract.objects.filter(estate__code=code, kind=ContractKind.SERVICE,
                                       status=ContractStatus.IN_FORCE, party_kind=PartyKind.COMMITTEE).exists()

    # outsourcing: ends within 30, 60 and 90 days, the alerts of the daily job, the register's figures
    figures = selectors.summary(contracts, today)
    assert (figures["within_30"], figures["within_60"], figures["within_90"]) == (2, 3, 5)
    assert figures["in_force"] == 18 and figures["in_force_amount"] > 0
    expiring = contracts.filter(status=ContractStatus.EXPIRING)
    assert all(c.kind not in (ContractKind.PRELIMINARY, ContractKind.SERVICE) for c in expiring)
    assert ContractAlert.objects.count() == 10
    for contract in expiring:
        nearest = min(d for d in services.alert_days() if (contract.valid_to - today).days <= d)
        assert Notification.objects.filter(recipient__username="cs_manager",
                                           key=f"contract:{contract.pk}:expiry:{nearest}").exists()
    terminated = contracts.get(status=ContractStatus.TERMINATED)
    assert terminated.ended_on < today and terminated.end_reason and terminated.renewals.get().status == "in_force"
    assert contracts.get(status=ContractStatus.EXPIRED).renewals.get().status == ContractStatus.IN_FORCE
    signed = contracts.get(status=ContractStatus.SIGNED)
    assert signed.valid_from > today and signed.renews.status == ContractStatus.EXPIRING
    assert contracts.get(status=ContractStatus.REVIEWED).renews.valid_to - today <= dt.timedelta(days=30)
    assert contracts.get(status=ContractStatus.DRAFT).estate == preparing

    # made as a user would: drafted by the manager, signed by top management; files kept and searchable
    assert not AuditEvent.objects.filter(event_type="contract.create").exclude(actor__username="cs_manager").exists()
    assert AuditEvent.objects.filter(event_type="contract.sign", actor__username="executive").count() == 22
    assert AuditEvent.objects.filter(event_type="estate.takeover", actor__username="cs_manager").count() == 4
    assert ContractFile.objects.filter(text__contains="承接查验").exists()
    assert search.filter_queryset(contracts, "云栖置业").filter(estate=yqya).exists()
    # the register page shows them to the manager
    register = client.get("/contracts/", {"expiring_within": 30})
    assert register.status_code == 200 and "钱塘明珠苑绿化养护合同" in register.content.decode()
