from django.utils.translation import gettext_lazy as _

from wuye.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(_("Organisation"), order=800, icon="diagram-3", items=(
        MenuItem(_("Departments"), "org:department_list", "org.view_department", icon="diagram-3"),
        MenuItem(_("Posts"), "org:post_list", "org.view_post", icon="person-badge"),
        MenuItem(_("Job standards"), "org:jobstandard_list", "org.view_jobstandard", icon="file-text"),
        MenuItem(_("Staff"), "org:staff_list", "org.view_staff", icon="people"),
        MenuItem(_("My job standard"), "org:my_standard", "org.add_acknowledgement", icon="check2-square"),
        MenuItem(_("Unconfirmed job standards"), "org:acknowledgement_pending", "org.view_acknowledgement",
                 icon="exclamation-circle"),
    )),
)
