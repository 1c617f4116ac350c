"""Tables of the policy and objective lists (pages and Excel)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from ..models import QualityObjective, QualityPolicy

POLICY_COLORS = {"draft": "secondary", "approved": "info", "published": "success", "superseded": "light"}


class QualityPolicyTable(BaseTable):
    version = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    status = ChoiceBadgeColumn(colors=POLICY_COLORS)
    approved_by = tables.Column(accessor="approved_by__first_name", verbose_name=_("approved by"))
    approved_on = tables.DateColumn(format="Y-m-d")
    published_on = tables.DateColumn(format="Y-m-d")

    class Meta(BaseTable.Meta):
        model = QualityPolicy
        fields = ("version", "title", "status", "approved_by", "approved_on", "published_on", "change_note")


class QualityObjectiveTable(BaseTable):
    title = tables.Column(linkify=True)
    policy = tables.Column(accessor="policy__version", verbose_name=_("policy version"),
                           linkify=lambda record: record.policy.get_absolute_url())
    estate = tables.Column(accessor="estate__name", verbose_name=_("estate"), default="—")

    class Meta(BaseTable.Meta):
        model = QualityObjective
        fields = ("code", "title", "policy", "metric", "comparison", "target", "unit", "estate", "department",
                  "owner")
