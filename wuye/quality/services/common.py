"""What the quality services share: permission checks, the acting user's staff record, yearly numbering."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _


def require(actor, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


def staff_of(user):
    """The user's staff record, or None."""
    return getattr(user, "staff", None) if user is not None and getattr(user, "pk", None) else None


def next_number(model: type[Model], prefix: str, today=None, width: int = 3, field: str = "number") -> str:
    """``<prefix>-<year>-<nnn>``: the next free number of the year (e.g. CA-2026-001). Call inside the writing
    transaction; the unique constraint on ``field`` refuses a concurrent duplicate."""
    year = (today or timezone.localdate()).year
    head = f"{prefix}-{year}-"
    taken = model._default_manager.filter(**{f"{field}__startswith": head}).values_list(field, flat=True)
    numbers = [int(n[len(head):]) for n in taken if n[len(head):].isdigit()]
    return f"{head}{max(numbers, default=0) + 1:0{width}d}"
