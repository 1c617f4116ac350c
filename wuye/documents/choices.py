"""Choices of the documents app (seed 2.1–2.9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Confidentiality(models.TextChoices):
    """密级: who may open a document without a loan."""

    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    SECRET = "secret", _("Secret")
    CONFIDENTIAL = "confidential", _("Confidential")


RESTRICTED_LEVELS = (Confidentiality.SECRET, Confidentiality.CONFIDENTIAL)


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("document", "Draft (not yet issued)")
    CURRENT = "current", pgettext_lazy("document", "Current")
    OBSOLETE = "obsolete", pgettext_lazy("document", "Obsolete")


class RevisionState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("revision", "Draft")
    IN_REVIEW = "in_review", pgettext_lazy("revision", "In review")
    APPROVED = "approved", pgettext_lazy("revision", "Approved")
    ISSUED = "issued", pgettext_lazy("revision", "Issued (current)")
    SUPERSEDED = "superseded", pgettext_lazy("revision", "Superseded")
    OBSOLETE = "obsolete", pgettext_lazy("revision", "Obsolete")


class LoanMedium(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic")
    PAPER = "paper", _("Paper")


class LoanState(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("loan", "Requested")
    APPROVED = "approved", pgettext_lazy("loan", "Approved")
    REJECTED = "rejected", pgettext_lazy("loan", "Rejected")
    LENT = "lent", pgettext_lazy("loan", "Lent")
    RETURNED = "returned", pgettext_lazy("loan", "Returned")
    CANCELLED = "cancelled", pgettext_lazy("loan", "Cancelled")


# states in which a paper copy is promised or out: two such loans of one document may not overlap
HOLDING_STATES = (LoanState.APPROVED, LoanState.LENT)


class HandoverState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("handover", "Being prepared")
    SENT = "sent", pgettext_lazy("handover", "Waiting for the successor")
    COMPLETED = "completed", pgettext_lazy("handover", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("handover", "Cancelled")


class RegulationLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    LOCAL = "local", _("Local")
    INDUSTRY = "industry", _("Industry")


class RegulationStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPEALED = "repealed", _("Repealed")


class ArchiveType(models.TextChoices):
    """档案: where a document is filed (seed 2.4)."""

    CUSTOMER = "customer", _("Customer archive")
    ENGINEERING = "engineering", _("Engineering archive")
    PROPERTY = "property", _("Property archive")
