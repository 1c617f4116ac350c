"""The backup log (``core.backup``): every backup, verification and restore, for the system administrator."""

from __future__ import annotations

from ..filtersets import BackupRunFilterSet
from ..models import BackupRun
from ..tables import BackupRunTable
from .generic import ObjectListView


class BackupRunListView(ObjectListView):
    queryset = BackupRun.objects.all()
    filterset = BackupRunFilterSet
    table = BackupRunTable
    permission_required = "core.view_backuprun"

    def get_queryset(self):
        # Not a BaseModel (no estate, no restrict()): the permission is the whole check.
        return self.queryset.all()
