from django.utils.translation import gettext_lazy as _

from wuye.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(_("Training"), order=76, icon="mortarboard", items=(
        MenuItem(_("Training plans"), "training:trainingplan_list", "training.view_trainingplan", icon="calendar3"),
        MenuItem(_("Training sessions"), "training:trainingsession_list", "training.view_trainingsession",
                 icon="easel"),
        MenuItem(_("Training records"), "training:attendance_list", "training.view_department_training",
                 icon="list-check"),
        MenuItem(_("My training record"), "training:my_record", "training.view_attendance", icon="person-badge"),
    )),
)
