from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContractKind(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary property-management contract")
    SERVICE = "service", _("Property-management service contract")
    CLEANING = "cleaning", _("Cleaning outsourcing")
    SECURITY = "security", _("Security outsourcing")
    ELEVATOR = "elevator", _("Elevator maintenance")
    GREENING = "greening", _("Greening maintenance")
    OTHER = "other", pgettext_lazy("contract kind", "Other")


# The property-management contracts (seed 2.10, 2.11): they name an estate and decide its takeover.
MANAGEMENT_KINDS = (ContractKind.PRELIMINARY, ContractKind.SERVICE)


class PartyKind(models.TextChoices):
    DEVELOPER = "developer", _("Developer")
    COMMITTEE = "committee", _("Owners' committee")
    PROPERTY_OWNER = "property_owner", _("Property owner")
    SUPPLIER = "supplier", _("Supplier")
    OTHER = "other", pgettext_lazy("party kind", "Other")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("contract status", "Draft")
    IN_REVIEW = "in_review", pgettext_lazy("contract status", "Under review")
    REVIEWED = "reviewed", pgettext_lazy("contract status", "Review passed")
    SIGNED = "signed", pgettext_lazy("contract status", "Signed")
    IN_FORCE = "in_force", pgettext_lazy("contract status", "In force")
    EXPIRING = "expiring", pgettext_lazy("contract status", "Expiring")
    EXPIRED = "expired", pgettext_lazy("contract status", "Expired")
    TERMINATED = "terminated", pgettext_lazy("contract status", "Terminated")
    SUPERSEDED = "superseded", pgettext_lazy("contract status", "Superseded")


# Signed and not yet over: what overlaps, alerts and counts as "the estate's contract".
LIVE_STATUSES = (ContractStatus.SIGNED, ContractStatus.IN_FORCE, ContractStatus.EXPIRING)
# In force today (seed 2.10/2.11 "signed, in-force").
IN_FORCE_STATUSES = (ContractStatus.IN_FORCE, ContractStatus.EXPIRING)
# Not signed yet.
UNSIGNED_STATUSES = (ContractStatus.DRAFT, ContractStatus.IN_REVIEW, ContractStatus.REVIEWED)
# Before signing: the contract may still be edited.
EDITABLE_STATUSES = (ContractStatus.DRAFT,)
ENDED_STATUSES = (ContractStatus.EXPIRED, ContractStatus.TERMINATED, ContractStatus.SUPERSEDED)


class ReviewResult(models.TextChoices):
    PENDING = "pending", pgettext_lazy("review result", "Pending")
    PASSED = "passed", pgettext_lazy("review result", "Passed")
    FAILED = "failed", pgettext_lazy("review result", "Returned")


class RenewalState(models.TextChoices):
    OPEN = "open", pgettext_lazy("renewal task", "Open")
    DONE = "done", pgettext_lazy("renewal task", "Done")
    CANCELLED = "cancelled", pgettext_lazy("renewal task", "Cancelled")
