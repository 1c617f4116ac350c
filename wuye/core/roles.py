"""Roles are Django groups (created by a data migration); what each role may do is declared in code.

Every app lists its grants in ``<app>/roles.py`` as ``GRANTS = {Role.X: ["app.codename", ...]}``. After each
``migrate`` the groups are given exactly these permissions (``sync_role_permissions``), so a fresh database
and an upgraded one agree. Extra permissions for one person go on the user, not on the group.
"""

from __future__ import annotations

import importlib

from django.apps import apps as global_apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Customer-service agent")
    CS_MANAGER = "cs_manager", _("Customer-service manager")
    DOCUMENT_CONTROLLER = "document_controller", _("Document controller")
    QUALITY_AUDITOR = "quality_auditor", _("Quality auditor")
    EXECUTIVE = "executive", _("Top management")
    RESIDENT = "resident", _("Resident")
    ADMIN = "admin", _("System administrator")


STAFF_ROLES = [r for r in Role if r != Role.RESIDENT]

GRANTS = {
    Role.AGENT: ["core.export_lists", "core.view_personal_data"],
    Role.CS_MANAGER: ["core.export_lists", "core.view_personal_data", "core.view_all_estates",
                      "core.view_auditevent"],
    Role.DOCUMENT_CONTROLLER: ["core.export_lists", "core.view_all_estates"],
    Role.QUALITY_AUDITOR: ["core.export_lists", "core.view_all_estates", "core.view_auditevent"],
    Role.EXECUTIVE: ["core.export_lists", "core.view_all_estates", "core.view_auditevent"],
    Role.RESIDENT: [],
    Role.ADMIN: ["core.export_lists", "core.view_personal_data", "core.view_all_estates",
                 "core.view_auditevent", "core.view_backuprun", "auth.view_user", "auth.add_user", "auth.change_user",
                 "auth.view_group"],
}


def role_label(name: str) -> str:
    try:
        return Role(name).label
    except ValueError:
        return name


def collect_grants() -> dict[str, set[str]]:
    """All apps' grants, merged: {role: {"app_label.codename", ...}}."""
    merged: dict[str, set[str]] = {role.value: set() for role in Role}
    for config in global_apps.get_app_configs():
        if not config.name.startswith("wuye."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.roles")
        except ModuleNotFoundError:
            continue
        for role, perms in getattr(module, "GRANTS", {}).items():
            merged[str(role)].update(perms)
    return merged


def sync_role_permissions(sender, using="default", verbosity=1, apps=global_apps, **kwargs):
    """post_migrate: create the role groups if missing and give each exactly its declared permissions."""
    if sender.label != "core":
        return
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    wanted = collect_grants()
    by_key = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role in Role:
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        missing = sorted(p for p in wanted[role.value] if p not in by_key)
        if missing:
            raise LookupError(f"Role {role.value} is granted unknown permissions: {', '.join(missing)}")
        group.permissions.set([by_key[p] for p in wanted[role.value]])
