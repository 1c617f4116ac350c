"""The tickets API: create and update through the services, filters and full-text ``q``, every lifecycle step
allowed and refused per role, bad input (400, nothing changed), stale versions (409), resident isolation,
notes, time limits, categories and constant query counts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wuye.core.models import AuditEvent
from wuye.core.roles import Role
from wuye.tickets import services
from wuye.tickets.choices import NoteVisibility, Priority, TicketKind, TicketStatus
from wuye.tickets.models import Attachment, Callback, ProgressNote, ServiceLevel, Ticket, TicketCategory
from wuye.tickets.roles import GRANTS
from wuye.tickets.tests.cases_api import STEPS, ticket_in
from wuye.tickets.tests.factories import category, make_ticket, png
from wuye.tickets.workflow import TRANSITIONS

pytestmark = pytest.mark.django_db

LIST = "api:tickets-ticket-list"
ROLES = [r.value for r in Role]


def detail(ticket):
    return reverse("api:tickets-ticket-detail", args=[ticket.pk])


def step_url(ticket, step):
    return reverse(f"api:tickets-ticket-{step}", args=[ticket.pk])


def row(ticket):
    """Everything stored for the ticket, to show that a refused request changed nothing."""
    return Ticket.objects.filter(pk=ticket.pk).values().get()


def numbers(response):
    assert response.status_code == 200, response.content
    return sorted(r["number"] for r in response.json()["results"])


@pytest.fixture
def no_random_callbacks():
    from wuye.tickets.models import TicketSettings

    TicketSettings.objects.update(repair_callback_percent=0)


def test_paths_are_the_published_ones():
    assert reverse(LIST) == "/api/v1/tickets/"
    assert reverse("api:tickets-ticket-assign", args=[7]) == "/api/v1/tickets/7/assign/"
    assert reverse("api:tickets-ticket-notes", args=[7]) == "/api/v1/tickets/7/notes/"
    assert reverse("api:tickets-servicelevel-list") == "/api/v1/service-levels/"
    assert reverse("api:tickets-ticketcategory-list") == "/api/v1/ticket-categories/"


# --- create -------------------------------------------------------------------------------------------------


def test_agent_creates_an_accepted_ticket_with_deadlines(world, client_for):
    response = client_for("agent", api=True).post(reverse(LIST), {
        "estate": world.estate_a.pk, "unit": world.unit_a.pk, "customer": world.customer_a.pk, "kind": "repair",
        "priority": "urgent", "category": category().pk, "title": "厨房水管爆裂", "description": "水漫到客厅"},
        format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    ticket = Ticket.objects.get(pk=data["id"])
    assert data["number"] == ticket.number and data["number"].startswith("GD")
    assert data["status"] == TicketStatus.ACCEPTED and data["version"] == ticket.version == 1
    assert ticket.contact_name == "王芳" and ticket.contact_phone == "13812345678"
    assert data["contact_phone"] == "138****5678"
    assert data["unit_code"] == "3-2-1201" and data["category_path"] == "工程维修/水电"
    assert data["url"].endswith(f"/api/v1/tickets/{ticket.pk}/")
    onsite = next(d for d in data["deadlines"] if d["name"] == "onsite")
    assert onsite["met"] is None and onsite["overdue"] is False and 0 < onsite["seconds_left"] <= 30 * 60
    assert {"assign", "start", "resolve", "cancel"} <= set(data["available_steps"])
    assert "close" not in data["available_steps"]
    assert AuditEvent.objects.filter(event_type="ticket.create", object_id=str(ticket.pk)).exists()


def test_create_with_handler_and_photo(world, client_for):
    response = client_for("agent", api=True).post(reverse(LIST), {
        "estate": world.estate_a.pk, "unit": world.unit_a.pk, "title": "门禁坏了", "kind": "repair",
        "assignee": world.staff["agent"].pk, "files": [png("门禁.png")]}, format="multipart")
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert ticket.status == TicketStatus.ASSIGNED and ticket.assignee == world.staff["agent"]
    assert response.json()["assignee_name"] == world.staff["agent"].name
    assert list(Attachment.objects.filter(ticket=ticket).values_list("name", "is_image")) == [("门禁.png", True)]


@pytest.mark.parametrize(("role", "payload", "field"), [
    ("agent", lambda w: {"estate": w.estate_b.pk}, "estate"),            # an estate the agent does not serve
    ("cs_manager", lambda w: {"estate": w.estate_a.pk, "unit": w.unit_b.pk}, "unit"),  # unit of another estate
    ("cs_manager", lambda w: {"estate": w.estate_a.pk, "kind": "rumour"}, "kind"),
    ("cs_manager", lambda w: {"estate": w.estate_a.pk, "contact_phone": "12345"}, "contact_phone"),
    ("cs_manager", lambda w: {"estate": w.estate_a.pk, "title": ""}, "title"),
    ("cs_manager", lambda w: {"estate": w.estate_a.pk,
                              "assignee": _outsider(w).pk}, "assignee"),  # a handler who does not serve estate A
])
def test_create_bad_input_is_400_and_creates_nothing(world, client_for, role, payload, field):
    body = {"title": "漏水", **payload(world)}
    response = client_for(role, api=True).post(reverse(LIST), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert Ticket.objects.count() == 0


def test_non_image_upload_is_refused_and_nothing_is_created(world, client_for):
    bogus = SimpleUploadedFile("x.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client_for("agent", api=True).post(reverse(LIST), {
        "estate": world.estate_a.pk, "title": "漏水", "files": [bogus]}, format="multipart")
    assert response.status_code == 400 and "files" in response.json()
    assert Ticket.objects.count() == 0 and Attachment.objects.count() == 0


def _outsider(world):
    from wuye.org.tests.factories import StaffFactory

    return StaffFactory(post=world.post, estates=[world.estate_b])


# --- list, filters and search -------------------------------------------------------------------------------


def test_filters(world, client_for):
    leak = make_ticket(world, title="卫生间漏水", kind=TicketKind.REPAIR, priority=Priority.URGENT)
    complaint = make_ticket(world, title="保安态度差", kind=TicketKind.COMPLAINT, category=category("服务态度"),
                            channel="walk_in")
    lift = make_ticket(world, title="电梯停在8楼", category=category("工程维修/电梯"),
                       reported_at=timezone.now() - dt.timedelta(days=10))
    services.ticket_assign(actor=world.users["cs_manager"], ticket=lift, assignee=world.staff["agent"])
    Ticket.objects.filter(pk=lift.pk).update(is_overdue=True)
    other = make_ticket(world, estate=world.estate_b, title="车位被占")
    api = client_for("cs_manager", api=True)

    def get(**params):
        return numbers(api.get(reverse(LIST), params))

    every = sorted(t.number for t in (leak, complaint, lift, other))
    assert get() == every
    assert get(kind="complaint") == [complaint.number]
    assert get(priority="urgent") == [leak.number]
    assert api.get(reverse(LIST), {"priority": "soon"}).status_code == 400
    assert get(channel="walk_in") == [complaint.number]
    assert get(estate=world.estate_b.pk) == [other.number]
    assert get(status="assigned") == [lift.number]
    services.ticket_resolve(actor=world.users["cs_manager"], ticket=Ticket.objects.get(pk=leak.pk),
                            resolution="已修好")
    assert get(status="open") == sorted([complaint.number, lift.number, other.number])
    assert get(assignee=world.staff["agent"].pk) == [lift.number]
    assert get(overdue="true") == [lift.number]
    assert get(category=category("工程维修").pk) == sorted([leak.number, lift.number, other.number])
    today = timezone.localdate()
    assert get(reported_after=(today - dt.timedelta(days=1)).isoformat()) == sorted(
        [leak.number, complaint.number, other.number])
    assert get(reported_before=(today - dt.timedelta(days=5)).isoformat()) == [lift.number]
    # the agent of estate A sees only estate A
    assert numbers(client_for("agent", api=True).get(reverse(LIST))) == sorted(
        [leak.number, complaint.number, lift.number])


def test_q_searches_the_full_text_index(world, client_for):
    leak = make_ticket(world, title="卫生间漏水", description="楼上渗水到天花板")
    lift = make_ticket(world, title="電梯停在8樓", category=category("工程维修/电梯"))   # entered in Traditional
    call = make_ticket(world, title="咨询停车费", unit=None, customer=None, contact_phone="13700009876",
                       kind=TicketKind.CONSULTATION)
    api = client_for("agent", api=True)

    def q(value):
        return numbers(api.get(reverse(LIST), {"q": value}))

    assert q("漏水") == [leak.number]
    assert q("电梯") == [lift.number]           # Simplified finds Traditional
    assert q("電梯") == [lift.number]
    assert q("渗水") == [leak.number]
    assert q("9876") == [call.number]           # phone tail
    assert q("3-2-1201") == sorted([leak.number, lift.number])
    assert q(leak.number) == [leak.number]
    assert q("煤气") == []


def test_agent_gets_404_for_estate_b(world, client_for):
    ticket = make_ticket(world, estate=world.estate_b)
    api = client_for("agent", api=True)
    assert api.get(detail(ticket)).status_code == 404
    assert api.get(reverse("api:tickets-ticket-notes", args=[ticket.pk])).status_code == 404
    assert api.patch(detail(ticket), {"version": 1, "location": "x"}, format="json").status_code == 404
    assert row(ticket)["location"] == ""


def test_no_delete(world, client_for):
    ticket = make_ticket(world)
    assert client_for("admin", api=True).delete(detail(ticket)).status_code == 405
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_contact_phone_reveal_is_audited(world, client_for):
    ticket = make_ticket(world)
    data = client_for("agent", api=True).get(detail(ticket), {"unmasked": "true"}).json()
    assert data["contact_phone"] == "13812345678"
    assert AuditEvent.objects.filter(event_type="personal_data.reveal", object_id=str(ticket.pk)).count() == 1
    # without the personal-data permission the value stays masked and nothing is recorded
    data = client_for("executive", api=True).get(detail(ticket), {"unmasked": "true"}).json()
    assert data["contact_phone"] == "138****5678"
    assert AuditEvent.objects.filter(event_type="personal_data.reveal").count() == 1


def _grow(world, n):
    for i in range(n):
        estate = world.estate_a if i % 3 else world.estate_b
        ticket = make_ticket(world, title=f"漏水{i}", estate=estate)
        if i % 2 and estate == world.estate_a:
            services.ticket_assign(actor=world.users["cs_manager"], ticket=ticket, assignee=world.staff["agent"])
        services.note_add(actor=world.users["cs_manager"], ticket=ticket, body="跟进", visibility="public")


@pytest.mark.parametrize("role", ["agent", "cs_manager", "resident"])
def test_list_queries_do_not_grow_with_the_page(world, client_for, role, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = client_for(role, api=True)
    _grow(world, 2)
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(reverse(LIST), {"page_size": 2, "unmasked": "true"}).status_code == 200
    _grow(world, 16)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        response = api.get(reverse(LIST), {"page_size": 50, "unmasked": "true"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == (Ticket.objects.filter(estate=world.estate_a).count()
                                               if role == "agent" else
                                               18 if role == "cs_manager" else
                                               Ticket.objects.filter(unit=world.unit_a).count())


# --- update -------------------------------------------------------------------------------------------------


def test_update_goes_through_the_service_and_needs_the_version(world, client_for):
    ticket = make_ticket(world)
    api = client_for("agent", api=True)
    response = api.patch(detail(ticket), {"location": "厨房"}, format="json")
    assert response.status_code == 400 and "version" in response.json()
    assert row(ticket)["location"] == ""
    response = api.patch(detail(ticket), {"version": 1, "priority": "urgent", "location": "厨房"}, format="json")
    assert response.status_code == 200, response.content
    ticket.refresh_from_db()
    assert ticket.location == "厨房" and ticket.priority == Priority.URGENT and ticket.version == 2
    assert ticket.onsite_due - ticket.reported_at == dt.timedelta(minutes=30)   # limits recomputed
    assert response.json()["version"] == 2
    assert ticket.events.filter(step="edit").exists()


def test_put_replaces_the_details(world, client_for):
    ticket = make_ticket(world)
    response = client_for("cs_manager", api=True).put(detail(ticket), {
        "version": 1, "title": "厨房水管漏水（已确认）", "kind": "repair", "priority": "normal", "channel": "phone",
        "unit": world.unit_a.pk, "customer": world.customer_a.pk, "category": category().pk}, format="json")
    assert response.status_code == 200, response.content
    assert Ticket.objects.get(pk=ticket.pk).title == "厨房水管漏水（已确认）"


def test_update_ignores_workflow_fields(world, client_for):
    ticket = make_ticket(world)
    response = client_for("agent", api=True).patch(detail(ticket), {
        "version": 1, "status": "closed", "number": "X", "estate": world.estate_b.pk, "satisfaction": 5},
        format="json")
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert (ticket.status, ticket.estate, ticket.satisfaction) == (TicketStatus.ACCEPTED, world.estate_a, None)
    assert ticket.number.startswith("GD")


def test_update_of_a_closed_ticket_is_refused(world, client_for):
    ticket = ticket_in(world, "called_back")
    ticket = services.ticket_close(actor=world.users["cs_manager"], ticket=Ticket.objects.get(pk=ticket.pk))
    before = row(ticket)
    response = client_for("cs_manager", api=True).patch(detail(ticket), {"version": ticket.version,
                                                                          "title": "改"}, format="json")
    assert response.status_code == 400 and response.json()["non_field_errors"]
    assert row(ticket) == before


def test_stale_version_is_409_and_changes_nothing(world, client_for):
    ticket = make_ticket(world)
    api = client_for("agent", api=True)
    assert api.patch(detail(ticket), {"version": 1, "location": "一楼"}, format="json").status_code == 200
    before = row(ticket)
    # a second agent still holding version 1
    response = client_for("cs_manager", api=True).patch(detail(ticket), {"version": 1, "location": "二楼"},
                                                        format="json")
    assert response.status_code == 409
    assert response.json()["detail"]
    assert row(ticket) == before
    response = client_for("cs_manager", api=True).post(step_url(ticket, "assign"), {
        "version": 1, "assignee": world.staff["agent"].pk}, format="json")
    assert response.status_code == 409
    assert row(ticket) == before
    response = client_for("cs_manager", api=True).post(step_url(ticket, "assign"), {
        "version": before["version"], "assignee": world.staff["agent"].pk}, format="json")
    assert response.status_code == 200 and response.json()["version"] == before["version"] + 1


# --- the lifecycle, per role ---------------------------------------------------------------------------------

RESULT = {"accept": TicketStatus.ACCEPTED, "assign": TicketStatus.ASSIGNED, "start": TicketStatus.IN_PROGRESS,
          "resolve": TicketStatus.RESOLVED, "callback": TicketStatus.CALLED_BACK, "close": TicketStatus.CLOSED,
          "reopen": TicketStatus.REOPENED, "cancel": TicketStatus.CANCELLED}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("step", "state", "data"), STEPS, ids=[s[0] for s in STEPS])
def test_every_step_per_role(world, client_for, step, state, data, role):
    ticket = ticket_in(world, state)
    before = row(ticket)
    response = client_for(role, api=True).post(step_url(ticket, step), data(world) if data else {}, format="json")
    if TRANSITIONS[step].permission in GRANTS[Role(role)]:
        assert response.status_code == 200, (role, step, response.content)
        assert response.json()["status"] == RESULT[step]
        ticket.refresh_from_db()
        assert ticket.status == RESULT[step] and ticket.version > before["version"]
        assert ticket.events.filter(step=step).exists()
    else:
        assert response.status_code == 403, (role, step, response.status_code)
        assert row(ticket) == before


@pytest.mark.parametrize(("step", "state", "data"), STEPS, ids=[s[0] for s in STEPS])
def test_every_step_out_of_scope_is_404(world, client_for, step, state, data):
    ticket = ticket_in(world, state, "b")
    before = row(ticket)
    response = client_for("agent", api=True).post(step_url(ticket, step), data(world) if data else {},
                                                  format="json")
    assert response.status_code == 404
    assert row(ticket) == before


def test_full_journey_through_the_api(world, client_for, no_random_callbacks):
    resident, agent, manager = (client_for(r, api=True) for r in ("resident", "agent", "cs_manager"))
    response = resident.post(reverse(LIST), {"unit": world.unit_a.pk, "kind": "complaint", "title": "夜间施工噪音",
                                             "category": category("秩序维护").pk}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == TicketStatus.SUBMITTED and response.json()["channel"] == "portal"

    def post(client, step, **body):
        answer = client.post(reverse(f"api:tickets-ticket-{step}", args=[pk]), body, format="json")
        assert answer.status_code == 200, (step, answer.content)
        return answer.json()

    version = post(agent, "accept")["version"]
    data = post(agent, "assign", version=version, assignee=world.staff["agent"].pk, department=world.department.pk,
                comment="请今晚处理")
    assert data["assignee"] == world.staff["agent"].pk and data["department"] == world.department.pk
    post(agent, "start")
    data = post(agent, "resolve", resolution="已与施工方沟通，22点后停工", is_valid_complaint=True,
                responsible_department=world.department.pk, cause="施工管理不到位", measures="加强巡查")
    assert data["callback_required"] is True and "close" not in data["available_steps"]
    data = post(manager, "callback", outcome="reached", satisfaction=4, method="phone", comment="基本满意")
    assert data["status"] == TicketStatus.CALLED_BACK and data["satisfaction"] == 4
    assert "close" in data["available_steps"]
    data = post(manager, "close")
    assert data["status"] == TicketStatus.CLOSED and data["available_steps"] == []
    ticket = Ticket.objects.get(pk=pk)
    assert ticket.is_valid_complaint is True and ticket.cause == "施工管理不到位"
    assert list(ticket.events.values_list("step", flat=True)) == [
        "create", "accept", "assign", "start", "resolve", "callback", "close"]


def test_cancel_and_reopen_keep_their_reasons(world, client_for):
    api = client_for("agent", api=True)
    ticket = make_ticket(world)
    response = api.post(step_url(ticket, "cancel"), {"reason": "other", "comment": "业主自行修好"}, format="json")
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert (ticket.status, ticket.cancel_reason, ticket.cancel_comment) == ("cancelled", "other", "业主自行修好")
    ticket = ticket_in(world, "resolved")
    response = api.post(step_url(ticket, "reopen"), {"reason": "仍然漏水"}, format="json")
    assert response.status_code == 200 and response.json()["reopen_count"] == 1
    assert ticket.events.get(step="reopen").comment == "仍然漏水"


def test_dissatisfied_callback_reopens(world, client_for):
    ticket = ticket_in(world, "resolved")
    response = client_for("agent", api=True).post(step_url(ticket, "callback"), {"satisfaction": 2}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == TicketStatus.REOPENED


def test_callback_not_reached_keeps_it_resolved(world, client_for):
    ticket = ticket_in(world, "resolved")
    response = client_for("agent", api=True).post(step_url(ticket, "callback"), {"outcome": "not_reached"},
                                                  format="json")
    assert response.status_code == 200 and response.json()["status"] == TicketStatus.RESOLVED
    assert Callback.objects.get(ticket=ticket).outcome == "not_reached"


# --- bad input ----------------------------------------------------------------------------------------------

BAD_STEPS = [
    # (case, state, step, body, field with the error)
    ("close before resolve", "accepted", "close", {}, "non_field_errors"),
    ("callback on an open ticket", "accepted", "callback", {"satisfaction": 5}, "non_field_errors"),
    ("accept an accepted ticket", "accepted", "accept", {}, "non_field_errors"),
    ("start a resolved ticket", "resolved", "start", {}, "non_field_errors"),
    ("rating 0", "resolved", "callback", {"satisfaction": 0}, "satisfaction"),
    ("rating 6", "resolved", "callback", {"satisfaction": 6}, "satisfaction"),
    ("reached without a rating", "resolved", "callback", {"outcome": "reached"}, "satisfaction"),
    ("unknown outcome", "resolved", "callback", {"outcome": "maybe", "satisfaction": 3}, "outcome"),
    ("assignee outside the estate", "accepted", "assign", "outsider", "assignee"),
    ("assign to nobody", "accepted", "assign", {}, "assignee"),
    ("assignee that does not exist", "accepted", "assign", {"assignee": 999999}, "assignee"),
    ("resolve without a result", "accepted", "resolve", {"resolution": " "}, "resolution"),
    ("reopen without a reason", "resolved", "reopen", {"reason": ""}, "reason"),
    ("cancel without a reason", "accepted", "cancel", {}, "reason"),
    ("cancel for another reason, unexplained", "accepted", "cancel", {"reason": "other"}, "comment"),
    ("version is not a number", "accepted", "start", {"version": "x"}, "version"),
]


@pytest.mark.parametrize(("state", "step", "body", "field"), [b[1:] for b in BAD_STEPS],
                         ids=[b[0] for b in BAD_STEPS])
def test_bad_step_input_is_400_and_changes_nothing(world, client_for, state, step, body, field):
    ticket = ticket_in(world, state)
    if body == "outsider":
        body = {"assignee": _outsider(world).pk}
    before = row(ticket)
    callbacks = Callback.objects.count()
    response = client_for("cs_manager", api=True).post(step_url(ticket, step), body, format="json")
    assert response.status_code == 400, response.content
    assert response.json().get(field), response.json()
    assert row(ticket) == before and Callback.objects.count() == callbacks


def test_complaint_closes_only_with_validity_recorded(world, client_for, no_random_callbacks):
    ticket = make_ticket(world, kind=TicketKind.COMPLAINT, title="物业费收错")
    api = client_for("cs_manager", api=True)
    assert api.post(step_url(ticket, "resolve"), {"resolution": "已退还"}, format="json").status_code == 200
    assert api.post(step_url(ticket, "callback"), {"satisfaction": 5}, format="json").status_code == 200
    before = row(ticket)
    response = api.post(step_url(ticket, "close"), {}, format="json")
    assert response.status_code == 400 and row(ticket) == before
    assert api.patch(detail(ticket), {"version": before["version"], "is_valid_complaint": False},
                     format="json").status_code == 200
    assert api.post(step_url(ticket, "close"), {}, format="json").json()["status"] == TicketStatus.CLOSED


# --- residents ----------------------------------------------------------------------------------------------


def _neighbour_ticket(world):
    """A ticket of another household in the same estate."""
    from wuye.estates.tests.factories import CustomerFactory, OccupancyFactory, UnitFactory

    unit = UnitFactory(building=world.building_a, entrance="2", number="1202")
    customer = CustomerFactory(estate=world.estate_a, name="赵磊", mobile="13600001111")
    OccupancyFactory(unit=unit, customer=customer)
    return make_ticket(world, unit=unit, customer=customer, title="隔壁漏水"), unit


def test_resident_sees_only_their_household(world, client_for):
    own = make_ticket(world)
    neighbour, _unit = _neighbour_ticket(world)
    far = make_ticket(world, estate=world.estate_b)
    api = client_for("resident", api=True)
    assert numbers(api.get(reverse(LIST))) == [own.number]
    assert numbers(api.get(reverse(LIST), {"q": "漏水"})) == [own.number]
    for ticket in (neighbour, far):
        assert api.get(detail(ticket)).status_code == 404
        assert api.get(reverse("api:tickets-ticket-notes", args=[ticket.pk])).status_code == 404
    data = api.get(detail(own)).json()
    assert data["available_steps"] == [] and data["contact_phone"] == "138****5678"


def test_resident_files_only_for_their_own_unit(world, client_for):
    _ticket, unit = _neighbour_ticket(world)
    api = client_for("resident", api=True)
    count = Ticket.objects.count()
    for other in (unit, world.unit_b):
        response = api.post(reverse(LIST), {"unit": other.pk, "title": "漏水"}, format="json")
        assert response.status_code == 400 and "unit" in response.json()
    assert Ticket.objects.count() == count
    response = api.post(reverse(LIST), {"unit": world.unit_a.pk, "title": "阳台漏水", "estate": world.estate_b.pk,
                                        "priority": "urgent", "files": [png()]}, format="multipart")
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert (ticket.estate, ticket.unit, ticket.customer) == (world.estate_a, world.unit_a, world.customer_a)
    assert (ticket.status, ticket.channel, ticket.priority) == ("submitted", "portal", "normal")
    assert ticket.attachments.count() == 1


def test_resident_cannot_change_or_work_tickets(world, client_for):
    ticket = make_ticket(world)
    before = row(ticket)
    api = client_for("resident", api=True)
    assert api.patch(detail(ticket), {"version": 1, "title": "改"}, format="json").status_code == 403
    assert api.post(step_url(ticket, "cancel"), {"reason": "withdrawn"}, format="json").status_code == 403
    assert api.post(reverse("api:tickets-ticket-notes", args=[ticket.pk]), {"body": "x"},
                    format="json").status_code == 403
    assert row(ticket) == before


def test_resident_rates_a_resolved_ticket(world, client_for):
    ticket = ticket_in(world, "resolved")
    api = client_for("resident", api=True)
    assert "rate" in api.get(detail(ticket)).json()["available_steps"]
    for bad in (0, 6, "x"):
        before = row(ticket)
        response = api.post(step_url(ticket, "rate"), {"satisfaction": bad}, format="json")
        assert response.status_code == 400 and "satisfaction" in response.json()
        assert row(ticket) == before
    response = api.post(step_url(ticket, "rate"), {"satisfaction": 5, "comment": "师傅很专业"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == TicketStatus.CALLED_BACK
    assert Callback.objects.get(ticket=ticket).method == "portal"
    # once only
    assert api.post(step_url(ticket, "rate"), {"satisfaction": 1}, format="json").status_code == 400
    assert Callback.objects.filter(ticket=ticket).count() == 1


def test_staff_cannot_rate(world, client_for):
    ticket = ticket_in(world, "resolved")
    before = row(ticket)
    assert client_for("agent", api=True).post(step_url(ticket, "rate"), {"satisfaction": 5},
                                              format="json").status_code == 403
    assert row(ticket) == before


# --- notes --------------------------------------------------------------------------------------------------


def test_notes_internal_and_public(world, client_for):
    ticket = make_ticket(world)
    url = reverse("api:tickets-ticket-notes", args=[ticket.pk])
    agent = client_for("agent", api=True)
    response = agent.post(url, {"body": "已联系维修班", "visibility": "internal"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["visibility"] == "internal" and response.json()["author"]
    response = agent.post(url, {"body": "师傅明早九点上门", "visibility": "public", "files": [png()]},
                          format="multipart")
    assert response.status_code == 201, response.content
    assert Attachment.objects.get(ticket=ticket).visibility == NoteVisibility.PUBLIC
    assert Ticket.objects.get(pk=ticket.pk).responded_at is not None   # a public note counts as the response
    staff_view = [n["body"] for n in agent.get(url).json()]
    assert staff_view == ["已联系维修班", "师傅明早九点上门"]
    resident_view = [n["body"] for n in client_for("resident", api=True).get(url).json()]
    assert resident_view == ["师傅明早九点上门"]


@pytest.mark.parametrize(("body", "field"), [({"body": " "}, "body"), ({"body": "x", "visibility": "all"},
                                                                         "visibility")])
def test_bad_note_is_400(world, client_for, body, field):
    ticket = make_ticket(world)
    response = client_for("agent", api=True).post(reverse("api:tickets-ticket-notes", args=[ticket.pk]), body,
                                                  format="json")
    assert response.status_code == 400 and field in response.json()
    assert ProgressNote.objects.count() == 0


def test_no_notes_on_a_cancelled_ticket(world, client_for):
    ticket = make_ticket(world)
    services.ticket_cancel(actor=world.users["agent"], ticket=ticket, reason="duplicate")
    response = client_for("agent", api=True).post(reverse("api:tickets-ticket-notes", args=[ticket.pk]),
                                                  {"body": "补充"}, format="json")
    assert response.status_code == 400
    assert ProgressNote.objects.count() == 0


# --- time limits and categories -----------------------------------------------------------------------------


def test_manager_changes_a_time_limit_and_new_tickets_take_it(world, client_for):
    level = ServiceLevel.objects.get(kind="repair", priority="urgent")
    url = reverse("api:tickets-servicelevel-detail", args=[level.pk])
    assert client_for("agent", api=True).patch(url, {"onsite_value": 20}, format="json").status_code == 403
    response = client_for("cs_manager", api=True).patch(url, {"onsite_value": 20, "kind": "praise"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["kind"] == "repair"     # which limit it is does not change
    ticket = make_ticket(world, priority=Priority.URGENT)
    assert ticket.onsite_due - ticket.reported_at == dt.timedelta(minutes=20)


def test_bad_time_limit_is_400(world, client_for):
    level = ServiceLevel.objects.get(kind="repair", priority="urgent")
    response = client_for("cs_manager", api=True).patch(
        reverse("api:tickets-servicelevel-detail", args=[level.pk]), {"onsite_value": -5, "onsite_unit": "weeks"},
        format="json")
    assert response.status_code == 400 and {"onsite_value", "onsite_unit"} <= set(response.json())
    level.refresh_from_db()
    assert (level.onsite_value, level.onsite_unit) == (30, "minutes")


def test_service_levels_list(world, client_for):
    data = client_for("agent", api=True).get(reverse("api:tickets-servicelevel-list"), {"kind": "complaint"}).json()
    assert sorted(r["priority"] for r in data["results"]) == ["normal", "urgent"]
    assert client_for("resident", api=True).get(reverse("api:tickets-servicelevel-list")).status_code == 403


def test_categories(world, client_for):
    api = client_for("cs_manager", api=True)
    url = reverse("api:tickets-ticketcategory-list")
    parent = category("工程维修")
    response = api.post(url, {"name": "燃气", "parent": parent.pk, "kinds": ["repair"]}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["path"] == "工程维修/燃气"
    # the same name under the same parent, a name with a slash, a kind that does not exist
    for body, field in (({"name": "燃气", "parent": parent.pk}, "name"), ({"name": "水/电"}, "name"),
                        ({"name": "新", "kinds": ["gossip"]}, "kinds")):
        count = TicketCategory.objects.count()
        response = api.post(url, body, format="json")
        assert response.status_code == 400 and field in response.json(), response.content
        assert TicketCategory.objects.count() == count
    # a category cannot move under its own child
    child = category("工程维修/水电")
    response = api.patch(reverse("api:tickets-ticketcategory-detail", args=[parent.pk]), {"parent": child.pk},
                         format="json")
    assert response.status_code == 400 and "parent" in response.json()
    assert TicketCategory.objects.get(pk=parent.pk).parent is None
    response = api.patch(reverse("api:tickets-ticketcategory-detail", args=[child.pk]), {"is_active": False},
                         format="json")
    assert response.status_code == 200 and TicketCategory.objects.get(pk=child.pk).is_active is False
    assert api.delete(reverse("api:tickets-ticketcategory-detail", args=[child.pk])).status_code == 405
    assert client_for("agent", api=True).post(url, {"name": "其他2"}, format="json").status_code == 403
    names = [r["path"] for r in client_for("agent", api=True).get(url, {"page_size": 100}).json()["results"]]
    assert "工程维修/燃气" in names and names == sorted(names)


def test_renaming_a_category_renames_its_subtree(world, client_for):
    parent = category("工程维修")
    response = client_for("cs_manager", api=True).patch(
        reverse("api:tickets-ticketcategory-detail", args=[parent.pk]), {"name": "工程"}, format="json")
    assert response.status_code == 200 and response.json()["path"] == "工程"
    assert sorted(TicketCategory.objects.filter(parent=parent).values_list("path", flat=True)) == sorted(
        f"工程/{name}" for name in ("水电", "电梯", "门窗", "公共设施", "房屋渗漏", "其他维修"))
