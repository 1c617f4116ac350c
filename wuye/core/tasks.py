"""Background work of core (Celery, config/celery.py): the backup.

``backup_run`` is what ``manage.py backup`` does (``core.backup.make_backup`` with the configured retention): run
daily by beat (``CELERY_BEAT_SCHEDULE``) and queued by the administrator's "Back up now" on the backup log page.
The run is written to the backup log (``BackupRun``) either way, a failure with its error; a second run only adds
an archive, so a task delivered twice (a worker killed mid-task, acks late) does no harm.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


@shared_task(name="wuye.core.tasks.backup_run")
def backup_run(keep: int | None = None) -> str:
    from .backup import BackupError, make_backup

    keep = settings.WUYE_BACKUP_KEEP if keep is None else keep
    try:
        result = make_backup(keep=keep)
    except BackupError as exc:  # already in the backup log; a retry would fail the same way
        logger.error("backup failed: %s", exc)
        return ""
    logger.info("backup written: %s (%d bytes in %.1f s)", result.path, result.size, result.seconds)
    return str(result.path)
