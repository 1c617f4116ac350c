"""Contracts and takeovers (seed 2.10–2.14): the property-management contract chain of each estate, the
outsourcing contracts, the review before signing, the contract register with validity periods, expiry alerts,
takeovers and the renewal tasks opened when an owners' committee is formed.

Workflow writes go through ``services.py``; the takeover rules of seed 2.10 and 2.11 are enforced there
(``takeover_record``), not by a form. Nothing is deleted: a contract ends as expired, terminated or superseded.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wuye.core.models import BaseModel
from wuye.documents.models import StoredFile

from .choices import (
    MANAGEMENT_KINDS,
    ContractKind,
    ContractStatus,
    PartyKind,
    RenewalState,
    ReviewResult,
)


class ReviewChecklistItem(BaseModel):
    """One point the reviewer checks before a contract is signed (seed 2.12, 2.14). The company edits the list;
    a review copies the points in use when it starts, so a later edit does not change past reviews."""

    text = models.CharField(_("point to check"), max_length=200)
    guidance = models.CharField(_("guidance"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("review checklist point")
        verbose_name_plural = _("review checklist")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return reverse("contracts:reviewchecklistitem_edit", args=[self.pk])


class Contract(BaseModel):
    """A contract of the company: a property-management contract of an estate (前期 / 物业服务合同) or an
    outsourcing contract (cleaning, security, elevator maintenance, greening, other)."""

    scope_estate = "estate"

    number = models.CharField(_("contract number"), max_length=50, unique=True,
                              error_messages={"unique": _("A contract with this number already exists.")})
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=ContractKind.choices)
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="contracts")
    party_kind = models.CharField(_("counterparty type"), max_length=16, choices=PartyKind.choices)
    party_name = models.CharField(_("counterparty"), max_length=200, blank=True,
                                  help_text=_("Filled from the committee or customer when one is chosen."))
    party_committee = models.ForeignKey("estates.OwnersCommittee", verbose_name=_("owners' committee"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="contracts")
    party_customer = models.ForeignKey("estates.Customer", verbose_name=_("customer"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="contracts")
    signed_on = models.DateField(_("signed on"), null=True, blank=True, editable=False)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)])
    payment_terms = models.TextField(_("payment terms"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ContractStatus.choices,
                              default=ContractStatus.DRAFT, editable=False, db_index=True)
    owner = models.ForeignKey("org.Staff", verbose_name=_("contract owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="contracts",
                              help_text=_("Looks after the contract and receives its expiry alerts."))
    renews = models.ForeignKey("self", verbose_name=_("renews or replaces"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="renewals")
    ended_on = models.DateField(_("ended on"), null=True, blank=True, editable=False)
    end_reason = models.CharField(_("reason it ended"), max_length=200, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["valid_to", "number"]
        permissions = [
            ("review_contract", _("Can review contracts before signing")),
            ("sign_contract", _("Can record contracts as signed, terminate them")),
            ("record_takeover", _("Can record estate takeovers")),
            ("receive_contract_alerts", _("Receives contract expiry alerts")),
        ]
        indexes = [
            models.Index(fields=["status", "valid_to"], name="contracts_status_valid_to_idx"),
            models.Index(fields=["estate", "kind", "status"], name="contracts_estate_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="contracts_period",
                                   violation_error_message=_("A contract cannot end before it starts.")),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("contracts:contract", args=[self.pk])

    @property
    def is_management(self) -> bool:
        return self.kind in MANAGEMENT_KINDS

    def days_left(self, today=None) -> int | None:
        """Days from today to the last valid day (0 on that day, negative after it); None once it has ended."""
        if self.status in (ContractStatus.TERMINATED, ContractStatus.SUPERSEDED):
            return None
        return (self.valid_to - (today or timezone.localdate())).days

    def clean(self):
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("A contract cannot end before it starts.")
        if self.kind in MANAGEMENT_KINDS and not self.estate_id:
            errors["estate"] = _("A property-management contract names its estate.")
        if self.party_committee_id:
            if self.party_kind != PartyKind.COMMITTEE:
                errors["party_committee"] = _("Choose a committee only when the counterparty is an owners' "
                                              "committee.")
            elif self.estate_id and self.party_committee.estate_id != self.estate_id:
                errors["party_committee"] = _("This committee is not the committee of the contract's estate.")
        elif self.party_kind == PartyKind.COMMITTEE and self.estate_id:
            errors["party_committee"] = _("Choose the owners' committee.")
        if self.party_customer_id and self.estate_id and self.party_customer.estate_id != self.estate_id:
            errors["party_customer"] = _("This customer is not in the contract's estate.")
        if self.kind == ContractKind.PRELIMINARY and self.party_kind not in (PartyKind.DEVELOPER,
                                                                             PartyKind.PROPERTY_OWNER):
            errors["party_kind"] = _("A preliminary contract is signed with the developer or the property owner.")
        if self.kind == ContractKind.SERVICE and self.party_kind not in (PartyKind.COMMITTEE,
                                                                         PartyKind.PROPERTY_OWNER):
            errors["party_kind"] = _("A service contract is signed with the owners' committee or the property "
                                     "owner.")
        if not self.party_name:
            if self.party_committee_id:
                self.party_name = str(self.party_committee)[:200]
            elif self.party_customer_id:
                self.party_name = self.party_customer.name
            else:
                errors["party_name"] = _("Name the counterparty.")
        if errors:
            raise ValidationError(errors)


class ContractReview(BaseModel):
    """One review round of a contract before signing: every checklist point answered, comments, a decision."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.PROTECT,
                                 related_name="reviews")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     on_delete=models.PROTECT, related_name="+", editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    result = models.CharField(pgettext_lazy("contract review", "result"), max_length=10, choices=ReviewResult.choices,
                              default=ReviewResult.PENDING, editable=False)
    comments = models.TextField(_("comments"), blank=True)

    scope_estate = "contract__estate"

    class Meta:
        verbose_name = _("contract review")
        verbose_name_plural = _("contract reviews")
        ordering = ["contract", "-submitted_at", "-id"]

    def __str__(self):
        return f"{self.contract.number} · {self.get_result_display()}"

    def get_absolute_url(self):
        return reverse("contracts:contract", args=[self.contract_id]) + "#reviews"


class ReviewCheck(models.Model):
    """A checklist point as it stood when the review started, and the reviewer's answer to it."""

    review = models.ForeignKey(ContractReview, verbose_name=_("review"), on_delete=models.PROTECT,
                               related_name="checks")
    item = models.ForeignKey(ReviewChecklistItem, verbose_name=_("checklist point"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("point to check"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    passed = models.BooleanField(_("holds"), null=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("review check")
        verbose_name_plural = _("review checks")
        ordering = ["review", "sort_order", "id"]

    def __str__(self):
        return self.text


def contract_file_path(instance, filename: str) -> str:
    return f"contracts/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}"


class ContractFile(StoredFile, BaseModel):
    """A scanned page set or the electronic text of a contract: stored like a document revision's file (content
    checked, checksum, extracted text for search), never deleted."""

    scope_estate = "contract__estate"

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.PROTECT,
                                 related_name="files")
    file = models.FileField(_("file"), upload_to=contract_file_path, max_length=300)

    class Meta:
        verbose_name = _("contract file")
        verbose_name_plural = _("contract files")
        ordering = ["contract", "created_at", "id"]

    def get_absolute_url(self):
        return reverse("contracts:file", args=[self.pk])


class ContractAlert(models.Model):
    """An expiry alert that has gone out (one per contract and threshold: the job is idempotent)."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.PROTECT,
                                 related_name="alerts")
    days_before = models.PositiveSmallIntegerField(_("days before the end"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("expiry alert")
        verbose_name_plural = _("expiry alerts")
        ordering = ["contract", "-days_before"]
        constraints = [models.UniqueConstraint(fields=["contract", "days_before"], name="contracts_alert_once")]

    def __str__(self):
        return f"{self.contract.number} · {self.days_before}"


class Takeover(BaseModel):
    """接管: the company formally takes over an estate, on the strength of the contract the rules require."""

    scope_estate = "estate"

    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="takeovers")
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.PROTECT,
                                 related_name="takeovers")
    taken_over_on = models.DateField(_("taken over on"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("takeover")
        verbose_name_plural = _("takeovers")
        ordering = ["-taken_over_on", "-id"]

    def __str__(self):
        return f"{self.estate} · {self.taken_over_on}"

    def get_absolute_url(self):
        return reverse("contracts:takeover", args=[self.pk])


class RenewalTask(BaseModel):
    """续签 (seed 2.10): an owners' committee has been formed for an estate on a preliminary contract, so a
    service contract with the committee is due. Done when that contract comes into force."""

    scope_estate = "estate"

    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="renewal_tasks")
    contract = models.ForeignKey(Contract, verbose_name=_("preliminary contract"), on_delete=models.PROTECT,
                                 related_name="renewal_tasks")
    committee = models.ForeignKey("estates.OwnersCommittee", verbose_name=_("owners' committee"),
                                  on_delete=models.PROTECT, related_name="renewal_tasks")
    state = models.CharField(_("state"), max_length=10, choices=RenewalState.choices, default=RenewalState.OPEN,
                             editable=False, db_index=True)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    new_contract = models.ForeignKey(Contract, verbose_name=_("service contract"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+", editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("renewal task")
        verbose_name_plural = _("renewal tasks")
        ordering = ["state", "-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["estate"], condition=Q(state=RenewalState.OPEN),
                                    name="contracts_one_open_renewal",
                                    violation_error_message=_("This estate already has an open renewal task.")),
        ]

    def __str__(self):
        return f"{self.estate} · {self.committee}"

    def get_absolute_url(self):
        return reverse("contracts:contract", args=[self.contract_id]) + "#renewal"
