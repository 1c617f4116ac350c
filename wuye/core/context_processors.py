from django.conf import settings

from .navigation import menu_for
from .notifications import unread_count
from .roles import role_label


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"company_name": settings.WUYE_COMPANY_NAME}
    # Worked out once per request: a page that renders a table or an include with a new context asks again.
    cached = getattr(request, "_wuye_navigation", None)
    if cached is not None:
        return cached
    roles = [role_label(name) for name in user.groups.values_list("name", flat=True)]
    request._wuye_navigation = {
        "main_menu": menu_for(user),
        "user_roles": roles,
        "company_name": settings.WUYE_COMPANY_NAME,
        "unread_notifications": unread_count(user),
    }
    return request._wuye_navigation
