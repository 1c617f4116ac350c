from django import template

from wuye.tickets.choices import TicketStatus as S

register = template.Library()

STATUS_STYLE = {
    S.SUBMITTED: "secondary", S.ACCEPTED: "info", S.ASSIGNED: "info", S.IN_PROGRESS: "primary",
    S.RESOLVED: "success", S.CALLED_BACK: "success", S.CLOSED: "dark", S.REOPENED: "warning",
    S.CANCELLED: "light",
}


@register.filter
def status_style(status: str) -> str:
    """The Bootstrap colour of a ticket status badge."""
    return STATUS_STYLE.get(status, "secondary")
