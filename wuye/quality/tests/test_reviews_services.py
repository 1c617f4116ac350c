"""Management review services: planning and numbering, compiling the inputs (re-runnable, the people's text kept),
holding, outputs as action items (reviews and meetings), completing and cancelling them, closing only when none
is open, cancelling a review; every refusal a clear error with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wuye.core.models import AuditEvent
from wuye.quality.choices import ActionItemStatus, MeetingStatus, OutputKind, ReviewStatus, ReviewTopic
from wuye.quality.models import ActionItem, ManagementReview, Meeting, ReviewInput
from wuye.quality.selectors.reviews import COMPILED_TOPICS
from wuye.quality.services import reviews as services
from wuye.quality.tests import factories_reviews as f
from wuye.tickets.choices import TicketKind
from wuye.tickets.tests.factories import category, make_ticket

pytestmark = pytest.mark.django_db


def day(n: int) -> dt.date:
    return f.today() + dt.timedelta(days=n)


# --- planning ---------------------------------------------------------------------------------------------------


def test_plan_numbers_reviews_per_year_of_the_planned_day(world):
    first = f.plan(world)
    second = f.plan(world)
    year = f.today().year
    assert (first.number, second.number) == (f"MR-{year}-01", f"MR-{year}-02")
    assert first.status == ReviewStatus.PLANNED
    assert set(first.attendees.values_list("pk", flat=True)) == {world.staff["executive"].pk,
                                                                 world.staff["quality_auditor"].pk,
                                                                 world.staff["cs_manager"].pk}
    assert AuditEvent.objects.filter(event_type="management_review.plan", object_id=str(first.pk)).exists()
    earlier = f.plan(world, planned_on=dt.date(year - 1, 12, 1), start=dt.date(year - 2, 12, 1),
                     end=dt.date(year - 1, 11, 30))
    assert earlier.number == f"MR-{year - 1}-01"


@pytest.mark.parametrize("role", ["agent", "cs_manager", "document_controller", "resident"])
def test_plan_refused_without_the_permission(world, role):
    with pytest.raises(PermissionDenied):
        f.plan(world, actor=world.users[role])
    assert not ManagementReview.objects.exists()


def test_plan_refuses_a_period_ending_before_it_starts(world):
    with pytest.raises(ValidationError) as exc:
        f.plan(world, start=day(-10), end=day(-20))
    assert "period_end" in exc.value.message_dict
    assert not ManagementReview.objects.exists()


def test_update_only_while_planned(world):
    review = f.plan(world)
    services.management_review_update(actor=world.users["executive"], review=review, title="2025年度管理评审",
                                      attendees=[world.staff["executive"]])
    review.refresh_from_db()
    assert review.title == "2025年度管理评审"
    assert list(review.attendees.all()) == [world.staff["executive"]]
    f.held(world, review)
    with pytest.raises(ValidationError):
        services.management_review_update(actor=world.users["executive"], review=review, title="改")
    review.refresh_from_db()
    assert review.title == "2025年度管理评审"


# --- compiling ----------------------------------------------------------------------------------------------------


def test_compile_creates_one_input_per_topic_and_keeps_the_text_on_refresh(world):
    review = f.plan(world, start=day(-30), end=day(0))
    services.management_review_compile(actor=world.users["quality_auditor"], review=review)
    review.refresh_from_db()
    assert review.compiled_at is not None
    assert list(review.inputs.values_list("topic", flat=True)) == list(COMPILED_TOPICS)
    complaints = review.inputs.get(topic=ReviewTopic.COMPLAINTS)
    assert complaints.figures["received"] == 0
    services.review_input_update(actor=world.users["quality_auditor"], input=complaints, text="投诉总体平稳。")

    make_ticket(world, kind=TicketKind.COMPLAINT, title="保安态度差", category=category("服务态度"))
    services.management_review_compile(actor=world.users["executive"], review=review)
    complaints.refresh_from_db()
    assert complaints.figures["received"] == 1
    assert complaints.text == "投诉总体平稳。"
    assert review.inputs.count() == len(COMPILED_TOPICS)


def test_compile_refused_once_held_and_without_permission(world):
    review = f.held(world)
    before = list(ReviewInput.objects.filter(review=review).values_list("pk", "figures"))
    with pytest.raises(ValidationError):
        services.management_review_compile(actor=world.users["quality_auditor"], review=review)
    with pytest.raises(PermissionDenied):
        services.management_review_compile(actor=world.users["cs_manager"], review=f.plan(world))
    assert list(ReviewInput.objects.filter(review=review).values_list("pk", "figures")) == before


def test_input_text_needs_the_permission_and_an_open_review(world):
    review = f.compiled(world)
    item = review.inputs.first()
    with pytest.raises(PermissionDenied):
        services.review_input_update(actor=world.users["cs_manager"], input=item, text="x")
    services.management_review_cancel(actor=world.users["quality_auditor"], review=review, reason="改期")
    with pytest.raises(ValidationError):
        services.review_input_update(actor=world.users["quality_auditor"], input=item, text="x")
    item.refresh_from_db()
    assert item.text == ""


# --- holding ----------------------------------------------------------------------------------------------------


def test_hold_needs_compiled_inputs(world):
    review = f.plan(world)
    with pytest.raises(ValidationError) as exc:
        services.management_review_hold(actor=world.users["executive"], review=review, held_on=f.today(),
                                        minutes="纪要", conclusion="有效")
    assert "Compile" in str(exc.value) or "汇总" in str(exc.value) or exc.value.message_dict.get("__all__")
    review.refresh_from_db()
    assert review.status == ReviewStatus.PLANNED and review.held_on is None


def test_hold_refused_to_the_quality_auditor(world):
    review = f.compiled(world)
    with pytest.raises(PermissionDenied):
        services.management_review_hold(actor=world.users["quality_auditor"], review=review, minutes="纪要",
                                        conclusion="有效")
    review.refresh_from_db()
    assert review.status == ReviewStatus.PLANNED


def test_hold_checks_minutes_conclusion_day_and_attendees(world):
    review = f.compiled(world, attendees=[])
    with pytest.raises(ValidationError) as exc:
        services.management_review_hold(actor=world.users["executive"], review=review, held_on=day(1), minutes=" ",
                                        conclusion="")
    assert set(exc.value.message_dict) == {"held_on", "minutes", "conclusion", "attendees"}
    review.refresh_from_db()
    assert review.status == ReviewStatus.PLANNED and review.minutes == ""
    services.management_review_hold(actor=world.users["executive"], review=review, held_on=f.today(),
                                    minutes="纪要", conclusion="有效", attendees=[world.staff["executive"]])
    review.refresh_from_db()
    assert (review.status, review.held_on, review.minutes) == (ReviewStatus.HELD, f.today(), "纪要")
    assert list(review.attendees.all()) == [world.staff["executive"]]


# --- action items -------------------------------------------------------------------------------------------------


def test_improvement_needs_owner_and_due_date_a_decision_does_not(world):
    review = f.held(world)
    with pytest.raises(ValidationError) as exc:
        services.action_item_add(actor=world.users["executive"], parent=review, text="增加客服人员")
    assert set(exc.value.message_dict) == {"owner", "due_on"}
    assert not ActionItem.objects.exists()
    decision = services.action_item_add(actor=world.users["executive"], parent=review, text="质量方针保持不变",
                                        kind=OutputKind.DECISION)
    assert (decision.owner, decision.due_on, decision.status) == (None, None, ActionItemStatus.OPEN)
    with pytest.raises(ValidationError) as exc:
        services.action_item_add(actor=world.users["executive"], parent=review, text=" ", kind=OutputKind.DECISION)
    assert "text" in exc.value.message_dict


def test_action_item_permission_follows_the_parent(world):
    review = f.held(world)
    with pytest.raises(PermissionDenied):  # the manager may change meetings, not reviews
        f.item(world, review, actor=world.users["cs_manager"])
    talk = f.meeting(world)
    on_meeting = f.item(world, talk, actor=world.users["cs_manager"])
    assert on_meeting.meeting == talk and on_meeting.review is None
    with pytest.raises(PermissionDenied):
        f.item(world, talk, actor=world.users["agent"])
    Meeting.objects.filter(pk=talk.pk).update(status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError):
        f.item(world, talk, actor=world.users["cs_manager"])
    assert ActionItem.objects.count() == 1


def test_adding_an_item_tells_its_owner(world):
    from wuye.core.models import Notification

    review = f.held(world)
    item = f.item(world, review, owner="agent")
    assert Notification.objects.filter(recipient=world.users["agent"], key=f"quality:actionitem:{item.pk}:assigned")\
        .count() == 1


def test_the_owner_completes_an_item_others_without_permission_may_not(world):
    review = f.held(world)
    item = f.item(world, review, owner="agent")
    with pytest.raises(PermissionDenied):
        services.action_item_complete(actor=world.users["document_controller"], item=item, result="完成")
    with pytest.raises(ValidationError) as exc:
        services.action_item_complete(actor=world.users["agent"], item=item, result="", done_on=day(1))
    assert set(exc.value.message_dict) == {"result", "done_on"}
    services.action_item_complete(actor=world.users["agent"], item=item, result="已修订回访表")
    item.refresh_from_db()
    assert (item.status, item.done_on, item.result) == (ActionItemStatus.DONE, f.today(), "已修订回访表")
    with pytest.raises(ValidationError):
        services.action_item_complete(actor=world.users["agent"], item=item, result="again")
    with pytest.raises(ValidationError):
        services.action_item_cancel(actor=world.users["executive"], item=item, reason="不需要")


def test_cancel_needs_the_parent_permission_and_a_reason(world):
    review = f.held(world)
    item = f.item(world, review, owner="agent")
    with pytest.raises(PermissionDenied):  # the owner may complete, not cancel
        services.action_item_cancel(actor=world.users["agent"], item=item, reason="不做了")
    with pytest.raises(ValidationError) as exc:
        services.action_item_cancel(actor=world.users["quality_auditor"], item=item, reason="  ")
    assert "reason" in exc.value.message_dict
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN
    services.action_item_cancel(actor=world.users["quality_auditor"], item=item, reason="已由纠正措施覆盖")
    item.refresh_from_db()
    assert (item.status, item.result) == (ActionItemStatus.CANCELLED, "已由纠正措施覆盖")


# --- closing and cancelling ---------------------------------------------------------------------------------------


def test_close_lists_the_open_items_then_closes(world):
    review = f.held(world)
    first = f.item(world, review, text="修订投诉处理程序")
    second = f.item(world, review, text="增加夜间值班", owner="cs_manager")
    with pytest.raises(ValidationError) as exc:
        services.management_review_close(actor=world.users["executive"], review=review)
    message = " ".join(exc.value.messages)
    assert "修订投诉处理程序" in message and "增加夜间值班" in message
    review.refresh_from_db()
    assert review.status == ReviewStatus.HELD
    services.action_item_complete(actor=world.users["agent"], item=first, result="已修订")
    services.action_item_cancel(actor=world.users["executive"], item=second, reason="预算不足，明年再议")
    with pytest.raises(PermissionDenied):
        services.management_review_close(actor=world.users["quality_auditor"], review=review)
    services.management_review_close(actor=world.users["executive"], review=review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED
    with pytest.raises(ValidationError):
        f.item(world, review)


def test_close_refused_before_holding(world):
    review = f.compiled(world)
    with pytest.raises(ValidationError):
        services.management_review_close(actor=world.users["executive"], review=review)


def test_cancel_a_planned_review_with_reason(world):
    review = f.plan(world)
    with pytest.raises(ValidationError) as exc:
        services.management_review_cancel(actor=world.users["quality_auditor"], review=review, reason="")
    assert "reason" in exc.value.message_dict
    services.management_review_cancel(actor=world.users["quality_auditor"], review=review, reason="与外审冲突，改期")
    review.refresh_from_db()
    assert (review.status, review.cancel_reason) == (ReviewStatus.CANCELLED, "与外审冲突，改期")
    held = f.held(world)
    with pytest.raises(ValidationError):
        services.management_review_cancel(actor=world.users["executive"], review=held, reason="x")
