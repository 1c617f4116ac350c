"""Tickets in the full-text index: number, summary, description, unit, location, contact phone tail."""

from wuye.core import search

from .models import Ticket


def _ticket_text(ticket):
    return [ticket.number, ticket.description, ticket.location, ticket.unit.code if ticket.unit_id else "",
            (ticket.contact_phone or "")[-4:], ticket.contact_name, ticket.legacy_ref]


search.register(
    Ticket,
    title=lambda t: t.title,
    text=_ticket_text,
    estate=lambda t: t.estate_id,
    subtitle=lambda t: t.number,
    select_related=("unit",),
)
