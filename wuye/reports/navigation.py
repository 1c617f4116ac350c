from django.utils.translation import gettext_lazy as _

from wuye.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(_("Report centre"), order=78, icon="file-earmark-text", items=(
        MenuItem(_("Report centre"), "reports:report_list", "reports.view_report", icon="journal-text"),
        MenuItem(_("New report"), "reports:report_add", "reports.change_report", icon="plus-circle"),
    )),
)
