"""Tables of the incident lists (pages and Excel)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from .models import Incident, IncidentKind

STATUS_COLORS = {"reported": "warning", "investigating": "info", "investigated": "primary", "reviewed": "primary",
                 "closed": "success", "withdrawn": "light"}
SEVERITY_COLORS = {"minor": "secondary", "serious": "warning", "major": "danger", "critical": "dark"}


class IncidentTable(BaseTable):
    number = tables.Column(linkify=True, attrs={"td": {"class": "text-nowrap"}})
    title = tables.Column()
    occurred_at = tables.DateTimeColumn(format="Y-m-d H:i")
    estate = tables.Column(accessor="estate__name", verbose_name=_("estate"))
    kind = tables.Column(accessor="kind__name", verbose_name=_("kind"))
    severity = ChoiceBadgeColumn(colors=SEVERITY_COLORS)
    status = ChoiceBadgeColumn(colors=STATUS_COLORS)
    corrective_action = tables.Column(accessor="corrective_action__number", verbose_name=_("corrective action"))

    class Meta(BaseTable.Meta):
        model = Incident
        fields = ("number", "title", "occurred_at", "estate", "place", "kind", "severity", "injured_count",
                  "loss_amount", "status", "corrective_action")


class IncidentKindTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = IncidentKind
        fields = ("sort_order", "code", "name", "is_active")
