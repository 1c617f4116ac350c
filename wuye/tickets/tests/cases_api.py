"""Permission-matrix cases of the tickets app: api (collected by test_permissions.py).

Who may do what follows ``wuye/tickets/roles.py``: every role sees tickets (residents only their household's),
agents, managers and administrators work them, managers and administrators configure time limits and
categories. Each lifecycle action is tried on a ticket in a state that allows it, and by the agent of estate A
on an estate-B ticket (404).
"""

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import ALL_ROLES, STAFF, Route
from wuye.tickets import services
from wuye.tickets.tests.factories import category, make_ticket

EVERYONE = set(ALL_ROLES)
WORK = {Role.AGENT, Role.CS_MANAGER, Role.ADMIN}
CONFIGURE = {Role.CS_MANAGER, Role.ADMIN}
SCOPED = {Role.AGENT, Role.RESIDENT}


def resident_of_b(w):
    """A portal account for 李强 of estate B (the world has a resident only in estate A)."""
    from wuye.org.tests.factories import UserFactory

    if w.customer_b.user_id is None:
        w.customer_b.user = UserFactory(username="t_resident_b", roles=[Role.RESIDENT])
        w.customer_b.save()
    return w.customer_b.user


def ticket_in(w, state: str = "accepted", estate: str = "a"):
    """A ticket of estate A (unit 3-2-1201) or B (unit 5-1-0801) in the given state, made through the services."""
    manager = w.users["cs_manager"]
    if state == "submitted":
        resident = w.users["resident"] if estate == "a" else resident_of_b(w)
        return services.ticket_submit(actor=resident, unit=w.unit_a if estate == "a" else w.unit_b,
                                      title="阳台门关不上", category=category("工程维修/门窗"))
    ticket = make_ticket(w, estate=w.estate_a if estate == "a" else w.estate_b)
    if state == "accepted":
        return ticket
    ticket = services.ticket_resolve(actor=manager, ticket=ticket, resolution="已更换水管")
    if state == "resolved":
        return ticket
    services.ticket_callback(actor=manager, ticket=ticket, satisfaction=5)
    assert state == "called_back", state
    return ticket


def _on(name, state="accepted", allowed=WORK, scoped=frozenset({Role.AGENT}), **kwargs):
    """``name`` on a ticket of estate A in ``state``, and on one of estate B for the 404."""
    return Route(name, lambda w: reverse(name, args=[ticket_in(w, state).pk]), allowed,
                 other=lambda w: reverse(name, args=[ticket_in(w, state, "b").pk]), scoped_roles=set(scoped),
                 api=True, **kwargs)


def _url(name):
    return lambda w: reverse(name)


def _create_data(w):
    # Staff create with the estate; a resident's token files for their unit (the estate follows it).
    return {"estate": w.estate_a.pk, "unit": w.unit_a.pk, "customer": w.customer_a.pk, "kind": "repair",
            "category": category().pk, "title": "卫生间漏水", "description": "楼上渗水"}


def _level(w):
    from wuye.tickets.models import ServiceLevel

    return ServiceLevel.objects.get(kind="repair", priority="normal")


def _level_url(w):
    return reverse("api:tickets-servicelevel-detail", args=[_level(w).pk])


def _category_url(w):
    return reverse("api:tickets-ticketcategory-detail", args=[category().pk])


STEPS = [
    # (action, state it needs, body)
    ("accept", "submitted", None),
    ("assign", "accepted", lambda w: {"assignee": w.staff["agent"].pk}),
    ("start", "accepted", None),
    ("resolve", "accepted", lambda w: {"resolution": "已修复"}),
    ("callback", "resolved", lambda w: {"outcome": "reached", "satisfaction": 5, "method": "phone"}),
    ("close", "called_back", None),
    ("reopen", "resolved", lambda w: {"reason": "仍然漏水"}),
    ("cancel", "accepted", lambda w: {"reason": "duplicate"}),
]

CASES = [
    Route("api:tickets-ticket-list", _url("api:tickets-ticket-list"), EVERYONE, api=True),
    Route("api:tickets-ticket-list", _url("api:tickets-ticket-list"), WORK | {Role.RESIDENT}, api=True,
          method="post", data=_create_data, ok=(201,)),
    _on("api:tickets-ticket-detail", allowed=EVERYONE, scoped=SCOPED),
    _on("api:tickets-ticket-detail", method="patch", data=lambda w: {"version": 1, "location": "厨房"}),
    *[_on(f"api:tickets-ticket-{step}", state, method="post", data=data or (lambda w: {}))
      for step, state, data in STEPS],
    _on("api:tickets-ticket-rate", "resolved", allowed={Role.RESIDENT}, scoped={Role.RESIDENT}, method="post",
        data=lambda w: {"satisfaction": 4}),
    _on("api:tickets-ticket-notes", allowed=EVERYONE, scoped=SCOPED),
    _on("api:tickets-ticket-notes", method="post", data=lambda w: {"body": "师傅已上门", "visibility": "public"},
        ok=(201,)),
    # time limits: staff read them, managers change them
    Route("api:tickets-servicelevel-list", _url("api:tickets-servicelevel-list"), STAFF, api=True),
    Route("api:tickets-servicelevel-detail", _level_url, STAFF, api=True),
    Route("api:tickets-servicelevel-detail", _level_url, CONFIGURE, api=True, method="patch",
          data=lambda w: {"resolution_value": 2, "resolution_unit": "working_days"}),
    # categories: reference data for everyone (residents see the categories in use)
    Route("api:tickets-ticketcategory-list", _url("api:tickets-ticketcategory-list"), EVERYONE, api=True),
    Route("api:tickets-ticketcategory-detail", _category_url, EVERYONE, api=True),
    Route("api:tickets-ticketcategory-list", _url("api:tickets-ticketcategory-list"), CONFIGURE, api=True,
          method="post", data=lambda w: {"name": "燃气", "parent": category("工程维修").pk}, ok=(201,)),
    Route("api:tickets-ticketcategory-detail", _category_url, CONFIGURE, api=True, method="patch",
          data=lambda w: {"sort_order": 5}, denied_status=(403,)),
]
