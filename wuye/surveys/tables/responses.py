"""Tables of the survey responses (the page and its Excel). The household column exists only in
``ResponseHouseholdTable`` (for holders of ``surveys.view_household_answers``) and is empty for anonymous campaigns;
no table has the time of day."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable

from ..models import Response


class ResponseTable(BaseTable):
    id = tables.Column(verbose_name=_("number"), linkify=True)
    campaign = tables.Column(accessor="campaign__number", verbose_name=_("survey campaign"),
                             linkify=lambda record: record.campaign.get_absolute_url())
    campaign_name = tables.Column(accessor="campaign__name", verbose_name=_("name"))
    estate = tables.Column(accessor="estate__name", verbose_name=_("estate"))
    channel = tables.Column()
    submitted_on = tables.DateColumn(format="Y-m-d")

    class Meta(BaseTable.Meta):
        model = Response
        fields = ("id", "campaign", "campaign_name", "estate", "channel", "submitted_on")
        default_columns = ("id", "campaign", "estate", "channel", "submitted_on")


class ResponseHouseholdTable(ResponseTable):
    unit = tables.Column(accessor="unit__code", verbose_name=_("household"), empty_values=())

    class Meta(ResponseTable.Meta):
        fields = ("id", "campaign", "campaign_name", "estate", "unit", "channel", "submitted_on")
        default_columns = ("id", "campaign", "estate", "unit", "channel", "submitted_on")

    def value_unit(self, record):
        if record.campaign.anonymous or record.unit_id is None:
            return ""
        return record.unit.code

    def render_unit(self, record):
        return self.value_unit(record) or "—"
