from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def served_estates(user) -> set[int]:
    """The estates a user serves through their active staff record (feeds core.scope)."""
    from .choices import StaffStatus
    from .selectors import staff_of

    staff = staff_of(user)
    if staff is None or staff.status != StaffStatus.ACTIVE:
        return set()
    return set(staff.estates.values_list("pk", flat=True))


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
