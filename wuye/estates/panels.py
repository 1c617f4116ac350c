"""Panels on the customer's 360° page, contributed by other apps without editing estates.

An app registers a function in its ``AppConfig.ready``::

    from wuye.estates.panels import register_customer_panel

    def tickets_panel(request, customer):
        if not request.user.has_perm("tickets.view_ticket"):
            return None
        tickets = Ticket.objects.restrict(request.user).filter(customer=customer)[:10]
        return {"title": _("Tickets"), "template": "tickets/panels/customer_tickets.html",
                "tickets": tickets, "order": 10}

    register_customer_panel(tickets_panel)

The function gets the request and the customer (already checked to be in the user's scope) and returns a
dict with at least ``template`` (rendered with the dict as ``panel`` and the page's context), optionally
``title``, ``order`` (smaller first, default 100), ``icon`` (a Bootstrap icon name), ``count`` (a badge) and
``column`` (``"main"``, the default, or ``"side"``); or None to show nothing. It must restrict what it reads
with ``restrict(request.user, "view")`` like any view.

The estate page and the building page have the same hook: ``register_estate_panel(func)`` with
``func(request, estate)`` and ``register_building_panel(func)`` with ``func(request, building)`` (the documents
app shows their property and engineering archives there).

The home page has its own registry: ``wuye.core.views.pages.register_dashboard_panel``.
"""

from __future__ import annotations

from collections.abc import Callable

CustomerPanel = Callable[[object, object], "dict | None"]

_customer_panels: list[CustomerPanel] = []


def register_customer_panel(func: CustomerPanel) -> CustomerPanel:
    """Register ``func(request, customer) -> dict | None``; usable as a decorator. Idempotent."""
    if func not in _customer_panels:
        _customer_panels.append(func)
    return func


def unregister_customer_panel(func: CustomerPanel) -> None:
    if func in _customer_panels:
        _customer_panels.remove(func)


def customer_panels(request, customer) -> dict[str, list[dict]]:
    """The panels to show for this customer, by column, in order."""
    panels = []
    for func in _customer_panels:
        panel = func(request, customer)
        if panel:
            panels.append(panel)
    panels.sort(key=lambda p: p.get("order", 100))
    return {
        "main": [p for p in panels if p.get("column", "main") != "side"],
        "side": [p for p in panels if p.get("column") == "side"],
    }


_estate_panels: list[CustomerPanel] = []
_building_panels: list[CustomerPanel] = []


def register_estate_panel(func: CustomerPanel) -> CustomerPanel:
    """Register ``func(request, estate) -> dict | None`` for the estate page; idempotent."""
    if func not in _estate_panels:
        _estate_panels.append(func)
    return func


def register_building_panel(func: CustomerPanel) -> CustomerPanel:
    """Register ``func(request, building) -> dict | None`` for the building page; idempotent."""
    if func not in _building_panels:
        _building_panels.append(func)
    return func


def _collect(funcs, request, obj) -> dict[str, list[dict]]:
    panels = [p for p in (func(request, obj) for func in funcs) if p]
    panels.sort(key=lambda p: p.get("order", 100))
    return {"main": [p for p in panels if p.get("column", "main") != "side"],
            "side": [p for p in panels if p.get("column") == "side"]}


def estate_panels(request, estate) -> dict[str, list[dict]]:
    return _collect(_estate_panels, request, estate)


def building_panels(request, building) -> dict[str, list[dict]]:
    return _collect(_building_panels, request, building)
