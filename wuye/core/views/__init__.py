from .generic import (
    BaseView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
)

__all__ = ["BaseView", "ObjectDetailView", "ObjectEditView", "ObjectHistoryView", "ObjectListView"]
