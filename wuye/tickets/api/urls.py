from .reports import REPORT_ROUTES
from .views import ServiceLevelViewSet, TicketCategoryViewSet, TicketViewSet

ROUTES = [
    ("tickets", TicketViewSet),
    ("service-levels", ServiceLevelViewSet),
    ("ticket-categories", TicketCategoryViewSet),
    *REPORT_ROUTES,
]
