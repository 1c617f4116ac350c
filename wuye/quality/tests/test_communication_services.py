"""The communication services: meetings (plan, edit while planned, minutes, cancel, action items, files) and
submissions (who files what, appeals confidential, numbering, who is told, assign → reply → close)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wuye.core.models import AuditEvent, Notification
from wuye.documents.tests.factories import text_file
from wuye.org.tests.factories import StaffFactory, UserFactory
from wuye.quality.choices import (
    ActionItemStatus,
    MeetingKind,
    MeetingStatus,
    SubmissionKind,
    SubmissionState,
    SubmitterKind,
)
from wuye.quality.models import ActionItem, Meeting, QualityFile, Submission
from wuye.quality.services import communication as services
from wuye.quality.services import reviews as review_services
from wuye.quality.services.files import files_of

from .factories_communication import appeal, at, day, held, planned, report

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def notified(user, key_part: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, key__contains=key_part))


# --- meetings ---------------------------------------------------------------------------------------------------


def test_plan_numbers_meetings_per_year_and_tells_the_attendees(world):
    first = planned(world)
    second = planned(world, title="质量专题会", kind=MeetingKind.QUALITY)
    assert first.number == f"HY-{YEAR}-001" and second.number == f"HY-{YEAR}-002"
    assert first.status == MeetingStatus.PLANNED
    assert set(first.attendees.all()) == {world.staff["agent"], world.staff["document_controller"]}
    assert len(notified(world.users["agent"], f"meeting:{first.pk}:planned")) == 1
    assert notified(world.users["cs_manager"], f"meeting:{first.pk}:") == []  # not the one who planned it
    assert AuditEvent.objects.filter(event_type="meeting.plan", object_id=str(first.pk)).exists()


def test_plan_needs_the_permission_and_a_title(world):
    with pytest.raises(PermissionDenied):
        planned(world, actor="agent")
    with pytest.raises(ValidationError) as exc:
        planned(world, title="  ")
    assert "title" in exc.value.message_dict
    assert Meeting.objects.count() == 0


def test_edit_while_planned_tells_new_attendees_once(world):
    meeting = planned(world, attendees=("agent",))
    services.meeting_update(actor=world.users["quality_auditor"], meeting=meeting, location="三楼会议室",
                            attendees=[world.staff["agent"], world.staff["executive"]])
    meeting.refresh_from_db()
    assert meeting.location == "三楼会议室"
    assert len(notified(world.users["executive"], f"meeting:{meeting.pk}:planned")) == 1
    assert len(notified(world.users["agent"], f"meeting:{meeting.pk}:planned")) == 1  # not twice
    held_meeting = held(world)
    with pytest.raises(ValidationError):
        services.meeting_update(actor=world.users["cs_manager"], meeting=held_meeting, title="改名")
    held_meeting.refresh_from_db()
    assert held_meeting.title == "客服部例会"


def test_minutes_are_required_and_only_once_the_meeting_has_begun(world):
    future = planned(world, days=2)
    with pytest.raises(ValidationError):
        services.meeting_record_minutes(actor=world.users["cs_manager"], meeting=future, minutes="提前写")
    past = planned(world, days=-1)
    with pytest.raises(ValidationError) as exc:
        services.meeting_record_minutes(actor=world.users["cs_manager"], meeting=past, minutes="  ")
    assert "minutes" in exc.value.message_dict
    past.refresh_from_db()
    assert past.status == MeetingStatus.PLANNED
    with pytest.raises(PermissionDenied):
        services.meeting_record_minutes(actor=world.users["agent"], meeting=past, minutes="纪要")
    services.meeting_record_minutes(actor=world.users["cs_manager"], meeting=past, minutes="纪要", decisions="决定",
                                    attendees=[world.staff["agent"]])
    past.refresh_from_db()
    assert (past.status, past.minutes, past.decisions) == (MeetingStatus.HELD, "纪要", "决定")
    assert list(past.attendees.all()) == [world.staff["agent"]]


def test_cancel_needs_a_reason_and_a_planned_meeting(world):
    meeting = planned(world)
    with pytest.raises(ValidationError) as exc:
        services.meeting_cancel(actor=world.users["cs_manager"], meeting=meeting, reason="")
    assert "reason" in exc.value.message_dict
    services.meeting_cancel(actor=world.users["cs_manager"], meeting=meeting, reason="台风停工")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == (MeetingStatus.CANCELLED, "台风停工")
    assert len(notified(world.users["agent"], f"meeting:{meeting.pk}:cancelled")) == 1
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=world.users["cs_manager"], meeting=meeting, reason="再取消")
    with pytest.raises(ValidationError):
        services.meeting_record_minutes(actor=world.users["cs_manager"], meeting=meeting, minutes="纪要")


def test_meeting_action_items_with_owner_and_due_date(world):
    meeting = held(world)
    with pytest.raises(ValidationError) as exc:
        services.meeting_action_add(actor=world.users["cs_manager"], meeting=meeting, text="整改夜班巡查")
    assert {"owner", "due_on"} <= set(exc.value.message_dict)
    item = services.meeting_action_add(actor=world.users["cs_manager"], meeting=meeting, text="整改夜班巡查",
                                       owner=world.staff["agent"], due_on=day(7))
    assert item.meeting == meeting and item.status == ActionItemStatus.OPEN
    with pytest.raises(PermissionDenied):
        services.meeting_action_add(actor=world.users["agent"], meeting=meeting, text="x",
                                    owner=world.staff["agent"], due_on=day(7))
    # the owner completes it (the reviews subject's service)
    review_services.action_item_complete(actor=world.users["agent"], item=item, result="已增加巡查频次")
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE
    cancelled = planned(world)
    services.meeting_cancel(actor=world.users["cs_manager"], meeting=cancelled, reason="改期")
    with pytest.raises(ValidationError):
        services.meeting_action_add(actor=world.users["cs_manager"], meeting=cancelled, text="x",
                                    owner=world.staff["agent"], due_on=day(7))
    assert ActionItem.objects.filter(meeting=cancelled).count() == 0


def test_meeting_files(world):
    meeting = held(world)
    stored = services.meeting_add_file(actor=world.users["cs_manager"], meeting=meeting,
                                       upload=text_file("签到表：张丽、周婷", "签到表.txt"), note="签到表")
    assert list(files_of(meeting)) == [stored] and stored.note == "签到表"
    with pytest.raises(PermissionDenied):
        services.meeting_add_file(actor=world.users["agent"], meeting=meeting, upload=text_file())
    assert QualityFile.objects.count() == 1


# --- submissions ----------------------------------------------------------------------------------------------


def test_staff_file_their_own_report_numbered_per_year(world):
    first = report(world)
    second = report(world, role="document_controller", estate=world.estate_a)
    assert first.number == f"SS-{YEAR}-0001" and second.number == f"SS-{YEAR}-0002"
    assert (first.submitter_kind, first.staff, first.submitted_by, first.customer) == (
        SubmitterKind.STAFF, world.staff["agent"], world.users["agent"], None)
    assert first.submitter_name == world.staff["agent"].name
    assert first.state == SubmissionState.SUBMITTED and not first.confidential


def test_a_resident_files_their_own_about_their_estate(world):
    submission = report(world, role="resident", estate=world.estate_b)
    assert submission.submitter_kind == SubmitterKind.CUSTOMER
    assert submission.customer == world.customer_a and submission.staff is None
    assert submission.estate == world.estate_a  # their own estate, whatever was sent
    assert not services.entered_for_customer(submission)


def test_an_appeal_is_always_confidential(world):
    submission = appeal(world, role="agent", confidential=False)
    assert submission.kind == SubmissionKind.APPEAL and submission.confidential


def test_only_handlers_enter_one_for_a_customer(world):
    with pytest.raises(PermissionDenied):
        report(world, role="agent", customer=world.customer_a)
    with pytest.raises(PermissionDenied):  # a resident may not file for another customer
        report(world, role="resident", customer=world.customer_b)
    entered = appeal(world, role="cs_manager", customer=world.customer_b)
    assert entered.submitter_kind == SubmitterKind.CUSTOMER and entered.customer == world.customer_b
    assert entered.submitted_by == world.users["cs_manager"] and entered.staff is None
    assert entered.estate == world.estate_b and entered.submitter_name == world.customer_b.name
    assert services.entered_for_customer(entered)
    assert Submission.objects.count() == 1


def test_a_staff_member_may_not_name_an_estate_they_do_not_serve(world):
    with pytest.raises(ValidationError) as exc:
        report(world, role="agent", estate=world.estate_b)
    assert "estate" in exc.value.message_dict


def test_handlers_are_told_and_confidential_ones_only_to_those_who_may_see_them(world):
    plain = report(world)
    assert len(notified(world.users["cs_manager"], f"submission:{plain.pk}:filed")) == 1
    assert len(notified(world.users["executive"], f"submission:{plain.pk}:filed")) == 1
    assert notified(world.users["agent"], f"submission:{plain.pk}:filed") == []
    secret = appeal(world)
    assert notified(world.users["cs_manager"], f"submission:{secret.pk}:filed") == []
    told = notified(world.users["executive"], f"submission:{secret.pk}:filed")
    assert len(told) == 1 and told[0].body == ""  # the subject stays out of the notification


def test_assign_reply_close(world):
    submission = report(world)
    manager, executive = world.users["cs_manager"], world.users["executive"]
    with pytest.raises(ValidationError):  # not answered yet
        services.submission_close(actor=manager, submission=submission)
    with pytest.raises(ValidationError) as exc:
        services.submission_assign(actor=manager, submission=submission, assignee=world.users["agent"])
    assert "assignee" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.submission_assign(actor=world.users["agent"], submission=submission, assignee=manager)
    services.submission_assign(actor=executive, submission=submission, assignee=manager)
    submission.refresh_from_db()
    assert (submission.state, submission.assignee) == (SubmissionState.ASSIGNED, manager)
    assert len(notified(manager, f"submission:{submission.pk}:assigned")) == 1
    with pytest.raises(ValidationError) as exc:
        services.submission_reply(actor=manager, submission=submission, reply=" ")
    assert "reply" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.submission_reply(actor=world.users["agent"], submission=submission, reply="我来答")
    services.submission_reply(actor=manager, submission=submission, reply="已安排维保单位检修。")
    submission.refresh_from_db()
    assert submission.state == SubmissionState.REPLIED and submission.replied_at
    assert len(notified(world.users["agent"], f"submission:{submission.pk}:replied")) == 1
    with pytest.raises(ValidationError):
        services.submission_assign(actor=manager, submission=submission, assignee=executive)
    services.submission_close(actor=manager, submission=submission, note="电梯已修复")
    submission.refresh_from_db()
    assert (submission.state, submission.closing_note) == (SubmissionState.CLOSED, "电梯已修复")
    with pytest.raises(ValidationError):
        services.submission_close(actor=manager, submission=submission)
    events = set(AuditEvent.objects.filter(object_id=str(submission.pk)).values_list("event_type", flat=True))
    assert {"submission.file", "submission.assign", "submission.reply", "submission.close"} <= events


def test_a_reply_without_assignment_makes_the_replier_the_assignee_and_tells_the_customer(world):
    entered = appeal(world, role="executive", customer=world.customer_a)
    services.submission_reply(actor=world.users["executive"], submission=entered, reply="经复查，重新安排上门。")
    entered.refresh_from_db()
    assert entered.assignee == world.users["executive"]
    assert len(notified(world.users["resident"], f"submission:{entered.pk}:replied")) == 1


def test_a_handler_without_the_confidential_permission_cannot_touch_a_confidential_one_unless_assigned(world):
    secret = appeal(world)
    manager = world.users["cs_manager"]
    with pytest.raises(PermissionDenied):
        services.submission_reply(actor=manager, submission=secret, reply="答复")
    with pytest.raises(PermissionDenied):
        services.submission_assign(actor=manager, submission=secret, assignee=manager)
    services.submission_assign(actor=world.users["executive"], submission=secret, assignee=manager)
    services.submission_reply(actor=manager, submission=secret, reply="答复")
    secret.refresh_from_db()
    assert secret.state == SubmissionState.REPLIED


def test_submission_files_by_submitter_or_handler(world):
    submission = report(world)
    services.submission_add_file(actor=world.users["agent"], submission=submission, upload=text_file("照片说明"))
    with pytest.raises(PermissionDenied):  # sees nothing of it
        services.submission_add_file(actor=world.users["quality_auditor"], submission=submission,
                                     upload=text_file())
    assert files_of(submission).count() == 1


def test_an_account_with_neither_staff_nor_customer_cannot_file(world):
    from wuye.core.roles import Role

    orphan = UserFactory(username="t_orphan", roles=[Role.DOCUMENT_CONTROLLER])
    with pytest.raises(ValidationError):
        services.submission_file(actor=orphan, kind=SubmissionKind.REPORT, subject="x", body="y")
    StaffFactory(user=orphan, post=world.post, estates=[world.estate_a])
    orphan = type(orphan).objects.get(pk=orphan.pk)
    assert services.submission_file(actor=orphan, kind=SubmissionKind.REPORT, subject="x", body="y").staff


def test_meeting_starting_time_kept(world):
    meeting = planned(world, starts_at=at(5, 14))
    assert timezone.localtime(meeting.starts_at).hour == 14
