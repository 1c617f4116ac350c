"""Permission-matrix cases of the tickets app: pages (collected by test_permissions.py).

Who may do what comes from ``tickets/roles.py``: every staff role sees tickets; agents, the manager and the
administrator work them; the manager and the administrator configure them. Ticket pages are staff pages: a
resident is refused (403) everywhere but the attachment download, where ``restrict()`` lets them have the
public files of their own household's tickets and answers 404 for others. The agent serves estate A only,
so a ticket of estate B answers 404.
"""

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route

from .factories import category, make_ticket, png

STAFF = {r.value for r in Role if r != Role.RESIDENT}
WORK = {Role.AGENT, Role.CS_MANAGER, Role.ADMIN}
MANAGERS = {Role.CS_MANAGER, Role.ADMIN}
REVEAL = {Role.AGENT, Role.CS_MANAGER, Role.ADMIN}


def _a(w, **kwargs):
    return make_ticket(w, **kwargs)


def _b(w, **kwargs):
    return make_ticket(w, estate=w.estate_b, **kwargs)


def _ticket_url(name, make=_a, *extra, **kwargs):
    return lambda w: reverse(name, args=[make(w, **kwargs).pk, *extra])


def _page(name, allowed, *extra, method="get", data=None, ok=(200,), **kwargs):
    """A page about one ticket of estate A, and the same page about a ticket of estate B (404 out of scope)."""
    return Route(name, _ticket_url(name, _a, *extra, **kwargs), allowed, method=method, data=data, ok=ok,
                 other=_ticket_url(name, _b, *extra, **kwargs))


def _intake(w):
    return {"estate": w.estate_a.pk, "customer": w.customer_a.pk, "unit_code": "3-2-1201", "kind": "repair",
            "priority": "normal", "channel": "phone", "category": category("工程维修/电梯").pk,
            "title": "电梯异响", "description": "3号楼电梯运行时有异响"}


def _edit(w):
    return {"version": 1, "kind": "repair", "priority": "urgent", "channel": "phone", "unit_code": "3-2-1201",
            "customer": w.customer_a.pk, "contact_name": "王芳", "contact_phone": "", "location": "",
            "category": category().pk, "title": "厨房水管爆裂", "description": ""}


def _attachment_url(make):
    def url(w):
        ticket = make(w, files=[png()])
        return reverse("tickets:attachment", args=[ticket.attachments.get().pk])
    return url


def _category_data(w):
    return {"name": "消防", "parent": "", "sort_order": 5, "is_active": "on"}


def _level_data(w):
    return {"response_value": 1, "response_unit": "hours", "onsite_value": 20, "onsite_unit": "minutes",
            "resolution_value": 12, "resolution_unit": "hours"}


def _settings_data(w):
    return {"callback_within_days": 2, "repair_callback_percent": 50, "unsatisfied_action": "flag",
            "duplicate_window_hours": 48}


def _level_url(name):
    from wuye.tickets.models import ServiceLevel

    return lambda w: reverse(name, args=[ServiceLevel.objects.get(kind="repair", priority="urgent").pk])


def _category_edit(w):
    return reverse("tickets:ticketcategory_edit", args=[category().pk])


CASES = [
    # the list and the ticket page
    Route("tickets:ticket_list", lambda w: reverse("tickets:ticket_list"), STAFF),
    _page("tickets:ticket", STAFF),
    _page("tickets:ticket_history", STAFF),
    _page("tickets:ticket_reveal", REVEAL, "contact_phone", method="post"),
    # intake
    Route("tickets:ticket_add", lambda w: reverse("tickets:ticket_add"), WORK),
    Route("tickets:ticket_add", lambda w: reverse("tickets:ticket_add"), WORK, method="post", data=_intake,
          ok=(302,)),
    Route("tickets:ticket_add_lookup", lambda w: reverse("tickets:ticket_add_lookup") + "?q=5678", WORK),
    Route("tickets:ticket_add_caller", lambda w: reverse("tickets:ticket_add_caller") + f"?customer={w.customer_a.pk}",
          WORK, other=lambda w: reverse("tickets:ticket_add_caller") + f"?customer={w.customer_b.pk}"),
    Route("tickets:ticket_duplicates", lambda w: reverse("tickets:ticket_duplicates")
          + f"?estate={w.estate_a.pk}&unit_code=3-2-1201&category={category().pk}", WORK),
    # details, steps, notes and files
    _page("tickets:ticket_edit", WORK),
    _page("tickets:ticket_edit", WORK, method="post", data=_edit, ok=(302,)),
    _page("tickets:ticket_step", WORK, "assign"),
    _page("tickets:ticket_step", WORK, "assign", method="post", ok=(302,),
          data=lambda w: {"version": 1, "assignee": w.staff["agent"].pk}),
    _page("tickets:ticket_step", WORK, "cancel", method="post", ok=(302,),
          data=lambda w: {"version": 1, "reason": "duplicate"}),
    _page("tickets:ticket_analysis", WORK, kind="complaint"),
    _page("tickets:ticket_analysis", WORK, kind="complaint", method="post", ok=(302,),
          data=lambda w: {"version": 1, "is_valid_complaint": "true", "cause": "保洁不到位"}),
    _page("tickets:ticket_note_add", WORK),
    _page("tickets:ticket_note_add", WORK, method="post", ok=(302,),
          data=lambda w: {"body": "已联系维修师傅，预计下午到场", "visibility": "public"}),
    _page("tickets:ticket_attach", WORK),
    _page("tickets:ticket_attach", WORK, method="post", ok=(302,),
          data=lambda w: {"files": png(), "visibility": "internal"}),
    _page("tickets:ticket_nonconformity", WORK, kind="complaint", method="post", ok=(302,)),
    Route("tickets:attachment", _attachment_url(_a), {*STAFF, Role.RESIDENT}, other=_attachment_url(_b),
          scoped_roles={Role.AGENT, Role.RESIDENT}),
    # configuration
    Route("tickets:ticketcategory_list", lambda w: reverse("tickets:ticketcategory_list"), STAFF),
    Route("tickets:ticketcategory_add", lambda w: reverse("tickets:ticketcategory_add"), MANAGERS),
    Route("tickets:ticketcategory_add", lambda w: reverse("tickets:ticketcategory_add"), MANAGERS, method="post",
          data=_category_data, ok=(302,)),
    Route("tickets:ticketcategory_edit", _category_edit, MANAGERS),
    Route("tickets:servicelevel_list", lambda w: reverse("tickets:servicelevel_list"), STAFF),
    Route("tickets:servicelevel_edit", _level_url("tickets:servicelevel_edit"), MANAGERS),
    Route("tickets:servicelevel_edit", _level_url("tickets:servicelevel_edit"), MANAGERS, method="post",
          data=_level_data, ok=(302,)),
    Route("tickets:settings", lambda w: reverse("tickets:settings"), STAFF),
    Route("tickets:settings", lambda w: reverse("tickets:settings"), MANAGERS, method="post", data=_settings_data,
          ok=(302,)),
]
