"""Background work of the tickets app (DESIGN.md §8): thin wrappers that run the app's code.

``escalate_tickets`` is ``manage.py escalate_tickets`` (``services.tickets_escalate``) for Celery beat, every 5
minutes (``CELERY_BEAT_SCHEDULE``); idempotent.

``import_tickets_task(job_id)`` runs one uploaded historical import (``ImportJob``). ``enqueue_import(job)`` queues
it for a Celery worker (``import_tickets``) once the upload's transaction has committed (``transaction.on_commit``);
without a broker (the embedded mode: tasks would run eagerly inside the request) it starts a background thread
instead, and it runs the import at once when ``settings.WUYE_TASKS_INLINE`` is true (tests).

Progress: while rows are checked, the job row is updated (committed) every batch. While they are written,
everything happens in the import's one transaction, which the job row is part of, so other connections see
that progress only at the end; the same progress therefore also goes to the cache (``progress_key``), which
the page reads first. With the default per-process cache that covers the embedded mode, where the thread runs
in the web process; a shared cache (Redis) covers several processes.
"""

from __future__ import annotations

import logging
import threading

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection, transaction
from django.utils import timezone, translation

from wuye.core.context import acting_as

from .models import ImportJob

logger = logging.getLogger(__name__)
PROGRESS_TTL = 6 * 3600


def progress_key(job_id: int) -> str:
    return f"tickets:import:{job_id}:progress"


def live_progress(job: ImportJob) -> dict:
    """The freshest progress of ``job``: the cache while it runs, else the row."""
    row = {"phase": job.phase, "percent": job.percent, "rows": job.rows, "written": job.written}
    if job.status == ImportJob.Status.RUNNING:
        cached = cache.get(progress_key(job.pk))
        if cached and cached.get("percent", 0) >= job.percent:
            row.update(cached)
    return row


def _percent(phase: str, fraction: float) -> int:
    # Checking is about a tenth of the time, writing the rest.
    fraction = min(max(fraction, 0.0), 1.0)
    return int(10 * fraction) if phase == "checking" else 10 + int(89 * fraction)


def run_import_job(job: ImportJob) -> ImportJob:
    """Run ``job`` now, in this thread; the job row holds the result (or the errors) afterwards."""
    from .imports import Source, TicketImport

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, phase=ImportJob.Phase.CHECKING,
                                               started_at=timezone.now(), percent=0)

    def progress(phase, done, total, fraction):
        values = {"phase": phase, "percent": _percent(phase, fraction)}
        values["rows" if phase == "checking" else "written"] = done
        cache.set(progress_key(job.pk), values, PROGRESS_TTL)
        ImportJob.objects.filter(pk=job.pk).update(**values)

    actor = job.created_by
    importer = TicketImport(Source.from_storage(job.file, job.name), fmt=job.format, actor=actor,
                            estate=job.estate, progress=progress)
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE), acting_as(actor):
            report = importer.run()
    except Exception as exc:  # noqa: BLE001 - the job records the failure; the transaction was rolled back
        logger.exception("ticket import %s failed", job.pk)
        report = importer.report
        report.add_error(0, "", f"{type(exc).__name__}: {exc}")
    done = report.ok and report.imported > 0
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE if done else ImportJob.Status.FAILED, phase=ImportJob.Phase.FINISHED,
        percent=100, rows=report.rows, written=report.imported, imported=report.imported,
        error_count=report.error_count,
        errors=[{"row": e.row, "column": e.column, "message": str(e.message)} for e in report.errors],
        summary=report.as_dict(), finished_at=timezone.now())
    cache.delete(progress_key(job.pk))
    job.refresh_from_db()
    return job


def import_tickets_task(job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by", "estate").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.PENDING:
        return  # already run (or running): a task delivered twice does nothing the second time
    run_import_job(job)


@shared_task(name="wuye.tickets.tasks.import_tickets")
def import_tickets(job_id: int) -> None:
    import_tickets_task(job_id)


@shared_task(name="wuye.tickets.tasks.escalate_tickets")
def escalate_tickets() -> int:
    from .services import tickets_escalate

    return tickets_escalate()


def _in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        import_tickets_task(job_id)
    finally:
        connection.close()


def enqueue_import(job: ImportJob) -> None:
    if getattr(settings, "WUYE_TASKS_INLINE", False):
        import_tickets_task(job.pk)
        return
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        job_id = job.pk
        transaction.on_commit(lambda: import_tickets.delay(job_id))
        return
    transaction.on_commit(lambda: threading.Thread(target=_in_thread, args=(job.pk,), name=f"ticket-import-{job.pk}",
                                                   daemon=True).start())
