"""Background work of the contracts app (Celery): the daily ``contracts_refresh`` (as the management command of
the same name, which stays for the systemd timer): statuses by date, renewal tasks, expiry alerts. Idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="wuye.contracts.tasks.contracts_refresh")
def contracts_refresh() -> dict:
    from .services import refresh

    return refresh()
