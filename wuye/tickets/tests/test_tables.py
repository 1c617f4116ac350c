"""The ticket queue renders its rows itself (fast path): it must be exactly what django-tables2 renders."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.html import parse_html
from django.utils import timezone

from wuye.tickets import selectors, services
from wuye.tickets.choices import Priority, TicketKind
from wuye.tickets.models import Ticket
from wuye.tickets.tables import TicketTable
from wuye.tickets.tests.factories import make_ticket, resolved

pytestmark = pytest.mark.django_db


def _tbody(table) -> str:
    html = render_to_string(table.template_name, {"table": table}, request=table.request)
    return html[html.index("<tbody"):html.index("</tbody>") + len("</tbody>")]


def test_fast_rows_equal_django_tables2_rows(world):
    manager = world.users["cs_manager"]
    urgent = make_ticket(world, kind=TicketKind.COMPLAINT, priority=Priority.URGENT, title="保安<态度>差 & 推诿")
    services.ticket_assign(actor=manager, ticket=urgent, assignee=world.staff["agent"])
    resolved(world, make_ticket(world, title="电梯异响"))
    make_ticket(world, unit=None, customer=None, location="东门", title="公共区域：路灯不亮")
    late = make_ticket(world, title="楼道灯坏")  # past its time limit: the row shows the overdue mark
    Ticket.objects.filter(pk=late.pk).update(resolution_due=timezone.now() - dt.timedelta(hours=2))
    request = RequestFactory().get("/tickets/")
    request.user = manager
    queryset = selectors.queue_ordered(selectors.tickets().select_related(*selectors.LIST_RELATED))

    fast = TicketTable(queryset, request=request)
    fast.paginate(per_page=25)
    assert fast.fast_tbody is not None  # the fast path is taken for the default columns
    slow = TicketTable(queryset, request=request)
    slow.fast_columns = ()
    slow.paginate(per_page=25)
    assert slow.fast_tbody is None
    assert parse_html(_tbody(fast)) == parse_html(_tbody(slow))
    assert "&lt;态度&gt;" in _tbody(fast) and "overdue-mark" in _tbody(fast)


def test_other_columns_fall_back(world):
    make_ticket(world)
    request = RequestFactory().get("/tickets/")
    request.user = world.users["cs_manager"]
    table = TicketTable(selectors.tickets(), request=request, all_columns=True)
    table.paginate(per_page=25)
    assert table.fast_tbody is None
