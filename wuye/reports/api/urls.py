from .views import ReportKindViewSet, ReportViewSet

# ``reports/<pk>/`` (digits) and ``reports/<kind>/`` (a kind's name) do not clash: each viewset's lookup says which.
ROUTES = [
    ("reports", ReportViewSet),
    ("reports", ReportKindViewSet, "reports-kind"),
]
