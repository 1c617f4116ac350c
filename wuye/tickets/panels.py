"""What the tickets app shows on other apps' pages: the customer's tickets on the 360° customer page, and the
user's ticket queue on the home page. Registered in ``TicketsConfig.ready``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wuye.core.querysets import restrict
from wuye.core.scope import user_scope

from . import selectors


def customer_tickets_panel(request, customer):
    """The customer's latest tickets (those the user may see), with a link to all of them."""
    user = request.user
    if not user.has_perm("tickets.view_ticket") or user_scope(user).is_resident:
        return None
    qs = restrict(selectors.tickets(), user, "view").filter(customer=customer)
    rows = list(qs.select_related("unit").order_by("-reported_at", "-id")[:10])
    count = len(rows) if len(rows) < 10 else qs.count()
    return {
        "title": _("Tickets"), "icon": "inboxes", "order": 10, "count": count, "tickets": rows,
        "template": "tickets/panels/customer_tickets.html",
        "list_url": f"{reverse('tickets:ticket_list')}?{urlencode({'customer': customer.pk})}",
        "add_url": f"{reverse('tickets:ticket_add')}?{urlencode({'customer': customer.pk})}"
        if user.has_perm("tickets.add_ticket") else None,
    }


QUEUE_PARTS = (
    # name, label, colour, list filter
    ("urgent", _("Urgent complaints"), "danger", {"kind": "complaint", "priority": "urgent", "status": "open"}),
    ("overdue", _("Overdue"), "warning", {"overdue": "true", "status": "open"}),
    ("mine", _("Assigned to me"), "primary", {"mine": "on", "status": "active"}),
    ("submitted", _("From the portal, waiting to be accepted"), "info", {"status": "submitted"}),
)


def queue_dashboard_panel(request):
    """The home page's ticket queue: urgent complaints, overdue, assigned to me, portal submissions."""
    user = request.user
    if not user.has_perm("tickets.view_ticket") or user_scope(user).is_resident:
        return None
    queue = selectors.agent_queue(user=user, limit=5)
    parts = []
    for name, label, color, params in QUEUE_PARTS:
        if name == "submitted" and not user.has_perm("tickets.accept_ticket"):
            continue
        parts.append({"name": name, "label": label, "color": color, **queue[name],
                      "url": f"{reverse('tickets:ticket_list')}?{urlencode(params)}"})
    return {"template": "tickets/panels/queue.html", "css": "col-12 col-xl-6", "parts": parts,
            "add_url": reverse("tickets:ticket_add") if user.has_perm("tickets.add_ticket") else None}
