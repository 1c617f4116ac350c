from wuye.core.roles import STAFF_ROLES, Role

_VIEW = ["tickets.view_ticket", "tickets.view_progressnote", "tickets.view_attachment", "tickets.view_callback",
         "tickets.view_ticketcategory", "tickets.view_servicelevel", "tickets.view_ticketsettings"]
_WORK = ["tickets.add_ticket", "tickets.change_ticket", "tickets.accept_ticket", "tickets.assign_ticket",
         "tickets.handle_ticket", "tickets.callback_ticket", "tickets.close_ticket", "tickets.reopen_ticket",
         "tickets.cancel_ticket", "tickets.add_progressnote", "tickets.add_attachment", "tickets.add_callback"]
_CONFIGURE = ["tickets.add_ticketcategory", "tickets.change_ticketcategory", "tickets.add_servicelevel",
              "tickets.change_servicelevel", "tickets.change_ticketsettings", "tickets.import_tickets"]
_REPORTS = ["tickets.view_reports"]

GRANTS = {role: list(_VIEW) for role in STAFF_ROLES}
GRANTS[Role.AGENT] += _WORK
GRANTS[Role.CS_MANAGER] += _WORK + _CONFIGURE + _REPORTS
GRANTS[Role.ADMIN] += _WORK + _CONFIGURE + _REPORTS
GRANTS[Role.DOCUMENT_CONTROLLER] += _REPORTS
GRANTS[Role.QUALITY_AUDITOR] += _REPORTS
GRANTS[Role.EXECUTIVE] += _REPORTS
# Residents see their household's tickets (restrict() narrows them) and file new ones on the portal.
GRANTS[Role.RESIDENT] = ["tickets.view_ticket", "tickets.add_ticket", "tickets.view_progressnote",
                         "tickets.view_attachment", "tickets.view_callback", "tickets.view_ticketcategory"]
