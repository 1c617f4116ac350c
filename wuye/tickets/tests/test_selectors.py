"""The queue's conditions said through the stored ``queue_rank`` select exactly what the plain conditions say."""

import pytest
from django.db.models import Q

from wuye.tickets import selectors, services
from wuye.tickets.choices import OPEN_STATUSES, CancelReason, Priority, TicketKind
from wuye.tickets.models import Ticket
from wuye.tickets.tests.factories import make_ticket, resolved

pytestmark = pytest.mark.django_db


def test_urgent_and_overdue_conditions_match_their_plain_meaning(world):
    manager = world.users["cs_manager"]
    urgent = make_ticket(world, kind=TicketKind.COMPLAINT, priority=Priority.URGENT)
    urgent_overdue = make_ticket(world, kind=TicketKind.COMPLAINT, priority=Priority.URGENT)
    repair_overdue = make_ticket(world, priority=Priority.URGENT)
    plain = make_ticket(world)
    done_overdue = resolved(world, make_ticket(world, kind=TicketKind.COMPLAINT, priority=Priority.URGENT))
    cancelled = services.ticket_cancel(actor=manager, reason=CancelReason.DUPLICATE,
                                       ticket=make_ticket(world, kind=TicketKind.COMPLAINT,
                                                          priority=Priority.URGENT))
    Ticket.objects.filter(pk__in=[urgent_overdue.pk, repair_overdue.pk, done_overdue.pk, cancelled.pk]).update(
        is_overdue=True)

    def picked(condition):
        return set(Ticket.objects.filter(condition).values_list("pk", flat=True))

    plain_urgent = Q(kind=TicketKind.COMPLAINT, priority=Priority.URGENT, status__in=OPEN_STATUSES)
    plain_overdue = Q(is_overdue=True, status__in=OPEN_STATUSES)
    assert picked(selectors.URGENT_COMPLAINT_Q) == picked(plain_urgent) == {urgent.pk, urgent_overdue.pk}
    assert picked(selectors.OVERDUE_Q) == picked(plain_overdue) == {urgent_overdue.pk, repair_overdue.pk}
    assert plain.pk not in picked(selectors.OVERDUE_Q) | picked(selectors.URGENT_COMPLAINT_Q)
