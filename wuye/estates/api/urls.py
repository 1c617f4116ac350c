from .views import (
    BuildingViewSet,
    CommitteeMemberViewSet,
    CustomerViewSet,
    EstateViewSet,
    OccupancyViewSet,
    OwnersCommitteeViewSet,
    UnitViewSet,
)

ROUTES = [
    ("estates", EstateViewSet),
    ("buildings", BuildingViewSet),
    ("units", UnitViewSet),
    ("customers", CustomerViewSet),
    ("occupancies", OccupancyViewSet),
    ("owners-committees", OwnersCommitteeViewSet),
    ("committee-members", CommitteeMemberViewSet),
]
