"""Tables of the appraisal and cycle lists (pages and Excel)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from ..models import Appraisal, AppraisalCycle

STATE_COLORS = {"draft": "secondary", "self_assessment": "info", "scoring": "primary", "acknowledgement": "warning",
                "final": "success", "superseded": "light"}


class AppraisalTable(BaseTable):
    appraisee = tables.Column(accessor="appraisee__name", verbose_name=_("appraisee"), linkify=lambda record:
                              record.get_absolute_url())
    appraiser = tables.Column(accessor="appraiser__name", verbose_name=_("appraiser"))
    form_version = tables.Column(accessor="form_version__form__name", verbose_name=_("form"))
    period_start = tables.DateColumn(format="Y-m-d")
    period_end = tables.DateColumn(format="Y-m-d")
    state = ChoiceBadgeColumn(colors=STATE_COLORS)
    cycle = tables.Column(accessor="cycle__name", verbose_name=_("cycle"),
                          linkify=lambda record: record.cycle.get_absolute_url() if record.cycle_id else None)

    class Meta(BaseTable.Meta):
        model = Appraisal
        fields = ("appraisee", "appraiser", "form_version", "period_kind", "period_start", "period_end",
                  "appraised_on", "state", "total", "grade", "revision", "cycle", "acknowledged_at", "finalised_at")
        default_columns = ("appraisee", "appraiser", "form_version", "period_start", "period_end", "state",
                           "total", "grade", "cycle")


class AppraisalCycleTable(BaseTable):
    name = tables.Column(linkify=True)
    form_version = tables.Column(accessor="form_version__form__name", verbose_name=_("form"))
    period_start = tables.DateColumn(format="Y-m-d")
    period_end = tables.DateColumn(format="Y-m-d")
    due_on = tables.DateColumn(format="Y-m-d")
    status = ChoiceBadgeColumn(colors={"open": "primary", "closed": "secondary"})
    appraisal_count = tables.Column(verbose_name=_("appraisals"), orderable=True)
    final_count = tables.Column(verbose_name=_("final"), orderable=True)

    class Meta(BaseTable.Meta):
        model = AppraisalCycle
        fields = ("name", "form_version", "period_kind", "period_start", "period_end", "self_assessment", "due_on",
                  "status", "appraisal_count", "final_count")
        default_columns = ("name", "form_version", "period_start", "period_end", "due_on", "status",
                           "appraisal_count", "final_count")
