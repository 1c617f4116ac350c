"""The clean hook from tickets to the quality app (``tickets → quality``), without a circular import.

The quality app, when installed, registers its handler in its ``AppConfig.ready``::

    from wuye.tickets import hooks
    hooks.register_nonconformity_handler(create_nonconformity_from_ticket)

``handler(*, actor, ticket, description)`` creates the nonconformity and returns it (it must have
``get_absolute_url``). Until then the ticket page offers no such button.
"""

from __future__ import annotations

from collections.abc import Callable

_nonconformity_handler: Callable | None = None


def register_nonconformity_handler(handler: Callable) -> None:
    global _nonconformity_handler
    _nonconformity_handler = handler


def unregister_nonconformity_handler() -> None:
    global _nonconformity_handler
    _nonconformity_handler = None


def nonconformity_available() -> bool:
    return _nonconformity_handler is not None


def raise_nonconformity(*, actor, ticket, description: str = ""):
    if _nonconformity_handler is None:
        raise LookupError("no nonconformity handler registered")
    return _nonconformity_handler(actor=actor, ticket=ticket, description=description)
