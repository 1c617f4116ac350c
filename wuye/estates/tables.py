"""Tables of the estates lists (pages and Excel exports). Personal data is always masked here."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wuye.core.tables import BaseTable, ChoiceBadgeColumn, MaskedColumn

from .models import Building, CommitteeMember, Customer, Estate, Occupancy, OwnersCommittee, Unit


class EstateTable(BaseTable):
    name = tables.Column(linkify=True)
    status = ChoiceBadgeColumn(colors={"managed": "success", "preparing": "warning", "exited": "secondary"})
    unit_count = tables.Column(verbose_name=_("units"), orderable=False)
    customer_count = tables.Column(verbose_name=_("customers"), orderable=False)

    class Meta(BaseTable.Meta):
        model = Estate
        fields = ("name", "code", "kind", "status", "city", "district", "address", "floor_area", "site_area",
                  "service_phone", "managed_since")
        sequence = ("name", "code", "kind", "status", "city", "district", "address", "unit_count",
                    "customer_count", "...")
        default_columns = ("name", "code", "kind", "status", "district", "address", "unit_count", "customer_count")


class BuildingTable(BaseTable):
    number = tables.Column(linkify=True)
    unit_count = tables.Column(verbose_name=_("units"), orderable=False)

    class Meta(BaseTable.Meta):
        model = Building
        fields = ("estate", "number", "name", "kind", "floors", "entrances", "completed_year")
        sequence = ("estate", "number", "name", "kind", "floors", "entrances", "unit_count", "completed_year")
        default_columns = ("estate", "number", "name", "kind", "floors", "entrances", "unit_count")


def _occupants(record):
    return getattr(record, "current_occupancies", None) or []


class UnitTable(BaseTable):
    code = tables.Column(linkify=True)
    status = ChoiceBadgeColumn(colors={"occupied": "success", "let": "info", "vacant": "secondary",
                                       "renovating": "warning", "unsold": "light"})
    occupants = tables.Column(verbose_name=_("current occupants"), accessor="pk", orderable=False)

    class Meta(BaseTable.Meta):
        model = Unit
        fields = ("estate", "code", "building", "entrance", "floor", "number", "usage", "status", "floor_area",
                  "delivered_on")
        sequence = ("estate", "code", "building", "entrance", "floor", "number", "usage", "status", "floor_area",
                    "occupants", "delivered_on")
        default_columns = ("estate", "code", "usage", "status", "floor_area", "occupants")

    def render_occupants(self, record):
        occupancies = _occupants(record)
        if not occupancies:
            return "—"
        return format_html_join("、", '<a href="{}">{}</a>', ((o.customer.get_absolute_url(), o.customer.name)
                                                             for o in occupancies))

    def value_occupants(self, record):
        return "、".join(o.customer.name for o in _occupants(record))


class CustomerTable(BaseTable):
    name = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn(colors={"owner": "primary", "tenant": "info", "developer": "dark"})
    status = ChoiceBadgeColumn(colors={"active": "success", "archived": "secondary"})
    mobile = MaskedColumn()
    phone = MaskedColumn()
    id_number = MaskedColumn()
    emergency_phone = MaskedColumn()
    units = tables.Column(verbose_name=_("units"), accessor="pk", orderable=False)

    class Meta(BaseTable.Meta):
        model = Customer
        fields = ("name", "estate", "kind", "mobile", "phone", "id_type", "id_number", "email", "emergency_contact",
                  "emergency_phone", "status", "created_at")
        sequence = ("name", "estate", "kind", "units", "mobile", "phone", "id_type", "id_number", "email",
                    "emergency_contact", "emergency_phone", "status", "created_at")
        default_columns = ("name", "estate", "kind", "units", "mobile", "status")

    def render_units(self, record):
        occupancies = _occupants(record)
        if not occupancies:
            return "—"
        return format_html_join(" ", '<a class="badge text-bg-light text-decoration-none" href="{}">{}</a>',
                                ((o.unit.get_absolute_url(), o.unit.code) for o in occupancies))

    def value_units(self, record):
        return " ".join(o.unit.code for o in _occupants(record))


class OccupancyTable(BaseTable):
    customer = tables.Column(linkify=True)
    unit = tables.Column(linkify=True)
    current = tables.BooleanColumn(verbose_name=_("current"), accessor="is_current", orderable=False)
    detail = tables.Column(verbose_name="", accessor="pk", orderable=False, exclude_from_export=True)

    class Meta(BaseTable.Meta):
        model = Occupancy
        fields = ("customer", "unit", "role", "start_date", "end_date", "is_primary_contact", "notes")
        sequence = ("customer", "unit", "role", "start_date", "end_date", "current", "is_primary_contact",
                    "notes", "detail")
        default_columns = ("customer", "unit", "role", "start_date", "end_date", "current", "detail")
        exclude_from_export = ("detail",)

    def render_detail(self, record):
        return format_html('<a href="{}" class="small">{}</a>', record.get_absolute_url(), _("Details"))


class OwnersCommitteeTable(BaseTable):
    display = tables.Column(verbose_name=_("owners' committee"), accessor="pk", linkify=lambda record: record
                            .get_absolute_url(), order_by=("estate__name", "-term_number"))
    status = ChoiceBadgeColumn(colors={"active": "success", "ended": "secondary"})
    member_count = tables.Column(verbose_name=_("members"), orderable=False)

    class Meta(BaseTable.Meta):
        model = OwnersCommittee
        fields = ("estate", "term_number", "established_on", "term_start", "term_end", "filing_number", "status",
                  "contact_phone")
        sequence = ("display", "estate", "term_number", "established_on", "term_start", "term_end",
                    "filing_number", "member_count", "status", "contact_phone")
        default_columns = ("display", "term_start", "term_end", "filing_number", "member_count", "status")

    def render_display(self, record):
        return str(record)

    def value_display(self, record):
        return str(record)


class CommitteeMemberTable(BaseTable):
    customer = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = CommitteeMember
        fields = ("committee", "customer", "position", "joined_on", "left_on")
