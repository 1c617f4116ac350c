"""Customer opinion surveys (manager form 业务工作 1: 定期对客户进行调查, 了解客户意见; 管理监督 2: 监督客户意见调查
实施): questionnaires as versioned data (sections, questions of five kinds, satisfaction questions tagged with a
service dimension), campaigns over estates (all households or a stratified random sample), one invitation per
household (a one-time personal link that expires, the owner portal, or answers entered by staff from a phone call
or a paper form), responses and their answers, the company's survey schedule, corrective actions raised from low
scores.

Anonymity: in an anonymous campaign a response keeps its estate only — no unit, no invitation, no user, no time
(its date is the campaign's first day) — and an invitation keeps only that it was answered (no time, no channel),
which no page, export or API shows per household. Responses, answers and
invitations are plain models without change history (a history row would record who answered when), so nothing in
wuye links an anonymous answer to a household. Answers carry their campaign and estate (denormalised) so results are
one ``GROUP BY`` over one table.

Workflow writes go through ``services``. Nothing is deleted: a questionnaire version is retired, a campaign closed or
cancelled with a reason.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wuye.core.models import BaseModel
from wuye.core.querysets import RestrictedQuerySet

from .choices import CampaignStatus, Channel, QuestionKind, Target, VersionStatus

DEFAULT_LOW_SCORE = Decimal("3.5")


class Dimension(BaseModel):
    """A service dimension (服务维度) a satisfaction question measures: 客服, 工程维修, 秩序维护, 环境卫生, 绿化, 收费 …
    (configurable; the defaults ship by data migration)."""

    code = models.SlugField(_("code"), max_length=30, unique=True,
                            error_messages={"unique": _("A dimension with this code already exists.")})
    name = models.CharField(_("name"), max_length=30, unique=True,
                            error_messages={"unique": _("A dimension with this name already exists.")})
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("service dimension")
        verbose_name_plural = _("service dimensions")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("surveys:dimension_list")


class Questionnaire(BaseModel):
    """A questionnaire (调查问卷) by name; its content lives in versions. ``code`` names the built-in one."""

    code = models.SlugField(_("code"), max_length=40, unique=True,
                            error_messages={"unique": _("A questionnaire with this code already exists.")})
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_builtin = models.BooleanField(_("built in"), default=False, editable=False)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("surveys:questionnaire", args=[self.pk])

    @property
    def current_version(self):
        return self.versions.filter(status=VersionStatus.ACTIVE).order_by("-number").first()


class QuestionnaireVersion(BaseModel):
    """One version of a questionnaire. A version in use is never edited: editing makes a new draft (a copy);
    publishing it retires the one before. Campaigns keep the version they were opened with."""

    questionnaire = models.ForeignKey(Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT,
                                      related_name="versions")
    number = models.PositiveIntegerField(_("version"), editable=False)
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT,
                              editable=False, db_index=True)
    title = models.CharField(_("title on the questionnaire"), max_length=100)
    introduction = models.TextField(_("introduction"), blank=True,
                                    help_text=_("Shown to the household above the questions."))
    change_note = models.CharField(_("what changed"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("in use since"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="surveys_version_unique"),
            models.UniqueConstraint(fields=["questionnaire"], condition=Q(status="active"),
                                    name="surveys_one_active",
                                    violation_error_message=_("Only one version of a questionnaire is in use.")),
        ]

    def __str__(self):
        return _("%(questionnaire)s, version %(number)s") % {"questionnaire": self.questionnaire.name,
                                                             "number": self.number}

    def get_absolute_url(self):
        return reverse("surveys:questionnaireversion", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def questions_in_order(self):
        return Question.objects.filter(section__version=self).select_related("section", "dimension").order_by(
            "section__sort_order", "section_id", "sort_order", "id")


class QuestionSection(BaseModel):
    version = models.ForeignKey(QuestionnaireVersion, verbose_name=_("questionnaire version"),
                                on_delete=models.PROTECT, related_name="sections")
    title = models.CharField(_("section"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("questionnaire section")
        verbose_name_plural = _("questionnaire sections")
        ordering = ["version", "sort_order", "id"]

    def __str__(self):
        return self.title


class Question(BaseModel):
    """One question. A satisfaction question has a dimension and the five levels of ``SATISFACTION_LEVELS``; single
    and multiple choice have ``options`` (a list of labels; answers store the option's index from 0); a
    recommendation score is 0–10; free text is text."""

    section = models.ForeignKey(QuestionSection, verbose_name=_("section"), on_delete=models.PROTECT,
                                related_name="questions")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices, default=QuestionKind.SATISFACTION)
    dimension = models.ForeignKey(Dimension, verbose_name=_("service dimension"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="questions")
    required = models.BooleanField(_("answer required"), default=True)
    options = models.JSONField(_("options"), default=list, blank=True,
                               help_text=_("The choices of a single or multiple choice question, one per line."))

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section", "sort_order", "id"]

    def __str__(self):
        return self.text

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.kind == QuestionKind.SATISFACTION and not self.dimension_id:
            errors["dimension"] = _("A satisfaction question measures a service dimension: choose one.")
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            options = [str(o).strip() for o in (self.options or []) if str(o).strip()]
            if len(options) < 2:
                errors["options"] = _("A choice question needs at least two options.")
            elif len(set(options)) != len(options):
                errors["options"] = _("Each option appears once.")
            self.options = options
        elif self.options:
            errors["options"] = _("Only a choice question has options.")
        if errors:
            raise ValidationError(errors)


class SurveySchedule(BaseModel):
    """The company's survey rules (one row): how often every managed estate must be surveyed, the score under which
    a dimension is flagged, how long a personal link stays valid, when reminders go out."""

    campaigns_per_year = models.PositiveSmallIntegerField(
        _("surveys per estate and year"), default=2, validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Every managed estate is surveyed at least this often (the standard: 定期)."))
    low_score_threshold = models.DecimalField(
        _("low score under"), max_digits=3, decimal_places=2, default=DEFAULT_LOW_SCORE,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
        help_text=_("A dimension whose average (of 5) is under this is flagged."))
    link_valid_days = models.PositiveSmallIntegerField(
        _("personal links valid for (days)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)])
    remind_after_days = models.PositiveSmallIntegerField(
        _("remind after (days)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Households that have not answered are reminded this many days after the launch, then again "
                    "after as many days."))

    class Meta:
        verbose_name = _("survey schedule")
        verbose_name_plural = _("survey schedule")

    def __str__(self):
        return str(_("Survey schedule"))

    def get_absolute_url(self):
        return reverse("surveys:schedule")

    @classmethod
    def current(cls) -> SurveySchedule:
        schedule = cls.objects.order_by("pk").first()
        return schedule if schedule is not None else cls()

    @property
    def interval_days(self) -> int:
        return 365 // self.campaigns_per_year


class Campaign(BaseModel):
    """A survey campaign (一次客户意见调查): a questionnaire version, estates, a period, the target (every household or
    a stratified random sample sized from a confidence level and margin), the channels, and whether it is anonymous.
    draft → open (invitations created) → closed; or cancelled with a reason."""

    scope_estate = "estates"

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    version = models.ForeignKey(QuestionnaireVersion, verbose_name=_("questionnaire version"),
                                on_delete=models.PROTECT, related_name="campaigns")
    estates = models.ManyToManyField("estates.Estate", verbose_name=_("estates"), through="CampaignEstate",
                                     related_name="survey_campaigns")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    target = models.CharField(_("target"), max_length=10, choices=Target.choices, default=Target.ALL)
    confidence = models.DecimalField(_("confidence level"), max_digits=3, decimal_places=2, default=Decimal("0.95"),
                                     validators=[MinValueValidator(Decimal("0.80")),
                                                 MaxValueValidator(Decimal("0.99"))])
    margin = models.DecimalField(_("margin of error"), max_digits=4, decimal_places=3, default=Decimal("0.05"),
                                 validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("0.20"))])
    sample_seed = models.PositiveIntegerField(_("sample seed"), null=True, blank=True, editable=False)
    anonymous = models.BooleanField(_("anonymous"), default=False,
                                    help_text=_("Answers cannot be traced to a household by anyone."))
    channel_portal = models.BooleanField(_("owner portal"), default=True)
    channel_link = models.BooleanField(_("personal links"), default=True)
    channel_staff = models.BooleanField(_("phone and paper (entered by staff)"), default=True)
    links_expire_on = models.DateField(_("links valid until"), null=True, blank=True,
                                       help_text=_("Empty: the schedule's validity from the launch, at most the "
                                                   "campaign's last day."))
    low_score_threshold = models.DecimalField(_("low score under"), max_digits=3, decimal_places=2,
                                              default=DEFAULT_LOW_SCORE,
                                              validators=[MinValueValidator(Decimal("1")),
                                                          MaxValueValidator(Decimal("5"))])
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices,
                              default=CampaignStatus.DRAFT, editable=False, db_index=True)
    opened_at = models.DateTimeField(_("launched at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-starts_on", "-id"]
        permissions = [("view_household_answers", _("Can see which household gave a named answer"))]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="surveys_campaign_period",
                                   violation_error_message=_("A campaign cannot end before it starts.")),
            models.CheckConstraint(condition=Q(channel_portal=True) | Q(channel_link=True) | Q(channel_staff=True),
                                   name="surveys_campaign_channel",
                                   violation_error_message=_("Choose at least one channel.")),
        ]

    def __str__(self):
        return f"{self.number} {self.name}" if self.number else self.name

    def get_absolute_url(self):
        return reverse("surveys:campaign", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN

    def channels(self) -> list[str]:
        out = []
        if self.channel_portal:
            out.append(Channel.PORTAL)
        if self.channel_link:
            out.append(Channel.LINK)
        if self.channel_staff:
            out += [Channel.PHONE, Channel.PAPER]
        return out


class CampaignEstate(models.Model):
    """An estate of a campaign: the households in it at the launch (the sampling frame) and how many were invited."""

    scope_estate = "estate"

    campaign = models.ForeignKey(Campaign, verbose_name=_("survey campaign"), on_delete=models.PROTECT,
                                 related_name="campaign_estates")
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="+")
    households = models.PositiveIntegerField(_("households"), null=True, blank=True, editable=False)
    invited = models.PositiveIntegerField(_("invited"), null=True, blank=True, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign estate")
        verbose_name_plural = _("campaign estates")
        ordering = ["campaign", "estate__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "estate"], name="surveys_campaign_estate")]

    def __str__(self):
        return f"{self.campaign} · {self.estate}"


class Invitation(models.Model):
    """One household (unit) asked in a campaign, with its one-time personal key. No change history: in an anonymous
    campaign it keeps only that it was answered (``answered_at`` and ``channel`` stay empty)."""

    scope_estate = "estate"

    campaign = models.ForeignKey(Campaign, verbose_name=_("survey campaign"), on_delete=models.PROTECT,
                                 related_name="invitations")
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="+")
    unit = models.ForeignKey("estates.Unit", verbose_name=_("household"), on_delete=models.PROTECT,
                             related_name="survey_invitations")
    key = models.CharField(_("link key"), max_length=43, unique=True, editable=False)
    expires_on = models.DateField(_("link valid until"))
    answered = models.BooleanField(_("answered"), default=False, db_index=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["campaign", "estate_id", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="surveys_one_invitation_per_unit")]
        indexes = [models.Index(fields=["campaign", "estate", "answered"], name="surveys_invitation_rate_idx")]

    def __str__(self):
        return f"{self.campaign} · {self.unit}"

    @classmethod
    def resident_scope(cls, user) -> Q:
        """A resident's own households: units they currently occupy."""
        today = timezone.localdate()
        return (Q(unit__occupancies__customer__user=user) & Q(unit__occupancies__start_date__lte=today)
                & (Q(unit__occupancies__end_date__isnull=True) | Q(unit__occupancies__end_date__gte=today)))

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()

    def get_link_path(self) -> str:
        return reverse("surveys:answer", args=[self.key])


class Response(models.Model):
    """One household's filled questionnaire. Named campaigns keep the unit and the time; anonymous ones only the
    estate (``submitted_on`` is the campaign's first day). Staff-entered answers (phone, paper) are marked by their
    channel and, in a named campaign, say who entered them."""

    scope_estate = "estate"

    campaign = models.ForeignKey(Campaign, verbose_name=_("survey campaign"), on_delete=models.PROTECT,
                                 related_name="responses")
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="+")
    unit = models.ForeignKey("estates.Unit", verbose_name=_("household"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="survey_responses")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField(_("answered on"), db_index=True)
    submitted_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["campaign", "estate"], name="surveys_response_campaign_idx")]

    def __str__(self):
        return _("Response %(id)s to %(campaign)s") % {"id": self.pk, "campaign": self.campaign.number}

    def get_absolute_url(self):
        return reverse("surveys:response", args=[self.pk])


class Answer(models.Model):
    """One answer: ``value`` is the level (1–5) of a satisfaction question, the score (0–10) of a recommendation,
    the option's index (from 0) of a single choice; a multiple choice has one row per option chosen; free text is
    ``text``. ``campaign`` and ``estate`` repeat the response's so results aggregate one table."""

    scope_estate = "estate"

    response = models.ForeignKey(Response, verbose_name=_("survey response"), on_delete=models.PROTECT,
                                 related_name="answers")
    campaign = models.ForeignKey(Campaign, verbose_name=_("survey campaign"), on_delete=models.PROTECT,
                                 related_name="+")
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="+")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField(_("value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "question__section__sort_order", "question__sort_order", "value"]
        indexes = [models.Index(fields=["campaign", "estate", "question", "value"], name="surveys_answer_agg_idx")]

    def __str__(self):
        return f"{self.question}: {self.value if self.value is not None else self.text}"


class LowScoreAction(BaseModel):
    """A corrective action raised in the quality app from a flagged dimension of a campaign in an estate (at most
    one per campaign, estate and dimension)."""

    scope_estate = "estate"

    campaign = models.ForeignKey(Campaign, verbose_name=_("survey campaign"), on_delete=models.PROTECT,
                                 related_name="low_score_actions")
    estate = models.ForeignKey("estates.Estate", verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="+")
    dimension = models.ForeignKey(Dimension, verbose_name=_("service dimension"), on_delete=models.PROTECT,
                                  related_name="+")
    average = models.DecimalField(_("average score"), max_digits=4, decimal_places=2)
    action_label = models.CharField(_("corrective action"), max_length=50)
    action_url = models.CharField(_("link"), max_length=200)

    class Meta:
        verbose_name = _("corrective action from a low score")
        verbose_name_plural = _("corrective actions from low scores")
        ordering = ["campaign", "estate", "dimension"]
        constraints = [models.UniqueConstraint(fields=["campaign", "estate", "dimension"],
                                               name="surveys_one_action_per_flag",
                                               violation_error_message=_(
                                                   "A corrective action was already raised for this score."))]

    def __str__(self):
        return self.action_label
