"""In-app notifications, and email when the recipient has an address and sending is switched on.

``notify(users, key=..., title=..., ...)`` is idempotent: a user gets one notification per key, however often
a periodic job runs (DESIGN.md §8).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from .models import Notification

log = logging.getLogger(__name__)


def permission_holders(permission: str) -> list:
    """The active users whose role groups hold ``permission`` ("app_label.codename"): who a job tells."""
    from django.contrib.auth import get_user_model

    app_label, codename = permission.split(".", 1)
    return list(get_user_model().objects.filter(
        is_active=True, groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label).distinct())


def notify(users, *, key: str, title: str, body: str = "", url: str = "", level: str = "info",
           email: bool = False) -> list[Notification]:
    """Send one notification per user for ``key``; users who already have it are skipped. Returns the new ones."""
    recipients = {u.pk: u for u in users if u is not None and getattr(u, "pk", None) and u.is_active}
    if not recipients:
        return []
    existing = set(Notification.objects.filter(recipient_id__in=recipients, key=key)
                   .values_list("recipient_id", flat=True))
    new = [Notification(recipient_id=pk, key=key[:120], title=str(title)[:200], body=str(body), url=url,
                        level=level)
           for pk in recipients if pk not in existing]
    Notification.objects.bulk_create(new, ignore_conflicts=True)  # a concurrent sender may have won the race
    if new:
        new = list(Notification.objects.filter(key=key[:120], recipient_id__in=[n.recipient_id for n in new]))
    if email and new:
        addresses = [recipients[n.recipient_id].email for n in new if recipients[n.recipient_id].email]
        if addresses:
            link = settings.WUYE_SITE_URL.rstrip("/") + url if url else ""
            message = "\n\n".join(p for p in (str(body), link) if p)
            transaction.on_commit(lambda: _send(str(title), message, addresses))
    return new


def _send(subject: str, message: str, addresses: list[str]) -> None:
    try:
        send_mail(subject, message, None, addresses)
    except Exception:  # noqa: BLE001 - mail trouble must not undo the work that triggered it
        log.exception("could not send notification email to %s", addresses)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
