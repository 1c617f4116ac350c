from django.utils.translation import gettext_lazy as _

from wuye.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(_("Appraisal"), order=75, icon="clipboard-data", items=(
        MenuItem(_("Appraisals"), "appraisals:appraisal_list", "appraisals.view_appraisal", icon="person-check"),
        MenuItem(_("Appraisal cycles"), "appraisals:appraisalcycle_list", "appraisals.view_appraisalcycle",
                 icon="arrow-repeat"),
        MenuItem(_("Department comparison"), "appraisals:department_comparison",
                 "appraisals.manage_appraisal_cycles", icon="bar-chart"),
        MenuItem(_("Appraisal forms"), "appraisals:appraisalform_list", "appraisals.view_appraisalform",
                 icon="ui-checks-grid"),
    )),
)
