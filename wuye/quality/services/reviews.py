"""Management review (管理评审, seed 1.9) and action items.

A review is planned (numbered MR-<year>-NN) for a period; its inputs are compiled from wuye for that period
(re-runnable while planned: the figures are refreshed, the text people wrote is kept); top management holds it
(minutes, conclusion, attendees), its outputs are action items (decision, resource need, improvement action with
owner and due date) tracked to done or cancelled; it is closed when every action item is. A planned review may
be cancelled with a reason.

Action items also follow up meetings (the communication subject calls ``action_item_add`` / ``_complete`` /
``_cancel``): changing a meeting's items needs ``quality.change_meeting``, a review's
``quality.change_managementreview``; the item's owner may complete it.

``reviews_remind(today=...)`` is the periodic job's part (command ``quality_remind``): holders of
``quality.receive_quality_reminders`` hear once a month while the yearly review is overdue, an action item's owner
once per item and due date when it is overdue.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify, permission_holders

from ..choices import ActionItemStatus, MeetingStatus, OutputKind, ReviewStatus
from ..models import ActionItem, ManagementReview, Meeting, ReviewInput
from .common import next_number, require, staff_of

__all__ = [
    "management_review_plan", "management_review_update", "management_review_compile", "review_input_update",
    "management_review_hold", "management_review_close", "management_review_cancel", "action_item_add",
    "action_item_complete", "action_item_cancel", "reviews_remind", "action_item_may_complete",
    "action_item_may_change", "REVIEW_ADD", "REVIEW_CHANGE", "REVIEW_HOLD", "INPUT_CHANGE", "REMINDERS",
]

REVIEW_ADD = "quality.add_managementreview"
REVIEW_CHANGE = "quality.change_managementreview"
REVIEW_HOLD = "quality.hold_managementreview"
INPUT_CHANGE = "quality.change_reviewinput"
MEETING_CHANGE = "quality.change_meeting"
REMINDERS = "quality.receive_quality_reminders"

# what the plan and update services set
REVIEW_FIELDS = ("title", "period_start", "period_end", "planned_on", "chair")


def _locked(review: ManagementReview) -> ManagementReview:
    return ManagementReview.objects.select_for_update().get(pk=review.pk)


def _status_error(review: ManagementReview) -> ValidationError:
    return ValidationError(_("A management review that is %(status)s cannot take this step.")
                           % {"status": review.get_status_display()})


def _check_period(review: ManagementReview) -> None:
    if review.period_start and review.period_end and review.period_end < review.period_start:
        raise ValidationError({"period_end": _("A period cannot end before it starts.")})


def _set_attendees(review: ManagementReview, attendees) -> None:
    if attendees is not None:
        review.attendees.set(list(attendees))


# --- the review ----------------------------------------------------------------------------------------------------


@transaction.atomic
def management_review_plan(*, actor, title: str, period_start: dt.date, period_end: dt.date, planned_on: dt.date,
                           chair=None, attendees=()) -> ManagementReview:
    """A planned review for the period, numbered MR-<year of the planned day>-NN."""
    require(actor, REVIEW_ADD)
    with acting_as(actor):
        review = ManagementReview(title=(title or "").strip(), period_start=period_start, period_end=period_end,
                                  planned_on=planned_on, chair=chair)
        _check_period(review)
        review.number = next_number(ManagementReview, "MR", today=planned_on or timezone.localdate(), width=2)
        review.full_clean()
        review.save()
        _set_attendees(review, attendees)
        audit("management_review.plan", actor=actor, obj=review, number=review.number,
              period=[period_start.isoformat(), period_end.isoformat()])
    return review


@transaction.atomic
def management_review_update(*, actor, review: ManagementReview, attendees=None, **fields) -> ManagementReview:
    """Change a planned review: title, period, day, chair, attendees (a new period asks for a new compilation)."""
    require(actor, REVIEW_CHANGE)
    unknown = set(fields) - set(REVIEW_FIELDS)
    if unknown:
        raise TypeError(f"unknown review fields: {sorted(unknown)}")
    review = _locked(review)
    if review.status != ReviewStatus.PLANNED:
        raise _status_error(review)
    changed = sorted(name for name, value in fields.items() if getattr(review, name) != value)
    for name in changed:
        setattr(review, name, fields[name])
    if "title" in changed:
        review.title = (review.title or "").strip()
    with acting_as(actor):
        _check_period(review)
        review.full_clean()
        review.save()
        _set_attendees(review, attendees)
        if changed or attendees is not None:
            audit("management_review.update", actor=actor, obj=review, fields=changed)
    return review


@transaction.atomic
def management_review_compile(*, actor, review: ManagementReview, today: dt.date | None = None) -> ManagementReview:
    """Compile (or refresh) the inputs of a planned review from wuye for its period: one input per topic, its
    figures replaced, the text people wrote kept."""
    from ..selectors.reviews import COMPILED_TOPICS, compile_figures

    require(actor, REVIEW_CHANGE)
    review = _locked(review)
    if review.status != ReviewStatus.PLANNED:
        raise ValidationError(_("Inputs are compiled only while the review is planned."))
    figures = compile_figures(review, today=today)
    existing = {item.topic: item for item in review.inputs.all()}
    with acting_as(actor):
        for order, topic in enumerate(COMPILED_TOPICS, start=1):
            item = existing.get(topic) or ReviewInput(review=review, topic=topic)
            item.figures = figures[topic]
            item.sort_order = order * 10
            item.full_clean()
            item.save()
        review.compiled_at = timezone.now()
        review.save()
        audit("management_review.compile", actor=actor, obj=review, topics=len(COMPILED_TOPICS))
    return review


@transaction.atomic
def review_input_update(*, actor, input: ReviewInput, text: str) -> ReviewInput:  # noqa: A002 - the brief's name
    """The people's summary of one input (until the review is closed or cancelled)."""
    require(actor, INPUT_CHANGE)
    item = ReviewInput.objects.select_for_update(of=("self",)).select_related("review").get(pk=input.pk)
    if item.review.status not in (ReviewStatus.PLANNED, ReviewStatus.HELD):
        raise _status_error(item.review)
    text = (text or "").strip()
    if text == item.text:
        return item
    with acting_as(actor):
        item.text = text
        item.full_clean()
        item.save()
        audit("management_review.input", actor=actor, obj=item.review, topic=item.topic)
    return item


@transaction.atomic
def management_review_hold(*, actor, review: ManagementReview, held_on: dt.date | None = None, minutes: str,
                           conclusion: str, attendees=None) -> ManagementReview:
    """Record that top management held the review: the day (not in the future), the minutes, the conclusion on
    the system's suitability and effectiveness, who attended. Needs the compiled inputs."""
    require(actor, REVIEW_HOLD)
    review = _locked(review)
    if review.status != ReviewStatus.PLANNED:
        raise _status_error(review)
    held_on = held_on or timezone.localdate()
    errors = {}
    if review.compiled_at is None or not review.inputs.exists():
        errors["__all__"] = [_("Compile the review's inputs before holding it.")]
    if held_on > timezone.localdate():
        errors["held_on"] = [_("A review cannot be held in the future.")]
    if held_on < review.period_start:
        errors["held_on"] = [_("A review is held after its period has begun.")]
    if not (minutes or "").strip():
        errors["minutes"] = [_("Record the minutes.")]
    if not (conclusion or "").strip():
        errors["conclusion"] = [_("State the conclusion on the system's suitability and effectiveness.")]
    attendees = list(attendees) if attendees is not None else list(review.attendees.all())
    if not attendees:
        errors["attendees"] = [_("Name who attended.")]
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        review.held_on = held_on
        review.minutes = minutes.strip()
        review.conclusion = conclusion.strip()
        review.status = ReviewStatus.HELD
        review.full_clean()
        review.save()
        review.attendees.set(attendees)
        audit("management_review.hold", actor=actor, obj=review, held_on=held_on.isoformat(),
              attendees=len(attendees))
    return review


@transaction.atomic
def management_review_close(*, actor, review: ManagementReview) -> ManagementReview:
    """Close a held review once every action item is done or cancelled."""
    require(actor, REVIEW_HOLD)
    review = _locked(review)
    if review.status != ReviewStatus.HELD:
        raise _status_error(review)
    still_open = list(review.actions.filter(status=ActionItemStatus.OPEN).order_by("due_on", "pk"))
    if still_open:
        raise ValidationError(_("These action items are still open: %(items)s. Complete or cancel them first.") % {
            "items": "; ".join(f"#{item.pk} {item.text[:40]}" for item in still_open)})
    with acting_as(actor):
        review.status = ReviewStatus.CLOSED
        review.save()
        audit("management_review.close", actor=actor, obj=review)
    return review


@transaction.atomic
def management_review_cancel(*, actor, review: ManagementReview, reason: str) -> ManagementReview:
    """Cancel a planned review, with the reason (it stays on record)."""
    require(actor, REVIEW_CHANGE)
    review = _locked(review)
    if review.status != ReviewStatus.PLANNED:
        raise _status_error(review)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    with acting_as(actor):
        review.status = ReviewStatus.CANCELLED
        review.cancel_reason = reason[:200]
        review.save()
        audit("management_review.cancel", actor=actor, obj=review, reason=review.cancel_reason)
    return review


# --- action items ----------------------------------------------------------------------------------------------------


def _parent_permission(parent) -> str:
    if isinstance(parent, ManagementReview):
        return REVIEW_CHANGE
    if isinstance(parent, Meeting):
        return MEETING_CHANGE
    raise TypeError(f"an action item belongs to a management review or a meeting, not {type(parent).__name__}")


def action_item_may_change(user, item: ActionItem) -> bool:
    return bool(user is not None and user.has_perm(_parent_permission(item.parent)))


def action_item_may_complete(user, item: ActionItem) -> bool:
    staff = staff_of(user)
    return action_item_may_change(user, item) or bool(staff is not None and staff.pk == item.owner_id)


def _check_parent_open(parent) -> None:
    if isinstance(parent, ManagementReview):
        if parent.status not in (ReviewStatus.PLANNED, ReviewStatus.HELD):
            raise _status_error(parent)
    elif parent.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting takes no action items."))


@transaction.atomic
def action_item_add(*, actor, parent, text: str, kind: str = OutputKind.IMPROVEMENT, owner=None,
                    due_on: dt.date | None = None) -> ActionItem:
    """An output of a review (or an action of a meeting). Improvement actions need an owner and a due date;
    decisions and resource needs may have neither."""
    require(actor, _parent_permission(parent))
    parent = type(parent).objects.select_for_update().get(pk=parent.pk)
    _check_parent_open(parent)
    errors = {}
    if not (text or "").strip():
        errors["text"] = [_("Say what is to be done.")]
    if kind == OutputKind.IMPROVEMENT:
        if owner is None:
            errors["owner"] = [_("An improvement action needs an owner.")]
        if due_on is None:
            errors["due_on"] = [_("An improvement action needs a due date.")]
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        item = ActionItem(kind=kind, text=text.strip(), owner=owner, due_on=due_on,
                          **({"review": parent} if isinstance(parent, ManagementReview) else {"meeting": parent}))
        item.full_clean()
        item.save()
        audit("action_item.add", actor=actor, obj=parent, item=item.pk, kind=kind,
              owner=owner.pk if owner else None, due_on=due_on.isoformat() if due_on else None)
    if owner is not None and owner.user_id and owner.user_id != actor.pk:
        notify([owner.user], key=f"quality:actionitem:{item.pk}:assigned",
               title=_("Action item for you: %(text)s") % {"text": item.text[:60]},
               body=str(parent), url=parent.get_absolute_url())
    return item


def _locked_item(item: ActionItem) -> ActionItem:
    # only the item's row: PostgreSQL locks no nullable side of an outer join (its review or meeting)
    return (ActionItem.objects.select_for_update(of=("self",)).select_related("review", "meeting", "owner")
            .get(pk=item.pk))


@transaction.atomic
def action_item_complete(*, actor, item: ActionItem, result: str, done_on: dt.date | None = None) -> ActionItem:
    """Done: by its owner or by someone who may change its review or meeting; with what was done."""
    item = _locked_item(item)
    if not action_item_may_complete(actor, item):
        raise PermissionDenied(_("You may not do this."))
    if item.status != ActionItemStatus.OPEN:
        raise ValidationError(_("This action item is already %(status)s.") % {"status": item.get_status_display()})
    done_on = done_on or timezone.localdate()
    errors = {}
    if not (result or "").strip():
        errors["result"] = [_("Say what was done.")]
    if done_on > timezone.localdate():
        errors["done_on"] = [_("An action cannot be done in the future.")]
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        item.status = ActionItemStatus.DONE
        item.result = result.strip()
        item.done_on = done_on
        item.save()
        audit("action_item.complete", actor=actor, obj=item.parent, item=item.pk, done_on=done_on.isoformat())
    return item


@transaction.atomic
def action_item_cancel(*, actor, item: ActionItem, reason: str) -> ActionItem:
    """Cancelled, with the reason (kept as the item's result), by someone who may change its review or meeting."""
    item = _locked_item(item)
    require(actor, _parent_permission(item.parent))
    if item.status != ActionItemStatus.OPEN:
        raise ValidationError(_("This action item is already %(status)s.") % {"status": item.get_status_display()})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    with acting_as(actor):
        item.status = ActionItemStatus.CANCELLED
        item.result = reason
        item.done_on = timezone.localdate()
        item.save()
        audit("action_item.cancel", actor=actor, obj=item.parent, item=item.pk, reason=reason[:200])
    return item


# --- reminders -------------------------------------------------------------------------------------------------------


def reviews_remind(*, today: dt.date | None = None) -> int:
    """The periodic job's part: while the yearly review is overdue, holders of ``quality.receive_quality_reminders``
    are told once per calendar month; the owner of an overdue action item once per item and due date. Returns the
    number of notifications sent (a rerun sends none)."""
    from ..selectors.reviews import overdue_action_items, review_status

    today = today or timezone.localdate()
    sent = 0
    status = review_status(today)
    if status["overdue"]:
        if status["last"] is None:
            body = _("No management review has been held yet.")
        else:
            body = _("The last management review was held on %(date)s; one is due at least every 12 months.") % {
                "date": f"{status['last_held_on']:%Y-%m-%d}"}
        target = status["next"] or status["last"]
        sent += len(notify(permission_holders(REMINDERS), key=f"quality:review-overdue:{today:%Y-%m}",
                           title=_("The management review is overdue"), body=body, level="warning",
                           url=target.get_absolute_url() if target else reverse("quality:managementreview_list")))
    items = (overdue_action_items(today).filter(owner__user__isnull=False, owner__user__is_active=True)
             .select_related("owner__user", "review", "meeting"))
    for item in items:
        sent += len(notify([item.owner.user], key=f"quality:actionitem:{item.pk}:overdue:{item.due_on:%Y-%m-%d}",
                           title=_("Action item overdue: %(text)s") % {"text": item.text[:60]},
                           body=_("Due on %(date)s (%(parent)s).") % {"date": f"{item.due_on:%Y-%m-%d}",
                                                                       "parent": item.parent},
                           url=item.get_absolute_url(), level="warning"))
    return sent
