"""Tables of the contract lists (pages, Excel and PDF)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn

from .models import Contract, RenewalTask, ReviewChecklistItem, Takeover

STATUS_COLORS = {"draft": "secondary", "in_review": "info", "reviewed": "info", "signed": "primary",
                 "in_force": "success", "expiring": "warning", "expired": "dark", "terminated": "danger",
                 "superseded": "light"}


class DaysLeftColumn(tables.Column):
    """Days to the last valid day: red within 30, amber within 90; empty once the contract has ended."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("days left"))
        kwargs.setdefault("accessor", "valid_to")
        kwargs.setdefault("orderable", True)
        kwargs.setdefault("empty_values", ())
        super().__init__(**kwargs)

    def value(self, record):
        return record.days_left(timezone.localdate())

    def render(self, record):
        days = self.value(record)
        if days is None:
            return "—"
        if days < 0:
            return format_html('<span class="text-muted days-left">{}</span>', _("ended"))
        color = "danger" if days <= 30 else "warning" if days <= 90 else "body"
        return format_html('<span class="text-{} days-left">{}</span>', color, days)


class ContractTable(BaseTable):
    number = tables.Column(linkify=True, attrs={"td": {"class": "text-nowrap"}})
    title = tables.Column()
    kind = tables.Column()
    estate = tables.Column(accessor="estate__name", verbose_name=_("estate"))
    party_name = tables.Column()
    valid_from = tables.DateColumn(format="Y-m-d")
    valid_to = tables.DateColumn(format="Y-m-d")
    days_left = DaysLeftColumn()
    status = ChoiceBadgeColumn(colors=STATUS_COLORS)
    renews = tables.Column(accessor="renews__number", verbose_name=_("renews or replaces"),
                           linkify=lambda record: record.renews.get_absolute_url() if record.renews_id else None)
    amount = tables.Column()

    class Meta(BaseTable.Meta):
        model = Contract
        fields = ("number", "title", "kind", "estate", "party_kind", "party_name", "signed_on", "valid_from",
                  "valid_to", "days_left", "status", "amount", "payment_terms", "owner", "renews", "ended_on",
                  "end_reason")
        default_columns = ("number", "title", "kind", "estate", "party_name", "valid_from", "valid_to",
                           "days_left", "status", "renews")


class TakeoverTable(BaseTable):
    estate = tables.Column(linkify=True)
    contract = tables.Column(linkify=True)
    taken_over_on = tables.DateColumn(format="Y-m-d", linkify=True)

    class Meta(BaseTable.Meta):
        model = Takeover
        fields = ("estate", "contract", "taken_over_on", "notes", "created_by")
        default_columns = ("estate", "contract", "taken_over_on", "created_by")


class RenewalTaskTable(BaseTable):
    estate = tables.Column(linkify=True)
    contract = tables.Column(linkify=True)
    new_contract = tables.Column(linkify=True)
    state = ChoiceBadgeColumn(colors={"open": "warning", "done": "success", "cancelled": "secondary"})

    class Meta(BaseTable.Meta):
        model = RenewalTask
        fields = ("estate", "committee", "contract", "state", "opened_on", "closed_on", "new_contract", "note")
        default_columns = fields


class ReviewChecklistItemTable(BaseTable):
    text = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ReviewChecklistItem
        fields = ("sort_order", "text", "guidance", "is_active")
        default_columns = fields
