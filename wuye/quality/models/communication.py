"""Communication (seed 1.10): meetings top-down (例会 and others, with minutes, decisions and action items) and
submissions bottom-up (报告 reports and 申诉 appeals from staff or customers), assigned, answered and closed.
Appeals are confidential: only the submitter, the assignee and holders of ``quality.view_confidential_submission``
see them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wuye.core.models import BaseModel

from ..choices import MeetingKind, MeetingStatus, SubmissionKind, SubmissionState, SubmitterKind

CONFIDENTIAL_PERMISSION = "quality.view_confidential_submission"
HANDLE_PERMISSION = "quality.handle_submission"


class Meeting(BaseModel):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    title = models.CharField(_("title"), max_length=200)
    department = models.ForeignKey("org.Department", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("location"), max_length=100, blank=True)
    chair = models.ForeignKey("org.Staff", verbose_name=_("chair"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    attendees = models.ManyToManyField("org.Staff", verbose_name=_("attendees"), blank=True, related_name="+")
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(pgettext_lazy("record", "minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED, editable=False, db_index=True)
    cancel_reason = models.CharField(_("reason cancelled"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-number"]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("quality:meeting", args=[self.pk])


class Submission(BaseModel):
    """A report or an appeal from a staff member or a customer (自下而上的报告、申诉)."""

    @classmethod
    def resident_scope(cls, user):
        """A resident sees what they filed and what staff entered for their customer record."""
        return Q(submitted_by=user) | Q(customer__user=user)

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=SubmissionKind.choices, default=SubmissionKind.REPORT)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    submitter_kind = models.CharField(_("submitted by a"), max_length=10, choices=SubmitterKind.choices,
                                      default=SubmitterKind.STAFF)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by (account)"), null=True,
                                     blank=True, editable=False, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey("org.Staff", verbose_name=_("staff member"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey("estates.Customer", verbose_name=_("customer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    submitter_name = models.CharField(_("submitter"), max_length=100, blank=True)
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    confidential = models.BooleanField(_("confidential"), default=False,
                                       help_text=_("Appeals are always confidential."))
    state = models.CharField(_("state"), max_length=10, choices=SubmissionState.choices,
                             default=SubmissionState.SUBMITTED, editable=False, db_index=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True,
                                 editable=False, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True, editable=False)
    reply = models.TextField(_("reply"), blank=True, editable=False)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closing_note = models.CharField(_("closing note"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at", "-number"]
        permissions = [
            ("view_confidential_submission", _("Can see confidential submissions and appeals")),
            ("handle_submission", _("Can assign, answer and close submissions")),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="appeal") | Q(confidential=True),
                                   name="quality_appeal_confidential",
                                   violation_error_message=_("An appeal is always confidential.")),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    def get_absolute_url(self):
        return reverse("quality:submission", args=[self.pk])

    @classmethod
    def restrict_queryset(cls, queryset, user, action):
        """Those who do not handle submissions see their own; confidential ones are seen only by their submitter,
        their assignee and holders of the confidential permission. A customer's own record (entered for them by
        staff) counts as theirs."""
        mine = Q(submitted_by=user) | Q(assignee=user) | Q(customer__user=user)
        if not user.has_perm(HANDLE_PERMISSION):
            return queryset.filter(mine)
        if user.has_perm(CONFIDENTIAL_PERMISSION):
            return queryset
        return queryset.filter(Q(confidential=False) | mine)
