"""Permission-matrix cases of the tickets app: reports (collected by test_permissions.py).

The complaint register, the complaint and repair statistics and the case files need ``tickets.view_reports``
(``tickets/roles.py`` ``_REPORTS``): the manager, the administrator, top management, the quality auditor and
the document controller. Agents and residents are refused (403). The roles allowed here all see every estate;
the 404 of a case file outside the caller's estates is shown in ``test_reports.py`` with an agent given the
permission (``test_agent_with_the_report_permission_sees_estate_a_only``).
"""

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route
from wuye.tickets.choices import TicketKind

from .factories import make_ticket

REPORTS = {Role.CS_MANAGER, Role.ADMIN, Role.EXECUTIVE, Role.QUALITY_AUDITOR, Role.DOCUMENT_CONTROLLER}


def _url(name, **query):
    def url(w):
        path = reverse(name)
        return f"{path}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else path
    return url


def _case_file(estate):
    def url(w):
        ticket = make_ticket(w, kind=TicketKind.COMPLAINT, title="保安态度差",
                             estate=w.estate_a if estate == "a" else w.estate_b)
        return reverse("tickets:case_file", args=[ticket.pk])
    return url


CASES = [
    Route("tickets:complaint_register", _url("tickets:complaint_register"), REPORTS),
    Route("tickets:complaint_stats", _url("tickets:complaint_stats", period="quarter"), REPORTS),
    Route("tickets:repair_stats", _url("tickets:repair_stats", period="year"), REPORTS),
    Route("tickets:case_file_list", _url("tickets:case_file_list"), REPORTS),
    Route("tickets:case_file", _case_file("a"), REPORTS, other=_case_file("b")),
    Route("api:tickets-report-complaint-register-list", _url("api:tickets-report-complaint-register-list"), REPORTS,
          api=True),
    Route("api:tickets-report-complaint-stats-list", _url("api:tickets-report-complaint-stats-list"), REPORTS,
          api=True),
    Route("api:tickets-report-repair-stats-list", _url("api:tickets-report-repair-stats-list", period="month"),
          REPORTS, api=True),
]
