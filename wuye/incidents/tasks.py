"""Background work of the incidents app (Celery): the daily ``incidents_remind`` (as the management command):
incidents still open 30 days after the report. Idempotent (one reminder per incident)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="wuye.incidents.tasks.incidents_remind")
def incidents_remind() -> int:
    from .services import incidents_remind as remind

    return remind(today=timezone.localdate())
