"""Management review (管理评审, seed 1.9): planned at least once a year; inputs compiled from wuye for the period and
editable; outputs (decisions, resource needs, improvement actions) tracked to completion as action items. Action
items also follow up meetings."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wuye.core.models import BaseModel

from ..choices import ActionItemStatus, OutputKind, ReviewStatus, ReviewTopic


class ManagementReview(BaseModel):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    planned_on = models.DateField(_("planned on"))
    held_on = models.DateField(_("held on"), null=True, blank=True, editable=False)
    chair = models.ForeignKey("org.Staff", verbose_name=_("chair"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    attendees = models.ManyToManyField("org.Staff", verbose_name=_("attendees"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PLANNED,
                              editable=False, db_index=True)
    compiled_at = models.DateTimeField(_("inputs compiled at"), null=True, blank=True, editable=False)
    minutes = models.TextField(pgettext_lazy("record", "minutes"), blank=True)
    conclusion = models.TextField(_("conclusion on the system's suitability and effectiveness"), blank=True)
    cancel_reason = models.CharField(_("reason cancelled"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")
        ordering = ["-planned_on", "-number"]
        permissions = [("hold_managementreview", _("Can hold management reviews (record minutes, close)"))]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="quality_review_period",
                                   violation_error_message=_("A period cannot end before it starts.")),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("quality:managementreview", args=[self.pk])


class ReviewInput(BaseModel):
    """One input of a review: the figures compiled from wuye (``figures``, JSON) and the text people edit."""

    review = models.ForeignKey(ManagementReview, verbose_name=_("management review"), on_delete=models.PROTECT,
                               related_name="inputs")
    topic = models.CharField(_("topic"), max_length=20, choices=ReviewTopic.choices)
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    text = models.TextField(_("summary"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("review input")
        verbose_name_plural = _("review inputs")
        ordering = ["review", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "topic"], condition=~Q(topic="other"),
                                               name="quality_review_input_topic")]

    def __str__(self):
        return self.get_topic_display()

    def get_absolute_url(self):
        return self.review.get_absolute_url()


class ActionItem(BaseModel):
    """An output of a management review or an action from a meeting: who does what by when, tracked to done."""

    review = models.ForeignKey(ManagementReview, verbose_name=_("management review"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey("quality.Meeting", verbose_name=_("meeting"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(_("kind"), max_length=12, choices=OutputKind.choices, default=OutputKind.IMPROVEMENT)
    text = models.TextField(_("action"))
    owner = models.ForeignKey("org.Staff", verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ActionItemStatus.choices,
                              default=ActionItemStatus.OPEN, editable=False, db_index=True)
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)
    result = models.TextField(_("result"), blank=True, editable=False)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["status", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(review__isnull=False, meeting__isnull=True)
                           | Q(review__isnull=True, meeting__isnull=False)),
                name="quality_action_item_parent",
                violation_error_message=_("An action item belongs to one review or one meeting.")),
        ]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        return (self.review or self.meeting).get_absolute_url()

    @property
    def parent(self):
        return self.review or self.meeting

    def is_overdue(self, today=None) -> bool:
        return bool(self.due_on and self.status == ActionItemStatus.OPEN
                    and self.due_on < (today or timezone.localdate()))
