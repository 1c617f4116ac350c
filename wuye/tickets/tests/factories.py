"""Tickets for tests, made through the services (DESIGN.md §10)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from wuye.tickets import services
from wuye.tickets.choices import TicketKind
from wuye.tickets.models import TicketCategory


def category(path: str = "工程维修/水电") -> TicketCategory:
    return TicketCategory.objects.get(path=path)


def make_ticket(world, *, actor=None, estate=None, **kwargs):
    """A ticket of estate A (unit 3-2-1201, 王芳) accepted by the manager unless told otherwise."""
    actor = actor or world.users["cs_manager"]
    estate = estate or world.estate_a
    defaults = {"title": "厨房水管漏水", "kind": TicketKind.REPAIR, "category": category()}
    if estate == world.estate_a:
        defaults.update(unit=world.unit_a, customer=world.customer_a)
    elif estate == world.estate_b:
        defaults.update(unit=world.unit_b, customer=world.customer_b)
    defaults.update(kwargs)
    return services.ticket_create(actor=actor, estate=estate, **defaults)


def resolved(world, ticket, actor=None, **analysis):
    actor = actor or world.users["cs_manager"]
    ticket = services.ticket_assign(actor=actor, ticket=ticket, assignee=world.staff["agent"])
    ticket = services.ticket_start(actor=actor, ticket=ticket)
    return services.ticket_resolve(actor=actor, ticket=ticket, resolution="已更换水管", **analysis)


def png(name: str = "photo.png", size=(4, 4)) -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")
