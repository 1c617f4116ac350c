"""Performance appraisal (the standard's second and third parts: 客户服务人员工作绩效测评标准 and 客户服务部经理绩效
测评标准): appraisal forms as versioned data (sections with weights, items in order, a scale, grade bands), cycles
over a period and a set of staff, appraisals scored item by item with the system's evidence beside them, signed off
by the appraisee, final and read-only; a correction is a new revision with a reason, both kept.

Workflow writes go through ``services.py``. Nothing is deleted: a form version is retired, a final appraisal is
superseded by its revision.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wuye.core.models import BaseModel

from .choices import DEFAULT_BANDS, DEFAULT_SCALE, AppraisalState, CycleStatus, FormStatus, PeriodKind

# the states in which the appraisee sees their own appraisal
APPRAISEE_STATES = (AppraisalState.SELF_ASSESSMENT, AppraisalState.ACKNOWLEDGEMENT, AppraisalState.FINAL,
                    AppraisalState.SUPERSEDED)


def default_scale():
    return [dict(level) for level in DEFAULT_SCALE]


def default_bands():
    return [dict(band) for band in DEFAULT_BANDS]


class AppraisalForm(BaseModel):
    """A form (测评表) by name; its content lives in versions. ``code`` names the built-in ones."""

    code = models.SlugField(_("code"), max_length=40, unique=True,
                            error_messages={"unique": _("A form with this code already exists.")})
    name = models.CharField(_("name"), max_length=100)
    posts = models.ManyToManyField("org.Post", verbose_name=_("posts it applies to"), blank=True,
                                   related_name="appraisal_forms")
    is_builtin = models.BooleanField(_("built in"), default=False, editable=False)

    class Meta:
        verbose_name = _("appraisal form")
        verbose_name_plural = _("appraisal forms")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("appraisals:appraisalform", args=[self.pk])

    @property
    def current_version(self):
        return self.versions.filter(status=FormStatus.ACTIVE).order_by("-number").first()


class FormVersion(BaseModel):
    """One version of a form: its scale, grade bands, sections and items. A version in use is never edited:
    editing makes a new draft version; publishing it retires the one before. Appraisals keep their version."""

    form = models.ForeignKey(AppraisalForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"), editable=False)
    status = models.CharField(_("status"), max_length=10, choices=FormStatus.choices, default=FormStatus.DRAFT,
                              editable=False, db_index=True)
    title = models.CharField(_("title on the form"), max_length=100)
    scale = models.JSONField(_("scale"), default=default_scale,
                             help_text=_("Levels from best to worst: value and label."))
    bands = models.JSONField(_("grade bands"), default=default_bands,
                             help_text=_("Lowest weighted total of each grade, highest first."))
    change_note = models.CharField(_("what changed"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("in use since"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="appraisals_version_unique"),
            models.UniqueConstraint(fields=["form"], condition=Q(status="active"), name="appraisals_one_active",
                                    violation_error_message=_("Only one version of a form is in use.")),
        ]

    def __str__(self):
        return _("%(form)s, version %(number)s") % {"form": self.form.name, "number": self.number}

    def get_absolute_url(self):
        return reverse("appraisals:formversion", args=[self.pk])

    @property
    def scale_values(self) -> list[int]:
        return sorted((int(level["value"]) for level in self.scale), reverse=True)

    @property
    def scale_min(self) -> int:
        return min(self.scale_values)

    @property
    def scale_max(self) -> int:
        return max(self.scale_values)


class FormSection(BaseModel):
    version = models.ForeignKey(FormVersion, verbose_name=_("form version"), on_delete=models.PROTECT,
                                related_name="sections")
    title = models.CharField(_("section"), max_length=50)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("1"),
                                 validators=[MinValueValidator(Decimal("0"))])
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")
        ordering = ["version", "sort_order", "id"]

    def __str__(self):
        return self.title


class FormItem(BaseModel):
    section = models.ForeignKey(FormSection, verbose_name=_("section"), on_delete=models.PROTECT,
                                related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.CharField(_("item"), max_length=300)

    class Meta:
        verbose_name = _("form item")
        verbose_name_plural = _("form items")
        ordering = ["section", "number", "id"]
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="appraisals_item_number")]

    def __str__(self):
        return f"{self.number}. {self.text}"


class AppraisalCycle(BaseModel):
    """A round of appraisals: a period, a form (its version in use when the cycle opens) and the staff appraised
    (by post or department)."""

    name = models.CharField(_("name"), max_length=100)
    form_version = models.ForeignKey(FormVersion, verbose_name=_("form version"), on_delete=models.PROTECT,
                                     related_name="cycles")
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    posts = models.ManyToManyField("org.Post", verbose_name=_("posts"), blank=True, related_name="+")
    departments = models.ManyToManyField("org.Department", verbose_name=_("departments"), blank=True,
                                         related_name="+")
    self_assessment = models.BooleanField(_("self-assessment first"), default=False)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CycleStatus.choices, default=CycleStatus.OPEN,
                              editable=False, db_index=True)

    class Meta:
        verbose_name = _("appraisal cycle")
        verbose_name_plural = _("appraisal cycles")
        ordering = ["-period_start", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="appraisals_cycle_period",
                                   violation_error_message=_("A period cannot end before it starts.")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("appraisals:appraisalcycle", args=[self.pk])


class Appraisal(BaseModel):
    """One filled form: 被测评人, 测评人, 测评日期, 测评时段; a score and comment per item; section subtotals, the
    weighted total and the grade (kept when final)."""

    form_version = models.ForeignKey(FormVersion, verbose_name=_("form version"), on_delete=models.PROTECT,
                                     related_name="appraisals")
    cycle = models.ForeignKey(AppraisalCycle, verbose_name=_("cycle"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="appraisals")
    appraisee = models.ForeignKey("org.Staff", verbose_name=_("appraisee"), on_delete=models.PROTECT,
                                  related_name="appraisals")
    appraiser = models.ForeignKey("org.Staff", verbose_name=_("appraiser"), on_delete=models.PROTECT,
                                  related_name="appraisals_to_make")
    appraised_on = models.DateField(_("appraisal date"), null=True, blank=True)
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    state = models.CharField(_("state"), max_length=16, choices=AppraisalState.choices,
                             default=AppraisalState.DRAFT, editable=False, db_index=True)
    total = models.DecimalField(_("weighted total"), max_digits=6, decimal_places=2, null=True, blank=True,
                                editable=False)
    grade = models.CharField(_("grade"), max_length=20, blank=True, editable=False)
    appraiser_comment = models.TextField(_("appraiser's comment"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True, editable=False)
    disagreement = models.TextField(_("appraisee's disagreement"), blank=True, editable=False)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True, editable=False)
    revision = models.PositiveSmallIntegerField(_("revision"), default=0, editable=False)
    revises = models.OneToOneField("self", verbose_name=_("corrects"), null=True, blank=True, editable=False,
                                   on_delete=models.PROTECT, related_name="revised_by")
    revision_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["-period_start", "appraisee__name"]
        permissions = [
            ("view_department_appraisals", _("Can see every appraisal of the department")),
            ("manage_appraisal_cycles", _("Can open appraisal cycles and finalise appraisals")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="appraisals_period",
                                   violation_error_message=_("A period cannot end before it starts.")),
            models.CheckConstraint(condition=~Q(appraisee=models.F("appraiser")), name="appraisals_not_self",
                                   violation_error_message=_("Nobody appraises themselves.")),
        ]
        indexes = [models.Index(fields=["appraisee", "period_start"], name="appraisals_person_period_idx")]

    def __str__(self):
        return _("%(appraisee)s, %(start)s–%(end)s") % {
            "appraisee": self.appraisee.name, "start": f"{self.period_start:%Y-%m-%d}",
            "end": f"{self.period_end:%Y-%m-%d}"}

    def get_absolute_url(self):
        return reverse("appraisals:appraisal", args=[self.pk])

    @classmethod
    def visible_to(cls, user, prefix: str = "") -> Q:
        """Who sees an appraisal (the issue's privacy rule): its appraiser; its appraisee once it reaches them
        (their self-assessment, then from the acknowledgement on, never while the appraiser is scoring); holders of
        ``appraisals.view_department_appraisals`` every appraisal of staff in their own department (and the
        departments under it). Anyone else: nothing."""
        staff = getattr(user, "staff", None) if user is not None else None
        if staff is None:
            return Q(pk__in=[])
        condition = (Q(**{f"{prefix}appraiser": staff})
                     | Q(**{f"{prefix}appraisee": staff, f"{prefix}state__in": APPRAISEE_STATES}))
        if user.has_perm("appraisals.view_department_appraisals"):
            department = staff.department_id
            condition |= (Q(**{f"{prefix}appraisee__department_id": department})
                          | Q(**{f"{prefix}appraisee__department__parent_id": department})
                          | Q(**{f"{prefix}appraisee__department__parent__parent_id": department}))
        return condition

    @classmethod
    def restrict_queryset(cls, queryset, user, action):
        return queryset.filter(cls.visible_to(user))

    @property
    def is_final(self) -> bool:
        return self.state == AppraisalState.FINAL

    @property
    def is_closed(self) -> bool:
        """Final or superseded: read-only."""
        return self.state in (AppraisalState.FINAL, AppraisalState.SUPERSEDED)

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"


class Score(BaseModel):
    """The score and comment of one item (and the appraisee's own, when the cycle asks for a self-assessment)."""

    appraisal = models.ForeignKey(Appraisal, verbose_name=_("appraisal"), on_delete=models.PROTECT,
                                  related_name="scores")
    item = models.ForeignKey(FormItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    self_score = models.PositiveSmallIntegerField(_("self-assessment"), null=True, blank=True)
    self_comment = models.CharField(_("self-assessment comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["appraisal", "item__section__sort_order", "item__number"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "item"], name="appraisals_score_unique")]

    def __str__(self):
        return f"{self.item}: {self.score}"

    @classmethod
    def restrict_queryset(cls, queryset, user, action):
        return queryset.filter(Appraisal.visible_to(user, prefix="appraisal__"))
