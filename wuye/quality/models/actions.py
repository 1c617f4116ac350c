"""Nonconformities and their corrective actions (不合格 / 纠正措施): raised from an audit finding, a complaint, an
incident, a survey, a management review or by hand; cause analysis, action plan, work, verification of
effectiveness by someone other than the owner, closure (or cancellation with a reason)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wuye.core.models import BaseModel

from ..choices import DUE_ACTION_STATES, ActionSource, ActionState, Effectiveness, FindingGrade


class CorrectiveAction(BaseModel):
    """A nonconformity and its corrective action: one record through the states draft → cause analysis → action
    plan → in progress → verification → closed (or cancelled)."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=10, choices=ActionSource.choices, default=ActionSource.MANUAL)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("nonconformity"))
    grade = models.CharField(_("grade"), max_length=12, choices=FindingGrade.choices, blank=True)
    finding = models.OneToOneField("quality.Finding", verbose_name=_("audit finding"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="corrective_action")
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("complaint"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey("quality.ManagementReview", verbose_name=_("management review"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="corrective_actions")
    source_reference = models.CharField(_("source reference"), max_length=100, blank=True,
                                        help_text=_("e.g. the incident report's number"))
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Department", verbose_name=_("responsible department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    state = models.CharField(_("state"), max_length=16, choices=ActionState.choices, default=ActionState.DRAFT,
                             editable=False, db_index=True)
    immediate_correction = models.TextField(_("immediate correction"), blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    action_plan = models.TextField(_("corrective action"), blank=True)
    owner = models.ForeignKey("org.Staff", verbose_name=_("action owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True, editable=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    completion_note = models.TextField(_("what was done"), blank=True, editable=False)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("completed by"), null=True,
                                     blank=True, editable=False, on_delete=models.PROTECT, related_name="+")
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, blank=True,
                                 editable=False, on_delete=models.PROTECT, related_name="+")
    verified_on = models.DateField(_("verified on"), null=True, blank=True, editable=False)
    effectiveness = models.CharField(_("effectiveness"), max_length=14, choices=Effectiveness.choices, blank=True,
                                     editable=False)
    verification_note = models.TextField(pgettext_lazy("corrective action", "verification"), blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("reason cancelled"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["-raised_on", "-number"]
        permissions = [
            ("verify_correctiveaction", _("Can verify the effectiveness of corrective actions")),
            ("cancel_correctiveaction", _("Can cancel corrective actions")),
            ("receive_quality_reminders", _("Receives quality reminders (overdue actions, reviews)")),
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="quality_ca_state_due_idx")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("quality:correctiveaction", args=[self.pk])

    def is_overdue(self, today=None) -> bool:
        return bool(self.due_on and self.state in DUE_ACTION_STATES
                    and self.due_on < (today or timezone.localdate()))
