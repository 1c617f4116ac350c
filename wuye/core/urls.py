from django.urls import path

from .views.pages import AuditEventListView

app_name = "core"

urlpatterns = [
    path("audit/", AuditEventListView.as_view(), name="auditevent_list"),
]
