from django.utils.translation import gettext_lazy as _

from wuye.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(_("Incidents"), order=79, icon="exclamation-octagon", items=(
        MenuItem(_("Incidents"), "incidents:incident_list", "incidents.view_incident", icon="exclamation-triangle"),
        MenuItem(_("Report an incident"), "incidents:incident_add", "incidents.add_incident", icon="plus-circle"),
        MenuItem(_("Incident report of a period"), "incidents:incident_report", "incidents.view_incident",
                 icon="file-earmark-bar-graph"),
        MenuItem(_("Incident kinds"), "incidents:incidentkind_list", "incidents.change_incidentkind",
                 icon="tags"),
    )),
)
