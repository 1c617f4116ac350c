"""Quality policy and objectives (seed 1.6–1.8) and the annual work plan with its phases and milestones (seed 1.5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wuye.core.models import BaseModel

from ..choices import Comparison, Metric, MilestoneKind, MilestoneStatus, PlanStatus, PolicyStatus


class QualityPolicy(BaseModel):
    """One version of the company's quality policy (质量方针) with its objectives. Drafted, approved by top
    management (who and when is recorded), published; publishing a new version supersedes the previous one."""

    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(_("policy statement"))
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT,
                              editable=False, db_index=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    editable=False, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)
    published_on = models.DateField(_("published on"), null=True, blank=True, editable=False)
    document = models.ForeignKey("documents.Document", verbose_name=_("controlled document"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text=_("The quality manual or policy document in the document register."))

    class Meta:
        verbose_name = _("quality policy")
        verbose_name_plural = _("quality policies")
        ordering = ["-version"]
        permissions = [
            ("approve_qualitypolicy", _("Can approve the quality policy and objectives (top management)")),
            ("publish_qualitypolicy", _("Can publish the approved quality policy")),
            ("view_selfcheck", _("Can see the self-check against the standard")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="published"),
                                    name="quality_one_published_policy",
                                    violation_error_message=_("Only one version of the policy is published.")),
        ]

    def __str__(self):
        return _("%(title)s (version %(version)s)") % {"title": self.title, "version": self.version}

    def get_absolute_url(self):
        return reverse("quality:qualitypolicy", args=[self.pk])


class QualityObjective(BaseModel):
    """A measurable quality objective (质量目标) of a policy version: target, and where its actual value comes from
    (computed from tickets or surveys, or entered by hand with evidence)."""

    policy = models.ForeignKey(QualityPolicy, verbose_name=_("policy"), on_delete=models.PROTECT,
                               related_name="objectives")
    code = models.CharField(_("code"), max_length=20, blank=True)
    title = models.CharField(_("objective"), max_length=200)
    metric = models.CharField(_("measured by"), max_length=24, choices=Metric.choices, default=Metric.MANUAL)
    comparison = models.CharField(_("target is"), max_length=3, choices=Comparison.choices,
                                  default=Comparison.AT_LEAST)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, default="%", blank=True)
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               help_text=_("Empty: the whole company."))
    department = models.ForeignKey("org.Department", verbose_name=_("responsible department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey("org.Staff", verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    notes = models.TextField(_("how it is measured"), blank=True)

    class Meta:
        verbose_name = _("quality objective")
        verbose_name_plural = _("quality objectives")
        ordering = ["policy", "sort_order", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("quality:qualityobjective", args=[self.pk])

    @property
    def is_computed(self) -> bool:
        return self.metric != Metric.MANUAL

    def met(self, value) -> bool | None:
        if value is None:
            return None
        return value >= self.target if self.comparison == Comparison.AT_LEAST else value <= self.target


class ObjectiveMeasurement(BaseModel):
    """A hand-entered actual value of an objective for a period, with evidence files (seed 1.6)."""

    objective = models.ForeignKey(QualityObjective, verbose_name=_("objective"), on_delete=models.PROTECT,
                                  related_name="measurements")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    value = models.DecimalField(_("actual value"), max_digits=12, decimal_places=2)
    note = models.TextField(_("how it was measured"), blank=True)

    class Meta:
        verbose_name = _("objective measurement")
        verbose_name_plural = _("objective measurements")
        ordering = ["objective", "-period_end", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="quality_measurement_period",
                                   violation_error_message=_("A period cannot end before it starts.")),
        ]

    def __str__(self):
        return f"{self.objective} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}: {self.value}"

    def get_absolute_url(self):
        return self.objective.get_absolute_url()


class WorkPlan(BaseModel):
    """The annual work plan (年度工作计划, seed 1.5) with its phases and milestones. Publishing it asks every
    active staff member in its scope to acknowledge it (全员熟知); republishing asks again."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    department = models.ForeignKey("org.Department", verbose_name=_("owning department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    scope_departments = models.ManyToManyField(
        "org.Department", verbose_name=_("departments in scope"), blank=True, related_name="+",
        help_text=_("Their staff must acknowledge the plan. Empty: every staff member."))
    targets = models.TextField(_("targets"), blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT,
                              editable=False, db_index=True)
    version = models.PositiveIntegerField(_("published version"), default=0, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["-year", "title"]
        permissions = [("publish_workplan", _("Can publish work plans"))]

    def __str__(self):
        return f"{self.year} {self.title}"

    def get_absolute_url(self):
        return reverse("quality:workplan", args=[self.pk])


class Milestone(BaseModel):
    """A phase or milestone of a work plan (分阶段实施计划、目标): owner, due date, target, status."""

    plan = models.ForeignKey(WorkPlan, verbose_name=_("work plan"), on_delete=models.PROTECT,
                             related_name="milestones")
    kind = models.CharField(_("kind"), max_length=10, choices=MilestoneKind.choices, default=MilestoneKind.MILESTONE)
    phase = models.ForeignKey("self", verbose_name=_("phase"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="milestones", limit_choices_to={"kind": MilestoneKind.PHASE})
    title = models.CharField(_("title"), max_length=200)
    target = models.CharField(_("target"), max_length=300, blank=True)
    owner = models.ForeignKey("org.Staff", verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    start_on = models.DateField(_("starts on"), null=True, blank=True)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=MilestoneStatus.choices,
                              default=MilestoneStatus.NOT_STARTED)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("progress note"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["plan", "due_on", "sort_order", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.plan.get_absolute_url()


class PlanPublication(BaseModel):
    """One publication of a work plan: what staff acknowledge (``org.Acknowledgement`` points here), so a
    republished plan is acknowledged again."""

    plan = models.ForeignKey(WorkPlan, verbose_name=_("work plan"), on_delete=models.PROTECT,
                             related_name="publications")
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("work plan publication")
        verbose_name_plural = _("work plan publications")
        ordering = ["plan", "-version"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="quality_publication_unique")]

    def __str__(self):
        return _("%(plan)s, version %(version)s") % {"plan": self.plan, "version": self.version}

    def get_absolute_url(self):
        return self.plan.get_absolute_url()
