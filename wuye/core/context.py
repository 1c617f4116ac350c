"""Who is acting right now: set by the request middleware, by services and by management commands.

Infrastructure (created_by/updated_by, the change log, audit events) reads it; business code receives the
actor as an explicit ``actor=`` argument instead.
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass

_current: contextvars.ContextVar[ActingContext | None] = contextvars.ContextVar("wuye_acting", default=None)


@dataclass(frozen=True)
class ActingContext:
    user: object | None
    ip: str | None = None
    user_agent: str = ""


def current() -> ActingContext | None:
    return _current.get()


def current_user():
    ctx = _current.get()
    user = ctx.user if ctx else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


@contextlib.contextmanager
def acting_as(user, *, ip: str | None = None, user_agent: str = ""):
    """Run a block on behalf of ``user``; keeps the outer request's IP when none is given."""
    outer = _current.get()
    if outer and ip is None:
        ip, user_agent = outer.ip, outer.user_agent
    token = _current.set(ActingContext(user=user, ip=ip, user_agent=user_agent))
    try:
        yield
    finally:
        _current.reset(token)
