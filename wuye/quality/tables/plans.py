"""Table of the work plan list (page and Excel)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from ..models import WorkPlan

PLAN_COLORS = {"draft": "secondary", "published": "success", "closed": "light"}


class WorkPlanTable(BaseTable):
    year = tables.Column()
    title = tables.Column(linkify=True)
    department = tables.Column(accessor="department__name", verbose_name=_("owning department"), default="—")
    status = ChoiceBadgeColumn(colors=PLAN_COLORS)
    version = tables.Column()
    published_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        model = WorkPlan
        fields = ("year", "title", "department", "status", "version", "published_at")
