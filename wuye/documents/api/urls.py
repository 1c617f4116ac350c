from .views import (
    DocumentCategoryViewSet,
    DocumentViewSet,
    HandoverViewSet,
    LoanViewSet,
    LocationViewSet,
    RegulationViewSet,
    RevisionViewSet,
)

ROUTES = [
    ("documents", DocumentViewSet),
    ("revisions", RevisionViewSet),
    ("document-categories", DocumentCategoryViewSet),
    ("locations", LocationViewSet),
    ("loans", LoanViewSet),
    ("handovers", HandoverViewSet),
    ("regulations", RegulationViewSet),
]
