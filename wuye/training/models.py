"""Staff training (manager form 业务工作 6): the department's annual training plan and its items (topic, target posts,
hours, trainer, month), the sessions held (planned → held with the attendance record, or cancelled with a reason),
their materials, and the attendance of each staff member with an assessment score.

Workflow writes go through ``services.py``. Nothing is deleted: a plan ends closed, a session cancelled.
Training rows belong to a department, not an estate (no ``scope_estate``); attendance rows are personal: a staff
member sees their own, holders of ``training.view_department_training`` see everyone's
(``Attendance.restrict_queryset``).
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.models import BaseModel
from wuye.documents.models import StoredFile

from .choices import PlanStatus, SessionStatus

DEPARTMENT_PERMISSION = "training.view_department_training"


class TrainingPlan(BaseModel):
    """The annual training plan of a department: one per department and year; draft → approved → closed."""

    department = models.ForeignKey("org.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="training_plans")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT,
                              editable=False, db_index=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    close_reason = models.CharField(_("closing note"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-year", "department"]
        permissions = [
            ("approve_trainingplan", _("Can approve training plans")),
            ("view_department_training", _("Can see the training records of all staff")),
            ("receive_training_reminders", _("Receives reminders of sessions without a record")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="training_one_plan_per_year",
                                    violation_error_message=_("This department already has a training plan for "
                                                              "this year.")),
        ]

    def __str__(self):
        return f"{self.year} {self.title}"

    def get_absolute_url(self):
        return reverse("training:trainingplan", args=[self.pk])


class PlanItem(BaseModel):
    """One training of the plan: topic, the posts that must attend, hours, trainer, month."""

    plan = models.ForeignKey(TrainingPlan, verbose_name=_("training plan"), on_delete=models.PROTECT,
                             related_name="items")
    topic = models.CharField(_("topic"), max_length=200)
    target_posts = models.ManyToManyField("org.Post", verbose_name=_("target posts"), related_name="training_items",
                                          blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("200"))])
    trainer = models.CharField(_("trainer"), max_length=100, blank=True,
                               help_text=_("An outside trainer's name; or choose a staff member."))
    trainer_staff = models.ForeignKey("org.Staff", verbose_name=_("trainer (staff)"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="training_items")
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "month", "id"]

    def __str__(self):
        return f"{self.month:02d} · {self.topic}"

    def get_absolute_url(self):
        return reverse("training:trainingplan", args=[self.plan_id]) + f"#item-{self.pk}"

    @property
    def trainer_name(self) -> str:
        return self.trainer_staff.name if self.trainer_staff_id else self.trainer


class TrainingSession(BaseModel):
    """A training held on a day: for a plan item, or ad hoc (no item). planned → held (attendance recorded) or
    cancelled with a reason."""

    department = models.ForeignKey("org.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="training_sessions")
    plan_item = models.ForeignKey(PlanItem, verbose_name=_("plan item"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="sessions",
                                  help_text=_("Empty for an ad-hoc session."))
    topic = models.CharField(_("topic"), max_length=200)
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("200"))],
                                help_text=_("Empty: from the start and end time."), blank=True)
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)
    trainer_staff = models.ForeignKey("org.Staff", verbose_name=_("trainer (staff)"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="training_sessions")
    place = models.CharField(_("place"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices,
                              default=SessionStatus.PLANNED, editable=False, db_index=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["status", "date"], name="training_session_status_date")]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__isnull=True) | Q(start_time__isnull=True)
                                   | Q(end_time__gt=models.F("start_time")), name="training_session_times",
                                   violation_error_message=_("The session ends before it starts.")),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("training:trainingsession", args=[self.pk])

    @property
    def trainer_name(self) -> str:
        return self.trainer_staff.name if self.trainer_staff_id else self.trainer

    def clean(self):
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The session ends before it starts.")
        elif self.hours is None:
            if self.start_time and self.end_time:
                minutes = (self.end_time.hour * 60 + self.end_time.minute) - (
                    self.start_time.hour * 60 + self.start_time.minute)
                self.hours = (Decimal(minutes) / 60).quantize(Decimal("0.1"))
                if self.hours < Decimal("0.5"):
                    self.hours = Decimal("0.5")
            else:
                errors["hours"] = _("Give the hours, or the start and end time.")
        if self.plan_item_id and self.department_id and self.plan_item.plan.department_id != self.department_id:
            errors["plan_item"] = _("This plan item belongs to another department's plan.")
        if errors:
            raise ValidationError(errors)


def material_file_path(instance, filename: str) -> str:
    return f"training/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}"


class SessionMaterial(StoredFile, BaseModel):
    """A handout, slides or the sign-in sheet of a session: checked by its content, kept with its checksum."""

    session = models.ForeignKey(TrainingSession, verbose_name=_("training session"), on_delete=models.PROTECT,
                                related_name="materials")
    file = models.FileField(_("file"), upload_to=material_file_path, max_length=300)

    class Meta:
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")
        ordering = ["session", "created_at", "id"]

    def get_absolute_url(self):
        return reverse("training:material", args=[self.pk])


class Attendance(BaseModel):
    """Whether a staff member attended a session, and their assessment score (0–100, optional)."""

    session = models.ForeignKey(TrainingSession, verbose_name=_("training session"), on_delete=models.PROTECT,
                                related_name="attendances")
    staff = models.ForeignKey("org.Staff", verbose_name=_("staff member"), on_delete=models.PROTECT,
                              related_name="training_attendances")
    attended = models.BooleanField(_("attended"), default=True)
    score = models.DecimalField(_("assessment score"), max_digits=4, decimal_places=1, null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    comment = models.CharField(_("comment"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "staff__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="training_attendance_once",
                                    violation_error_message=_("This staff member is already on the session's "
                                                              "record.")),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                                   name="training_score_range",
                                   violation_error_message=_("A score is between 0 and 100.")),
        ]

    def __str__(self):
        return f"{self.session} · {self.staff.name}"

    def get_absolute_url(self):
        return reverse("training:trainingsession", args=[self.session_id]) + f"#attendance-{self.pk}"

    @classmethod
    def restrict_queryset(cls, queryset, user, action: str):
        """Personal: one's own rows only, unless one holds ``training.view_department_training``."""
        if user.has_perm(DEPARTMENT_PERMISSION):
            return queryset
        return queryset.filter(staff__user=user)
