from django.conf import settings

from .navigation import menu_for
from .notifications import unread_count
from .roles import role_label


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"company_name": settings.WUYE_COMPANY_NAME}
    roles = [role_label(name) for name in user.groups.values_list("name", flat=True)]
    return {
        "main_menu": menu_for(user),
        "user_roles": roles,
        "company_name": settings.WUYE_COMPANY_NAME,
        "unread_notifications": unread_count(user),
    }
