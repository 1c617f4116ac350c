"""API permission: the Django permission for the action, deny by default; scope comes from restrict()."""

from rest_framework.permissions import BasePermission

from ..querysets import permission_name

ACTION_VERBS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


def required_permission(view) -> str | None:
    """The permission a request needs, or None when the view declares nothing (then it is refused)."""
    action = getattr(view, "action", None)
    explicit = getattr(view, "action_permissions", {}) or {}
    if action in explicit:
        return explicit[action]
    if action in ACTION_VERBS and getattr(view, "queryset", None) is not None:
        return permission_name(view.queryset.model, ACTION_VERBS[action])
    return getattr(view, "required_permission", None)


class RestrictedPermission(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method == "OPTIONS":
            return True
        action_map = getattr(view, "action_map", None)
        if action_map is not None and request.method.lower() not in action_map:
            return True  # not routed: the view answers 405 Method Not Allowed
        perm = required_permission(view)
        return bool(perm) and user.has_perm(perm)
