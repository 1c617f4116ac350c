"""Controlled documents and records (seed 2.1–2.9): the register, revisions and their files, where the paper
lies, who may open what (confidentiality, grants, loans), custodian handovers, the regulations register and the
archives' required documents.

Workflow writes go through ``services.py``. What a user may see is ``Document.restrict_queryset`` (called by
``core.querysets.restrict``): the role's permission, the estate scope of archived documents, then the
confidentiality rule of seed 2.6.
"""

from __future__ import annotations

import secrets
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.models import BaseModel, TreeNodeMixin

from .choices import (
    RESTRICTED_LEVELS,
    ArchiveType,
    Confidentiality,
    DocumentStatus,
    HandoverState,
    LoanMedium,
    LoanState,
    RegulationLevel,
    RegulationStatus,
    RevisionState,
)

# Who may open secret and confidential documents without being their custodian, grantee or borrower.
VIEW_RESTRICTED = "documents.view_restricted_document"


def pattern_is_valid(pattern: str) -> bool:
    """Only the three names, plain (no attribute or index access), {seq} present, and it formats."""
    try:
        fields = [name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None]
        pattern.format(prefix="QP", seq=1, year=2026)
    except (KeyError, IndexError, ValueError):
        return False
    return "seq" in fields and all(name in ("prefix", "seq", "year") for name in fields)


class DocumentCategory(TreeNodeMixin, BaseModel):
    """A node of the classification tree (质量手册, 程序文件 …) with the numbering rule of its documents."""

    name = models.CharField(_("name"), max_length=50)
    parent = models.ForeignKey("self", verbose_name=_("parent category"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    path = models.CharField(_("full name"), max_length=200, editable=False, db_index=True)
    prefix = models.CharField(_("code prefix"), max_length=30,
                              help_text=_("Put into the codes of the category's documents, e.g. QP-7.5."))
    pattern = models.CharField(
        _("numbering rule"), max_length=60, default="WY-{prefix}-{seq:03d}",
        help_text=_("How new codes are made: {prefix} is the code prefix, {seq} the next number, {year} the "
                    "year; e.g. WY-{prefix}-{seq:03d} gives WY-QP-7.5-001."))
    next_number = models.PositiveIntegerField(_("next number"), default=1)
    default_confidentiality = models.CharField(_("default confidentiality"), max_length=12,
                                               choices=Confidentiality.choices, default=Confidentiality.INTERNAL)
    retention_years = models.PositiveSmallIntegerField(_("retention (years)"), null=True, blank=True,
                                                       help_text=_("Empty: kept permanently."))
    archive_type = models.CharField(_("archive"), max_length=12, choices=ArchiveType.choices, blank=True,
                                    help_text=_("The archive documents of this category are filed in."))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("document category")
        verbose_name_plural = _("document categories")
        ordering = ["sort_order", "path"]
        constraints = [
            models.UniqueConstraint(fields=["path"], name="documents_category_unique_path",
                                    violation_error_message=_("A category with this name already exists here.")),
        ]

    def __str__(self):
        return self.path or self.name

    def get_absolute_url(self):
        return reverse("documents:documentcategory_edit", args=[self.pk])

    def format_code(self, seq: int, year: int | None = None) -> str:
        return self.pattern.format(prefix=self.prefix, seq=seq, year=year or timezone.localdate().year)

    def clean(self):
        self.clean_tree()
        if not pattern_is_valid(self.pattern):
            raise ValidationError({"pattern": _("The numbering rule may use only {prefix}, {seq} and {year}, "
                                                "and must contain {seq}.")})


class Location(BaseModel):
    """存放位置: where paper originals lie (room, cabinet, shelf, box)."""

    room = models.CharField(_("room"), max_length=50)
    cabinet = models.CharField(_("cabinet"), max_length=50, blank=True)
    shelf = models.CharField(_("shelf"), max_length=50, blank=True)
    box = models.CharField(_("box"), max_length=50, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("storage location")
        verbose_name_plural = _("storage locations")
        ordering = ["room", "cabinet", "shelf", "box"]
        constraints = [
            models.UniqueConstraint(fields=["room", "cabinet", "shelf", "box"], name="documents_location_unique",
                                    violation_error_message=_("This location is already registered.")),
        ]

    def __str__(self):
        return " / ".join(part for part in (self.room, self.cabinet, self.shelf, self.box) if part)

    def get_absolute_url(self):
        return reverse("documents:location", args=[self.pk])


class Document(BaseModel):
    """A controlled document or record: its code, classification, custody and where its paper original lies."""

    # Company-wide documents have no estate; an archive's documents belong to their estate's staff (see
    # ``restrict_queryset``: core's estate scope would hide the company-wide ones).
    scope_estate = None

    code = models.CharField(_("code"), max_length=60, unique=True,
                            error_messages={"unique": _("A document with this code already exists.")})
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(DocumentCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="documents")
    department = models.ForeignKey("org.Department", verbose_name=_("owning department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    custodian = models.ForeignKey("org.Staff", verbose_name=_("custodian"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="documents_in_custody")
    confidentiality = models.CharField(_("confidentiality"), max_length=12, choices=Confidentiality.choices,
                                       default=Confidentiality.INTERNAL)
    status = models.CharField(_("status"), max_length=10, choices=DocumentStatus.choices,
                              default=DocumentStatus.DRAFT, db_index=True, editable=False)
    current_revision = models.ForeignKey("Revision", verbose_name=_("current revision"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+", editable=False)
    retention_years = models.PositiveSmallIntegerField(_("retention (years)"), null=True, blank=True,
                                                       help_text=_("Empty: kept permanently."))
    review_by = models.DateField(_("review by"), null=True, blank=True)
    location = models.ForeignKey(Location, verbose_name=_("paper original at"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="documents")
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="documents")
    building = models.ForeignKey("estates.Building", verbose_name=_("building"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="documents")
    unit = models.ForeignKey("estates.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="documents")
    customer = models.ForeignKey("estates.Customer", verbose_name=_("customer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="documents")
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    obsoleted_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    obsolete_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["code"]
        permissions = [
            ("view_restricted_document", _("Can open secret and confidential documents")),
            ("issue_document", _("Can approve and issue revisions, withdraw documents")),
            ("print_labels", _("Can print document labels")),
        ]
        indexes = [
            # the register's order: current, then drafts, then obsolete (alphabetical statuses), by code
            models.Index(fields=["status", "code"], name="documents_status_code_idx"),
            models.Index(fields=["category", "status"], name="documents_category_status_idx"),
            models.Index(fields=["custodian", "status"], name="documents_custodian_idx"),
            models.Index(fields=["confidentiality"], name="documents_confidentiality_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("documents:document", args=[self.pk])

    @property
    def is_obsolete(self) -> bool:
        return self.status == DocumentStatus.OBSOLETE

    @property
    def is_restricted(self) -> bool:
        return self.confidentiality in RESTRICTED_LEVELS

    def clean(self):
        errors = {}
        if self.building_id and self.estate_id and self.building.estate_id != self.estate_id:
            errors["building"] = _("This building is not in the document's estate.")
        if self.unit_id and self.estate_id and self.unit.estate_id != self.estate_id:
            errors["unit"] = _("This unit is not in the document's estate.")
        if self.customer_id and self.estate_id and self.customer.estate_id != self.estate_id:
            errors["customer"] = _("This customer is not in the document's estate.")
        if (self.building_id or self.unit_id or self.customer_id) and not self.estate_id:
            errors["estate"] = _("A document filed against a building, unit or customer needs their estate.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def restrict_queryset(cls, queryset, user, action: str):
        """Seed 2.6: public and internal documents by role; secret and confidential ones only for their
        custodian, holders of ``view_restricted_document`` (the document controller), users granted access and
        borrowers with a loan running now (an electronic loan ends at its end time by itself)."""
        return cls.narrow(queryset, user)

    @classmethod
    def narrow(cls, queryset, user, prefix: str = "", *, electronic_only: bool = False):
        """``queryset`` (of documents, or of rows reaching their document through ``prefix``, e.g.
        ``"revision__document__"``) narrowed to the estates the user serves and the documents they may open.
        Conditions on each row of ``queryset`` (no subquery over every document): fast for one document's rows."""
        queryset = queryset.filter(cls.in_scope(user, prefix))
        if user.is_superuser or user.has_perm(VIEW_RESTRICTED):
            return queryset
        return queryset.filter(cls.open_to(user, prefix=prefix, electronic_only=electronic_only))

    @classmethod
    def in_scope(cls, user, prefix: str = "") -> Q:
        """Company-wide documents, and those filed against an estate the user serves."""
        from wuye.core.scope import user_scope

        scope = user_scope(user)
        if scope.all_estates:
            return Q()
        return Q(**{f"{prefix}estate__isnull": True}) | Q(**{f"{prefix}estate__in": scope.estate_ids})

    @classmethod
    def open_to(cls, user, *, now=None, prefix: str = "", electronic_only: bool = False) -> Q:
        """The documents ``user`` may open, as a condition (without the role and estate checks). With
        ``electronic_only`` a paper loan does not count (it lends the paper, not the file)."""
        now = now or timezone.now()
        document = OuterRef(f"{prefix}pk")
        grants = DocumentGrant.objects.filter(document=document, user=user).filter(
            Q(until__isnull=True) | Q(until__gt=now))
        loans = Loan.objects.filter(document=document, borrower=user, state=LoanState.LENT, starts_at__lte=now)
        loans = loans.filter(medium=LoanMedium.ELECTRONIC, ends_at__gt=now) if electronic_only else loans.filter(
            Q(ends_at__gt=now) | Q(medium=LoanMedium.PAPER))
        return (~Q(**{f"{prefix}confidentiality__in": RESTRICTED_LEVELS}) | Q(**{f"{prefix}custodian__user": user})
                | Exists(grants) | Exists(loans))


class Revision(BaseModel):
    """One version of a document (A/0, A/1, B/0 …): drafted, reviewed, approved, issued, then superseded."""

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.PROTECT,
                                 related_name="revisions")
    mark = models.CharField(_("revision"), max_length=10)
    state = models.CharField(_("state"), max_length=10, choices=RevisionState.choices, default=RevisionState.DRAFT,
                             editable=False, db_index=True)
    change_description = models.TextField(_("what changed"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", editable=False)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approver"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["document", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "mark"], name="documents_revision_unique_mark",
                                    violation_error_message=_("This document already has a revision with this "
                                                              "mark.")),
        ]

    def __str__(self):
        return f"{self.document.code} {self.mark}"

    def get_absolute_url(self):
        return reverse("documents:document", args=[self.document_id]) + f"#revision-{self.pk}"

    @classmethod
    def restrict_queryset(cls, queryset, user, action: str):
        return Document.narrow(queryset, user, "document__")

    @property
    def is_current(self) -> bool:
        return self.state == RevisionState.ISSUED

    @property
    def is_withdrawn(self) -> bool:
        """Superseded or obsolete: kept, and every file served from it carries the 作废 mark."""
        return self.state in (RevisionState.SUPERSEDED, RevisionState.OBSOLETE)


def revision_file_path(instance, filename: str) -> str:
    """A random stored name (the original name is kept in the row); never guessable, never the user's."""
    day = timezone.localdate()
    return f"documents/{day:%Y/%m}/{secrets.token_hex(16)}"


class StoredFile(models.Model):
    """A file stored through Django's storage API under a random name, with its original name, checked type,
    size, checksum and extracted text (``files.inspect_upload``). The concrete model declares ``file`` (its
    folder); ``store()`` fills and saves it. Also the contracts app's files."""

    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    text = models.TextField(_("extracted text"), blank=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def store(self, upload, info) -> None:
        """Keep ``upload`` (checked: ``info`` from ``inspect_upload``) and save the row. The stored name is random;
        the original is kept in ``name``."""
        self.name, self.content_type, self.size, self.sha256, self.text = (
            info.name, info.content_type, info.size, info.sha256, info.text)
        upload.name = "upload"
        self.file.save("upload", upload, save=False)
        self.full_clean()
        self.save()


class RevisionFile(StoredFile, BaseModel):
    """A file of a revision, stored through Django's storage API, with its checksum and extracted text."""

    revision = models.ForeignKey(Revision, verbose_name=_("revision"), on_delete=models.PROTECT,
                                 related_name="files")
    file = models.FileField(_("file"), upload_to=revision_file_path, max_length=300)

    class Meta:
        verbose_name = _("revision file")
        verbose_name_plural = _("revision files")
        ordering = ["revision", "name", "id"]

    def get_absolute_url(self):
        return reverse("documents:file", args=[self.pk])

    @classmethod
    def restrict_queryset(cls, queryset, user, action: str):
        """Files are opened, not only listed: a paper loan does not open the electronic copy."""
        return Document.narrow(queryset, user, "revision__document__", electronic_only=True)


class DocumentGrant(BaseModel):
    """Explicit access to a secret or confidential document for one user (until a time, or until withdrawn)."""

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.PROTECT,
                                 related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                             related_name="document_grants")
    until = models.DateTimeField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["document", "user"]

    def __str__(self):
        return f"{self.document.code} → {self.user}"


class Loan(BaseModel):
    """借阅: a request to borrow a document, electronic or paper, for a period."""

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.PROTECT,
                                 related_name="loans")
    borrower = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("borrower"), on_delete=models.PROTECT,
                                 related_name="document_loans")
    purpose = models.CharField(_("purpose"), max_length=200)
    medium = models.CharField(_("form"), max_length=10, choices=LoanMedium.choices, default=LoanMedium.ELECTRONIC)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    state = models.CharField(_("state"), max_length=10, choices=LoanState.choices, default=LoanState.REQUESTED,
                             editable=False, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+", editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decision_reason = models.CharField(_("reason"), max_length=200, blank=True, editable=False)
    lent_at = models.DateTimeField(_("lent at"), null=True, blank=True, editable=False)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True, editable=False)
    returned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received back by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-starts_at", "-id"]
        permissions = [("decide_loan", _("Can approve, reject, lend and take back loans"))]
        indexes = [
            models.Index(fields=["document", "state"], name="documents_loan_document_idx"),
            models.Index(fields=["borrower", "state"], name="documents_loan_borrower_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="documents_loan_period",
                                   violation_error_message=_("A loan must end after it starts.")),
        ]

    def __str__(self):
        return f"{self.document.code} · {self.borrower}"

    def get_absolute_url(self):
        return reverse("documents:loan", args=[self.pk])

    @classmethod
    def restrict_queryset(cls, queryset, user, action: str):
        """The register is the controller's; everyone else sees their own loans and those of documents in
        their custody."""
        if user.is_superuser or user.has_perm("documents.decide_loan"):
            return queryset
        return queryset.filter(Q(borrower=user) | Q(document__custodian__user=user))

    def display_state(self, now=None) -> str:
        """The state as people say it: a lent electronic loan past its end has expired, a paper one is overdue."""
        now = now or timezone.now()
        if self.state == LoanState.LENT and self.ends_at <= now:
            return str(_("Expired") if self.medium == LoanMedium.ELECTRONIC else _("Overdue"))
        return self.get_state_display()

    @property
    def is_running(self) -> bool:
        now = timezone.now()
        return self.state == LoanState.LENT and self.starts_at <= now and (
            self.ends_at > now or self.medium == LoanMedium.PAPER)


class Handover(BaseModel):
    """交接: a custodian's documents handed to a successor, listed, confirmed item by item, then moved."""

    from_staff = models.ForeignKey("org.Staff", verbose_name=_("handed over by"), on_delete=models.PROTECT,
                                   related_name="handovers_given")
    to_staff = models.ForeignKey("org.Staff", verbose_name=_("received by"), on_delete=models.PROTECT,
                                 related_name="handovers_received")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=HandoverState.choices, default=HandoverState.DRAFT,
                             editable=False, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-created_at", "-id"]
        permissions = [("manage_handover", _("Can prepare and send custodian handovers"))]

    def __str__(self):
        return f"{self.from_staff.name} → {self.to_staff.name}"

    def get_absolute_url(self):
        return reverse("documents:handover", args=[self.pk])

    @classmethod
    def restrict_queryset(cls, queryset, user, action: str):
        if user.is_superuser or user.has_perm("documents.manage_handover"):
            return queryset
        return queryset.filter(Q(from_staff__user=user) | Q(to_staff__user=user))


class HandoverItem(BaseModel):
    handover = models.ForeignKey(Handover, verbose_name=_("handover"), on_delete=models.PROTECT,
                                 related_name="items")
    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.PROTECT,
                                 related_name="handover_items")
    note = models.CharField(_("note"), max_length=200, blank=True)
    confirmed_at = models.DateTimeField(_("received at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        ordering = ["handover", "document__code"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "document"], name="documents_handover_unique_item",
                                    violation_error_message=_("This document is already in the handover.")),
        ]

    def __str__(self):
        return f"{self.handover} · {self.document.code}"


class Regulation(BaseModel):
    """法律法规: an external law, regulation or industry rule, with its validity and yearly review."""

    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("document number"), max_length=100, blank=True)
    authority = models.CharField(_("issued by"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=RegulationLevel.choices)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RegulationStatus.choices,
                              default=RegulationStatus.IN_FORCE, db_index=True)
    departments = models.ManyToManyField("org.Department", verbose_name=_("applies to"), blank=True,
                                         related_name="regulations")
    file = models.FileField(_("file"), upload_to="regulations/%Y/", max_length=300, blank=True)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        ordering = ["status", "-effective_on", "title"]
        permissions = [("review_regulation", _("Can record the yearly review of regulations"))]

    def __str__(self):
        return f"{self.title}（{self.number}）" if self.number else self.title

    def get_absolute_url(self):
        return reverse("documents:regulation", args=[self.pk])

    @property
    def is_repealed(self) -> bool:
        return self.status == RegulationStatus.REPEALED

    @property
    def review_due_on(self):
        """A year after the last review (or after it came into force, if never reviewed)."""
        base = self.last_reviewed_on or self.effective_on or self.issued_on
        if base is None:
            return None
        try:
            return base.replace(year=base.year + 1)
        except ValueError:  # 29 February
            return base.replace(year=base.year + 1, day=28)


class ArchiveRequirement(BaseModel):
    """A document type an archive must hold (e.g. the customer archive: 入伙资料, 身份证明 …)."""

    archive_type = models.CharField(_("archive"), max_length=12, choices=ArchiveType.choices)
    category = models.ForeignKey(DocumentCategory, verbose_name=_("document category"), on_delete=models.PROTECT,
                                 related_name="archive_requirements")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("archive requirement")
        verbose_name_plural = _("archive requirements")
        ordering = ["archive_type", "sort_order", "category__path"]
        constraints = [
            models.UniqueConstraint(fields=["archive_type", "category"], name="documents_archive_unique",
                                    violation_error_message=_("This archive already requires this category.")),
        ]

    def __str__(self):
        return f"{self.get_archive_type_display()}: {self.category}"

    def get_absolute_url(self):
        return reverse("documents:archiverequirement_edit", args=[self.pk])
