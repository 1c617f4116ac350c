"""The ticket lifecycle through its services: steps, refusals, time limits, callbacks, concurrency."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wuye.core.models import AuditEvent, Notification
from wuye.tickets import services
from wuye.tickets.choices import CallbackOutcome, NoteVisibility, Priority, Step, TicketKind, TicketStatus
from wuye.tickets.models import Ticket, TicketSettings
from wuye.tickets.tests.factories import make_ticket, png, resolved
from wuye.tickets.workflow import available_steps

pytestmark = pytest.mark.django_db


def test_create_numbers_accepts_and_sets_deadlines(world):
    ticket = make_ticket(world, priority=Priority.URGENT)
    today = timezone.localdate()
    assert ticket.number == f"GD{today:%Y%m%d}-0001"
    assert make_ticket(world).number == f"GD{today:%Y%m%d}-0002"
    assert ticket.status == TicketStatus.ACCEPTED
    assert ticket.contact_name == "王芳" and ticket.contact_phone == "13812345678"
    assert ticket.onsite_due - ticket.reported_at == dt.timedelta(minutes=30)
    assert list(ticket.events.values_list("step", flat=True)) == [Step.CREATE]
    assert AuditEvent.objects.filter(event_type="ticket.create", object_id=str(ticket.pk)).exists()


def test_full_lifecycle_records_each_step(world):
    manager = world.users["cs_manager"]
    ticket = make_ticket(world, kind=TicketKind.COMPLAINT, title="保安态度差")
    ticket = resolved(world, ticket, is_valid_complaint=True, responsible_department=world.department,
                      cause="培训不足")
    assert ticket.callback_required and ticket.callback_due is not None
    assert ticket.handling_minutes is not None and ticket.resolution_met is True
    services.ticket_callback(actor=manager, ticket=ticket, satisfaction=4, comment="满意")
    ticket = services.ticket_close(actor=manager, ticket=Ticket.objects.get(pk=ticket.pk))
    assert ticket.status == TicketStatus.CLOSED and ticket.satisfaction == 4
    assert list(ticket.events.values_list("step", flat=True)) == [
        Step.CREATE, Step.ASSIGN, Step.START, Step.RESOLVE, Step.CALLBACK, Step.CLOSE]


@pytest.mark.parametrize("step,kwargs", [
    ("ticket_close", {}),
    ("ticket_callback", {"satisfaction": 5}),
    ("ticket_reopen", {"reason": "x"}),
    ("ticket_accept", {}),
])
def test_steps_out_of_order_are_refused_and_change_nothing(world, step, kwargs):
    ticket = make_ticket(world)
    before = Ticket.objects.filter(pk=ticket.pk).values().get()
    with pytest.raises(ValidationError):
        getattr(services, step)(actor=world.users["cs_manager"], ticket=ticket, **kwargs)
    assert Ticket.objects.filter(pk=ticket.pk).values().get() == before


@pytest.mark.parametrize("role", ["resident", "executive", "quality_auditor", "document_controller"])
def test_roles_without_the_permission_are_refused(world, role):
    ticket = make_ticket(world)
    with pytest.raises(PermissionDenied):
        services.ticket_assign(actor=world.users[role], ticket=ticket, assignee=world.staff["agent"])
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.ACCEPTED


def test_agent_cannot_act_outside_their_estates(world):
    ticket = make_ticket(world, estate=world.estate_b)
    with pytest.raises(PermissionDenied):
        services.ticket_start(actor=world.users["agent"], ticket=ticket)
    with pytest.raises(PermissionDenied):
        make_ticket(world, estate=world.estate_b, actor=world.users["agent"])


def test_assignee_must_serve_the_estate(world):
    from wuye.org.tests.factories import StaffFactory

    outsider = StaffFactory(post=world.post, estates=[world.estate_b])
    ticket = make_ticket(world)
    with pytest.raises(ValidationError) as exc:
        services.ticket_assign(actor=world.users["cs_manager"], ticket=ticket, assignee=outsider)
    assert "assignee" in exc.value.message_dict
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_stale_version_is_told_the_ticket_changed(world):
    ticket = make_ticket(world)
    seen = ticket.version
    services.ticket_assign(actor=world.users["agent"], ticket=ticket, assignee=world.staff["agent"], version=seen)
    with pytest.raises(services.TicketChanged):
        services.ticket_cancel(actor=world.users["cs_manager"], ticket=ticket, reason="duplicate", version=seen)
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert fresh.status == TicketStatus.ASSIGNED and fresh.assignee == world.staff["agent"]


def test_rating_outside_one_to_five_is_refused(world):
    ticket = resolved(world, make_ticket(world, kind=TicketKind.COMPLAINT))
    for bad in (0, 6, "x"):
        with pytest.raises(ValidationError):
            services.ticket_callback(actor=world.users["agent"], ticket=ticket, satisfaction=bad)
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.RESOLVED
    assert not ticket.callbacks.exists()


def test_dissatisfied_callback_reopens(world):
    ticket = resolved(world, make_ticket(world, kind=TicketKind.COMPLAINT))
    services.ticket_callback(actor=world.users["agent"], ticket=ticket, satisfaction=2)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REOPENED and ticket.reopen_count == 1 and ticket.resolved_at is None
    assert Notification.objects.filter(recipient=world.users["cs_manager"], key__contains="dissatisfied").exists()


def test_dissatisfied_callback_flags_when_configured(world):
    TicketSettings.objects.update(unsatisfied_action="flag")
    ticket = resolved(world, make_ticket(world, kind=TicketKind.COMPLAINT))
    services.ticket_callback(actor=world.users["agent"], ticket=ticket, satisfaction=1)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED_BACK and ticket.flagged


def test_not_reached_keeps_it_resolved(world):
    ticket = resolved(world, make_ticket(world, kind=TicketKind.COMPLAINT))
    services.ticket_callback(actor=world.users["agent"], ticket=ticket, outcome=CallbackOutcome.NOT_REACHED)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED and ticket.callbacks.count() == 1
    with pytest.raises(ValidationError):
        services.ticket_close(actor=world.users["agent"], ticket=ticket)


def test_complaint_closes_only_with_validity_recorded(world):
    manager = world.users["cs_manager"]
    ticket = resolved(world, make_ticket(world, kind=TicketKind.COMPLAINT))
    services.ticket_callback(actor=manager, ticket=ticket, satisfaction=5)
    ticket.refresh_from_db()
    assert [t.step for t in available_steps(ticket, manager)] == [Step.REOPEN]
    ticket = services.complaint_analyse(actor=manager, ticket=ticket, is_valid_complaint=False)
    assert Step.CLOSE in [t.step for t in available_steps(ticket, manager)]


def test_repair_callback_share(world):
    manager = world.users["cs_manager"]
    TicketSettings.objects.update(repair_callback_percent=0)
    assert not resolved(world, make_ticket(world)).callback_required
    TicketSettings.objects.update(repair_callback_percent=100)
    assert resolved(world, make_ticket(world)).callback_required
    TicketSettings.objects.update(repair_callback_percent=30)
    draws = [services._callback_needed(Ticket(kind=TicketKind.REPAIR, priority=Priority.NORMAL),
                                       TicketSettings.current()) for _ in range(3000)]
    assert 0.25 < sum(draws) / len(draws) < 0.35
    assert manager  # the draws used the configured share


def test_cancel_keeps_the_ticket_with_reason(world):
    ticket = make_ticket(world)
    with pytest.raises(ValidationError):
        services.ticket_cancel(actor=world.users["agent"], ticket=ticket, reason="other")
    ticket = services.ticket_cancel(actor=world.users["agent"], ticket=ticket, reason="duplicate")
    assert Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.CANCELLED, cancel_reason="duplicate").exists()


def test_notes_and_photos(world):
    ticket = make_ticket(world)
    assert ticket.responded_at is None
    services.note_add(actor=world.users["agent"], ticket=ticket, body="已联系业主", visibility=NoteVisibility.PUBLIC,
                      files=[png()])
    ticket.refresh_from_db()
    assert ticket.responded_at is not None
    attachment = ticket.attachments.get()
    assert attachment.is_image and attachment.name == "photo.png" and attachment.file.name.endswith(".png")
    fake = SimpleUploadedFile("evil.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    with pytest.raises(ValidationError):
        services.attachment_add(actor=world.users["agent"], ticket=ticket, files=[fake])
    assert ticket.attachments.count() == 1


def test_oversize_upload_refused(world, settings):
    settings.WUYE_UPLOAD_MAX_BYTES = 100
    ticket = make_ticket(world)
    with pytest.raises(ValidationError):
        services.attachment_add(actor=world.users["agent"], ticket=ticket, files=[png(size=(200, 200))])
    assert not ticket.attachments.exists()


def test_resident_submits_only_for_own_unit(world):
    resident = world.users["resident"]
    ticket = services.ticket_submit(actor=resident, unit=world.unit_a, title="楼道灯不亮", files=[png()])
    assert ticket.status == TicketStatus.SUBMITTED and ticket.customer == world.customer_a
    with pytest.raises(ValidationError):
        services.ticket_submit(actor=resident, unit=world.unit_b, title="不是我家")
    assert Ticket.objects.count() == 1


def test_resident_rates_resolved_ticket(world):
    resident = world.users["resident"]
    ticket = services.ticket_submit(actor=resident, unit=world.unit_a, title="楼道灯不亮")
    with pytest.raises(ValidationError):
        services.ticket_rate(actor=resident, ticket=ticket, satisfaction=5)
    services.ticket_accept(actor=world.users["agent"], ticket=ticket)
    ticket = resolved(world, Ticket.objects.get(pk=ticket.pk))
    services.ticket_rate(actor=resident, ticket=ticket, satisfaction=5)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED_BACK and ticket.satisfaction == 5
    other = make_ticket(world, estate=world.estate_b)
    with pytest.raises(PermissionDenied):
        services.ticket_rate(actor=resident, ticket=other, satisfaction=5)


def test_escalation_is_idempotent(world):
    ticket = make_ticket(world, priority=Priority.URGENT, kind=TicketKind.REPAIR)
    services.ticket_assign(actor=world.users["cs_manager"], ticket=ticket, assignee=world.staff["agent"])
    later = timezone.now() + dt.timedelta(hours=2)
    assert services.tickets_escalate(now=later) == 1  # on site (30 min); response was met by assigning
    ticket.refresh_from_db()
    assert ticket.is_overdue and ticket.overdue_limits == ["onsite"]
    notes = Notification.objects.filter(key=f"ticket:{ticket.pk}:overdue:onsite")
    assert set(notes.values_list("recipient__username", flat=True)) == {"t_cs_manager", "t_agent"}
    assert services.tickets_escalate(now=later) == 0
    assert notes.count() == 2 and ticket.events.filter(step=Step.ESCALATE).count() == 1
    assert services.tickets_escalate(now=later + dt.timedelta(days=2)) == 1  # resolution (24 h)
    assert services.tickets_escalate(now=later + dt.timedelta(days=2)) == 0


def test_escalate_command(world):
    from io import StringIO

    from django.core.management import call_command

    ticket = make_ticket(world, priority=Priority.URGENT)
    Ticket.objects.filter(pk=ticket.pk).update(response_due=timezone.now() - dt.timedelta(minutes=1))
    def run() -> int:
        out = StringIO()
        call_command("escalate_tickets", stdout=out)
        return int(re.search(r"\d+", out.getvalue()).group())

    assert run() == 1
    assert Ticket.objects.get(pk=ticket.pk).overdue_limits == ["response"]
    assert run() == 0


def test_nonconformity_hook(world):
    """Without a registered handler (no quality app) a complaint cannot raise a nonconformity; with one, the handler
    is called once, for complaints only, by those who handle tickets. The installed handler is put back after."""
    from wuye.tickets import hooks

    complaint = make_ticket(world, kind=TicketKind.COMPLAINT, title="物业费收取不透明")
    installed = hooks._nonconformity_handler
    raised = []
    try:
        hooks.unregister_nonconformity_handler()
        with pytest.raises(ValidationError):  # no quality app
            services.ticket_raise_nonconformity(actor=world.users["cs_manager"], ticket=complaint)
        hooks.register_nonconformity_handler(lambda *, actor, ticket, description: raised.append(ticket.pk) or ticket)
        with pytest.raises(PermissionDenied):
            services.ticket_raise_nonconformity(actor=world.users["executive"], ticket=complaint)
        with pytest.raises(ValidationError):
            services.ticket_raise_nonconformity(actor=world.users["cs_manager"], ticket=make_ticket(world))
        services.ticket_raise_nonconformity(actor=world.users["cs_manager"], ticket=complaint)
    finally:
        if installed is not None:
            hooks.register_nonconformity_handler(installed)
        else:
            hooks.unregister_nonconformity_handler()
    assert raised == [complaint.pk]
    assert AuditEvent.objects.filter(event_type="ticket.nonconformity", object_id=str(complaint.pk)).exists()


def test_defaults_come_back_after_a_flush(db):
    """A transactional test (browser tests) flushes the database; post_migrate puts the defaults back."""
    from django.core.management import call_command

    from wuye.tickets.models import ServiceLevel, TicketCategory

    TicketCategory.objects.filter(parent__isnull=False).delete()
    TicketCategory.objects.all().delete()
    ServiceLevel.objects.filter(kind="repair").delete()
    TicketSettings.objects.all().delete()
    call_command("migrate", verbosity=0)  # emits post_migrate, as a flush does
    assert TicketCategory.objects.filter(path="工程维修/水电").exists()
    assert ServiceLevel.objects.filter(kind="repair").count() == 2
    assert TicketSettings.objects.count() == 1


def test_change_history_shows_local_time(world):
    from wuye.core.history import history_rows

    ticket = make_ticket(world, reported_at=dt.datetime(2026, 11, 27, 20, 10, tzinfo=dt.UTC))
    created = history_rows(ticket)[-1]
    reported = {c.field: c.new for c in created.changes}["reported_at"]
    assert reported == "2026-11-28 04:10"  # Asia/Shanghai, not the stored UTC


def test_saving_a_step_looks_up_only_the_foreign_keys_it_changed(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wuye.tickets.services import _lock, _save

    ticket = _lock(make_ticket(world), None)
    with CaptureQueriesContext(connection) as queries:
        _save(ticket)
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT 1 AS "a"')]
    ticket.category_id = 987654  # changed, and no such category: still refused, with the field named
    with pytest.raises(ValidationError) as refused:
        _save(ticket)
    assert "category" in refused.value.message_dict
