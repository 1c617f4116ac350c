from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def served_estates(user) -> set[int]:
    """The estates a user serves through their active staff record (feeds core.scope)."""
    from .choices import StaffStatus
    from .models import Staff

    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    # one query through the staff record (every page asks): the estate ids of the user's active staff record
    return set(Staff.estates.through.objects.filter(staff__user_id=user.pk, staff__status=StaffStatus.ACTIVE)
               .values_list("estate_id", flat=True))


class OrgConfig(AppConfig):
    name = "wuye.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from wuye.core.scope import register_estate_provider
        from wuye.core.views.pages import register_dashboard_panel

        from .panels import acknowledgement_panel

        register_estate_provider(served_estates)
        register_dashboard_panel(acknowledgement_panel)
