"""What higher apps do when the estates app records something, without ``estates`` importing them.

``register_committee_listener(func)``: ``func(*, actor, committee)`` runs inside the transaction that records a
newly elected owners' committee (``services.committee_create``); an error it raises undoes the whole recording.
The contracts app registers one: a committee formed for an estate on a preliminary contract opens a renewal task
(续签, seed 2.10).
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
