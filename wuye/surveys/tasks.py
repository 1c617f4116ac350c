"""Background work of the surveys app (Celery): the daily ``surveys_remind``: reminders to households that have not
answered an open campaign, campaigns past their last day closed. Idempotent.

The loop lives in the management command (no service of its own yet), so the task runs the command itself; its
report goes to the worker's log.
"""

from __future__ import annotations

import io
import logging

from celery import shared_task
from django.core.management import call_command

logger = logging.getLogger(__name__)


@shared_task(name="wuye.surveys.tasks.surveys_remind")
def surveys_remind() -> str:
    out = io.StringIO()
    call_command("surveys_remind", stdout=out)
    report = out.getvalue().strip()
    logger.info("%s", report)
    return report
