"""The training services: the plan's workflow (one per department and year, the drafter may not approve, approved
plans read-only), sessions (scheduling rules, the record with scores all at once, cancelling), the daily reminder
(idempotent per day), and bad input refused with nothing changed."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import translation

from wuye.core.models import AuditEvent, Notification
from wuye.training import services
from wuye.training.choices import PlanStatus, SessionStatus
from wuye.training.models import Attendance, PlanItem, TrainingPlan, TrainingSession

from .factories import adhoc, left_staff, other_post, plan, session, today, yesterday

pytestmark = pytest.mark.django_db


def _messages(exc) -> str:
    return " ".join(str(m) for m in exc.value.messages)


def _snapshot():
    return (list(TrainingPlan.objects.order_by("pk").values_list("pk", "status", "title", "approved_by")),
            list(PlanItem.objects.order_by("pk").values_list("pk", "topic", "hours", "month")),
            list(TrainingSession.objects.order_by("pk").values_list("pk", "status", "date", "cancel_reason")),
            list(Attendance.objects.order_by("pk").values_list("pk", "staff", "attended", "score", "comment")))


# --- plans -------------------------------------------------------------------------------------------------------


def test_plan_is_drafted_approved_by_someone_else_and_closed(world):
    made = plan(world)
    assert made.status == PlanStatus.DRAFT and made.items.count() == 2
    assert made.created_by == world.users["cs_manager"]
    services.plan_approve(actor=world.users["executive"], plan=made)
    made.refresh_from_db()
    assert made.status == PlanStatus.APPROVED
    assert made.approved_by == world.users["executive"] and made.approved_at is not None
    services.plan_close(actor=world.users["cs_manager"], plan=made, reason="年度结束")
    made.refresh_from_db()
    assert (made.status, made.close_reason) == (PlanStatus.CLOSED, "年度结束")
    assert AuditEvent.objects.filter(event_type="training.plan.approve", object_id=str(made.pk)).count() == 1


def test_the_drafter_may_not_approve_their_own_plan(world):
    made = plan(world)
    before = _snapshot()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.plan_approve(actor=world.users["cs_manager"], plan=made)
    assert "drafted a training plan may not approve it" in _messages(exc)
    assert _snapshot() == before


def test_a_plan_without_trainings_is_not_approved(world):
    made = plan(world, items=0)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.plan_approve(actor=world.users["executive"], plan=made)
    assert "Add the plan's trainings" in _messages(exc)
    made.refresh_from_db()
    assert made.status == PlanStatus.DRAFT


def test_a_second_plan_for_the_same_department_and_year_is_refused(world):
    first = plan(world)
    before = _snapshot()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.plan_create(actor=world.users["cs_manager"], department=world.department, year=first.year,
                             title="第二份计划")
    assert "already has a training plan for this year" in _messages(exc)
    assert _snapshot() == before
    # another year is fine
    services.plan_create(actor=world.users["cs_manager"], department=world.department, year=first.year + 1,
                         title="明年计划")
    assert TrainingPlan.objects.count() == 2


def test_an_approved_plan_is_read_only_except_closing(world):
    made = plan(world, "approved")
    item = made.items.first()
    before = _snapshot()
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            services.plan_update(actor=world.users["cs_manager"], plan=made, title="改名")
        assert "Only a draft training plan" in _messages(exc)
        with pytest.raises(ValidationError) as exc:
            services.item_add(actor=world.users["cs_manager"], plan=made, topic="新增", hours=1, month=5)
        assert "read-only" in _messages(exc)
        with pytest.raises(ValidationError):
            services.item_update(actor=world.users["cs_manager"], item=item, hours=Decimal("9"))
        with pytest.raises(ValidationError):
            services.plan_approve(actor=world.users["admin"], plan=made)
    assert _snapshot() == before


def test_a_draft_plan_and_its_items_change(world):
    made = plan(world)
    services.plan_update(actor=world.users["cs_manager"], plan=made, title="2026年客服部培训计划")
    item = made.items.order_by("month").first()
    reception = other_post(world)
    services.item_update(actor=world.users["cs_manager"], item=item, hours=Decimal("4.5"), month=6,
                         target_posts=[world.post, reception])
    item.refresh_from_db()
    made.refresh_from_db()
    assert made.title == "2026年客服部培训计划"
    assert (item.hours, item.month) == (Decimal("4.5"), 6)
    assert set(item.target_posts.all()) == {world.post, reception}


def test_item_input_is_checked(world):
    made = plan(world, items=0)
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            services.item_add(actor=world.users["cs_manager"], plan=made, topic="x", hours=2, month=13)
        assert "month" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.item_add(actor=world.users["cs_manager"], plan=made, topic="x", hours=0, month=3)
        assert "hours" in exc.value.message_dict
        from wuye.org.tests.factories import PostFactory

        foreign = PostFactory()
        with pytest.raises(ValidationError) as exc:
            services.item_add(actor=world.users["cs_manager"], plan=made, topic="x", hours=2, month=3,
                              target_posts=[foreign])
        assert "target_posts" in exc.value.message_dict
    assert made.items.count() == 0


def test_permissions_are_checked_by_the_services(world):
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=world.users["agent"], department=world.department, year=2030, title="x")
    made = plan(world)
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=world.users["agent"], plan=made)
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=world.users["quality_auditor"], plan=made)
    assert TrainingPlan.objects.get().status == PlanStatus.DRAFT


# --- sessions ------------------------------------------------------------------------------------------------------


def test_a_session_takes_topic_hours_and_trainer_from_its_item(world):
    item = plan(world, "approved").items.order_by("month").last()
    made = services.session_schedule(actor=world.users["cs_manager"], plan_item=item, date=yesterday())
    assert (made.topic, made.hours, made.trainer, made.department) == (item.topic, item.hours, "外聘讲师",
                                                                        world.department)
    assert made.status == SessionStatus.PLANNED


def test_hours_come_from_the_times_when_not_given(world):
    made = services.session_schedule(actor=world.users["cs_manager"], department=world.department, topic="礼仪",
                                     date=yesterday(), start_time=dt.time(9, 0), end_time=dt.time(11, 30))
    assert made.hours == Decimal("2.5")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.session_schedule(actor=world.users["cs_manager"], department=world.department, topic="礼仪",
                                  date=yesterday(), start_time=dt.time(11, 0), end_time=dt.time(9, 0))
    assert "end_time" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.session_schedule(actor=world.users["cs_manager"], department=world.department, topic="礼仪",
                                  date=yesterday())
    assert "hours" in exc.value.message_dict
    assert TrainingSession.objects.count() == 1


def test_sessions_only_for_items_of_an_approved_plan(world):
    draft = plan(world)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.session_schedule(actor=world.users["cs_manager"], plan_item=draft.items.first(), date=yesterday())
    assert "approved plan" in exc.value.message_dict["plan_item"][0]
    services.plan_approve(actor=world.users["executive"], plan=draft)
    with pytest.raises(ValidationError) as exc:
        services.session_schedule(actor=world.users["cs_manager"], plan_item=draft.items.first(),
                                  date=dt.date(draft.year + 1, 3, 1))
    assert "date" in exc.value.message_dict
    services.plan_close(actor=world.users["cs_manager"], plan=draft)
    with pytest.raises(ValidationError):
        services.session_schedule(actor=world.users["cs_manager"], plan_item=draft.items.first(), date=yesterday())
    assert TrainingSession.objects.count() == 0


def test_record_attendance_and_scores_at_once(world):
    made = session(world, "held")
    assert made.status == SessionStatus.HELD and made.recorded_by == world.users["cs_manager"]
    rows = {a.staff_id: (a.attended, a.score, a.comment) for a in made.attendances.all()}
    assert rows == {world.staff["agent"].pk: (True, Decimal("88.0"), ""),
                    world.staff["cs_manager"].pk: (True, None, ""),
                    world.staff["executive"].pk: (False, None, "请假")}
    # a correction replaces the record row by row; someone left out is kept, marked absent
    services.session_record(actor=world.users["cs_manager"], session=made, attendance=[
        {"staff": world.staff["agent"], "attended": True, "score": 92},
        {"staff": world.staff["executive"], "attended": True, "score": "75.5"},
    ])
    rows = {a.staff_id: (a.attended, a.score) for a in made.attendances.all()}
    assert rows == {world.staff["agent"].pk: (True, Decimal("92.0")),
                    world.staff["cs_manager"].pk: (False, None),
                    world.staff["executive"].pk: (True, Decimal("75.5"))}
    assert Attendance.objects.count() == 3


@pytest.mark.parametrize("score", [101, -1, "100.5", "abc"])
def test_a_score_out_of_range_is_refused_and_nothing_is_recorded(world, score):
    made = session(world)
    before = _snapshot()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.session_record(actor=world.users["cs_manager"], session=made, attendance=[
            {"staff": world.staff["cs_manager"], "attended": True, "score": 90},
            {"staff": world.staff["agent"], "attended": True, "score": score},
        ])
    assert "score" in exc.value.message_dict
    assert "0 and 100" in exc.value.message_dict["score"][0]
    assert _snapshot() == before


def test_bad_records_are_refused_whole(world):
    made = session(world)
    gone = left_staff(world, left_on=made.date - dt.timedelta(days=3))
    before = _snapshot()
    cases = [
        ([{"staff": gone, "attended": True}], "had left before the session"),
        ([{"staff": world.staff["agent"], "attended": False, "score": 60}], "did not attend"),
        ([{"staff": world.staff["agent"]}, {"staff": world.staff["agent"]}], "on the record twice"),
        ([{"staff": world.staff["agent"], "attended": False}], "No one attended"),
        ([], "at least one attendee"),
    ]
    with translation.override("en"):
        for attendance, message in cases:
            with pytest.raises(ValidationError) as exc:
                services.session_record(actor=world.users["cs_manager"], session=made,
                                        attendance=[{"staff": world.staff["cs_manager"], "attended": True}, *attendance]
                                        if message not in ("No one attended", "at least one attendee") else attendance)
            assert message in _messages(exc), (message, _messages(exc))
    assert _snapshot() == before
    # someone who left after the session may still be recorded
    later = left_staff(world, left_on=made.date + dt.timedelta(days=1))
    services.session_record(actor=world.users["cs_manager"], session=made, attendance=[{"staff": later}])
    assert made.attendances.get().staff == later


def test_a_session_still_to_come_or_cancelled_is_not_recorded(world):
    future = session(world, date=today() + dt.timedelta(days=2))
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.session_record(actor=world.users["cs_manager"], session=future,
                                attendance=[{"staff": world.staff["agent"]}])
    assert "on or after its date" in _messages(exc)
    cancelled = adhoc(world)
    services.session_cancel(actor=world.users["cs_manager"], session=cancelled, reason="停电")
    before = _snapshot()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.session_record(actor=world.users["cs_manager"], session=cancelled,
                                attendance=[{"staff": world.staff["agent"]}])
    assert "Cancelled" in _messages(exc) or "cancelled" in _messages(exc)
    assert _snapshot() == before


def test_cancel_needs_a_reason_and_a_planned_session(world):
    made = adhoc(world)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.session_cancel(actor=world.users["cs_manager"], session=made, reason="  ")
    assert "reason" in exc.value.message_dict
    services.session_cancel(actor=world.users["cs_manager"], session=made, reason="讲师生病")
    made.refresh_from_db()
    assert (made.status, made.cancel_reason) == (SessionStatus.CANCELLED, "讲师生病")
    held = session(world, "held")
    with pytest.raises(ValidationError):
        services.session_cancel(actor=world.users["cs_manager"], session=held, reason="x")
    assert TrainingSession.objects.get(pk=held.pk).status == SessionStatus.HELD


def test_a_held_session_changes_only_notes_and_place(world):
    made = session(world, "held")
    services.session_update(actor=world.users["cs_manager"], session=made, notes="效果良好", place="二楼")
    with pytest.raises(ValidationError):
        services.session_update(actor=world.users["cs_manager"], session=made, date=yesterday() - dt.timedelta(1))
    made.refresh_from_db()
    assert (made.notes, made.place, made.date) == ("效果良好", "二楼", yesterday())


def test_materials_are_checked_and_kept(world):
    from wuye.documents.tests.factories import text_file

    made = session(world, "held")
    stored = services.session_add_material(actor=world.users["cs_manager"], session=made,
                                           upload=text_file("投诉处理技巧讲义", "讲义.txt"))
    assert stored.name == "讲义.txt" and len(stored.sha256) == 64 and "投诉处理" in stored.text
    with pytest.raises(PermissionDenied):
        services.session_add_material(actor=world.users["agent"], session=made, upload=text_file())


# --- reminders -----------------------------------------------------------------------------------------------------


def test_reminders_for_sessions_without_record_are_idempotent_per_day(world):
    overdue = session(world, trainer_staff=world.staff["agent"], date=yesterday())
    later = adhoc(world, date=today())                          # today: not overdue yet
    held = session(world, "held", item=overdue.plan_item)       # recorded: nothing to remind
    assert held.status == SessionStatus.HELD
    sent = services.training_remind(today=today())
    notes = Notification.objects.filter(key__startswith="training.norecord.")
    # the trainer (agent) and the holders of receive_training_reminders (the manager and the administrator)
    assert set(notes.values_list("recipient__username", flat=True)) == {"t_agent", "t_cs_manager", "t_admin"}
    assert sent == 3 and all(key.startswith(f"training.norecord.{overdue.pk}.") for key in notes.values_list(
        "key", flat=True))
    assert services.training_remind(today=today()) == 0         # same day: nothing new
    assert notes.count() == 3
    # the next day: again for the first session, and now for today's session too (no trainer: the two managers)
    out = io.StringIO()
    call_command("training_remind", date=(today() + dt.timedelta(days=1)).isoformat(), stdout=out)
    assert out.getvalue().startswith("5 ")
    assert notes.count() == 8
    assert notes.filter(key__startswith=f"training.norecord.{later.pk}.").count() == 2
