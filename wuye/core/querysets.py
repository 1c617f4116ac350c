"""``restrict(user, action)``: the one chokepoint for what a user may see or change (DESIGN.md §4).

1. The Django permission ``<app>.<action>_<model>`` (through the user's roles). Without it: nothing.
2. The data scope. A model declares where its estate is (``scope_estate``, a lookup path such as
   ``"building__estate"``; ``"pk"`` on Estate itself) and how a resident reaches it (``scope_resident``, a
   lookup path to the resident's user, or a ``resident_scope(user)`` classmethod returning a ``Q``).
   Staff see the estates they serve; residents see their own records; models with no estate are visible to
   anyone holding the permission (unless they are residents).
3. The model's own rule, if it has one: ``restrict_queryset(queryset, user, action)`` (documents: confidentiality,
   grants and loans).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .scope import user_scope

ACTIONS = ("view", "add", "change", "delete")


def _path_is_multivalued(model, path: str) -> bool:
    opts = model._meta
    for part in path.split("__"):
        if part == "pk":
            return False
        try:
            field = opts.get_field(part)
        except Exception:  # noqa: BLE001 - a transform or lookup at the end of the path
            return False
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        opts = field.related_model._meta
    return False


def scope_filter(queryset: models.QuerySet, user) -> models.QuerySet:
    model = queryset.model
    scope = user_scope(user)
    if scope.all_estates:
        return queryset
    if scope.is_resident:
        resident_scope = getattr(model, "resident_scope", None)
        if callable(resident_scope):
            condition = resident_scope(user)
        else:
            path = getattr(model, "scope_resident", None)
            condition = Q(**{path: user}) if path else None
        if condition is None:
            return queryset.none()
        return queryset.filter(pk__in=model._default_manager.filter(condition).values("pk"))
    path = getattr(model, "scope_estate", None)
    if path is None:
        return queryset
    if not scope.estate_ids:
        return queryset.none()
    lookup = "pk__in" if path == "pk" else f"{path}__in"
    if _path_is_multivalued(model, path):
        inner = model._default_manager.filter(**{lookup: scope.estate_ids}).values("pk")
        return queryset.filter(pk__in=inner)
    return queryset.filter(**{lookup: scope.estate_ids})


def permission_name(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def restrict(queryset: models.QuerySet, user, action: str = "view") -> models.QuerySet:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if not user.has_perm(permission_name(queryset.model, action)):
        return queryset.none()
    queryset = scope_filter(queryset, user)
    # 3. A model's own rule on top of role and scope (e.g. a document's confidentiality and loans):
    #    ``restrict_queryset(queryset, user, action)`` narrows further, never widens.
    narrow = getattr(queryset.model, "restrict_queryset", None)
    return narrow(queryset, user, action) if callable(narrow) else queryset


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        return restrict(self, user, action)
