"""Corrective actions: raising from every source, the state machine per role, the refusals (verifying one's own
action, closing without verification), the overdue reminders."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from wuye.core.models import AuditEvent, Notification
from wuye.documents.tests.factories import text_file
from wuye.org.choices import StaffStatus
from wuye.org.tests.factories import StaffFactory, UserFactory
from wuye.quality.choices import ActionSource, ActionState, FindingGrade
from wuye.quality.models import CorrectiveAction, QualityFile
from wuye.quality.services import actions as services
from wuye.quality.services.files import files_of
from wuye.tickets.choices import TicketKind
from wuye.tickets.tests.factories import make_ticket

from .factories_actions import advance, day, in_state, make_finding, raised

ROLES = ("agent", "cs_manager", "document_controller", "quality_auditor", "executive", "resident", "admin")


def fresh(action):
    return CorrectiveAction.objects.get(pk=action.pk)


# --- raising ----------------------------------------------------------------------------------------------------------


def test_raise_by_hand_numbers_and_audits(world):
    first = raised(world)
    second = raised(world, title="保洁不到位")
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"CA-{year}-001", f"CA-{year}-002")
    assert first.state == ActionState.DRAFT and first.source == ActionSource.MANUAL
    assert AuditEvent.objects.filter(event_type="corrective_action.raise", object_id=str(first.pk)).exists()


@pytest.mark.parametrize("role", ROLES)
def test_raise_needs_the_add_permission(world, role):
    allowed = role in ("cs_manager", "quality_auditor", "admin")
    if allowed:
        assert raised(world, actor=role).pk
    else:
        with pytest.raises(PermissionDenied):
            raised(world, actor=role)
        assert not CorrectiveAction.objects.exists()


def test_raise_from_a_finding_copies_it_once(world):
    other_department = StaffFactory().department
    finding = make_finding(world, grade=FindingGrade.MAJOR, estate=world.estate_b, department=other_department)
    action = services.corrective_action_raise(actor=world.users["quality_auditor"], source=ActionSource.FINDING,
                                              finding=finding, estate=world.estate_a, grade="minor")
    assert (action.estate, action.department, action.grade) == (world.estate_b, other_department, "major")
    assert action.title.startswith(finding.reference) and finding.statement in action.title
    assert action.description == finding.statement and action.source_reference == finding.reference
    with pytest.raises(ValidationError) as exc:
        services.corrective_action_raise(actor=world.users["quality_auditor"], source=ActionSource.FINDING,
                                         finding=finding)
    assert "finding" in exc.value.error_dict and action.number in str(exc.value)
    assert CorrectiveAction.objects.count() == 1


def test_an_observation_takes_no_corrective_action(world):
    finding = make_finding(world, grade=FindingGrade.OBSERVATION)
    with pytest.raises(ValidationError) as exc:
        services.corrective_action_raise(actor=world.users["quality_auditor"], source=ActionSource.FINDING,
                                         finding=finding)
    assert "finding" in exc.value.error_dict
    with pytest.raises(ValidationError):
        services.corrective_action_raise(actor=world.users["quality_auditor"], source=ActionSource.FINDING)
    assert not CorrectiveAction.objects.exists()


def test_raise_from_a_complaint(world):
    complaint = make_ticket(world, kind=TicketKind.COMPLAINT, title="物业费收取不透明", description="业主投诉收费")
    action = services.corrective_action_raise(actor=world.users["cs_manager"], source=ActionSource.COMPLAINT,
                                              ticket=complaint)
    assert (action.estate, action.title, action.source_reference) == (world.estate_a, "物业费收取不透明",
                                                                      complaint.number)
    with pytest.raises(ValidationError):  # one open nonconformity per complaint
        services.corrective_action_raise(actor=world.users["cs_manager"], source=ActionSource.COMPLAINT,
                                         ticket=complaint)
    with pytest.raises(ValidationError) as exc:  # a repair is not a complaint
        services.corrective_action_raise(actor=world.users["cs_manager"], source=ActionSource.COMPLAINT,
                                         ticket=make_ticket(world))
    assert "ticket" in exc.value.error_dict


def test_the_tickets_hook_raises_a_draft(world):
    complaint = make_ticket(world, kind=TicketKind.COMPLAINT, title="电梯困人处置慢")
    action = services.corrective_action_from_complaint(actor=world.users["agent"], ticket=complaint,
                                                       description="困人30分钟无人到场")
    assert isinstance(action, CorrectiveAction) and action.ticket == complaint
    assert action.description == "困人30分钟无人到场" and action.state == ActionState.DRAFT
    with pytest.raises(PermissionDenied):  # neither handles tickets nor raises nonconformities
        services.corrective_action_from_complaint(
            actor=world.users["document_controller"], ticket=make_ticket(world, kind=TicketKind.COMPLAINT))


def test_raise_from_an_incident_needs_its_number(world):
    with pytest.raises(ValidationError) as exc:
        raised(world, source=ActionSource.INCIDENT)
    assert "source_reference" in exc.value.error_dict
    action = raised(world, source=ActionSource.INCIDENT, source_reference="SJ-2026-007")
    assert action.source_reference == "SJ-2026-007"


def test_sources_must_match(world):
    finding = make_finding(world)
    with pytest.raises(ValidationError) as exc:
        raised(world, finding=finding)  # source "manual" with a finding
    assert "finding" in exc.value.error_dict
    with pytest.raises(ValidationError):
        raised(world, source="elsewhere")
    with pytest.raises(ValidationError):
        raised(world, source=ActionSource.REVIEW)  # without the review
    with pytest.raises(ValidationError):
        raised(world, grade=FindingGrade.OBSERVATION)
    assert not CorrectiveAction.objects.exists()


# --- the state machine per role ---------------------------------------------------------------------------------------

CHANGE_ROLES = {"cs_manager", "quality_auditor", "admin"}
DECIDE_ROLES = {"executive", "quality_auditor", "admin"}


def _step(world, step, action, role):
    actor = world.users[role]
    if step == "submit":
        return services.corrective_action_submit(actor=actor, action=action)
    if step == "cause":
        return services.corrective_action_record_cause(actor=actor, action=action, root_cause="培训不足",
                                                       immediate_correction="已当场整改")
    if step == "plan":
        return services.corrective_action_plan(actor=actor, action=action, action_plan="开展专项培训",
                                               owner=world.staff["agent"], due_on=day(10))
    if step == "complete":
        return services.corrective_action_complete(actor=actor, action=action, completion_note="培训已完成")
    if step == "verify":
        return services.corrective_action_verify(actor=actor, action=action, effective=True, note="有效")
    assert step == "cancel"
    return services.corrective_action_cancel(actor=actor, action=action, reason="误报")


# step, the state it starts from, the state it ends in, the roles that may take it (the agent owns the action)
STEPS = [
    ("submit", "draft", "cause_analysis", CHANGE_ROLES),
    ("cause", "cause_analysis", "action_plan", CHANGE_ROLES),
    ("plan", "action_plan", "in_progress", CHANGE_ROLES),
    ("complete", "in_progress", "verification", CHANGE_ROLES | {"agent"}),
    ("verify", "verification", "closed", DECIDE_ROLES),
    ("cancel", "in_progress", "cancelled", DECIDE_ROLES),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("step", "start", "end", "allowed"), STEPS, ids=[s[0] for s in STEPS])
def test_state_machine_per_role(world, step, start, end, allowed, role):
    action = in_state(world, start)
    if role in allowed:
        _step(world, step, action, role)
        assert fresh(action).state == end
        assert AuditEvent.objects.filter(event_type=f"corrective_action.{step}", object_id=str(action.pk),
                                         actor=world.users[role]).exists()
    else:
        before = fresh(action).history.count()
        with pytest.raises(PermissionDenied):
            _step(world, step, action, role)
        assert fresh(action).state == start and fresh(action).history.count() == before


@pytest.mark.parametrize(("step", "start", "end", "allowed"), STEPS, ids=[s[0] for s in STEPS])
def test_steps_refuse_the_wrong_state(world, step, start, end, allowed):
    action = in_state(world, "closed" if start != "verification" else "in_progress")
    role = sorted(allowed - {"agent"})[0]
    with pytest.raises(ValidationError):
        _step(world, step, action, role)


def test_the_whole_way_records_everything(world):
    action = in_state(world, "closed")
    assert action.immediate_correction == "当班补填记录" and action.root_cause
    assert action.owner == world.staff["agent"] and action.due_on == day(14) and action.started_on == day(0)
    assert action.completed_by == world.users["agent"] and action.completed_on == day(0)
    assert (action.verifier, action.verified_on, action.effectiveness) == (world.users["executive"], day(0),
                                                                           "effective")
    assert action.verification_note == "抽查两周记录，均完整" and action.closed_on == day(0)


def test_record_cause_needs_correction_and_cause(world):
    action = in_state(world, "cause_analysis")
    with pytest.raises(ValidationError) as exc:
        services.corrective_action_record_cause(actor=world.users["quality_auditor"], action=action,
                                                root_cause=" ", immediate_correction="")
    assert set(exc.value.error_dict) == {"root_cause", "immediate_correction"}
    assert fresh(action).state == ActionState.CAUSE_ANALYSIS
    # the immediate correction recorded when raising is enough
    action = advance(world, raised(world, immediate_correction="已补填"), "cause_analysis")
    services.corrective_action_record_cause(actor=world.users["quality_auditor"], action=action, root_cause="制度缺失")
    assert fresh(action).state == ActionState.ACTION_PLAN and fresh(action).immediate_correction == "已补填"


def test_plan_needs_text_an_active_owner_and_a_date_not_in_the_past(world):
    action = in_state(world, "action_plan")
    manager = world.users["cs_manager"]
    with pytest.raises(ValidationError) as exc:
        services.corrective_action_plan(actor=manager, action=action, action_plan="", owner=None, due_on=None)
    assert set(exc.value.error_dict) == {"action_plan", "owner", "due_on"}
    with pytest.raises(ValidationError) as exc:
        services.corrective_action_plan(actor=manager, action=action, action_plan="培训", owner=world.staff["agent"],
                                        due_on=day(-1))
    assert set(exc.value.error_dict) == {"due_on"}
    gone = StaffFactory(status=StaffStatus.LEFT)
    with pytest.raises(ValidationError) as exc:
        services.corrective_action_plan(actor=manager, action=action, action_plan="培训", owner=gone, due_on=day(0))
    assert set(exc.value.error_dict) == {"owner"}
    assert fresh(action).state == ActionState.ACTION_PLAN and fresh(action).owner is None
    services.corrective_action_plan(actor=manager, action=action, action_plan="培训", owner=world.staff["agent"],
                                    due_on=day(0))  # today is fine
    assert Notification.objects.filter(recipient=world.users["agent"], key__startswith=f"corrective_action:"
                                       f"{action.pk}:owner").count() == 1


def test_complete_by_another_agent_is_refused(world):
    action = in_state(world, "in_progress")
    stranger = UserFactory(username="t_agent2", roles=["agent"])
    StaffFactory(user=stranger, post=world.post, estates=[world.estate_a])
    with pytest.raises(PermissionDenied):
        services.corrective_action_complete(actor=stranger, action=action, completion_note="做完了")
    with pytest.raises(ValidationError):
        services.corrective_action_complete(actor=world.users["agent"], action=action, completion_note=" ")
    assert fresh(action).state == ActionState.IN_PROGRESS


def test_complete_with_evidence_tells_the_verifiers(world):
    action = in_state(world, "in_progress")
    services.corrective_action_complete(actor=world.users["agent"], action=action, completion_note="已培训",
                                        files=[text_file("培训签到表：12人", "签到表.txt")])
    assert [f.name for f in files_of(action)] == ["签到表.txt"]
    told = set(Notification.objects.filter(key__startswith=f"corrective_action:{action.pk}:verify")
               .values_list("recipient__username", flat=True))
    assert told == {"t_executive", "t_quality_auditor", "t_admin"}  # the verifiers, not the agent who completed it


def test_verifying_ones_own_action_is_refused(world):
    # the quality auditor owns the action: they may not verify it, though they hold the permission
    action = advance(world, raised(world), "in_progress", owner=world.staff["quality_auditor"])
    services.corrective_action_complete(actor=world.users["quality_auditor"], action=action, completion_note="完成")
    before = fresh(action).history.count()
    with pytest.raises(ValidationError) as exc:
        services.corrective_action_verify(actor=world.users["quality_auditor"], action=action, effective=True,
                                          note="我自己看过了")
    assert exc.value.messages == [gettext("A corrective action is verified by someone other than its owner and the "
                                          "person who completed it.")]
    after = fresh(action)
    assert after.state == ActionState.VERIFICATION and after.verifier is None and after.history.count() == before
    # someone else verifies it
    services.corrective_action_verify(actor=world.users["executive"], action=action, effective=True, note="有效")
    assert fresh(action).state == ActionState.CLOSED


def test_who_completed_it_may_not_verify_it(world):
    action = in_state(world, "in_progress")  # owned by the agent
    services.corrective_action_complete(actor=world.users["quality_auditor"], action=action, completion_note="代为完成")
    with pytest.raises(ValidationError):
        services.corrective_action_verify(actor=world.users["quality_auditor"], action=action, effective=True,
                                          note="有效")
    assert fresh(action).state == ActionState.VERIFICATION


def test_not_effective_goes_back_to_the_owner(world):
    action = in_state(world, "verification")
    with pytest.raises(ValidationError) as exc:
        services.corrective_action_verify(actor=world.users["executive"], action=action, effective=False, note="")
    assert "note" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.corrective_action_verify(actor=world.users["executive"], action=action, effective=False,
                                          note="仍有缺失", due_on=day(-2))
    assert "due_on" in exc.value.error_dict
    services.corrective_action_verify(actor=world.users["executive"], action=action, effective=False,
                                      note="第二周仍有缺失", due_on=day(30))
    after = fresh(action)
    assert (after.state, after.effectiveness, after.due_on, after.closed_on) == (
        ActionState.IN_PROGRESS, "not_effective", day(30), None)
    assert Notification.objects.filter(recipient=world.users["agent"],
                                       key__startswith=f"corrective_action:{action.pk}:not_effective").exists()
    # the second round: completed again, verified effective by someone else
    services.corrective_action_complete(actor=world.users["agent"], action=action, completion_note="再次培训")
    services.corrective_action_verify(actor=world.users["quality_auditor"], action=action, effective=True,
                                      note="连续四周完整")
    assert fresh(action).state == ActionState.CLOSED and fresh(action).verifier == world.users["quality_auditor"]


def test_there_is_no_way_to_closed_but_verification(world):
    assert not any(name.endswith("_close") for name in services.__all__)
    action = in_state(world, "in_progress")
    with pytest.raises(ValidationError):  # verifying work not recorded as done
        services.corrective_action_verify(actor=world.users["executive"], action=action, effective=True, note="好")
    with pytest.raises(TypeError):  # the state is no field anyone may set
        services.corrective_action_update(actor=world.users["quality_auditor"], action=action, state="closed")
    assert fresh(action).state == ActionState.IN_PROGRESS


def test_cancel_needs_a_reason_and_an_open_action(world):
    action = in_state(world, "draft")
    with pytest.raises(ValidationError) as exc:
        services.corrective_action_cancel(actor=world.users["executive"], action=action, reason=" ")
    assert "reason" in exc.value.error_dict
    services.corrective_action_cancel(actor=world.users["executive"], action=action, reason="重复登记")
    assert (fresh(action).state, fresh(action).cancel_reason) == (ActionState.CANCELLED, "重复登记")
    with pytest.raises(ValidationError):
        services.corrective_action_cancel(actor=world.users["executive"], action=action, reason="再取消")
    closed = in_state(world, "closed")
    with pytest.raises(ValidationError):
        services.corrective_action_cancel(actor=world.users["executive"], action=closed, reason="不需要了")


def test_update_only_early_and_keeps_the_findings_data(world):
    finding = make_finding(world, grade=FindingGrade.MINOR)
    action = services.corrective_action_raise(actor=world.users["quality_auditor"], source=ActionSource.FINDING,
                                              finding=finding)
    services.corrective_action_update(actor=world.users["cs_manager"], action=action, title="回访记录不完整",
                                      estate=world.estate_b, grade=FindingGrade.MAJOR)
    after = fresh(action)
    assert (after.title, after.estate, after.grade) == ("回访记录不完整", world.estate_a, FindingGrade.MINOR)
    advance(world, action, "action_plan")
    with pytest.raises(ValidationError):
        services.corrective_action_update(actor=world.users["cs_manager"], action=action, title="改标题")


def test_evidence_files_by_owner_while_open(world):
    action = in_state(world, "in_progress")
    services.corrective_action_add_file(actor=world.users["agent"], action=action, upload=text_file("照片说明"))
    with pytest.raises(PermissionDenied):
        services.corrective_action_add_file(actor=world.users["executive"], action=action, upload=text_file())
    assert QualityFile.objects.count() == 1


# --- overdue and reminders --------------------------------------------------------------------------------------------


def test_overdue_boundary(world):
    action = in_state(world, "in_progress", due_on=day(3))
    assert not action.is_overdue(day(3))  # due today is not overdue
    assert action.is_overdue(day(4))
    closed = in_state(world, "closed")
    assert not closed.is_overdue(day(100))


def test_reminders_once_per_action_and_due_date(world):
    late = in_state(world, "in_progress", due_on=day(3))
    in_state(world, "in_progress", due_on=day(5))  # not yet due on the day of the run
    in_state(world, "verification", due_on=day(1))  # done, waiting for verification: not overdue
    assert services.corrective_actions_remind(today=day(3)) == 0  # due today
    sent = services.corrective_actions_remind(today=day(4))
    # the owner (the agent) and the holders of receive_quality_reminders: executive, quality auditor, manager
    told = set(Notification.objects.filter(key=f"corrective_action:{late.pk}:overdue:{day(3)}")
               .values_list("recipient__username", flat=True))
    assert told == {"t_agent", "t_executive", "t_quality_auditor", "t_cs_manager"} and sent == 4
    assert services.corrective_actions_remind(today=day(4)) == 0  # idempotent
    # not effective, with a new due date: a new reminder once that one passes
    services.corrective_action_complete(actor=world.users["agent"], action=late, completion_note="完成")
    services.corrective_action_verify(actor=world.users["executive"], action=late, effective=False, note="无效",
                                      due_on=day(6))
    assert services.corrective_actions_remind(today=day(7)) == 4 + 4  # the other one (due day 5) too
    assert services.corrective_actions_remind(today=day(8)) == 0
