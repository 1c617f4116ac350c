"""The Celery application of wuye: background work and periodic jobs (docs/deploy.md, "Celery and Redis").

``celery -A config worker`` runs the tasks of every app's ``tasks.py``; ``celery -A config beat`` queues the
periodic jobs of ``CELERY_BEAT_SCHEDULE`` (config/settings/base.py) at their times. Every setting comes from
Django's settings with the ``CELERY_`` prefix. Without a broker (``DJANGO_REDIS_URL`` unset: development,
``make run``, the test suite) tasks run eagerly in the calling process, so the embedded default needs no Redis.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("wuye")
app.config_from_object("django.conf:settings", namespace="CELERY")
# every installed app's ``tasks.py`` (wuye.<app>.tasks)
app.autodiscover_tasks()
