"""ISO 9000 audits (seed 3.1–3.3): the annual audit programme, internal and external audits with scope, estates,
departments, clauses and auditors, checklists built from reusable templates, graded findings, and the company's
yearly limit of external findings per managed estate."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wuye.core.models import BaseModel

from ..choices import AuditKind, AuditStatus, CheckResult, FindingGrade, ProgrammeStatus


class IsoClause(models.Model):
    """A clause of ISO 9001:2015 (4 … 10.3), loaded by a data migration: what audits, questions and findings
    cite."""

    number = models.CharField(_("clause"), max_length=10, unique=True)
    title = models.CharField(_("title"), max_length=120)
    sort_key = models.CharField(max_length=40, editable=False, db_index=True)

    class Meta:
        verbose_name = _("ISO 9001 clause")
        verbose_name_plural = _("ISO 9001 clauses")
        ordering = ["sort_key"]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        self.sort_key = ".".join(f"{int(p):03d}" if p.isdigit() else p for p in self.number.split("."))
        super().save(*args, **kwargs)


class ChecklistTemplate(BaseModel):
    """A reusable audit checklist (e.g. 客服部内审检查表): questions per clause, copied into an audit."""

    name = models.CharField(_("name"), max_length=100, unique=True,
                            error_messages={"unique": _("A checklist template with this name already exists.")})
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("quality:checklisttemplate", args=[self.pk])


class TemplateQuestion(BaseModel):
    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("checklist template"), on_delete=models.PROTECT,
                                 related_name="questions")
    clause = models.ForeignKey(IsoClause, verbose_name=_("clause"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    question = models.CharField(_("question"), max_length=300)
    guidance = models.CharField(_("what to look at"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")
        ordering = ["template", "sort_order", "id"]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return self.template.get_absolute_url()


class AuditProgramme(BaseModel):
    """The year's audit programme (年度审核方案): which audits, when; its audits hang under it."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True,
                                            error_messages={"unique": _("This year already has an audit programme.")})
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("objectives and scope"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ProgrammeStatus.choices,
                              default=ProgrammeStatus.DRAFT, editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    editable=False, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit programme")
        verbose_name_plural = _("audit programmes")
        ordering = ["-year"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("quality:auditprogramme", args=[self.pk])


class Audit(BaseModel):
    """An internal audit or an external audit by a certification body (seed 3.1–3.3)."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    programme = models.ForeignKey(AuditProgramme, verbose_name=_("audit programme"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="audits")
    kind = models.CharField(_("kind"), max_length=10, choices=AuditKind.choices, default=AuditKind.INTERNAL)
    certification_body = models.CharField(_("certification body"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"))
    estates = models.ManyToManyField("estates.Estate", verbose_name=_("estates"), blank=True,
                                     related_name="quality_audits")
    departments = models.ManyToManyField("org.Department", verbose_name=_("departments audited"), blank=True,
                                         related_name="quality_audits")
    clauses = models.ManyToManyField(IsoClause, verbose_name=_("ISO 9001 clauses"), blank=True, related_name="+")
    lead_auditor = models.ForeignKey("org.Staff", verbose_name=_("lead auditor"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     help_text=_("Empty for an external audit led by the certification body."))
    auditors = models.ManyToManyField("org.Staff", verbose_name=_("auditors"), blank=True, related_name="+")
    external_auditors = models.CharField(_("external auditors"), max_length=300, blank=True)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    started_on = models.DateField(_("started on"), null=True, blank=True, editable=False)
    reported_on = models.DateField(_("reported on"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=AuditStatus.choices, default=AuditStatus.PLANNED,
                              editable=False, db_index=True)
    summary = models.TextField(_("summary and conclusion"), blank=True)
    cancel_reason = models.CharField(_("reason cancelled"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-planned_start", "-number"]
        permissions = [("conduct_audit", _("Can conduct audits: checklists, findings, reports"))]
        constraints = [
            models.CheckConstraint(condition=Q(planned_end__gte=models.F("planned_start")), name="quality_audit_dates",
                                   violation_error_message=_("An audit cannot end before it starts.")),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("quality:audit", args=[self.pk])


class AuditChecklistItem(BaseModel):
    """A question of an audit's checklist (copied from a template or added), answered during the audit."""

    audit = models.ForeignKey(Audit, verbose_name=_("audit"), on_delete=models.PROTECT, related_name="checklist")
    clause = models.ForeignKey(IsoClause, verbose_name=_("clause"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    question = models.CharField(_("question"), max_length=300)
    guidance = models.CharField(_("what to look at"), max_length=300, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=CheckResult.choices, blank=True, default="")
    evidence = models.TextField(_("evidence seen"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("audit checklist")
        ordering = ["audit", "sort_order", "id"]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return self.audit.get_absolute_url()


class Finding(BaseModel):
    """What an audit found (观察项 / 轻微不合格 / 严重不合格), with the clause and the evidence. A nonconformity
    (minor or major) is followed up by a corrective action."""

    audit = models.ForeignKey(Audit, verbose_name=_("audit"), on_delete=models.PROTECT, related_name="findings")
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    grade = models.CharField(_("grade"), max_length=12, choices=FindingGrade.choices)
    clause = models.ForeignKey(IsoClause, verbose_name=_("clause"), on_delete=models.PROTECT, related_name="+")
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="quality_findings")
    department = models.ForeignKey("org.Department", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    checklist_item = models.ForeignKey(AuditChecklistItem, verbose_name=_("checklist item"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="findings")
    statement = models.TextField(_("finding"))
    evidence = models.TextField(_("objective evidence"))
    found_on = models.DateField(_("found on"))

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["audit", "number"]
        constraints = [models.UniqueConstraint(fields=["audit", "number"], name="quality_finding_number")]
        indexes = [models.Index(fields=["estate", "found_on"], name="quality_finding_estate_idx")]

    def __str__(self):
        return f"{self.audit.number}-{self.number:02d} {self.get_grade_display()}"

    def get_absolute_url(self):
        return reverse("quality:finding", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"{self.audit.number}-{self.number:02d}"


class FindingLimit(BaseModel):
    """Seed 3.3: the company's limit of external-audit observations and minor nonconformities per managed estate
    in a year. The seed's sentence is cut off, so there is no default: until a limit is set, counts show alone."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True,
                                            error_messages={"unique": _("This year already has a limit.")})
    limit = models.PositiveSmallIntegerField(_("limit per estate"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("external finding limit")
        verbose_name_plural = _("external finding limits")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.limit}"

    def get_absolute_url(self):
        return reverse("quality:findinglimit_list")
