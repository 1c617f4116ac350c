"""Reads of the organisation app that span relations."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Subquery

from .choices import StaffStatus, StandardStatus
from .models import Acknowledgement, JobStandard, Staff


def _ack_subquery(standard_ref):
    ct = ContentType.objects.get_for_model(JobStandard)
    return Acknowledgement.objects.filter(staff=OuterRef("pk"), content_type=ct, object_id=standard_ref)


def staff_of(user) -> Staff | None:
    """The staff record of a user account, or None (residents, bare accounts, anonymous)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None


def standard_acknowledgements(*, standard: JobStandard):
    """Active holders of the standard's post, each with ``acknowledged_at`` (None if not yet)."""
    acks = _ack_subquery(standard.pk)
    return (Staff.objects.filter(post=standard.post, status=StaffStatus.ACTIVE)
            .annotate(acknowledged_at=Subquery(acks.values("acknowledged_at")[:1]))
            .select_related("department", "post").order_by("acknowledged_at", "name"))


def pending_acknowledgements(*, staff_queryset=None):
    """Active staff who have not confirmed the current job standard of their post."""
    current = JobStandard.objects.filter(post=OuterRef("post"), status=StandardStatus.CURRENT)
    ct = ContentType.objects.get_for_model(JobStandard)
    acked = Acknowledgement.objects.filter(staff=OuterRef("pk"), content_type=ct,
                                           object_id=OuterRef("current_standard_id"))
    qs = staff_queryset if staff_queryset is not None else Staff.objects.all()
    return (qs.filter(status=StaffStatus.ACTIVE)
            .annotate(current_standard_id=Subquery(current.values("pk")[:1]),
                      current_version=Subquery(current.values("version")[:1]))
            .filter(current_standard_id__isnull=False)
            .annotate(has_acked=Exists(acked)).filter(has_acked=False)
            .select_related("department", "post").order_by("department__name", "name"))


def my_standard_status(*, staff: Staff) -> tuple[JobStandard | None, Acknowledgement | None]:
    standard = staff.post.current_standard
    if standard is None:
        return None, None
    ct = ContentType.objects.get_for_model(JobStandard)
    ack = Acknowledgement.objects.filter(staff=staff, content_type=ct, object_id=standard.pk).first()
    return standard, ack
