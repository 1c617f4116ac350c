"""Workflow writes of the organisation app: versioned job standards, acknowledgements, staff changes."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.scope import forget

from .choices import StaffStatus, StandardStatus
from .hooks import leave_blockers
from .models import Acknowledgement, JobStandard, Post, Staff

STANDARD_FIELDS = ("duties", "work_standard", "qualifications", "assessment_method", "change_note")


@transaction.atomic
def job_standard_create(*, actor, post: Post, duties: str, assessment_method: str, work_standard: str = "",
                        qualifications: str = "", change_note: str = "") -> JobStandard:
    """A new draft version of the post's job standard (the next version number)."""
    with acting_as(actor):
        Post.objects.select_for_update().filter(pk=post.pk).first()
        if post.standards.filter(status=StandardStatus.DRAFT).exists():
            raise ValidationError(_("This post already has a draft; edit or publish it first."))
        last = post.standards.aggregate(m=Max("version"))["m"] or 0
        standard = JobStandard(post=post, version=last + 1, duties=duties, assessment_method=assessment_method,
                               work_standard=work_standard, qualifications=qualifications,
                               change_note=change_note)
        standard.full_clean()
        standard.save()
        audit("job_standard.create", actor=actor, obj=standard, version=standard.version)
        return standard


@transaction.atomic
def job_standard_publish(*, actor, standard: JobStandard) -> JobStandard:
    """Make a draft the current standard; the previous one is superseded (kept, never deleted).
    Everyone holding the post must acknowledge the new version."""
    with acting_as(actor):
        standard = JobStandard.objects.select_for_update().get(pk=standard.pk)
        if standard.status != StandardStatus.DRAFT:
            raise ValidationError(_("Only a draft can be published."))
        previous = standard.post.standards.filter(status=StandardStatus.CURRENT).first()
        if previous is not None:
            previous.status = StandardStatus.SUPERSEDED
            previous.save(update_fields=["status", "updated_at", "updated_by"])
        standard.status = StandardStatus.CURRENT
        standard.effective_from = timezone.localdate()
        standard.approved_by = actor
        standard.save()
        audit("job_standard.publish", actor=actor, obj=standard, version=standard.version,
              superseded=previous.version if previous else None)
        return standard


@transaction.atomic
def acknowledgement_confirm(*, actor, subject) -> Acknowledgement:
    """The acting staff member confirms having read ``subject`` (a current job standard of their post)."""
    staff = getattr(actor, "staff", None) if actor is not None else None
    if staff is None or staff.status != StaffStatus.ACTIVE:
        raise ValidationError(_("Only an active staff member can confirm."))
    if isinstance(subject, JobStandard):
        subject = JobStandard.objects.get(pk=subject.pk)  # the stored status, not a stale copy
        if subject.status != StandardStatus.CURRENT:
            raise ValidationError(_("Only the current version of a job standard can be confirmed."))
        if subject.post_id != staff.post_id:
            raise ValidationError(_("This is not the job standard of your post."))
    ct = ContentType.objects.get_for_model(subject)
    if Acknowledgement.objects.filter(staff=staff, content_type=ct, object_id=subject.pk).exists():
        raise ValidationError(_("You have already confirmed this."))
    with acting_as(actor):
        ack = Acknowledgement.objects.create(staff=staff, content_type=ct, object_id=subject.pk,
                                             acknowledged_at=timezone.now())
        audit("acknowledgement.confirm", actor=actor, obj=subject, staff=staff.pk)
        return ack


@transaction.atomic
def staff_set_estates(*, actor, staff: Staff, estates) -> Staff:
    """Change the estates a staff member serves (what they can see follows at once)."""
    with acting_as(actor):
        before = sorted(staff.estates.values_list("pk", flat=True))
        staff.estates.set(estates)
        after = sorted(staff.estates.values_list("pk", flat=True))
        if before != after:
            audit("staff.estates", actor=actor, obj=staff, before=before, after=after)
        if staff.user is not None:
            forget(staff.user)
        return staff


@transaction.atomic
def staff_leave(*, actor, staff: Staff, left_on) -> Staff:
    """Mark a staff member as left: the record stays, the login is disabled, they serve no estate."""
    with acting_as(actor):
        if staff.status == StaffStatus.LEFT:
            raise ValidationError(_("This staff member has already left."))
        blockers = leave_blockers(staff)
        if blockers:
            raise ValidationError(blockers)
        staff.status = StaffStatus.LEFT
        staff.left_on = left_on
        staff.full_clean()
        staff.save()
        estates = list(staff.estates.values_list("pk", flat=True))
        staff.estates.clear()
        if staff.user is not None:
            staff.user.is_active = False
            staff.user.save(update_fields=["is_active"])
        audit("staff.leave", actor=actor, obj=staff, left_on=str(left_on), estates=estates)
        return staff
