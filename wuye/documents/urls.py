from django.urls import path

from .labels import LabelSheetView
from .views import urlpatterns as _pages

app_name = "documents"
urlpatterns = [*_pages, path("labels/", LabelSheetView.as_view(), name="labels")]
