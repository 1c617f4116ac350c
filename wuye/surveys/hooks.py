"""The clean hook from surveys to the quality app (``surveys → quality``), without a circular import.

The quality app, when installed, registers its handler in its ``AppConfig.ready``::

    from wuye.surveys import hooks
    hooks.register_action_handler(corrective_action_from_survey)

``handler(*, actor, title, description, estate, source_reference)`` raises the corrective action and returns it (it
must have ``number`` and ``get_absolute_url``). Until one is registered, results offer no such button.
"""

from __future__ import annotations

from collections.abc import Callable

_action_handler: Callable | None = None


def register_action_handler(handler: Callable) -> None:
    global _action_handler
    _action_handler = handler


def unregister_action_handler() -> None:
    global _action_handler
    _action_handler = None


def action_available() -> bool:
    return _action_handler is not None


def raise_action(*, actor, title: str, description: str, estate, source_reference: str):
    if _action_handler is None:
        raise LookupError("no corrective action handler registered")
    return _action_handler(actor=actor, title=title, description=description, estate=estate,
                           source_reference=source_reference)
