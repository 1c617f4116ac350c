"""The contract services: the review before signing, the takeover rules of seed 2.10/2.11 both ways, the
committee-renewal chain, dates and expiry alerts (idempotent), and bad input refused with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from wuye.contracts import selectors, services
from wuye.contracts.choices import ContractKind, ContractStatus, PartyKind, RenewalState
from wuye.contracts.models import Contract, ContractAlert, ContractReview, RenewalTask, Takeover
from wuye.core.models import AuditEvent, Notification
from wuye.estates.choices import CommitteeStatus, EstateKind, EstateStatus
from wuye.estates.services import committee_create, committee_end

from .factories import draft, reviewed, signed, today

pytestmark = pytest.mark.django_db


def _preparing(estate, kind=EstateKind.NEW_BUILD):
    estate.kind = kind
    estate.status = EstateStatus.PREPARING
    estate.managed_since = None
    estate.save()
    return estate


def _no_committee(world, estate):
    for committee in estate.committees.filter(status=CommitteeStatus.ACTIVE):
        committee_end(actor=world.users["cs_manager"], committee=committee, ended_on=committee.term_start)


def _snapshot():
    return (list(Contract.objects.order_by("pk").values_list("pk", "status", "signed_on", "valid_from", "valid_to",
                                                            "ended_on")),
            ContractReview.objects.count(), Takeover.objects.count(), RenewalTask.objects.count())


# --- review and signing ---------------------------------------------------------------------------------------


def test_numbering_and_draft(world):
    first = draft(world)
    second = draft(world, kind=ContractKind.CLEANING, estate=world.estate_b)
    year = today().year
    assert first.number == f"HT-{year}-0001" and second.number == f"HT-{year}-0002"
    assert first.status == ContractStatus.DRAFT and first.party_name == "测试开发建设有限公司"
    committee_contract = draft(world, kind=ContractKind.SERVICE, start=today() + dt.timedelta(days=400))
    assert committee_contract.party_name == str(world.committee_a)


def test_review_copies_the_checklist_and_passes_only_when_every_point_holds(world):
    contract = draft(world)
    review = services.contract_submit_review(actor=world.users["cs_manager"], contract=contract)
    checks = list(review.checks.all())
    assert len(checks) == 5 and all(c.passed is None for c in checks)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_REVIEW
    executive = world.users["executive"]
    answers = {c.pk: True for c in checks}
    answers[checks[2].pk] = {"passed": False, "note": "授权书未见"}
    with pytest.raises(ValidationError) as exc:
        services.contract_pass_review(actor=executive, contract=contract, checks=answers)
    assert checks[2].text in str(exc.value)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_REVIEW
    assert review.checks.filter(passed__isnull=False).count() == 0  # nothing kept of the refused decision
    services.contract_pass_review(actor=executive, contract=contract, checks={c.pk: True for c in checks},
                                  comments="同意签署")
    contract.refresh_from_db()
    review.refresh_from_db()
    assert contract.status == ContractStatus.REVIEWED
    assert review.result == "passed" and review.reviewer == executive and review.comments == "同意签署"
    assert AuditEvent.objects.filter(event_type="contract.review_passed", object_id=str(contract.pk)).exists()


def test_a_returned_review_goes_back_to_draft_and_a_new_round_starts(world):
    contract = draft(world)
    services.contract_submit_review(actor=world.users["cs_manager"], contract=contract)
    with pytest.raises(ValidationError):
        services.contract_return_review(actor=world.users["executive"], contract=contract, comments="  ")
    services.contract_return_review(actor=world.users["executive"], contract=contract, comments="期限写错")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT
    services.contract_update(actor=world.users["cs_manager"], contract=contract,
                             valid_to=contract.valid_from + dt.timedelta(days=700))
    services.contract_submit_review(actor=world.users["cs_manager"], contract=contract)
    assert list(contract.reviews.order_by("id").values_list("result", flat=True)) == ["failed", "pending"]


def test_the_drafter_does_not_review_their_own_contract(world):
    contract = draft(world, actor=world.users["admin"])  # the admin may both draft and review
    services.contract_submit_review(actor=world.users["cs_manager"], contract=contract)
    review = contract.reviews.get()
    with pytest.raises(ValidationError):
        services.contract_pass_review(actor=world.users["admin"], contract=contract,
                                      checks={c.pk: True for c in review.checks.all()})
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_REVIEW


def test_no_signing_without_a_passed_review(world):
    contract = draft(world)
    before = _snapshot()
    with pytest.raises(ValidationError):
        services.contract_sign(actor=world.users["executive"], contract=contract)
    services.contract_submit_review(actor=world.users["cs_manager"], contract=contract)
    with pytest.raises(ValidationError):
        services.contract_sign(actor=world.users["executive"], contract=contract)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_REVIEW and contract.signed_on is None
    assert _snapshot()[0] == [(contract.pk, ContractStatus.IN_REVIEW, None, contract.valid_from, contract.valid_to,
                               None)]
    assert before[1] + 1 == _snapshot()[1]


def test_signing_needs_the_permission(world):
    contract = reviewed(world, draft(world))
    with pytest.raises(PermissionDenied):
        services.contract_sign(actor=world.users["cs_manager"], contract=contract)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.REVIEWED


@pytest.mark.parametrize(("start", "end", "status"), [
    (-365, 600, ContractStatus.IN_FORCE),
    (-365, 45, ContractStatus.EXPIRING),
    (10, 700, ContractStatus.SIGNED),
])
def test_signing_sets_the_status_the_dates_call_for(world, start, end, status):
    contract = signed(world, start=today() + dt.timedelta(days=start), end=today() + dt.timedelta(days=end),
                      kind=ContractKind.CLEANING)
    assert contract.status == status and contract.signed_on == today()


def test_end_before_start_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        draft(world, start=today(), end=today() - dt.timedelta(days=1))
    assert "valid_to" in exc.value.message_dict
    assert Contract.objects.count() == 0


def test_a_management_contract_names_its_estate_and_the_right_party(world):
    with pytest.raises(ValidationError) as exc:
        services.contract_create(actor=world.users["cs_manager"], kind=ContractKind.SERVICE, estate=None,
                                 party_kind=PartyKind.COMMITTEE, party_name="x", valid_from=today(),
                                 valid_to=today() + dt.timedelta(days=10), title="t")
    assert "estate" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        draft(world, kind=ContractKind.PRELIMINARY, party_kind=PartyKind.SUPPLIER)
    assert "party_kind" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        draft(world, kind=ContractKind.SERVICE, party_kind=PartyKind.COMMITTEE, party_committee=world.committee_b)
    assert "party_committee" in exc.value.message_dict
    assert Contract.objects.count() == 0


def test_overlapping_service_contracts_for_one_estate_are_refused(world):
    # both reviewed while neither is signed; the second to be signed overlaps the first
    first = reviewed(world, draft(world, kind=ContractKind.SERVICE, start=today() - dt.timedelta(days=100),
                                  end=today() + dt.timedelta(days=600)))
    second = reviewed(world, draft(world, kind=ContractKind.SERVICE, start=today() + dt.timedelta(days=300),
                                   end=today() + dt.timedelta(days=1000)))
    services.contract_sign(actor=world.users["executive"], contract=first)
    with pytest.raises(ValidationError) as exc:
        services.contract_sign(actor=world.users["executive"], contract=second)
    assert first.number in str(exc.value)
    second.refresh_from_db()
    assert second.status == ContractStatus.REVIEWED and second.signed_on is None
    # a third one is refused already when it is sent to review
    third = draft(world, kind=ContractKind.SERVICE, start=today(), end=today() + dt.timedelta(days=30))
    with pytest.raises(ValidationError):
        services.contract_submit_review(actor=world.users["cs_manager"], contract=third)
    third.refresh_from_db()
    assert third.status == ContractStatus.DRAFT and not third.reviews.exists()
    # the same period at another estate is no overlap; after the first one ends, the second may be signed
    other = signed(world, kind=ContractKind.SERVICE, estate=world.estate_b, start=today() - dt.timedelta(days=100),
                   end=today() + dt.timedelta(days=600))
    assert other.status == ContractStatus.IN_FORCE
    services.contract_terminate(actor=world.users["executive"], contract=first, reason="提前解约")
    services.contract_sign(actor=world.users["executive"], contract=second)
    second.refresh_from_db()
    assert second.status == ContractStatus.SIGNED


def test_terminate_needs_a_reason_and_keeps_the_contract(world):
    contract = signed(world, kind=ContractKind.SECURITY)
    with pytest.raises(ValidationError):
        services.contract_terminate(actor=world.users["executive"], contract=contract, reason="")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_FORCE
    services.contract_terminate(actor=world.users["executive"], contract=contract, reason="服务质量不达标")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED and contract.ended_on == today()
    assert contract.days_left() is None
    with pytest.raises(ValidationError):
        services.contract_terminate(actor=world.users["executive"], contract=contract, reason="again")


def test_only_a_draft_is_edited_in_full(world):
    contract = reviewed(world, draft(world))
    with pytest.raises(ValidationError):
        services.contract_update(actor=world.users["cs_manager"], contract=contract, title="改了标题")
    services.contract_update(actor=world.users["cs_manager"], contract=contract, notes="原件在档案室")
    contract.refresh_from_db()
    assert contract.title != "改了标题" and contract.notes == "原件在档案室"


# --- takeovers (seed 2.10, 2.11) -------------------------------------------------------------------------------


def test_new_build_takeover_needs_a_preliminary_contract_in_force(world):
    estate = _preparing(world.estate_a, EstateKind.NEW_BUILD)
    manager = world.users["cs_manager"]
    with pytest.raises(ValidationError) as exc:
        services.takeover_record(actor=manager, estate=estate)
    assert "2.10" in str(exc.value)
    # a service contract does not do for a new-build estate, nor a preliminary one not yet signed
    signed(world, kind=ContractKind.SERVICE)
    pending = reviewed(world, draft(world, kind=ContractKind.PRELIMINARY))
    with pytest.raises(ValidationError):
        services.takeover_record(actor=manager, estate=estate)
    estate.refresh_from_db()
    assert estate.status == EstateStatus.PREPARING and Takeover.objects.count() == 0
    services.contract_sign(actor=world.users["executive"], contract=pending)
    takeover = services.takeover_record(actor=manager, estate=estate, taken_over_on=today())
    estate.refresh_from_db()
    assert takeover.contract == pending and estate.status == EstateStatus.MANAGED
    assert estate.managed_since == today()
    with pytest.raises(ValidationError):  # once
        services.takeover_record(actor=manager, estate=estate)
    assert Takeover.objects.count() == 1


def test_existing_estate_takeover_needs_a_service_contract_in_force(world):
    estate = _preparing(world.estate_a, EstateKind.EXISTING)
    manager = world.users["cs_manager"]
    signed(world, kind=ContractKind.PRELIMINARY)  # not enough for an existing estate
    with pytest.raises(ValidationError) as exc:
        services.takeover_record(actor=manager, estate=estate)
    assert "2.11" in str(exc.value)
    future = signed(world, kind=ContractKind.SERVICE, start=today() + dt.timedelta(days=5),
                    end=today() + dt.timedelta(days=800))
    assert future.status == ContractStatus.SIGNED  # signed, but not in force yet
    with pytest.raises(ValidationError):
        services.takeover_record(actor=manager, estate=estate)
    assert Takeover.objects.count() == 0
    # signed with the owners' committee and in force today: allowed
    services.contract_terminate(actor=world.users["executive"], contract=future, reason="日期有误，重签")
    current = signed(world, kind=ContractKind.SERVICE, start=today() - dt.timedelta(days=1),
                     end=today() + dt.timedelta(days=800))
    assert current.status == ContractStatus.IN_FORCE and current.party_kind == PartyKind.COMMITTEE
    takeover = services.takeover_record(actor=manager, estate=estate)
    assert takeover.contract == current


def test_takeover_with_an_expired_or_terminated_contract_is_refused(world):
    estate = _preparing(world.estate_a)
    contract = signed(world)
    services.contract_terminate(actor=world.users["executive"], contract=contract, reason="开发商更换")
    with pytest.raises(ValidationError):
        services.takeover_record(actor=world.users["cs_manager"], estate=estate)
    estate.refresh_from_db()
    assert estate.status == EstateStatus.PREPARING


def test_takeover_naming_a_contract_that_does_not_qualify(world):
    estate = _preparing(world.estate_a)
    good = signed(world)
    cleaning = signed(world, kind=ContractKind.CLEANING)
    with pytest.raises(ValidationError) as exc:
        services.takeover_record(actor=world.users["cs_manager"], estate=estate, contract=cleaning)
    assert "contract" in exc.value.message_dict
    assert services.takeover_record(actor=world.users["cs_manager"], estate=estate, contract=good).contract == good


def test_takeover_needs_the_permission_and_the_estate_in_scope(world):
    estate = _preparing(world.estate_a)
    signed(world)
    with pytest.raises(PermissionDenied):
        services.takeover_record(actor=world.users["agent"], estate=estate)
    with pytest.raises(PermissionDenied):
        services.takeover_record(actor=world.users["executive"], estate=estate)  # reviews and signs, no takeover
    assert Takeover.objects.count() == 0


# --- the committee-renewal chain (seed 2.10) --------------------------------------------------------------------


def test_the_committee_renewal_chain_end_to_end(world):
    estate = world.estate_a
    _no_committee(world, estate)
    manager = world.users["cs_manager"]
    preliminary = signed(world, kind=ContractKind.PRELIMINARY, start=today() - dt.timedelta(days=700),
                         end=today() + dt.timedelta(days=700))
    assert RenewalTask.objects.count() == 0
    # the owners' committee is formed: a renewal task is opened, the manager is told
    committee = committee_create(actor=manager, estate=estate, established_on=today(), term_start=today(),
                                 term_end=today() + dt.timedelta(days=5 * 365))
    task = RenewalTask.objects.get()
    assert task.state == RenewalState.OPEN and task.contract == preliminary and task.committee == committee
    assert Notification.objects.filter(recipient=manager, key=f"contract:renewal:{task.pk}").exists()
    assert list(selectors.open_renewals(manager)) == [task]
    # renewing the preliminary contract proposes a service contract with the committee
    service = services.contract_renew(actor=manager, contract=preliminary,
                                      valid_from=today() + dt.timedelta(days=30),
                                      valid_to=today() + dt.timedelta(days=30 + 3 * 365))
    assert service.kind == ContractKind.SERVICE and service.party_committee == committee
    assert service.renews == preliminary and service.estate == estate
    signed(world, service)
    service.refresh_from_db()
    preliminary.refresh_from_db()
    task.refresh_from_db()
    assert service.status == ContractStatus.SIGNED  # not yet in force: the preliminary still runs
    assert preliminary.status == ContractStatus.IN_FORCE and task.state == RenewalState.OPEN
    services.refresh(today=today() + dt.timedelta(days=29))
    preliminary.refresh_from_db()
    assert preliminary.status == ContractStatus.IN_FORCE
    # the day the service contract takes effect, the preliminary one is superseded and the task done
    services.refresh(today=today() + dt.timedelta(days=30))
    service.refresh_from_db()
    preliminary.refresh_from_db()
    task.refresh_from_db()
    assert service.status == ContractStatus.IN_FORCE
    assert preliminary.status == ContractStatus.SUPERSEDED
    assert preliminary.ended_on == today() + dt.timedelta(days=30) and service.number in preliminary.end_reason
    assert task.state == RenewalState.DONE and task.new_contract == service
    assert task.closed_on == today() + dt.timedelta(days=30)
    assert list(selectors.open_renewals(manager)) == []


def test_no_renewal_task_without_a_preliminary_contract_or_twice(world):
    estate = world.estate_b
    _no_committee(world, estate)
    committee_create(actor=world.users["cs_manager"], estate=estate, established_on=today(), term_start=today(),
                     term_end=today() + dt.timedelta(days=1000))
    assert RenewalTask.objects.count() == 0
    # the daily job opens it for a committee formed before the preliminary contract was recorded …
    signed(world, estate=estate, kind=ContractKind.PRELIMINARY)
    assert services.refresh()["renewals"] == 1
    # … once
    assert services.refresh()["renewals"] == 0
    assert RenewalTask.objects.filter(estate=estate, state=RenewalState.OPEN).count() == 1


def test_a_renewal_from_another_estate_is_refused(world):
    contract = signed(world, kind=ContractKind.CLEANING)
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.contract_renew(actor=world.users["cs_manager"], contract=contract, estate=world.estate_b)
    assert "estate" in exc.value.message_dict
    with pytest.raises(ValidationError):
        draft(world, estate=world.estate_b, kind=ContractKind.CLEANING, renews=contract)
    assert _snapshot() == before


def test_a_draft_is_not_renewed(world):
    contract = draft(world)
    with pytest.raises(ValidationError):
        services.contract_renew(actor=world.users["cs_manager"], contract=contract)
    assert Contract.objects.count() == 1


def test_renewal_task_cancel(world):
    estate = world.estate_a
    _no_committee(world, estate)
    signed(world)
    committee_create(actor=world.users["cs_manager"], estate=estate, established_on=today(), term_start=today(),
                     term_end=today() + dt.timedelta(days=1000))
    task = RenewalTask.objects.get()
    with pytest.raises(ValidationError):
        services.renewal_cancel(actor=world.users["cs_manager"], task=task, reason="")
    services.renewal_cancel(actor=world.users["cs_manager"], task=task, reason="业委会备案未通过")
    task.refresh_from_db()
    assert task.state == RenewalState.CANCELLED and task.closed_on == today()


# --- dates and alerts ----------------------------------------------------------------------------------------------


def test_statuses_move_by_date(world):
    contract = signed(world, kind=ContractKind.GREENING, start=today() - dt.timedelta(days=10),
                      end=today() + dt.timedelta(days=200))
    assert contract.status == ContractStatus.IN_FORCE
    services.refresh(today=today() + dt.timedelta(days=110))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.EXPIRING  # 90 days left
    services.refresh(today=today() + dt.timedelta(days=201))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.EXPIRED and contract.days_left(today() + dt.timedelta(days=201)) == -1


def test_expiry_alerts_are_sent_once_per_threshold_however_often_the_job_runs(world):
    manager, executive = world.users["cs_manager"], world.users["executive"]
    contract = signed(world, kind=ContractKind.ELEVATOR, start=today() - dt.timedelta(days=300),
                      end=today() + dt.timedelta(days=200))
    key = f"contract:{contract.pk}:expiry:"
    for day in range(0, 200, 7):
        services.refresh(today=today() + dt.timedelta(days=day))
        services.refresh(today=today() + dt.timedelta(days=day))
    call_command("contracts_refresh", date=(today() + dt.timedelta(days=199)).isoformat())
    assert sorted(contract.alerts.values_list("days_before", flat=True)) == [30, 60, 90]
    # the contract's owner (the manager) and every holder of receive_contract_alerts: one per threshold
    for user in (manager, executive):
        keys = sorted(Notification.objects.filter(recipient=user, key__startswith=key).values_list("key", flat=True))
        assert keys == [f"{key}30", f"{key}60", f"{key}90"]
    assert not Notification.objects.filter(recipient=world.users["agent"], key__startswith=key).exists()


def test_a_late_contract_gets_only_the_nearest_alert(world):
    contract = signed(world, kind=ContractKind.CLEANING, start=today() - dt.timedelta(days=300),
                      end=today() + dt.timedelta(days=45))
    counts = services.refresh()
    assert counts["alerts"] >= 1
    alerts = {a.days_before: a.recipients for a in ContractAlert.objects.filter(contract=contract)}
    assert set(alerts) == {90, 60}
    assert alerts[60] >= 1 and alerts[90] == 0
    key = f"contract:{contract.pk}:expiry:"
    assert set(Notification.objects.filter(key__startswith=key).values_list("key", flat=True)) == {f"{key}60"}
    assert services.refresh()["alerts"] == 0


def test_alert_days_are_configurable(world, settings):
    settings.WUYE_CONTRACT_ALERT_DAYS = (14, 7)
    contract = signed(world, kind=ContractKind.CLEANING, start=today() - dt.timedelta(days=300),
                      end=today() + dt.timedelta(days=20))
    assert contract.status == ContractStatus.IN_FORCE  # 20 days left, the largest threshold is 14
    services.refresh(today=today() + dt.timedelta(days=6))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.EXPIRING
    assert list(contract.alerts.values_list("days_before", flat=True)) == [14]


# --- the register's figures --------------------------------------------------------------------------------------


def test_register_figures_checked_independently(world):
    from decimal import Decimal

    made = [
        signed(world, kind=ContractKind.CLEANING, start=today() - dt.timedelta(days=300),
               end=today() + dt.timedelta(days=20), amount=Decimal("120000.00")),
        signed(world, kind=ContractKind.SECURITY, start=today() - dt.timedelta(days=300),
               end=today() + dt.timedelta(days=50), amount=Decimal("360000.50")),
        signed(world, kind=ContractKind.GREENING, start=today() - dt.timedelta(days=300),
               end=today() + dt.timedelta(days=80), amount=None),
        signed(world, kind=ContractKind.ELEVATOR, start=today() - dt.timedelta(days=30),
               end=today() + dt.timedelta(days=700), amount=Decimal("88000")),
        signed(world, kind=ContractKind.OTHER, estate=world.estate_b, start=today() + dt.timedelta(days=3),
               end=today() + dt.timedelta(days=40), amount=Decimal("1000")),
        draft(world, kind=ContractKind.CLEANING, amount=Decimal("5")),
    ]
    services.contract_terminate(actor=world.users["executive"], contract=made[3], reason="x")
    services.refresh()
    rows = [(c.status, c.valid_to, c.amount) for c in Contract.objects.all()]
    in_force = [r for r in rows if r[0] in ("in_force", "expiring")]
    live = [r for r in rows if r[0] in ("signed", "in_force", "expiring")]
    figures = selectors.summary(selectors.register(world.users["cs_manager"]))
    assert figures["total"] == len(rows) == 6
    assert figures["in_force"] == len(in_force) == 3
    assert figures["in_force_amount"] == sum((r[2] or 0) for r in in_force) == Decimal("480000.50")
    for days in (30, 60, 90):
        expected = sum(1 for r in live if 0 <= (r[1] - today()).days <= days)
        assert figures[f"within_{days}"] == expected
    assert (figures["within_30"], figures["within_60"], figures["within_90"]) == (1, 3, 4)
    assert {s: n for s, _label, n in figures["by_status"]}["terminated"] == 1


def test_register_is_restricted_to_the_estates_served(world):
    from django.contrib.auth.models import Permission

    from wuye.org.tests.factories import StaffFactory, UserFactory

    signed(world, kind=ContractKind.CLEANING)
    signed(world, kind=ContractKind.CLEANING, estate=world.estate_b)
    # a manager of one estate: the contract permissions, not core.view_all_estates
    user = UserFactory(username="estate_manager", roles=[])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="contracts",
                                                         codename__in=["view_contract", "sign_contract"]))
    StaffFactory(user=user, post=world.post, estates=[world.estate_a])
    user = type(user).objects.get(pk=user.pk)
    assert not user.has_perm("core.view_all_estates")
    assert set(selectors.register(user).values_list("estate", flat=True)) == {world.estate_a.pk}
    other = Contract.objects.get(estate=world.estate_b)
    with pytest.raises(PermissionDenied):
        services.contract_terminate(actor=user, contract=other, reason="x")
    other.refresh_from_db()
    assert other.status == ContractStatus.IN_FORCE


def test_a_past_takeover_is_recorded_on_the_contract_in_force_that_day(world):
    """An estate managed since before the system gets its takeover on record afterwards, on the same rule: the
    contract signed and in force on the takeover day (the preliminary one since superseded is fine)."""
    estate = world.estate_a  # managed, new-build, no takeover on record
    manager = world.users["cs_manager"]
    on = today() - dt.timedelta(days=300)
    late = signed(world, start=today() - dt.timedelta(days=400), end=today() + dt.timedelta(days=400))
    with pytest.raises(ValidationError) as exc:  # signed today: not yet signed on the takeover day
        services.takeover_record(actor=manager, estate=estate, taken_over_on=on)
    assert "taken_over_on" in exc.value.message_dict
    services.contract_terminate(actor=world.users["executive"], contract=late, reason="录入有误",
                                ended_on=today())
    earlier = signed(world, start=today() - dt.timedelta(days=400), end=today() - dt.timedelta(days=1),
                     signed_on=today() - dt.timedelta(days=410))
    assert earlier.status == ContractStatus.EXPIRED  # over by now, but in force on the takeover day
    takeover = services.takeover_record(actor=manager, estate=estate, taken_over_on=on)
    estate.refresh_from_db()
    assert takeover.contract == earlier and estate.managed_since == on and estate.status == EstateStatus.MANAGED
    with pytest.raises(ValidationError):  # now on record: once
        services.takeover_record(actor=manager, estate=estate, taken_over_on=on)
    assert Takeover.objects.count() == 1


def test_expiry_alerts_are_mailed_to_those_with_an_address(world, mailoutbox, django_capture_on_commit_callbacks):
    manager = world.users["cs_manager"]
    manager.email = "manager@example.com"
    manager.save()
    signed(world, kind=ContractKind.CLEANING, start=today() - dt.timedelta(days=300),
           end=today() + dt.timedelta(days=25))
    with django_capture_on_commit_callbacks(execute=True):
        services.refresh(email=False)
    assert mailoutbox == [] and Notification.objects.filter(recipient=manager).exists()
    ContractAlert.objects.all().delete()
    Notification.objects.filter(key__contains=":expiry:").delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.refresh()
    assert [m.to for m in mailoutbox] == [["manager@example.com"]]
    assert "HT-" in mailoutbox[0].subject
