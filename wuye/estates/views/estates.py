"""Pages of estates, buildings and units."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django_tables2 import RequestConfig

from wuye.core.views import ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from wuye.org.choices import StaffStatus

from .. import selectors, services
from ..choices import CustomerStatus
from ..filtersets import BuildingFilterSet, EstateFilterSet, UnitFilterSet
from ..forms import BuildingForm, EstateForm, UnitForm
from ..models import Building, Customer, Estate, Unit
from ..panels import building_panels, estate_panels
from ..tables import BuildingTable, EstateTable, UnitTable

# --- estates ---------------------------------------------------------------------------------------------------


def _count(model, **filters):
    return Subquery(model.objects.filter(estate=OuterRef("pk"), **filters).order_by()
                    .values("estate").annotate(n=Count("pk")).values("n")[:1])


class EstateListView(ObjectListView):
    queryset = Estate.objects.annotate(
        unit_count=_count(Unit), customer_count=_count(Customer, status=CustomerStatus.ACTIVE))
    filterset = EstateFilterSet
    table = EstateTable


class EstateView(ObjectDetailView):
    queryset = Estate.objects.select_related("company")

    def get_extra_context(self, obj):
        user = self.request.user
        staff_model = Estate._meta.get_field("staff").related_model
        return {
            "figures": selectors.estate_figures(user=user, estate=obj),
            "buildings": selectors.estate_buildings(user=user, estate=obj),
            "committee": selectors.committee_in_office(user=user, estate=obj),
            "staff_members": staff_model.objects.restrict(user).filter(estates=obj, status=StaffStatus.ACTIVE)
            .select_related("post"),
            "can_add_building": user.has_perm("estates.add_building"),
            "can_add_committee": user.has_perm("estates.add_ownerscommittee"),
            "panels": estate_panels(self.request, obj),
        }


class EstateEditView(ObjectEditView):
    queryset = Estate.objects.all()
    form = EstateForm


class EstateHistoryView(ObjectHistoryView):
    queryset = Estate.objects.all()


# --- buildings --------------------------------------------------------------------------------------------------


class BuildingListView(ObjectListView):
    queryset = Building.objects.select_related("estate").annotate(unit_count=Count("units"))
    filterset = BuildingFilterSet
    table = BuildingTable


class BuildingView(ObjectDetailView):
    queryset = Building.objects.select_related("estate")

    def get_extra_context(self, obj):
        user = self.request.user
        units = (Unit.objects.restrict(user).filter(building=obj).select_related("estate")
                 .prefetch_related(selectors.occupants_prefetch()).order_by("entrance", "floor", "number"))
        table = UnitTable(units, request=self.request, exclude=("estate",))
        RequestConfig(self.request, paginate={"per_page": 100}).configure(table)
        return {
            "units_table": table,
            "add_unit_url": reverse("estates:unit_add") + f"?building={obj.pk}"
            if user.has_perm("estates.add_unit") else None,
            "panels": building_panels(self.request, obj),
        }


class BuildingEditView(ObjectEditView):
    queryset = Building.objects.all()
    form = BuildingForm


class BuildingHistoryView(ObjectHistoryView):
    queryset = Building.objects.all()


# --- units ------------------------------------------------------------------------------------------------------


class UnitListView(ObjectListView):
    queryset = Unit.objects.select_related("estate", "building").prefetch_related(selectors.occupants_prefetch())
    filterset = UnitFilterSet
    table = UnitTable
    import_url_name = "estates:unit_import"


class UnitView(ObjectDetailView):
    queryset = Unit.objects.select_related("estate", "building")

    def get_extra_context(self, obj):
        user = self.request.user
        current, past = selectors.unit_occupancies(user=user, unit=obj)
        return {
            "current": current,
            "past": past,
            "add_occupancy_url": reverse("estates:occupancy_add") + f"?unit={obj.pk}"
            if user.has_perm("estates.add_occupancy") else None,
            "add_customer_url": reverse("estates:customer_add") + f"?estate={obj.estate_id}&unit_code={obj.code}"
            if user.has_perm("estates.add_customer") else None,
        }


class UnitEditView(ObjectEditView):
    queryset = Unit.objects.all()
    form = UnitForm

    def save(self, form):
        if form.instance.pk:
            return form.save()
        data = dict(form.cleaned_data)
        return services.unit_create(actor=self.request.user, **data)


class UnitHistoryView(ObjectHistoryView):
    queryset = Unit.objects.all()
