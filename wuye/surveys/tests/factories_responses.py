"""Test helpers of the responses subject: a snapshot of what answering changes (to assert that nothing was saved)."""

from __future__ import annotations

from wuye.core.models import AuditEvent
from wuye.surveys.models import Answer, Invitation, Response


def state(invitation: Invitation) -> tuple:
    """Counts of responses, answers and audit events, and the invitation's answer fields, as they are now."""
    fresh = Invitation.objects.get(pk=invitation.pk)
    return (Response.objects.count(), Answer.objects.count(), AuditEvent.objects.count(), fresh.answered,
            fresh.answered_at, fresh.channel)


def household(world, entrance: str = "7", number: str = "0707", name: str = "赵敏"):
    """Another household of estate A (unit ``3-7-0707`` with its owner), with a unit code that appears nowhere else
    on a page (the quick search's placeholder shows world.unit_a's code), so pages can be searched for it."""
    from wuye.estates.tests.factories import CustomerFactory, OccupancyFactory, UnitFactory

    unit = UnitFactory(building=world.building_a, entrance=entrance, number=number)
    customer = CustomerFactory(estate=world.estate_a, name=name, mobile="13700001111")
    OccupancyFactory(unit=unit, customer=customer)
    return unit
