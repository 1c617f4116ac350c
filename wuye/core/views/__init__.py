from .generic import (
    BaseView,
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
)

__all__ = ["BaseView", "ObjectActionView", "ObjectDetailView", "ObjectEditView", "ObjectHistoryView", "ObjectListView"]
