from django.utils.translation import gettext_lazy as _

from wuye.core.navigation import MenuGroup, MenuItem

MENU = (
    MenuGroup(_("Tickets"), order=50, icon="tools", items=(
        MenuItem(_("New ticket"), "tickets:ticket_add", "tickets.add_ticket", icon="telephone-plus"),
        MenuItem(_("Ticket list"), "tickets:ticket_list", "tickets.view_ticket", icon="list-task"),
        MenuItem(_("Complaint register"), "tickets:complaint_register", "tickets.view_reports", icon="journal-text"),
        MenuItem(_("Complaint statistics"), "tickets:complaint_stats", "tickets.view_reports", icon="bar-chart"),
        MenuItem(_("Repair statistics"), "tickets:repair_stats", "tickets.view_reports", icon="bar-chart-line"),
        MenuItem(_("Case files"), "tickets:case_file_list", "tickets.view_reports", icon="archive"),
        MenuItem(_("Import tickets"), "tickets:ticket_import", "tickets.import_tickets", icon="upload"),
        MenuItem(_("Ticket categories"), "tickets:ticketcategory_list", "tickets.change_ticketcategory",
                 icon="diagram-3"),
        MenuItem(_("Time limits"), "tickets:servicelevel_list", "tickets.change_servicelevel", icon="stopwatch"),
        MenuItem(_("Ticket settings"), "tickets:settings", "tickets.change_ticketsettings", icon="sliders"),
    )),
)
