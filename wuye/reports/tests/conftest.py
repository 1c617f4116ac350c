"""Fixtures of the report builders' tests: tickets with chosen figures, written straight to the rows after they
are made through the tickets service (a report counts what the rows say, whatever path they took)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wuye.tickets.choices import TicketKind, TicketStatus
from wuye.tickets.models import Ticket


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def estate_c(world):
    from wuye.estates.tests.factories import EstateFactory

    return EstateFactory(company=world.company, name="外区花园", code="wqhy")


def make(world, estate, reported_at, *, kind=TicketKind.REPAIR, title="厨房水管漏水", description="", **fields):
    """A ticket made through ``ticket_create``, then its row set to ``fields`` (status, times, figures)."""
    from wuye.tickets.tests.factories import make_ticket

    ticket = make_ticket(world, estate=estate, kind=kind, title=title, description=description)
    fields.setdefault("status", TicketStatus.ACCEPTED)
    Ticket.objects.filter(pk=ticket.pk).update(reported_at=reported_at, **fields)
    ticket.refresh_from_db()
    return ticket
