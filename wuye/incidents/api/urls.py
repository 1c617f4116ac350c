from .views import IncidentKindViewSet, IncidentViewSet

ROUTES = [
    ("incidents", IncidentViewSet),
    ("incident-kinds", IncidentKindViewSet),
]
