"""Background work of the quality app (Celery): the daily ``quality_remind`` (as the management command): overdue
corrective actions, a management review due, overdue action items. Idempotent."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="wuye.quality.tasks.quality_remind")
def quality_remind() -> dict:
    from .services import corrective_actions_remind, reviews_remind

    today = timezone.localdate()
    return {"actions": corrective_actions_remind(today=today), "reviews": reviews_remind(today=today)}
