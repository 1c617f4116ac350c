"""Incidents (意外事故, manager form 审查报告 4): an accident or emergency at an estate, reported by the staff who
serve it, investigated (cause, responsibility), reviewed by the customer-service manager and closed; or withdrawn
with a reason. A corrective action may be raised in the quality app (one per incident).

Every write goes through ``services.py``; nothing is deleted. People involved are named without phone numbers (the
service refuses a mobile number in that field: personal data stays in the customer archive).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.models import BaseModel
from wuye.documents.models import StoredFile

from .choices import OPEN_STATUSES, IncidentStatus, Severity


class IncidentKind(BaseModel):
    """A kind of incident (人身伤害, 财产损失, 设备故障, 火情, 水浸, 治安, 其他 to start with); the company adds kinds
    or retires them (``is_active``), never deletes them."""

    code = models.SlugField(_("code"), max_length=30, unique=True,
                            error_messages={"unique": _("A kind with this code already exists.")})
    name = models.CharField(_("name"), max_length=50)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("incident kind")
        verbose_name_plural = _("incident kinds")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("incidents:incidentkind_edit", args=[self.pk])


class Incident(BaseModel):
    """One incident report (事故报告) with its investigation and the manager's review."""

    scope_estate = "estate"

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200, help_text=_("A short summary, e.g. “Owner slipped in the "
                                                                     "lobby of building 3”."))
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    place = models.CharField(_("place"), max_length=200)
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="incidents")
    kind = models.ForeignKey(IncidentKind, verbose_name=_("kind"), on_delete=models.PROTECT,
                             related_name="incidents")
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MINOR)
    people_involved = models.TextField(_("people involved"), blank=True,
                                       help_text=_("Names and roles only; no phone numbers."))
    description = models.TextField(_("description"))
    injured_count = models.PositiveSmallIntegerField(_("people injured"), default=0)
    injuries = models.TextField(_("injuries"), blank=True)
    losses = models.TextField(_("losses"), blank=True)
    loss_amount = models.DecimalField(_("estimated loss (yuan)"), max_digits=12, decimal_places=2, null=True,
                                      blank=True, validators=[MinValueValidator(0)])
    immediate_measures = models.TextField(_("immediate measures"), blank=True)

    status = models.CharField(_("status"), max_length=14, choices=IncidentStatus.choices,
                              default=IncidentStatus.REPORTED, editable=False, db_index=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT,
                                    related_name="incidents_reported", editable=False)
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now, editable=False)

    investigator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("investigator"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="incidents_investigated",
                                     editable=False)
    investigation_started_at = models.DateTimeField(_("investigation started"), null=True, blank=True,
                                                    editable=False)
    cause = models.TextField(_("cause"), blank=True, editable=False)
    responsibility = models.TextField(_("responsibility"), blank=True, editable=False)
    investigated_at = models.DateTimeField(_("investigated at"), null=True, blank=True, editable=False)

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="incidents_reviewed", editable=False)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    review_comment = models.TextField(_("review comment"), blank=True, editable=False)
    review_instructions = models.TextField(_("instructions"), blank=True, editable=False)

    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="incidents_closed", editable=False)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True, editable=False)

    corrective_action = models.OneToOneField("quality.CorrectiveAction", verbose_name=_("corrective action"),
                                             null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="incident", editable=False)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-id"]
        permissions = [
            ("investigate_incident", _("Can investigate incidents")),
            ("review_incident", _("Can review incidents (the manager's review)")),
            ("close_incident", _("Can close or withdraw incidents")),
        ]
        indexes = [
            models.Index(fields=["estate", "status"], name="incidents_estate_status_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("incidents:incident", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def incident_file_path(instance, filename: str) -> str:
    return f"incidents/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}"


class IncidentFile(StoredFile, BaseModel):
    """A photo or document of an incident (scene photos, statements, invoices of the losses); never deleted."""

    scope_estate = "incident__estate"

    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.PROTECT,
                                 related_name="files")
    file = models.FileField(_("file"), upload_to=incident_file_path, max_length=300)

    class Meta:
        verbose_name = _("incident file")
        verbose_name_plural = _("incident files")
        ordering = ["incident", "created_at", "id"]

    def get_absolute_url(self):
        return reverse("incidents:file", args=[self.pk])
