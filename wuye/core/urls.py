from django.urls import path

from .views.backups import BackupRunListView, BackupRunNowView
from .views.notifications import NotificationListView, NotificationReadView
from .views.pages import AuditEventListView

app_name = "core"

urlpatterns = [
    path("audit/", AuditEventListView.as_view(), name="auditevent_list"),
    path("backups/", BackupRunListView.as_view(), name="backuprun_list"),
    path("backups/run/", BackupRunNowView.as_view(), name="backup_run"),
    path("notifications/", NotificationListView.as_view(), name="notification_list"),
    path("notifications/read/", NotificationReadView.as_view(), name="notification_read_all"),
    path("notifications/<int:pk>/read/", NotificationReadView.as_view(), name="notification_read"),
]
