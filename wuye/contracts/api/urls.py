from .views import (
    ContractViewSet,
    EstateTakeoverViewSet,
    RenewalTaskViewSet,
    ReviewChecklistItemViewSet,
    TakeoverViewSet,
)

ROUTES = [
    ("contracts", ContractViewSet),
    ("takeovers", TakeoverViewSet),
    (r"estates/(?P<estate_pk>\d+)/takeover", EstateTakeoverViewSet, "estate-takeover"),
    ("renewal-tasks", RenewalTaskViewSet),
    ("contract-checklist", ReviewChecklistItemViewSet),
]
