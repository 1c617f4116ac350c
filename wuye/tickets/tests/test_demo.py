"""Demo tickets (idempotent, every state, made through the services) and the bulk generator."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db.models import Count
from django.utils import timezone

from wuye.core import search
from wuye.core.models import AuditEvent, SearchEntry
from wuye.tickets import demo, services
from wuye.tickets.choices import NoteVisibility, Priority, Step, TicketKind, TicketStatus
from wuye.tickets.models import Callback, DailySequence, ProgressNote, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed}


def test_demo_tickets_cover_every_state_and_a_second_load_adds_nothing():
    call_command("load_demo", stdout=StringIO())
    before = _counts()
    out = StringIO()
    demo.load(stdout=out, style=no_style())
    assert "0 made now" in out.getvalue()
    assert _counts() == before, "a second load of the demo tickets changed the number of rows of some model"

    tickets = Ticket.objects.all()
    assert 35 <= tickets.count() <= 45
    assert set(tickets.values_list("status", flat=True)) == set(TicketStatus.values)
    assert set(tickets.values_list("kind", flat=True)) == set(TicketKind.values)
    now = timezone.now()
    assert tickets.filter(reported_at__lt=now - timezone.timedelta(days=60)).exists()  # spread over months
    assert not TicketEvent.objects.filter(at__gt=now).exists()
    # urgent and overdue complaints, callbacks with ratings (one dissatisfied), public and internal notes
    assert tickets.filter(kind=TicketKind.COMPLAINT, priority=Priority.URGENT, status__in=["accepted"]).exists()
    assert tickets.filter(kind=TicketKind.COMPLAINT, is_overdue=True).exists()
    assert set(Callback.objects.values_list("satisfaction", flat=True)) >= {1, 2, 3, 4, 5}
    assert tickets.filter(status=TicketStatus.REOPENED, reopen_count=1).exists()
    assert {n.visibility for n in ProgressNote.objects.all()} == set(NoteVisibility.values)
    submitted = tickets.filter(status=TicketStatus.SUBMITTED)
    assert submitted.count() == 3 and all(t.customer.user.username == "resident" for t in submitted)
    assert Callback.objects.filter(method="portal").exists()  # rated by the resident
    # made through the services, by the demo users
    assert AuditEvent.objects.filter(event_type="ticket.create", actor__username="agent2").exists()
    assert AuditEvent.objects.filter(event_type="ticket.close", actor__username="cs_manager").exists()
    # the story's times are consistent: numbers carry the local reporting day, limits met or not from them
    for ticket in tickets:
        assert ticket.number.startswith(f"GD{timezone.localtime(ticket.reported_at):%Y%m%d}-"), ticket
        if ticket.resolved_at:
            assert ticket.resolved_at >= ticket.reported_at and ticket.handling_minutes is not None
            if ticket.resolution_due is not None:
                assert ticket.resolution_met == (ticket.resolved_at <= ticket.resolution_due), ticket
        steps = list(ticket.events.values_list("at", flat=True))
        assert steps == sorted(steps) and steps[0] == ticket.reported_at, ticket
    assert search.filter_queryset(tickets, "电梯").exists()


def test_generate_makes_the_asked_number_in_every_kind_and_state_and_search_finds_them():
    out = StringIO()
    call_command("generate_data", customers=400, units=300, estates=3, tickets=6000, seed=11, stdout=out)
    assert "tickets: 6000 tickets over 3 estates" in out.getvalue()
    tickets = Ticket.objects.filter(estate__code__startswith="gen")
    assert tickets.count() == 6000
    assert set(tickets.values_list("status", flat=True)) == set(TicketStatus.values)
    assert set(tickets.values_list("kind", flat=True)) == set(TicketKind.values)
    assert tickets.filter(is_overdue=True).exists() and tickets.filter(resolution_met=False).exists()
    assert tickets.filter(satisfaction__isnull=False).count() == Callback.objects.filter(ticket__in=tickets).count()
    assert ProgressNote.objects.filter(ticket__in=tickets).exists()
    numbers = list(tickets.values_list("number", flat=True))
    assert len(set(numbers)) == 6000
    span = tickets.order_by("reported_at").values_list("reported_at", flat=True)
    assert (span.last() - span.first()).days > 500  # a year and a half
    # step times in order, the timeline ends in the ticket's status
    sample = list(tickets.order_by("?")[:200])
    for ticket in sample:
        events = list(ticket.events.all())
        assert events[0].step == Step.CREATE and events[0].at == ticket.reported_at
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert events[-1].to_status == ticket.status, ticket
        assert ticket.number.startswith(f"GD{timezone.localtime(ticket.reported_at):%Y%m%d}-")
        if ticket.unit_id:
            assert ticket.unit.estate_id == ticket.estate_id
        if ticket.assignee_id:
            assert ticket.assignee.estates.filter(pk=ticket.estate_id).exists()
        ticket.full_clean(exclude=["number"])
        # the memoised search tokens are exactly what core.search makes of the ticket
        entry = SearchEntry.objects.get(content_type__model="ticket", object_id=ticket.pk)
        assert entry.tokens == search.entry_tokens(search.registration(Ticket), ticket, entry.content_type_id), ticket
        assert entry.estate_id == ticket.estate_id
    assert not Ticket.history.filter(id__in=tickets.values("pk")).exists()  # no per-row history

    # search finds them through the full-text index
    leaking = search.filter_queryset(tickets, "漏水")
    assert leaking.exists() and all("漏水" in t.title + t.description for t in leaking[:50])
    one = sample[0]
    assert one in search.filter_queryset(tickets, one.number)

    # the day sequences moved on: intake today continues after the generated tickets
    today = timezone.localdate()
    last_today = tickets.filter(number__startswith=f"GD{today:%Y%m%d}-").order_by("-number").first()
    if last_today is not None:
        assert DailySequence.objects.get(day=today).last == int(last_today.number.rsplit("-", 1)[1])
    assert not Ticket.objects.filter(number=services.next_number()).exists()

    counts = tickets.values("estate").annotate(n=Count("id"))
    assert len(counts) == 3 and all(c["n"] > 500 for c in counts)
