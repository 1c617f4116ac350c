"""Background work of the training app (Celery): the daily ``training_remind`` (as the management command):
sessions held without an attendance record. Idempotent."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="wuye.training.tasks.training_remind")
def training_remind() -> int:
    from .services import training_remind as remind

    return remind(today=timezone.localdate())
