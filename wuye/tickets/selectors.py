"""Reads of the tickets app that span relations or aggregate (SQL does the work).

The agent's day first (the queue, the list's ordering, intake's duplicate check); the manager's reports
follow further down.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from wuye.core.querysets import restrict

from .choices import ACTIVE_STATUSES, OPEN_STATUSES, TicketStatus
from .models import Ticket, TicketQuerySet

# --- the agent's day ----------------------------------------------------------------------------------------


def tickets() -> TicketQuerySet:
    return Ticket.objects.all()


LIST_RELATED = ("estate", "unit", "category", "assignee", "department")

# Open urgent complaints and open overdue tickets, said through the stored ``queue_rank`` (2: open urgent
# complaint, 1: open and overdue; see ``Ticket.queue_rank``), so both are a short range of the queue index
# instead of a walk over every open ticket (0.2 s at a million tickets; ``is_overdue`` is read from the row only
# for the few urgent complaints). ``test_selectors`` checks they select exactly what the plain conditions say.
URGENT_COMPLAINT_Q = Q(queue_rank=2)
OVERDUE_Q = Q(queue_rank__gte=1) & (Q(queue_rank=1) | Q(is_overdue=True))


def queue_ordered(queryset: QuerySet) -> QuerySet:
    """Urgent complaints first, then overdue tickets, then the newest: ``Ticket.queue_rank`` is a stored
    generated column, indexed with ``reported_at`` (alone and per estate), so even an unfiltered list of a
    million tickets reads its first page from the index."""
    return queryset.order_by("-queue_rank", "-reported_at", "-id")


def duplicate_candidates(*, unit, category, since) -> QuerySet:
    """Open tickets of the same unit and category reported since ``since`` (index unit, category, reported_at).

    The caller restricts the result to what the user may see."""
    if unit is None or category is None:
        return Ticket.objects.none()
    return (Ticket.objects.filter(unit=unit, category=category, reported_at__gte=since,
                                  status__in=OPEN_STATUSES)
            .select_related("assignee", "category").order_by("-reported_at", "-id"))


def open_tickets_of(*, user, customer=None, unit=None, limit: int = 10) -> list:
    """The caller's open tickets (of the customer, or of the unit), newest first, as ``user`` may see them."""
    condition = Q()
    if customer is not None:
        condition |= Q(customer=customer)
    if unit is not None:
        condition |= Q(unit=unit)
    if not condition:
        return []
    qs = restrict(tickets(), user, "view").filter(condition, status__in=ACTIVE_STATUSES)
    return list(qs.select_related("unit", "assignee", "category").order_by("-reported_at", "-id")[:limit])


def ticket_timeline(*, user, ticket) -> list[dict]:
    """Every step (``TicketEvent``), progress note and callback of one ticket, in time order, with who did it.

    Three indexed reads of one ticket's rows (ticket, at); notes and callbacks are restricted for ``user``. A
    callback (or the customer's rating) appears once, as the callback with its outcome and rating."""
    from .choices import Step
    from .models import Callback, ProgressNote, TicketEvent

    items = [{"type": "event", "at": e.at, "actor": e.actor, "obj": e}
             for e in TicketEvent.objects.filter(ticket=ticket).exclude(step__in=[Step.CALLBACK, Step.RATE])
             .select_related("actor")]
    items += [{"type": "note", "at": n.noted_at, "actor": n.created_by, "obj": n}
              for n in ProgressNote.objects.restrict(user, "view").filter(ticket=ticket).select_related("created_by")]
    items += [{"type": "callback", "at": c.called_at, "actor": c.created_by, "obj": c}
              for c in Callback.objects.restrict(user, "view").filter(ticket=ticket).select_related("created_by")]
    order = {"event": 0, "callback": 1, "note": 2}
    items.sort(key=lambda item: (item["at"], order[item["type"]]))
    return items


MINE_IDS_CAP = 2000


def agent_queue(*, user, limit: int = 8) -> dict:
    """The user's queue for the home page: what needs doing first, each part restricted for ``user``.

    ``urgent``: open urgent complaints; ``overdue``: open tickets past a time limit; ``mine``: active tickets
    assigned to the user; ``submitted``: portal submissions waiting to be accepted (for those who accept).
    Each part is ``{"count": n, "tickets": [...]}``.
    """
    from wuye.org.selectors import staff_of

    base = restrict(tickets(), user, "view").select_related("estate", "unit", "assignee")
    staff = staff_of(user)
    parts = {
        "urgent": base.filter(URGENT_COMPLAINT_Q),
        "overdue": base.filter(OVERDUE_Q),
        "mine": base.filter(assignee=staff, status__in=ACTIVE_STATUSES) if staff is not None else base.none(),
        "submitted": base.filter(status=TicketStatus.SUBMITTED) if user.has_perm("tickets.accept_ticket")
        else base.none(),
    }
    if staff is not None:
        # One person's active tickets are few: read their ids through the (assignee, status) index first. Asked
        # for the first rows in queue order directly, PostgreSQL walks the whole queue index looking for them,
        # which on a million tickets costs a quarter of a second when the person has none.
        ids = list(parts["mine"].order_by().values_list("pk", flat=True)[:MINE_IDS_CAP + 1])
        if len(ids) <= MINE_IDS_CAP:
            parts["mine"] = base.filter(pk__in=ids)
    result = {}
    for name, qs in parts.items():
        # the queue's order where it is the index's (urgent complaints first among the overdue), else newest first
        ordered = queue_ordered(qs) if name in ("mine", "overdue") else qs.order_by("-reported_at", "-id")
        rows = list(ordered[:limit + 1])
        result[name] = {"tickets": rows[:limit],
                        "count": len(rows) if len(rows) <= limit else qs.order_by().count()}
    return result
