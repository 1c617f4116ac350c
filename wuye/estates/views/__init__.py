"""Pages of the estates app (a package: estates/buildings/units, customers and lookup, occupancies and
committees, imports)."""

from .customers import (
    CustomerArchiveView,
    CustomerEditView,
    CustomerHistoryView,
    CustomerListView,
    CustomerReactivateView,
    CustomerRevealView,
    CustomerView,
    LookupView,
)
from .estates import (
    BuildingEditView,
    BuildingHistoryView,
    BuildingListView,
    BuildingView,
    EstateEditView,
    EstateHistoryView,
    EstateListView,
    EstateView,
    UnitEditView,
    UnitHistoryView,
    UnitListView,
    UnitView,
)
from .imports import CustomerImportTemplateView, CustomerImportView, UnitImportTemplateView, UnitImportView
from .occupancies import (
    CommitteeMemberEditView,
    OccupancyEditView,
    OccupancyEndView,
    OccupancyHistoryView,
    OccupancyListView,
    OccupancyStartView,
    OccupancyView,
    OwnersCommitteeEditView,
    OwnersCommitteeEndView,
    OwnersCommitteeHistoryView,
    OwnersCommitteeListView,
    OwnersCommitteeView,
)

__all__ = [
    "BuildingEditView", "BuildingHistoryView", "BuildingListView", "BuildingView",
    "CommitteeMemberEditView",
    "CustomerArchiveView", "CustomerEditView", "CustomerHistoryView", "CustomerImportTemplateView",
    "CustomerImportView", "CustomerListView", "CustomerReactivateView", "CustomerRevealView", "CustomerView",
    "EstateEditView", "EstateHistoryView", "EstateListView", "EstateView",
    "LookupView",
    "OccupancyEditView", "OccupancyEndView", "OccupancyHistoryView", "OccupancyListView", "OccupancyStartView",
    "OccupancyView",
    "OwnersCommitteeEditView", "OwnersCommitteeEndView", "OwnersCommitteeHistoryView", "OwnersCommitteeListView",
    "OwnersCommitteeView",
    "UnitEditView", "UnitHistoryView", "UnitImportTemplateView", "UnitImportView", "UnitListView", "UnitView",
]
