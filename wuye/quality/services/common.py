"""What the quality services share: permission checks, the acting user's staff record, yearly numbering."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from wuye.core.numbering import next_number  # noqa: F401  (the quality services number their records)


def require(actor, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


def staff_of(user):
    """The user's staff record, or None."""
    return getattr(user, "staff", None) if user is not None and getattr(user, "pk", None) else None
