"""The report centre (manager form 审查报告 1–10): a ``Report`` of one kind for a period and a scope (an estate or
all the author's estates; the department), generated from the data by the kind's builder (``kinds/``), its texts
written by the author, submitted and reviewed by the manager (``ReportReview``: comments and instructions).

Every generation or revision is a ``ReportVersion`` (the builder's content as JSON and the texts); a version is
frozen once submitted, so a returned report gets a new version at its next edit. Nothing is deleted: a report ends
accepted or cancelled with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wuye.core.models import BaseModel

from .choices import EDITABLE_STATUSES, Decision, PeriodKind, ReportStatus
from .kinds import KIND_CHOICES, KINDS


class Report(BaseModel):
    scope_estate = "estate"

    kind = models.CharField(_("kind"), max_length=30, choices=KIND_CHOICES, db_index=True)
    period_kind = models.CharField(_("period kind"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"), db_index=True)
    period_end = models.DateField(_("period end"))
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="reports",
                               help_text=_("Empty: all the estates of the department."))
    department = models.ForeignKey("org.Department", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="reports_written")
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT,
                              db_index=True)
    current_version = models.PositiveIntegerField(_("current version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # kind|start|end|estate|department: one live report per scope (NULLs would slip through a plain constraint)
    scope_key = models.CharField(_("scope key"), max_length=120, editable=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "kind", "-id"]
        permissions = [
            ("review_report", _("Can review reports")),
            ("generate_archives_report", _("Can generate the archives report")),
            ("generate_work_summary", _("Can generate the work summary")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["scope_key"], condition=~Q(status="cancelled"),
                                    name="reports_report_one_live_per_scope"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="reports_report_period_order"),
        ]
        indexes = [models.Index(fields=["kind", "period_start"], name="reports_kind_start_idx")]

    def __str__(self):
        return f"{self.kind_label} {self.period_label}" + (f" {self.estate}" if self.estate_id else "")

    def get_absolute_url(self):
        return reverse("reports:report", args=[self.pk])

    def save(self, *args, **kwargs):
        self.scope_key = self.make_scope_key()
        super().save(*args, **kwargs)

    def make_scope_key(self) -> str:
        return "|".join(str(v) for v in (self.kind, self.period_start, self.period_end, self.estate_id or "-",
                                         self.department_id or "-"))

    @property
    def spec(self):
        return KINDS.get(self.kind)

    @property
    def kind_label(self) -> str:
        spec = self.spec
        return str(spec.label) if spec else self.kind

    @property
    def period(self):
        from wuye.tickets.reports import Period

        return Period(self.period_start, self.period_end, self.period_kind)

    @property
    def period_label(self) -> str:
        from .periods import period_text

        return period_text(self.period)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def version(self) -> ReportVersion | None:
        return self.versions.filter(number=self.current_version).first()


class ReportVersion(BaseModel):
    """One generation of a report: the builder's content and the author's texts; frozen once submitted."""

    scope_estate = "report__estate"

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    texts = models.JSONField(_("texts"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    generated_at = models.DateTimeField(_("generated at"))
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("generated by"),
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="reports_version_unique_number")]

    def __str__(self):
        return f"{self.report} v{self.number}"

    def get_absolute_url(self):
        return reverse("reports:report_version", args=[self.report_id, self.number])

    @property
    def is_frozen(self) -> bool:
        return self.submitted_at is not None


class ReportReview(BaseModel):
    """The reviewer's decision on a submitted version (审查): accepted, or returned with comments and instructions."""

    scope_estate = "report__estate"

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="reviews")
    version = models.ForeignKey(ReportVersion, verbose_name=_("version"), on_delete=models.PROTECT,
                                related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT,
                                 related_name="report_reviews")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comments = models.TextField(_("comments"))
    instructions = models.TextField(_("instructions"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"))

    class Meta:
        verbose_name = _("report review")
        verbose_name_plural = _("report reviews")
        ordering = ["report", "-reviewed_at", "-id"]

    def __str__(self):
        return f"{self.report} – {self.get_decision_display()}"

    def get_absolute_url(self):
        return self.report.get_absolute_url()
