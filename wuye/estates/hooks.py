"""What higher apps do when the estates app records something, without ``estates`` importing them.

``register_committee_listener(func)``: ``func(*, actor, committee)`` runs inside the transaction that records a
newly elected owners' committee (``services.committee_create``); an error it raises undoes the whole recording.
The contracts app registers one: a committee formed for an estate on a preliminary contract opens a renewal task
(续签, seed 2.10).

``register_status_check(func)``: ``func(estate, status)`` returns a message (in the user's language) when the estate
form or API may not give ``estate`` (unsaved when new) the status ``status``, or None. The contracts app registers
one: an estate becomes managed only through its recorded takeover (seed 2.10, 2.11), never by editing it.
"""

from __future__ import annotations

from collections.abc import Callable

_committee_listeners: list[Callable] = []


def register_committee_listener(func: Callable) -> None:
    if func not in _committee_listeners:
        _committee_listeners.append(func)


def committee_recorded(*, actor, committee) -> None:
    for func in _committee_listeners:
        func(actor=actor, committee=committee)


_status_checks: list[Callable] = []


def register_status_check(func: Callable) -> None:
    if func not in _status_checks:
        _status_checks.append(func)


def status_blockers(estate, status: str) -> list[str]:
    """Why the estate form or API may not set ``status`` on ``estate`` (empty: it may)."""
    return [str(message) for message in (check(estate, status) for check in _status_checks) if message]
