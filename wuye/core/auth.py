"""The authentication backend: Django's ``ModelBackend`` with a user's permissions read in one query.

Every page asks ``has_perm`` (menu, buttons, ``restrict()``); Django reads the user's own permissions and their
groups' permissions in two queries on the first call of each request. Here one query reads both, with the
same result and the same per-request cache (``user._perm_cache``), which ``core.scope.forget`` drops.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q


class WuyeModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                own = user_obj.user_permissions.through.objects.filter(user_id=user_obj.pk).values("permission_id")
                grouped = Group.permissions.through.objects.filter(
                    group__in=user_obj.groups.through.objects.filter(user_id=user_obj.pk).values("group_id"),
                ).values("permission_id")
                permissions = permissions.filter(Q(pk__in=own) | Q(pk__in=grouped))
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in
                                    permissions.values_list("content_type__app_label", "codename")}
        return user_obj._perm_cache
