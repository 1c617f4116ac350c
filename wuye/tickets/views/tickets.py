"""Ticket pages (placeholder names until the pages land)."""

from django.urls import path
from django.views.generic import View

urlpatterns = [
    path("<int:pk>/", View.as_view(), name="ticket"),
    path("attachments/<int:pk>/", View.as_view(), name="attachment"),
]
