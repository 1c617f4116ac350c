"""Background work of the documents app (Celery): the daily reminders of ``manage.py remind_loans`` and
``manage.py review_regulations`` (overdue paper loans, due reviews), in one task. Idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="wuye.documents.tasks.documents_remind")
def documents_remind() -> dict:
    from .services import loans_remind, reviews_remind

    return {"loans": loans_remind(), "reviews": reviews_remind()}
