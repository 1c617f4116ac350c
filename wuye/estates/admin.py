from django.contrib import admin

from wuye.core.admin import BaseAdmin

from .models import Building, CommitteeMember, Customer, Estate, Occupancy, OwnersCommittee, Unit


@admin.register(Estate)
class EstateAdmin(BaseAdmin):
    list_display = ("name", "code", "kind", "status", "district", "managed_since")
    list_filter = ("kind", "status")
    search_fields = ("name", "code", "address")
    filter_horizontal = ("staff",)


@admin.register(Building)
class BuildingAdmin(BaseAdmin):
    list_display = ("estate", "number", "name", "kind", "floors", "entrances")
    list_filter = ("estate", "kind")
    list_select_related = ("estate",)


@admin.register(Unit)
class UnitAdmin(BaseAdmin):
    list_display = ("code", "estate", "building", "usage", "status", "floor_area")
    list_filter = ("estate", "usage", "status")
    list_select_related = ("estate", "building", "building__estate")
    search_fields = ("code",)
    raw_id_fields = ("building",)


@admin.register(Customer)
class CustomerAdmin(BaseAdmin):
    """Phone and ID numbers are masked in the list and left out of the form for users without the
    view-personal-data permission; opening a record with it is audited (core.admin.BaseAdmin)."""

    list_display = ("name", "estate", "kind", "mobile", "status")
    list_filter = ("estate", "kind", "status")
    list_select_related = ("estate",)
    search_fields = ("name",)
    raw_id_fields = ("user",)


@admin.register(Occupancy)
class OccupancyAdmin(BaseAdmin):
    list_display = ("customer", "unit", "role", "start_date", "end_date", "is_primary_contact")
    list_filter = ("role",)
    list_select_related = ("customer", "unit", "unit__estate")
    raw_id_fields = ("unit", "customer")


@admin.register(OwnersCommittee)
class OwnersCommitteeAdmin(BaseAdmin):
    list_display = ("estate", "term_number", "term_start", "term_end", "status")
    list_filter = ("status",)


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(BaseAdmin):
    list_display = ("committee", "customer", "position", "joined_on", "left_on")
    raw_id_fields = ("customer",)
