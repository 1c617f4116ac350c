"""The main menu. Each app declares ``MENU`` in ``<app>/navigation.py``; users see what they may open."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class MenuItem:
    label: object
    url_name: str
    permission: str
    icon: str = ""


@dataclass(frozen=True)
class MenuGroup:
    label: object
    order: int
    items: tuple[MenuItem, ...] = field(default_factory=tuple)
    icon: str = ""


@lru_cache(maxsize=1)
def all_groups() -> tuple[MenuGroup, ...]:
    groups: list[MenuGroup] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("wuye."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.navigation")
        except ModuleNotFoundError:
            continue
        groups.extend(getattr(module, "MENU", ()))
    return tuple(sorted(groups, key=lambda g: g.order))


@lru_cache(maxsize=512)
def _url(url_name: str, prefix: str, urlconf) -> str:
    """A menu URL, reversed once per name, script prefix and URL configuration (they are what it depends on)."""
    return reverse(url_name, urlconf=urlconf)


def menu_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    from .scope import user_scope

    if user_scope(user).is_resident:
        return []  # residents use the owner portal, not the staff menus
    menu = []
    prefix, urlconf = get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    for group in all_groups():
        items = [
            {"label": item.label, "url": _url(item.url_name, prefix, urlconf), "icon": item.icon}
            for item in group.items
            if user.has_perm(item.permission)
        ]
        if items:
            menu.append({"label": group.label, "icon": group.icon, "items": items})
    return menu


def _core_menu():
    from django.utils.translation import gettext_lazy as _

    return (
        MenuGroup(_("System"), order=900, icon="gear", items=(
            MenuItem(_("Audit log"), "core:auditevent_list", "core.view_auditevent", icon="journal-text"),
            MenuItem(_("Backups"), "core:backuprun_list", "core.view_backuprun", icon="archive"),
            MenuItem(_("Administration"), "admin:index", "auth.change_user", icon="tools"),
            MenuItem(_("API documentation"), "api-docs", "core.export_lists", icon="braces"),
        )),
    )


MENU = _core_menu()
