"""The data scope of a user: which estates they serve, or whether they are a resident.

``core`` knows no domain models, so the apps that do (``org`` for staff, ``estates`` for residents) register
providers here in their ``AppConfig.ready``. The result is cached on the user object for one request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .roles import Role

ALL_ESTATES_PERMISSION = "core.view_all_estates"

_estate_providers: list[Callable[[object], set[int]]] = []


@dataclass(frozen=True)
class UserScope:
    all_estates: bool = False
    estate_ids: frozenset[int] = field(default_factory=frozenset)
    is_resident: bool = False

    def covers_estate(self, estate_id: int | None) -> bool:
        return self.all_estates or (estate_id is not None and estate_id in self.estate_ids)


def register_estate_provider(func: Callable[[object], set[int]]) -> None:
    """``func(user)`` returns the ids of the estates the user serves (e.g. from their staff record)."""
    if func not in _estate_providers:
        _estate_providers.append(func)


def user_scope(user) -> UserScope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return UserScope()
    cached = getattr(user, "_wuye_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser or user.has_perm(ALL_ESTATES_PERMISSION):
        scope = UserScope(all_estates=True)
    else:
        ids: set[int] = set()
        for provider in _estate_providers:
            ids |= set(provider(user))
        is_resident = not ids and user.groups.filter(name=Role.RESIDENT).exists()
        scope = UserScope(estate_ids=frozenset(ids), is_resident=is_resident)
    user._wuye_scope = scope
    return scope


def forget(user) -> None:
    """Drop the cached scope (after the user's estates or groups change)."""
    for attr in ("_wuye_scope", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)
