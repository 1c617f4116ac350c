"""The owner portal: a resident files a request with photos, follows it, rates it; isolation and bad input.

The tickets app's own labels (kinds, statuses) are not asserted in Chinese here: their catalogue is filled
by the tickets app. The portal's own words are.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from wuye.core.roles import Role
from wuye.estates.tests.factories import CustomerFactory, OccupancyFactory, UnitFactory
from wuye.org.tests.factories import UserFactory
from wuye.tickets import services
from wuye.tickets.choices import CallbackMethod, Channel, NoteVisibility, TicketKind, TicketStatus
from wuye.tickets.models import Attachment, Callback, Ticket
from wuye.tickets.tests.factories import category, make_ticket, png, resolved

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def section(page: str, element_id: str) -> str:
    """The HTML of the section with this id, up to the next one."""
    start = page.index(f'id="{element_id}"')
    end = page.find("<section", start)
    return page[start:end if end != -1 else None]


def counts():
    return Ticket.objects.count(), Attachment.objects.count()


def submit(client, world, **data):
    payload = {"unit": world.unit_a.pk, "kind": TicketKind.REPAIR, "category": category().pk,
               "title": "卫生间漏水", "description": "楼上渗水到我家卫生间天花板", "location": "主卫"}
    payload.update(data)
    return client.post(reverse("portal:ticket_add"), payload)


def other_household(world, estate="a"):
    """A second household with a portal account: in estate A (a neighbour) or in estate B (李强)."""
    if estate == "b":
        customer = world.customer_b
        customer.user = UserFactory(username="t_resident_b", roles=[Role.RESIDENT])
        customer.save()
        return customer
    unit = UnitFactory(building=world.building_a, entrance="2", number="1202")
    customer = CustomerFactory(estate=world.estate_a, name="赵敏",
                               user=UserFactory(username="t_neighbour", roles=[Role.RESIDENT]))
    OccupancyFactory(unit=unit, customer=customer)
    return customer


# --- filing a request ----------------------------------------------------------------------------------------


def test_the_form_preselects_the_only_home_and_takes_photos_from_the_camera(world, client_for):
    page = html(client_for("resident").get(reverse("portal:ticket_add")))
    assert f'<input type="hidden" name="unit" value="{world.unit_a.pk}">' in page
    assert "丽景园 3-2-1201" in page
    assert 'type="file" name="files"' in page and 'accept="image/*"' in page and "multiple" in page
    assert 'name="kind"' in page and 'value="complaint"' in page and 'value="praise"' in page


def test_a_household_with_two_homes_chooses_one_of_its_own(world, client_for):
    second = UnitFactory(building=world.building_a, entrance="1", number="0303")
    OccupancyFactory(unit=second, customer=world.customer_a)
    UnitFactory(building=world.building_a, entrance="1", number="0404")  # not theirs
    page = html(client_for("resident").get(reverse("portal:ticket_add")))
    assert '<select name="unit"' in page
    assert "3-1-0303" in page and "3-2-1201" in page and "3-1-0404" not in page and "5-1-0801" not in page


def test_submit_with_photos(world, client_for):
    response = submit(client_for("resident"), world, files=[png("a.png"), png("b.png", size=(8, 8))])
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:ticket", args=[ticket.pk])
    assert ticket.status == TicketStatus.SUBMITTED and ticket.channel == Channel.PORTAL
    assert (ticket.unit, ticket.customer, ticket.estate) == (world.unit_a, world.customer_a, world.estate_a)
    assert ticket.category == category() and ticket.location == "主卫" and ticket.title == "卫生间漏水"
    photos = list(ticket.attachments.order_by("name"))
    assert [p.name for p in photos] == ["a.png", "b.png"] and all(p.is_image for p in photos)
    assert all(p.visibility == NoteVisibility.PUBLIC for p in photos)
    page = html(client_for("resident").get(response["Location"]))
    assert ticket.number in page and "卫生间漏水" in page
    for photo in photos:
        assert reverse("tickets:attachment", args=[photo.pk]) in page


def test_submit_a_complaint_without_photos(world, client_for):
    response = submit(client_for("resident"), world, kind=TicketKind.COMPLAINT, category=category("服务态度").pk,
                      title="保安态度差")
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.kind == TicketKind.COMPLAINT and ticket.attachments.count() == 0


def test_submit_for_someone_elses_unit_is_refused_and_saves_nothing(world, client_for):
    neighbour = other_household(world)
    neighbours_unit = neighbour.occupancies.get().unit
    for unit in (neighbours_unit, world.unit_b):
        response = submit(client_for("resident"), world, unit=unit.pk, files=[png()])
        assert response.status_code == 400
        assert 'invalid-feedback' in html(response)
        assert counts() == (0, 0)


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("notes.txt", b"just some text", content_type="text/plain"),
    SimpleUploadedFile("fake.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", content_type="image/jpeg"),
    SimpleUploadedFile("invoice.pdf", b"%PDF-1.4\n%...", content_type="application/pdf"),
], ids=["text", "fake-jpeg", "pdf"])
def test_a_photo_that_is_not_an_image_is_refused(world, client_for, upload):
    response = submit(client_for("resident"), world, files=[png("good.png"), upload])
    assert response.status_code == 400
    assert upload.name in html(response)
    assert counts() == (0, 0)


def test_an_oversize_photo_is_refused(world, client_for, settings):
    settings.WUYE_UPLOAD_MAX_BYTES = 2000
    buf = io.BytesIO()
    Image.effect_noise((200, 200), 80).convert("RGB").save(buf, format="PNG")
    big = SimpleUploadedFile("big.png", buf.getvalue(), content_type="image/png")
    assert big.size > 2000
    response = submit(client_for("resident"), world, files=[png("small.png"), big])
    assert response.status_code == 400 and "big.png" in html(response)
    assert counts() == (0, 0)


def test_too_many_photos_are_refused(world, client_for):
    from wuye.portal.forms import MAX_PHOTOS

    response = submit(client_for("resident"), world, files=[png(f"{i}.png") for i in range(MAX_PHOTOS + 1)])
    assert response.status_code == 400 and counts() == (0, 0)


def test_a_category_that_does_not_fit_the_kind_is_refused(world, client_for):
    only_complaints = category("服务态度")
    only_complaints.kinds = [TicketKind.COMPLAINT]
    only_complaints.save()
    page = html(client_for("resident").get(reverse("portal:ticket_add")))
    assert f'data-kinds="{TicketKind.COMPLAINT}"' in page
    response = submit(client_for("resident"), world, kind=TicketKind.REPAIR, category=only_complaints.pk)
    assert response.status_code == 400 and counts() == (0, 0)


def test_an_inactive_category_is_not_offered(world, client_for):
    retired = category("绿化")
    retired.is_active = False
    retired.save()
    page = html(client_for("resident").get(reverse("portal:ticket_add")))
    assert f'value="{retired.pk}"' not in page and f'value="{category().pk}"' in page
    assert submit(client_for("resident"), world, category=retired.pk).status_code == 400
    assert counts() == (0, 0)


def test_a_missing_title_is_refused(world, client_for):
    response = submit(client_for("resident"), world, title="  ")
    assert response.status_code == 400 and counts() == (0, 0)


# --- the household's tickets -----------------------------------------------------------------------------------


def test_home_lists_the_households_tickets_in_progress_and_history_newest_first(world, client_for):
    older = make_ticket(world, title="电梯异响")
    newer = services.ticket_submit(actor=world.users["resident"], unit=world.unit_a, title="楼道灯不亮")
    done = make_ticket(world, title="门禁卡失灵")
    services.ticket_cancel(actor=world.users["cs_manager"], ticket=done, reason="withdrawn")
    elsewhere = make_ticket(world, estate=world.estate_b, title="翠湖苑的工单")
    neighbour = other_household(world)
    neighbours = make_ticket(world, unit=neighbour.occupancies.get().unit, customer=neighbour, title="邻居的工单")

    page = html(client_for("resident").get(reverse("portal:home")))
    assert "我的房屋" in page and "丽景园 3-2-1201" in page
    current, history = section(page, "portal-current"), section(page, "portal-history")
    assert newer.number in current and older.number in current and done.number not in current
    assert current.index(newer.number) < current.index(older.number)
    assert done.number in history and older.number not in history
    for hidden in (elsewhere, neighbours):
        assert hidden.number not in page and hidden.title not in page
    assert reverse("portal:ticket_add") in page


def test_a_household_member_sees_the_tickets_of_the_home(world, client_for):
    """王芳's husband has his own account: the home's tickets are the household's."""
    husband = CustomerFactory(estate=world.estate_a, name="陈刚",
                              user=UserFactory(username="t_husband", roles=[Role.RESIDENT]))
    OccupancyFactory(unit=world.unit_a, customer=husband)
    ticket = services.ticket_submit(actor=world.users["resident"], unit=world.unit_a, title="阳台漏水")
    client = client_for(None)
    client.force_login(husband.user)
    assert ticket.number in html(client.get(reverse("portal:home")))
    assert client.get(reverse("portal:ticket", args=[ticket.pk])).status_code == 200


@pytest.mark.parametrize("estate", ["a", "b"])
def test_another_households_ticket_answers_404(world, client_for, estate):
    other = other_household(world, estate)
    unit = other.occupancies.get().unit
    ticket = make_ticket(world, estate=unit.estate, unit=unit, customer=other)
    resident = client_for("resident")
    assert resident.get(reverse("portal:ticket", args=[ticket.pk])).status_code == 404
    manager = world.users["cs_manager"]
    ticket = services.ticket_assign(actor=manager, ticket=ticket, department=world.department)
    services.ticket_resolve(actor=manager, ticket=ticket, resolution="已处理")
    assert resident.post(reverse("portal:ticket_rate", args=[ticket.pk]), {"satisfaction": 1}).status_code == 404
    assert not Callback.objects.exists()
    # … while that household itself sees it
    owner = client_for(None)
    owner.force_login(other.user)
    assert owner.get(reverse("portal:ticket", args=[ticket.pk])).status_code == 200


def test_the_ticket_page_shows_public_notes_and_files_only(world, client_for):
    manager = world.users["cs_manager"]
    ticket = make_ticket(world)
    ticket = services.ticket_assign(actor=manager, ticket=ticket, assignee=world.staff["agent"])
    services.note_add(actor=manager, ticket=ticket, body="维修师傅明天上午九点上门", visibility=NoteVisibility.PUBLIC)
    services.note_add(actor=manager, ticket=ticket, body="内部：业主上次拖欠维修费", visibility=NoteVisibility.INTERNAL)
    public = services.attachment_add(actor=manager, ticket=ticket, files=[png("现场.png")])[0]
    internal = services.attachment_add(actor=manager, ticket=ticket, files=[png("内部.png")],
                                       visibility=NoteVisibility.INTERNAL)[0]
    page = html(client_for("resident").get(reverse("portal:ticket", args=[ticket.pk])))
    assert "维修师傅明天上午九点上门" in page
    assert "内部：业主上次拖欠维修费" not in page
    assert reverse("tickets:attachment", args=[public.pk]) in page
    assert reverse("tickets:attachment", args=[internal.pk]) not in page and "内部.png" not in page
    # the link the page gives works for the resident; the internal file stays out of reach
    resident = client_for("resident")
    assert resident.get(reverse("tickets:attachment", args=[public.pk])).status_code == 200
    assert resident.get(reverse("tickets:attachment", args=[internal.pk])).status_code == 404
    # the handler by name, never a staff phone number
    agent = world.staff["agent"]
    assert agent.name in section(page, "portal-ticket") and agent.mobile not in page
    for staff in world.staff.values():
        assert staff.mobile not in page


def test_progress_steps_follow_the_ticket(world, client_for):
    resident = client_for("resident")
    ticket = services.ticket_submit(actor=world.users["resident"], unit=world.unit_a, title="水表漏水")
    page = html(resident.get(reverse("portal:ticket", args=[ticket.pk])))
    assert 'class="current" data-step="submitted"' in page and 'aria-valuenow="0"' in page
    ticket = services.ticket_accept(actor=world.users["agent"], ticket=ticket)
    ticket = resolved(world, ticket)
    page = html(resident.get(reverse("portal:ticket", args=[ticket.pk])))
    assert 'class="done" data-step="in_progress"' in page and 'class="current" data-step="resolved"' in page
    assert 'class="ahead" data-step="closed"' in page
    assert "已更换水管" in section(page, "portal-result")


def test_a_cancelled_ticket_shows_no_progress_road(world, client_for):
    ticket = make_ticket(world)
    services.ticket_cancel(actor=world.users["cs_manager"], ticket=ticket, reason="other", comment="业主自行修好")
    page = html(client_for("resident").get(reverse("portal:ticket", args=[ticket.pk])))
    assert 'id="portal-cancelled"' in page and "业主自行修好" in page and 'id="portal-progress"' not in page


# --- rating -------------------------------------------------------------------------------------------------------


def test_rate_after_resolution(world, client_for):
    ticket = resolved(world, make_ticket(world))
    resident = client_for("resident")
    page = html(resident.get(reverse("portal:ticket", args=[ticket.pk])))
    assert reverse("portal:ticket_rate", args=[ticket.pk]) in page
    assert page.count('name="satisfaction"') == 5
    response = resident.post(reverse("portal:ticket_rate", args=[ticket.pk]),
                             {"satisfaction": 4, "comment": "师傅很专业"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:ticket", args=[ticket.pk])
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED_BACK and ticket.satisfaction == 4
    callback = Callback.objects.get(ticket=ticket)
    assert callback.method == CallbackMethod.PORTAL and callback.comment == "师傅很专业"
    page = html(resident.get(reverse("portal:ticket", args=[ticket.pk])))
    assert 'id="portal-rating"' in page and reverse("portal:ticket_rate", args=[ticket.pk]) not in page
    # once only
    again = resident.post(reverse("portal:ticket_rate", args=[ticket.pk]), {"satisfaction": 1})
    assert again.status_code == 400 and Callback.objects.count() == 1
    ticket.refresh_from_db()
    assert ticket.satisfaction == 4


def test_rating_before_resolution_is_refused(world, client_for):
    ticket = make_ticket(world)
    resident = client_for("resident")
    page = html(resident.get(reverse("portal:ticket", args=[ticket.pk])))
    assert reverse("portal:ticket_rate", args=[ticket.pk]) not in page
    response = resident.post(reverse("portal:ticket_rate", args=[ticket.pk]), {"satisfaction": 5})
    assert response.status_code == 400 and 'alert-danger' in html(response)
    assert not Callback.objects.exists()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ACCEPTED and ticket.satisfaction is None


@pytest.mark.parametrize("value", ["0", "6", "", "很好"])
def test_a_rating_outside_one_to_five_is_refused(world, client_for, value):
    ticket = resolved(world, make_ticket(world))
    response = client_for("resident").post(reverse("portal:ticket_rate", args=[ticket.pk]), {"satisfaction": value})
    assert response.status_code == 400 and not Callback.objects.exists()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED


# --- who may use the portal ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.RESIDENT])
def test_staff_are_refused(world, client_for, role):
    ticket = resolved(world, make_ticket(world))
    client = client_for(role)
    assert client.get(reverse("portal:home")).status_code == 403
    assert client.get(reverse("portal:ticket_add")).status_code == 403
    assert client.get(reverse("portal:ticket", args=[ticket.pk])).status_code == 403
    assert submit(client, world, files=[png()]).status_code == 403
    assert client.post(reverse("portal:ticket_rate", args=[ticket.pk]), {"satisfaction": 5}).status_code == 403
    assert Ticket.objects.count() == 1 and not Callback.objects.exists()


def test_a_superuser_is_refused_too(world, client_for):
    boss = UserFactory(username="t_root", is_superuser=True, is_staff=True)
    client = client_for(None)
    client.force_login(boss)
    assert client.get(reverse("portal:home")).status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_after_login_a_resident_lands_on_the_portal_and_staff_on_the_staff_home(world, client_for):
    response = client_for("resident").get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client_for("agent").get(reverse("home")).status_code == 200


def test_logging_in_through_the_form_takes_a_resident_to_the_portal(world, client):
    response = client.post(reverse("login"), {"username": "t_resident", "password": "pw-test-123"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert response.status_code == 200 and "我的房屋" in html(response)


def test_the_portal_has_no_staff_menu_and_only_local_assets(world, client_for):
    page = html(client_for("resident").get(reverse("portal:home")))
    assert 'id="mainnav"' not in page and 'id="quick-search"' not in page
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in page and "/static/portal/portal.css" in page
    assert "https://" not in page and "http://" not in page


def test_pages_take_a_constant_number_of_queries(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    resident = client_for("resident")

    def measure():
        with CaptureQueriesContext(connection) as home:
            assert resident.get(reverse("portal:home")).status_code == 200
        ticket = Ticket.objects.filter(customer=world.customer_a).first()
        with CaptureQueriesContext(connection) as page:
            assert resident.get(reverse("portal:ticket", args=[ticket.pk])).status_code == 200
        return len(home), len(page)

    def add(n):
        for i in range(n):
            ticket = services.ticket_submit(actor=world.users["resident"], unit=world.unit_a, title=f"事项{i}",
                                            files=[png()])
            services.note_add(actor=world.users["cs_manager"], ticket=ticket, body="已安排",
                              visibility=NoteVisibility.PUBLIC)
            services.ticket_cancel(actor=world.users["cs_manager"], ticket=make_ticket(world), reason="withdrawn")

    add(2)
    few = measure()
    add(8)
    assert measure() == few
