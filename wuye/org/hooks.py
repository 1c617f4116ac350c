"""What higher apps may say about organisation changes, without ``org`` importing them.

``register_leave_check(func)``: ``func(staff)`` returns a message (in the user's language) when the staff
member may not be marked as left yet, or None. The documents app registers one: a custodian of documents must
hand them over first (seed 2.6).
"""

from __future__ import annotations

from collections.abc import Callable

_leave_checks: list[Callable] = []


def register_leave_check(func: Callable) -> None:
    if func not in _leave_checks:
        _leave_checks.append(func)


def leave_blockers(staff) -> list[str]:
    """The reasons ``staff`` cannot be marked as left now (empty: they can)."""
    return [str(message) for message in (check(staff) for check in _leave_checks) if message]
