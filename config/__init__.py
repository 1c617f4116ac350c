"""The wuye Django project. The Celery application is loaded with it, so ``@shared_task`` binds to it and
``transaction.on_commit(lambda: task.delay(...))`` queues through the configured broker (config/celery.py)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
