"""The staff pages of tickets: the list, the ticket page and its steps, intake, attachments, configuration.

Tickets are made through the services (factories.py). Until the tickets catalogue is filled, the app's own
interface text shows as English msgids, so these tests assert on data and on page structure (CSS classes,
form fields, status codes), not on Chinese interface text.
"""

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wuye.core.models import AuditEvent
from wuye.tickets import hooks, services
from wuye.tickets.choices import NoteVisibility, Priority, TicketKind, TicketStatus
from wuye.tickets.filtersets import tree_ordered
from wuye.tickets.models import Attachment, ServiceLevel, Ticket, TicketCategory, TicketSettings
from wuye.tickets.tests.factories import category, make_ticket, png, resolved

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def numbers(response) -> list[str]:
    """The ticket numbers of a list page, in order."""
    return re.findall(r'<a href="/tickets/\d+/">(GD\d{8}-\d{4})</a>', html(response))


def list_of(client, **params):
    response = client.get(reverse("tickets:ticket_list"), params)
    assert response.status_code == 200
    return numbers(response)


# --- the list ---------------------------------------------------------------------------------------------------


def test_list_search_finds_a_two_character_chinese_word_and_traditional_characters(world, client_for):
    leak = make_ticket(world, title="厨房水管漏水")
    lift = make_ticket(world, title="电梯异响", description="3号楼电梯运行时有异响", category=category("工程维修/电梯"))
    agent = client_for("agent")
    assert list_of(agent, q="漏水") == [leak.number]
    assert list_of(agent, q="电梯") == [lift.number]
    assert list_of(agent, q="電梯") == [lift.number]  # Traditional finds Simplified
    assert list_of(agent, q="运行时") == [lift.number]
    assert list_of(agent, q=lift.number) == [lift.number]
    assert list_of(agent, q="水电梯") == []


def test_list_search_of_traditional_text_by_simplified_query(world, client_for):
    ticket = make_ticket(world, title="電梯停運", category=category("工程维修/电梯"))
    assert list_of(client_for("agent"), q="电梯") == [ticket.number]


def test_list_filters(world, client_for):
    agent_staff = world.staff["agent"]
    repair = make_ticket(world, title="水管漏水")
    complaint = make_ticket(world, kind=TicketKind.COMPLAINT, title="保安态度差", category=category("服务态度"))
    mine = make_ticket(world, title="门禁故障", category=category("工程维修/门窗"), assignee=agent_staff)
    other_estate = make_ticket(world, estate=world.estate_b, title="停车位被占", category=category("停车"))
    cancelled = services.ticket_cancel(actor=world.users["cs_manager"], ticket=make_ticket(world, title="误报"),
                                       reason="mistake")
    done = resolved(world, make_ticket(world, title="灯不亮"))
    agent, manager = client_for("agent"), client_for("cs_manager")

    assert set(list_of(agent)) == {repair.number, complaint.number, mine.number, cancelled.number, done.number}
    assert other_estate.number in list_of(manager)
    assert list_of(manager, estate=world.estate_b.pk) == [other_estate.number]
    assert set(list_of(agent, status="open")) == {repair.number, complaint.number, mine.number}
    assert set(list_of(agent, status="active")) == {repair.number, complaint.number, mine.number, done.number}
    assert list_of(agent, status="cancelled") == [cancelled.number]
    assert list_of(agent, kind="complaint") == [complaint.number]
    assert set(list_of(agent, mine="on")) == {mine.number, done.number}  # resolved() assigns to the agent
    assert list_of(agent, mine="on", status="open") == [mine.number]
    assert list_of(client_for("executive"), mine="on") == []
    assert list_of(agent, assignee=agent_staff.pk, status="open") == [mine.number]
    assert set(list_of(agent, category=category("工程维修").pk, status="open")) == {repair.number, mine.number}
    assert list_of(agent, category=category("工程维修/门窗").pk) == [mine.number]
    assert list_of(agent, channel="walk_in") == []


def test_list_filters_by_date_overdue_and_flag(world, client_for):
    old = make_ticket(world, title="旧工单", reported_at=timezone.now() - dt.timedelta(days=10),
                      priority=Priority.URGENT)
    new = make_ticket(world, title="新工单")
    services.tickets_escalate()
    agent = client_for("agent")
    today = timezone.localdate()
    assert list_of(agent, reported_after=today.isoformat()) == [new.number]
    assert list_of(agent, reported_before=(today - dt.timedelta(days=5)).isoformat()) == [old.number]
    assert list_of(agent, overdue="true") == [old.number]
    assert list_of(agent, flagged="true") == []


def test_list_puts_urgent_complaints_first_then_overdue_then_newest(world, client_for):
    now = timezone.now()
    overdue = make_ticket(world, title="逾期报修", reported_at=now - dt.timedelta(days=10))
    services.tickets_escalate()
    urgent = make_ticket(world, kind=TicketKind.COMPLAINT, priority=Priority.URGENT, title="紧急投诉",
                         reported_at=now - dt.timedelta(hours=1), category=category("秩序维护"))
    newest = make_ticket(world, title="最新报修", reported_at=now)
    older = make_ticket(world, title="较早报修", reported_at=now - dt.timedelta(hours=3))
    assert list_of(client_for("agent")) == [urgent.number, overdue.number, newest.number, older.number]
    # sorting by a column replaces the queue order
    assert list_of(client_for("agent"), sort="reported_at") == [overdue.number, older.number, urgent.number,
                                                                 newest.number]


def test_list_query_count_does_not_grow_with_the_page_size(world, client_for):
    from wuye.org.tests.factories import StaffFactory

    handlers = [StaffFactory(post=world.post, estates=[world.estate_a]) for _ in range(3)]
    categories = list(TicketCategory.objects.order_by("pk")[:5])
    for i in range(55):
        make_ticket(world, title=f"工单{i}", assignee=handlers[i % 3], category=categories[i % 5],
                    kind=TicketKind.COMPLAINT if i % 4 == 0 else TicketKind.REPAIR)
    client = client_for("agent")
    url = reverse("tickets:ticket_list")
    client.get(url)  # warm caches (content types, permissions)
    counts = {}
    for size in (10, 50):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"per_page": size})
        assert len(numbers(response)) == size
        counts[size] = len(ctx.captured_queries)
    assert counts[10] == counts[50], counts
    assert counts[50] < 25


def test_list_export_masks_the_contact_phone(world, client_for):
    make_ticket(world, title="厨房水管漏水")
    response = client_for("agent").get(reverse("tickets:ticket_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    row = " ".join(str(v) for v in rows[1] if v is not None)
    assert "138****5678" in row and "13812345678" not in row
    assert "厨房水管漏水" in row


def test_residents_get_no_staff_pages(world, client_for):
    ticket = make_ticket(world)
    resident = client_for("resident")
    assert resident.get(reverse("tickets:ticket_list")).status_code == 403
    assert resident.get(reverse("tickets:ticket", args=[ticket.pk])).status_code == 403
    assert resident.get(reverse("tickets:ticket_add")).status_code == 403


# --- the ticket page ----------------------------------------------------------------------------------------------


def step_buttons(response) -> set[str]:
    return set(re.findall(r'class="btn btn-sm btn-\w+ step-(\w+)"', html(response)))


def test_ticket_page_shows_only_the_steps_the_role_may_take(world, client_for):
    ticket = make_ticket(world)
    url = reverse("tickets:ticket", args=[ticket.pk])
    assert step_buttons(client_for("agent").get(url)) == {"assign", "start", "resolve", "cancel"}
    assert step_buttons(client_for("cs_manager").get(url)) == {"assign", "start", "resolve", "cancel"}
    for role in ("executive", "quality_auditor", "document_controller"):
        page = client_for(role).get(url)
        assert page.status_code == 200 and step_buttons(page) == set(), role
        assert "action-edit" not in html(page) and "note-form" not in html(page)


def test_ticket_page_steps_follow_the_status(world, client_for):
    complaint = resolved(world, make_ticket(world, kind=TicketKind.COMPLAINT, title="噪音扰民"))
    page = client_for("agent").get(reverse("tickets:ticket", args=[complaint.pk]))
    assert step_buttons(page) == {"callback", "reopen"}  # close waits for the callback
    assert "step-blocked" in html(page)
    services.ticket_callback(actor=world.users["agent"], ticket=complaint, satisfaction=5)
    services.complaint_analyse(actor=world.users["agent"], ticket=Ticket.objects.get(pk=complaint.pk),
                               is_valid_complaint=True)
    page = client_for("agent").get(reverse("tickets:ticket", args=[complaint.pk]))
    assert step_buttons(page) == {"close", "reopen"}
    submitted = services.ticket_submit(actor=world.users["resident"], unit=world.unit_a, title="楼道灯坏了")
    assert step_buttons(client_for("agent").get(reverse("tickets:ticket", args=[submitted.pk]))) == {
        "accept", "cancel"}
    cancelled = services.ticket_cancel(actor=world.users["agent"], ticket=make_ticket(world), reason="duplicate")
    page = client_for("agent").get(reverse("tickets:ticket", args=[cancelled.pk]))
    assert step_buttons(page) == set() and "action-edit" not in html(page)


def test_ticket_page_shows_deadlines_timeline_and_masked_phone(world, client_for):
    ticket = make_ticket(world, kind=TicketKind.REPAIR, priority=Priority.URGENT, files=[png("leak.png")])
    services.note_add(actor=world.users["agent"], ticket=ticket, body="师傅已出发", visibility=NoteVisibility.PUBLIC)
    services.note_add(actor=world.users["agent"], ticket=ticket, body="内部：备件不足")
    page = html(client_for("agent").get(reverse("tickets:ticket", args=[ticket.pk])))
    assert "deadline-response" in page and "deadline-onsite" in page and "deadline-resolution" in page
    assert "138****5678" in page and "13812345678" not in page
    assert f'hx-post="/tickets/{ticket.pk}/reveal/contact_phone/"' in page
    assert page.count("timeline-note") == 2 and "师傅已出发" in page and "内部：备件不足" in page
    assert page.index("师傅已出发") < page.index("内部：备件不足")
    attachment = ticket.attachments.get()
    assert f'src="/tickets/attachments/{attachment.pk}/"' in page  # thumbnail through the checked view
    assert "/media/" not in page


def test_ticket_page_out_of_scope_is_404(world, client_for):
    ticket = make_ticket(world, estate=world.estate_b)
    assert client_for("agent").get(reverse("tickets:ticket", args=[ticket.pk])).status_code == 404
    assert client_for("cs_manager").get(reverse("tickets:ticket", args=[ticket.pk])).status_code == 200


def test_reveal_the_contact_phone_is_audited(world, client_for):
    ticket = make_ticket(world)
    response = client_for("agent").post(reverse("tickets:ticket_reveal", args=[ticket.pk, "contact_phone"]))
    assert response.status_code == 200 and "13812345678" in html(response)
    assert AuditEvent.objects.filter(event_type="personal_data.reveal", object_id=str(ticket.pk)).count() == 1


# --- steps --------------------------------------------------------------------------------------------------------


def test_step_form_as_a_modal_fragment_and_as_a_page(world, client_for):
    ticket = make_ticket(world)
    url = reverse("tickets:ticket_step", args=[ticket.pk, "assign"])
    fragment = html(client_for("agent").get(url, HTTP_HX_REQUEST="true"))
    assert "<html" not in fragment and "modal-header" in fragment
    assert f'name="version" value="{ticket.version}"' in fragment
    page = html(client_for("agent").get(url))
    assert "<html" in page and 'name="assignee"' in page


def test_assign_offers_only_active_staff_serving_the_estate(world, client_for):
    from wuye.org.choices import StaffStatus
    from wuye.org.tests.factories import StaffFactory

    outsider = StaffFactory(post=world.post, estates=[world.estate_b], name="外区员工")
    gone = StaffFactory(post=world.post, estates=[world.estate_a], name="离职员工", status=StaffStatus.LEFT,
                        left_on=dt.date(2025, 1, 1))
    ticket = make_ticket(world)
    page = html(client_for("cs_manager").get(reverse("tickets:ticket_step", args=[ticket.pk, "assign"])))
    select = page[page.index('name="assignee"'):page.index("</select>", page.index('name="assignee"'))]
    assert f'value="{world.staff["agent"].pk}"' in select
    assert f'value="{outsider.pk}"' not in select and f'value="{gone.pk}"' not in select
    response = client_for("cs_manager").post(reverse("tickets:ticket_step", args=[ticket.pk, "assign"]),
                                             {"version": ticket.version, "assignee": outsider.pk})
    assert response.status_code == 400
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_step_post_runs_the_service(world, client_for):
    ticket = make_ticket(world)
    client = client_for("agent")
    response = client.post(reverse("tickets:ticket_step", args=[ticket.pk, "assign"]),
                           {"version": 1, "assignee": world.staff["agent"].pk, "comment": "请尽快处理"})
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ASSIGNED and ticket.assignee == world.staff["agent"]
    assert ticket.events.filter(step="assign", comment="请尽快处理").exists()
    client.post(reverse("tickets:ticket_step", args=[ticket.pk, "start"]), {"version": ticket.version})
    response = client.post(reverse("tickets:ticket_step", args=[ticket.pk, "resolve"]),
                           {"version": ticket.version + 1, "resolution": "已更换阀门"})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.RESOLVED


def test_step_with_a_stale_version_says_the_ticket_changed_and_changes_nothing(world, client_for):
    ticket = make_ticket(world)
    seen = ticket.version  # the version on the page the manager opened
    services.ticket_assign(actor=world.users["agent"], ticket=ticket, assignee=world.staff["agent"])
    before = Ticket.objects.filter(pk=ticket.pk).values().get()
    events = ticket.events.count()
    response = client_for("cs_manager").post(reverse("tickets:ticket_step", args=[ticket.pk, "cancel"]),
                                             {"version": seen, "reason": "duplicate"})
    assert response.status_code == 409
    assert "ticket-changed" in html(response) and 'type="submit"' not in html(response).split("ticket-form")[1]
    assert Ticket.objects.filter(pk=ticket.pk).values().get() == before
    assert ticket.events.count() == events


def test_step_refused_by_the_service_reshows_the_form(world, client_for):
    ticket = make_ticket(world)
    url = reverse("tickets:ticket_step", args=[ticket.pk, "cancel"])
    response = client_for("agent").post(url, {"version": ticket.version, "reason": "other", "comment": ""})
    assert response.status_code == 400 and "invalid-feedback" in html(response)
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.ACCEPTED
    # a step the status does not allow: the page says so and offers no submit button
    page = client_for("agent").get(reverse("tickets:ticket_step", args=[ticket.pk, "close"]))
    assert page.status_code == 200 and "step-notice" in html(page)
    response = client_for("agent").post(reverse("tickets:ticket_step", args=[ticket.pk, "close"]),
                                        {"version": ticket.version})
    assert response.status_code == 400 and Ticket.objects.get(pk=ticket.pk).status == TicketStatus.ACCEPTED


def test_callback_form_records_the_rating(world, client_for):
    ticket = resolved(world, make_ticket(world, kind=TicketKind.COMPLAINT))
    url = reverse("tickets:ticket_step", args=[ticket.pk, "callback"])
    page = html(client_for("agent").get(url))
    assert page.count('type="radio" name="satisfaction"') == 5
    assert 'value="portal"' not in page  # the portal rating is the customer's own, not a staff callback
    response = client_for("agent").post(url, {"version": ticket.version, "outcome": "reached", "method": "phone"})
    assert response.status_code == 400 and not ticket.callbacks.exists()  # reached needs a rating
    response = client_for("agent").post(url, {"version": ticket.version, "outcome": "reached", "satisfaction": 9,
                                              "method": "phone"})
    assert response.status_code == 400 and not ticket.callbacks.exists()
    response = client_for("agent").post(url, {"version": ticket.version, "outcome": "reached", "satisfaction": 4,
                                              "method": "phone", "comment": "满意"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED_BACK and ticket.satisfaction == 4


def test_resolve_form_of_a_complaint_takes_the_analysis(world, client_for):
    ticket = make_ticket(world, kind=TicketKind.COMPLAINT)
    url = reverse("tickets:ticket_step", args=[ticket.pk, "resolve"])
    assert 'name="is_valid_complaint"' in html(client_for("agent").get(url))
    repair = make_ticket(world)
    assert 'name="is_valid_complaint"' not in html(client_for("agent").get(
        reverse("tickets:ticket_step", args=[repair.pk, "resolve"])))
    response = client_for("agent").post(url, {"version": ticket.version, "resolution": "已道歉并整改",
                                              "is_valid_complaint": "true", "cause": "培训不足",
                                              "responsible_department": world.department.pk})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.is_valid_complaint is True and ticket.cause == "培训不足"
    assert ticket.responsible_department == world.department


def test_complaint_analysis_page(world, client_for):
    ticket = make_ticket(world, kind=TicketKind.COMPLAINT)
    url = reverse("tickets:ticket_analysis", args=[ticket.pk])
    response = client_for("cs_manager").post(url, {"version": ticket.version, "is_valid_complaint": "false",
                                                   "cause": "业主误解"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.is_valid_complaint is False and ticket.cause == "业主误解"
    response = client_for("cs_manager").post(url, {"version": 1, "cause": "改"})  # stale
    assert response.status_code == 409 and Ticket.objects.get(pk=ticket.pk).cause == "业主误解"
    assert client_for("agent").get(reverse("tickets:ticket_analysis", args=[make_ticket(world).pk])
                                    ).status_code == 404  # repairs have no complaint analysis


def test_edit_keeps_the_phone_and_checks_the_version(world, client_for):
    from wuye.estates.tests.factories import CustomerFactory

    elsewhere = CustomerFactory(estate=world.estate_a, name="赵六")  # in the estate, not living in the unit
    ticket = make_ticket(world)
    url = reverse("tickets:ticket_edit", args=[ticket.pk])
    page = html(client_for("agent").get(url))
    assert "13812345678" not in page and 'placeholder="138****5678"' in page
    customers = page[page.index('name="customer"'):page.index("</select>", page.index('name="customer"'))]
    assert f'value="{world.customer_a.pk}"' in customers and f'value="{elsewhere.pk}"' not in customers
    data = {"version": ticket.version, "kind": "repair", "priority": "urgent", "channel": "phone",
            "unit_code": "3-2-1201", "customer": world.customer_a.pk, "contact_name": "王芳", "contact_phone": "",
            "location": "厨房", "category": category().pk, "title": "厨房水管爆裂", "description": ""}
    response = client_for("agent").post(url, data)
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.title == "厨房水管爆裂" and ticket.priority == Priority.URGENT
    assert ticket.contact_phone == "13812345678" and ticket.location == "厨房"
    assert ticket.onsite_due - ticket.reported_at == dt.timedelta(minutes=30)  # urgent limits now
    response = client_for("agent").post(url, {**data, "title": "过期的修改"})  # the version it saw is old now
    assert response.status_code == 400 and Ticket.objects.get(pk=ticket.pk).title == "厨房水管爆裂"
    response = client_for("agent").post(url, {**data, "version": ticket.version, "unit_code": "9-9-9999"})
    assert response.status_code == 400 and Ticket.objects.get(pk=ticket.pk).unit == world.unit_a


def test_note_with_a_photo_and_attach(world, client_for):
    ticket = make_ticket(world)
    response = client_for("agent").post(reverse("tickets:ticket_note_add", args=[ticket.pk]), {
        "body": "已到场查看", "visibility": "public", "files": [png("a.png"), png("b.png")]})
    assert response.status_code == 302
    assert ticket.notes.get().body == "已到场查看"
    assert ticket.attachments.filter(visibility="public", is_image=True).count() == 2
    bad = io.BytesIO(b"MZ\x90\x00 not an image")
    bad.name = "virus.exe"
    response = client_for("agent").post(reverse("tickets:ticket_attach", args=[ticket.pk]),
                                        {"files": bad, "visibility": "internal"})
    assert response.status_code == 400 and ticket.attachments.count() == 2


def test_nonconformity_button_only_with_the_quality_hook(world, client_for):
    ticket = make_ticket(world, kind=TicketKind.COMPLAINT)
    url = reverse("tickets:ticket", args=[ticket.pk])
    installed = hooks._nonconformity_handler  # the quality app's; put back at the end
    hooks.unregister_nonconformity_handler()
    raised = []

    class Nonconformity:
        def __init__(self, ticket):
            self.ticket = ticket

        def __str__(self):
            return f"NC-{self.ticket.number}"

        def get_absolute_url(self):
            return "/quality/nonconformities/1/"

    def handler(*, actor, ticket, description):
        raised.append((actor, ticket.pk, description))
        return Nonconformity(ticket)

    try:
        assert "action-nonconformity" not in html(client_for("cs_manager").get(url))
        hooks.register_nonconformity_handler(handler)
        assert "action-nonconformity" in html(client_for("cs_manager").get(url))
        response = client_for("cs_manager").post(reverse("tickets:ticket_nonconformity", args=[ticket.pk]),
                                                 {"description": "重复发生"})
    finally:
        if installed is not None:
            hooks.register_nonconformity_handler(installed)
        else:
            hooks.unregister_nonconformity_handler()
    assert response.status_code == 302 and response["Location"] == "/quality/nonconformities/1/"
    assert raised == [(world.users["cs_manager"], ticket.pk, "重复发生")]


# --- intake -------------------------------------------------------------------------------------------------------


def test_intake_prefills_the_caller(world, client_for):
    earlier = make_ticket(world, title="上次报修")
    client = client_for("agent")
    page = html(client.get(reverse("tickets:ticket_add"), {"customer": world.customer_a.pk}))
    assert f'name="customer" value="{world.customer_a.pk}"' in page
    assert f'<option value="{world.estate_a.pk}" selected>' in page
    assert 'name="unit_code" value="3-2-1201"' in page and 'name="contact_name" value="王芳"' in page
    assert earlier.number in page  # the caller's open tickets
    assert "13812345678" not in page
    # Enter in the lookup with a single match picks the caller too (no JavaScript needed)
    page = html(client.get(reverse("tickets:ticket_add"), {"q": "5678"}))
    assert f'name="customer" value="{world.customer_a.pk}"' in page
    # the htmx parts: results, then the caller with the form's place fields out of band
    results = html(client.get(reverse("tickets:ticket_add_lookup"), {"q": "王芳"}, HTTP_HX_REQUEST="true"))
    assert "<html" not in results and f"customer={world.customer_a.pk}" in results
    caller = client.get(reverse("tickets:ticket_add_caller"), {"customer": world.customer_a.pk},
                        HTTP_HX_REQUEST="true")
    assert caller["HX-Trigger-After-Settle"] == "intake-place-changed"
    assert 'id="intake-place" hx-swap-oob="true"' in html(caller)
    assert 'name="unit_code" value="3-2-1201"' in html(caller) and earlier.number in html(caller)
    assert client.get(reverse("tickets:ticket_add_caller"), {"customer": world.customer_b.pk}).status_code == 404


def intake_data(world, **extra):
    return {"estate": world.estate_a.pk, "customer": world.customer_a.pk, "unit_code": "3-2-1201",
            "kind": "repair", "priority": "normal", "channel": "phone", "category": category().pk,
            "title": "卫生间漏水", "description": "楼下反映天花板滴水", **extra}


def test_intake_creates_the_ticket_with_photos_and_assignment(world, client_for):
    response = client_for("agent").post(reverse("tickets:ticket_add"), intake_data(
        world, files=[png()], assignee=world.staff["agent"].pk))
    assert response.status_code == 302
    ticket = Ticket.objects.get(title="卫生间漏水")
    assert response["Location"] == ticket.get_absolute_url()
    assert (ticket.estate, ticket.unit, ticket.customer) == (world.estate_a, world.unit_a, world.customer_a)
    assert ticket.contact_phone == "13812345678"  # the customer's number on file
    assert ticket.status == TicketStatus.ASSIGNED and ticket.assignee == world.staff["agent"]
    assert ticket.attachments.filter(is_image=True).count() == 1


def test_intake_warns_of_a_duplicate_before_saving(world, client_for):
    first = make_ticket(world, title="厨房水管漏水")
    client = client_for("agent")
    check = html(client.get(reverse("tickets:ticket_duplicates"), {
        "estate": world.estate_a.pk, "unit_code": "3-2-1201", "category": category().pk}, HTTP_HX_REQUEST="true"))
    assert "intake-duplicates" in check and first.number in check
    other = html(client.get(reverse("tickets:ticket_duplicates"), {
        "estate": world.estate_a.pk, "unit_code": "3-2-1201", "category": category("停车").pk}))
    assert "intake-no-duplicates" in other and first.number not in other
    response = client.post(reverse("tickets:ticket_add"), intake_data(world))
    assert response.status_code == 200 and "intake-duplicates" in html(response) and first.number in html(response)
    assert Ticket.objects.count() == 1
    response = client.post(reverse("tickets:ticket_add"), intake_data(world, allow_duplicate="on"))
    assert response.status_code == 302 and Ticket.objects.count() == 2


def test_duplicate_window_comes_from_the_settings(world, client_for):
    make_ticket(world, title="旧的漏水", reported_at=timezone.now() - dt.timedelta(hours=30))
    client = client_for("agent")
    params = {"estate": world.estate_a.pk, "unit_code": "3-2-1201", "category": category().pk}
    assert "intake-no-duplicates" in html(client.get(reverse("tickets:ticket_duplicates"), params))  # 24 h
    TicketSettings.objects.update(duplicate_window_hours=48)
    assert "intake-duplicates" in html(client.get(reverse("tickets:ticket_duplicates"), params))


def test_intake_for_a_common_area_without_a_customer(world, client_for):
    data = {"estate": world.estate_a.pk, "location": "3号楼大堂", "kind": "repair", "priority": "urgent",
            "channel": "patrol", "category": category("工程维修/公共设施").pk, "title": "大堂玻璃门碎裂"}
    response = client_for("agent").post(reverse("tickets:ticket_add"), data)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.unit is None and ticket.customer is None and ticket.location == "3号楼大堂"


def test_intake_bad_input_changes_nothing(world, client_for):
    client = client_for("agent")
    cases = [
        intake_data(world, unit_code="", location=""),                 # neither unit nor location
        intake_data(world, unit_code="9-9-9999"),                      # no such unit
        intake_data(world, title=""),                                  # no summary
        intake_data(world, estate=world.estate_b.pk),                  # an estate the agent does not serve
        intake_data(world, customer=world.customer_b.pk),              # a customer out of scope
        intake_data(world, contact_phone="12"),                        # not a phone number
    ]
    for data in cases:
        response = client.post(reverse("tickets:ticket_add"), data)
        assert response.status_code == 400, data
    bad = io.BytesIO(b"plain text, not a photo")
    bad.name = "photo.jpg"
    response = client.post(reverse("tickets:ticket_add"), intake_data(world, files=[bad]))
    assert response.status_code == 400
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


# --- attachments ------------------------------------------------------------------------------------------------


def test_attachment_download_permissions(world, client_for):
    ticket = make_ticket(world, files=[png("kitchen.png")])
    public = ticket.attachments.get()
    services.note_add(actor=world.users["agent"], ticket=ticket, body="内部照片", files=[png("internal.png")])
    internal = ticket.attachments.get(visibility=NoteVisibility.INTERNAL)
    other = make_ticket(world, estate=world.estate_b, files=[png("other.png")]).attachments.get()

    resident = client_for("resident")
    response = resident.get(reverse("tickets:attachment", args=[public.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert "inline" in response["Content-Disposition"] and "kitchen.png" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert "attachment" in resident.get(reverse("tickets:attachment", args=[public.pk]),
                                        {"download": "1"})["Content-Disposition"]
    assert resident.get(reverse("tickets:attachment", args=[internal.pk])).status_code == 404
    assert resident.get(reverse("tickets:attachment", args=[other.pk])).status_code == 404

    agent = client_for("agent")
    assert agent.get(reverse("tickets:attachment", args=[internal.pk])).status_code == 200
    assert agent.get(reverse("tickets:attachment", args=[other.pk])).status_code == 404
    assert client_for("cs_manager").get(reverse("tickets:attachment", args=[other.pk])).status_code == 200
    assert client_for(None).get(reverse("tickets:attachment", args=[public.pk])).status_code == 302


def test_pdf_attachments_are_always_downloaded(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4\n%...\n", content_type="application/pdf")
    ticket = make_ticket(world, files=[pdf])
    response = client_for("agent").get(reverse("tickets:attachment", args=[ticket.attachments.get().pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


# --- panels ---------------------------------------------------------------------------------------------------------


def test_customer_page_lists_the_customers_tickets(world, client_for):
    ticket = make_ticket(world, title="厨房水管漏水")
    page = html(client_for("agent").get(reverse("estates:customer", args=[world.customer_a.pk])))
    assert "customer-tickets" in page and ticket.number in page
    assert f"/tickets/new/?customer={world.customer_a.pk}" in page
    page = html(client_for("executive").get(reverse("estates:customer", args=[world.customer_a.pk])))
    assert ticket.number in page and "/tickets/new/" not in page


def test_home_shows_the_queue(world, client_for):
    urgent = make_ticket(world, kind=TicketKind.COMPLAINT, priority=Priority.URGENT, title="紧急投诉",
                         category=category("秩序维护"))
    mine = make_ticket(world, title="派给我", assignee=world.staff["agent"])
    submitted = services.ticket_submit(actor=world.users["resident"], unit=world.unit_a, title="楼道灯坏了")
    elsewhere = make_ticket(world, estate=world.estate_b, kind=TicketKind.COMPLAINT, priority=Priority.URGENT,
                            title="别处紧急投诉", category=category("秩序维护"))
    page = html(client_for("agent").get(reverse("home")))
    assert "ticket-queue" in page
    urgent_part = page[page.index("queue-urgent"):page.index("queue-overdue")]
    assert urgent.number in urgent_part and elsewhere.number not in urgent_part
    assert mine.number in page[page.index("queue-mine"):page.index("queue-submitted")]
    assert submitted.number in page[page.index("queue-submitted"):]
    executive = html(client_for("executive").get(reverse("home")))
    assert "queue-submitted" not in executive and elsewhere.number in executive
    assert "ticket-queue" not in html(client_for("resident").get(reverse("home")))


# --- configuration ------------------------------------------------------------------------------------------------


def test_category_tree_is_indented_and_validated(world, client_for):
    manager = client_for("cs_manager")
    page = html(manager.get(reverse("tickets:ticketcategory_list")))
    assert page.index("工程维修") < page.index("水电") < page.index("秩序维护")
    assert "padding-left:1.5rem" in page
    parent = category("工程维修")
    response = manager.post(reverse("tickets:ticketcategory_add"), {"name": "水电", "parent": parent.pk,
                                                                   "sort_order": 1, "is_active": "on"})
    assert response.status_code == 400 and TicketCategory.objects.filter(name="水电").count() == 1
    response = manager.post(reverse("tickets:ticketcategory_add"), {"name": "燃气", "parent": parent.pk,
                                                                   "sort_order": 1, "kinds": ["repair"],
                                                                   "is_active": "on"})
    assert response.status_code == 302
    gas = TicketCategory.objects.get(path="工程维修/燃气")
    assert gas.kinds == ["repair"]
    # deactivate, not delete: a parent with subcategories in use cannot be taken out of use
    response = manager.post(reverse("tickets:ticketcategory_edit", args=[parent.pk]),
                            {"name": "工程维修", "sort_order": 10})
    assert response.status_code == 400 and TicketCategory.objects.get(pk=parent.pk).is_active
    response = manager.post(reverse("tickets:ticketcategory_edit", args=[gas.pk]),
                            {"name": "燃气", "parent": parent.pk, "sort_order": 1})
    assert response.status_code == 302 and not TicketCategory.objects.get(pk=gas.pk).is_active
    intake = html(client_for("agent").get(reverse("tickets:ticket_add")))
    assert "燃气" not in intake and "水电" in intake
    # a category cannot go under its own child
    response = manager.post(reverse("tickets:ticketcategory_edit", args=[parent.pk]),
                            {"name": "工程维修", "parent": category("工程维修/水电").pk, "sort_order": 10,
                             "is_active": "on"})
    assert response.status_code == 400 and TicketCategory.objects.get(pk=parent.pk).parent is None


def test_list_filter_offers_categories_as_a_tree_and_handlers_by_name(world, client_for):
    # a child whose name sorts before every top-level category must still follow its parent
    TicketCategory.objects.create(name="一级子类", parent=category("秩序维护"), sort_order=0)
    page = html(client_for("cs_manager").get(reverse("tickets:ticket_list")))
    select = page[page.index('name="category"'):]
    select = select[:select.index("</select>")]
    labels = [re.sub(r"[\s　└]", "", label) for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)][1:]
    expected = [c.name for c in tree_ordered(TicketCategory.objects.all())]
    assert labels == expected and labels.index("秩序维护") + 1 == labels.index("一级子类")
    handlers = page[page.index('name="assignee"'):]
    handlers = handlers[:handlers.index("</select>")]
    names = re.findall(r"<option value=\"\d+\"[^>]*>([^<（]*)", handlers)
    assert len(names) >= 2 and names == sorted(names)


def test_renaming_a_category_renames_its_subtree(world, client_for):
    parent = category("工程维修")
    response = client_for("cs_manager").post(reverse("tickets:ticketcategory_edit", args=[parent.pk]), {
        "name": "工程", "sort_order": 10, "is_active": "on"})
    assert response.status_code == 302
    assert TicketCategory.objects.filter(path="工程/水电").exists()
    assert not TicketCategory.objects.filter(path__startswith="工程维修").exists()


def test_service_levels_as_a_kind_by_priority_table(world, client_for):
    page = html(client_for("agent").get(reverse("tickets:servicelevel_list")))
    assert page.count("servicelevel-cell") == 10 and "servicelevel_edit" not in page
    assert "/tickets/service-levels/" in page and "/edit/" not in page  # the agent may not change them
    level = ServiceLevel.objects.get(kind="repair", priority="urgent")
    url = reverse("tickets:servicelevel_edit", args=[level.pk])
    manager = client_for("cs_manager")
    assert f'href="{url}"' in html(manager.get(reverse("tickets:servicelevel_list")))
    for bad in ({"onsite_value": 0}, {"onsite_value": -5}, {"onsite_unit": "fortnights"}):
        data = {"response_value": 15, "response_unit": "minutes", "onsite_value": 30, "onsite_unit": "minutes",
                "resolution_value": 24, "resolution_unit": "hours", **bad}
        assert manager.post(url, data).status_code == 400, bad
    assert ServiceLevel.objects.get(pk=level.pk).onsite_value == 30
    response = manager.post(url, {"response_value": 10, "response_unit": "minutes", "onsite_value": "",
                                  "onsite_unit": "minutes", "resolution_value": 2, "resolution_unit": "working_days",
                                  "callback_required": "on"})
    assert response.status_code == 302
    level.refresh_from_db()
    assert (level.response_value, level.onsite_value, level.resolution_value, level.resolution_unit) == (
        10, None, 2, "working_days")
    assert level.callback_required
    ticket = make_ticket(world, priority=Priority.URGENT)
    assert ticket.onsite_due is None and ticket.response_due - ticket.reported_at == dt.timedelta(minutes=10)


def test_settings_page(world, client_for):
    url = reverse("tickets:settings")
    page = html(client_for("agent").get(url))
    assert "disabled" in page and 'type="submit"' not in page.split("ticket-settings")[1].split("</form>")[0]
    assert client_for("agent").post(url, {"callback_within_days": 5}).status_code == 403
    manager = client_for("cs_manager")
    good = {"callback_within_days": 2, "repair_callback_percent": 50, "unsatisfied_action": "flag",
            "duplicate_window_hours": 48, "notify_by_email": "on"}
    for bad in ({"repair_callback_percent": 150}, {"callback_within_days": 0}, {"unsatisfied_action": "shout"},
                {"duplicate_window_hours": ""}):
        assert manager.post(url, {**good, **bad}).status_code == 400, bad
    assert TicketSettings.current().repair_callback_percent == 30
    assert manager.post(url, good).status_code == 302
    current = TicketSettings.current()
    assert (current.callback_within_days, current.repair_callback_percent, current.unsatisfied_action,
            current.duplicate_window_hours, current.notify_by_email) == (2, 50, "flag", 48, True)
    assert TicketSettings.objects.count() == 1
