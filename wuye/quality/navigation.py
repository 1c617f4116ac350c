from django.utils.translation import gettext_lazy as _

from wuye.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(_("Quality"), order=70, icon="patch-check", items=(
        MenuItem(_("Policy and objectives"), "quality:qualitypolicy_list", "quality.view_qualitypolicy",
                 icon="flag"),
        MenuItem(_("Quality objectives"), "quality:qualityobjective_list", "quality.view_qualityobjective",
                 icon="bullseye"),
        MenuItem(_("Work plans"), "quality:workplan_list", "quality.view_workplan", icon="calendar-check"),
        MenuItem(_("Audit programmes"), "quality:auditprogramme_list", "quality.view_auditprogramme",
                 icon="calendar3"),
        MenuItem(_("Audits"), "quality:audit_list", "quality.view_audit", icon="clipboard-check"),
        MenuItem(_("Findings"), "quality:finding_list", "quality.view_finding", icon="exclamation-diamond"),
        MenuItem(_("External findings per estate"), "quality:finding_counts", "quality.view_finding",
                 icon="bar-chart"),
        MenuItem(_("Checklist templates"), "quality:checklisttemplate_list", "quality.change_checklisttemplate",
                 icon="list-check"),
        MenuItem(_("Corrective actions"), "quality:correctiveaction_list", "quality.view_correctiveaction",
                 icon="tools"),
        MenuItem(_("Management reviews"), "quality:managementreview_list", "quality.view_managementreview",
                 icon="people"),
        MenuItem(_("Action items"), "quality:actionitem_list", "quality.view_actionitem", icon="check2-square"),
        MenuItem(_("Meetings"), "quality:meeting_list", "quality.view_meeting", icon="chat-square-text"),
        MenuItem(_("Reports and appeals"), "quality:submission_list", "quality.view_submission", icon="envelope"),
        MenuItem(_("Self-check against the standard"), "quality:selfcheck", "quality.view_selfcheck",
                 icon="ui-checks"),
    )),
)
