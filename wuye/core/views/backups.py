"""The backup log (``core.backup``): every backup, verification and restore, for the system administrator, and
"Back up now", which queues a backup for the Celery worker (``core.tasks.backup_run``)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ..audit import audit
from ..filtersets import BackupRunFilterSet
from ..models import BackupRun
from ..tables import BackupRunTable
from .generic import BaseView, ObjectListView


class BackupRunListView(ObjectListView):
    queryset = BackupRun.objects.all()
    filterset = BackupRunFilterSet
    table = BackupRunTable
    permission_required = "core.view_backuprun"
    template_name = "core/backuprun_list.html"

    def get_queryset(self):
        # Not a BaseModel (no estate, no restrict()): the permission is the whole check.
        return self.queryset.all()


class BackupRunNowView(BaseView):
    """POST: queue one backup now. The task is sent once the request's transaction has committed; the worker
    writes the run to the log when it ends (without a broker it runs in this process before the answer)."""

    # The backup log's one permission: only the system administrator holds it (core/roles.py).
    permission_required = "core.view_backuprun"

    def post(self, request):
        from ..tasks import backup_run

        audit("backup.queue", actor=request.user)
        transaction.on_commit(lambda: backup_run.delay())
        messages.success(request, _("Backup queued: it appears in the log when it has run."))
        return redirect("core:backuprun_list")
