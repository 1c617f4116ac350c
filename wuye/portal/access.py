"""Who may use the owner portal: residents only (deny by default).

A portal user is a logged-in, active user whose role makes them a resident for ``restrict()`` (the resident
group and no estate served, see ``core.scope.user_scope``) and who is neither a Django staff member nor a
superuser. Everybody else — agents, managers, administrators — is refused with 403: the portal shows a
household's own view of its tickets, and staff have the staff pages for that.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from wuye.core.scope import user_scope
from wuye.core.views.generic import BaseView


def is_portal_user(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return False
    return user_scope(user).is_resident


class PortalView(BaseView):
    """Login, then the view's permission (``BaseView``), then: the user must be a resident.

    Subclasses set ``permission_required``; a subclass without one is refused like every ``BaseView``.
    """

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_portal_user(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
