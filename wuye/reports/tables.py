"""The report list (page and Excel)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from .models import Report

STATUS_COLORS = {"draft": "secondary", "submitted": "warning", "returned": "danger", "accepted": "success",
                 "cancelled": "light"}


class ReportTable(BaseTable):
    kind = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("kind"))
    period = tables.Column(accessor="period_start", verbose_name=_("period"), order_by=("period_start",))
    estate = tables.Column(accessor="estate__name", verbose_name=_("estate"), default="")
    department = tables.Column(accessor="department__name", verbose_name=_("department"), default="")
    author = tables.Column(accessor="author", verbose_name=_("author"))
    status = ChoiceBadgeColumn(colors=STATUS_COLORS)
    current_version = tables.Column(verbose_name=_("version"))
    submitted_at = tables.DateTimeColumn(format="Y-m-d H:i")
    reviewed_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        model = Report
        fields = ("kind", "period", "estate", "department", "author", "status", "current_version", "submitted_at",
                  "reviewed_at")

    def render_kind(self, record):
        return record.kind_label

    def value_kind(self, record):
        return record.kind_label

    def render_period(self, record):
        return record.period_label

    def value_period(self, record):
        return record.period_label

    def render_author(self, record):
        return record.author.get_full_name() or record.author.get_username()

    def value_author(self, record):
        return self.render_author(record)
