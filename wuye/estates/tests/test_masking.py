"""Personal data: masked in HTML, JSON and Excel for every role; reveals are audited; ID numbers are stored
encrypted (a database dump shows no ID number)."""

import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from wuye.core.models import AuditEvent
from wuye.core.roles import Role

pytestmark = pytest.mark.django_db

MOBILE, MOBILE_MASKED = "13812345678", "138****5678"
STAFF_ROLES = [r.value for r in Role if r != Role.RESIDENT]


def _plain_values(world):
    return [MOBILE, world.customer_a.id_number]


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_customer_page_is_masked_for_every_role(world, client_for, role):
    response = client_for(role).get(reverse("estates:customer", args=[world.customer_a.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert MOBILE_MASKED in page
    for value in _plain_values(world):
        assert value not in page
    assert world.customer_a.id_number[:3] + "*" * 11 + world.customer_a.id_number[-4:] in page


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_customer_list_and_lookup_are_masked(world, client_for, role):
    client = client_for(role)
    for url in (reverse("estates:customer_list"), reverse("estates:lookup") + "?q=王芳&go=0",
                reverse("estates:unit", args=[world.unit_a.pk]), reverse("estates:customer_history",
                                                                         args=[world.customer_a.pk])):
        page = client.get(url).content.decode()
        for value in _plain_values(world):
            assert value not in page, (role, url)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_api_is_masked_for_every_role(world, client_for, role):
    api = client_for(role, api=True)
    for url in (reverse("api:estates-customer-list"), reverse("api:estates-customer-detail",
                                                              args=[world.customer_a.pk])):
        body = api.get(url).content.decode()
        assert MOBILE_MASKED in body
        for value in _plain_values(world):
            assert value not in body
    assert not AuditEvent.objects.filter(event_type="personal_data.reveal").exists()


@pytest.mark.parametrize("role", ["document_controller", "quality_auditor", "executive", "resident"])
def test_unmasked_without_permission_is_still_masked(world, client_for, role):
    body = client_for(role, api=True).get(reverse("api:estates-customer-detail", args=[world.customer_a.pk]),
                                          {"unmasked": "true"}).content.decode()
    assert MOBILE_MASKED in body and MOBILE not in body
    assert not AuditEvent.objects.filter(event_type="personal_data.reveal").exists()


def test_unmasked_with_permission_is_plain_and_audited_per_object(world, client_for):
    api = client_for("agent", api=True)
    data = api.get(reverse("api:estates-customer-list"), {"unmasked": "true"}).json()
    assert data["results"][0]["mobile"] == MOBILE
    assert data["results"][0]["id_number"] == world.customer_a.id_number
    events = AuditEvent.objects.filter(event_type="personal_data.reveal")
    assert [(e.object_id, e.actor, e.data["channel"]) for e in events] == [
        (str(world.customer_a.pk), world.users["agent"], "api")]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_excel_export_is_masked(world, client_for, role):
    response = client_for(role).get(reverse("estates:customer_list"), {"export": "xlsx"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [str(c.value) for row in wb.active.iter_rows() for c in row if c.value is not None]
    assert MOBILE_MASKED in cells
    for value in _plain_values(world):
        assert value not in " ".join(cells)
    assert AuditEvent.objects.filter(event_type="list.export", actor=world.users[role]).exists()


def test_reveal_writes_an_audit_event(world, client_for):
    response = client_for("agent").post(reverse("estates:customer_reveal", args=[world.customer_a.pk, "id_number"]))
    assert response.status_code == 200
    assert world.customer_a.id_number in response.content.decode()
    event = AuditEvent.objects.get(event_type="personal_data.reveal")
    assert event.actor == world.users["agent"] and event.object_id == str(world.customer_a.pk)
    assert event.data == {"field": "id_number", "channel": "web"} and event.estate_id == world.estate_a.pk


def test_reveal_button_only_for_those_who_may(world, client_for):
    url = reverse("estates:customer", args=[world.customer_a.pk])
    reveal = reverse("estates:customer_reveal", args=[world.customer_a.pk, "mobile"])
    assert reveal in client_for("agent").get(url).content.decode()
    assert reveal not in client_for("executive").get(url).content.decode()
    assert client_for("executive").post(reveal).status_code == 403
    assert client_for("agent").post(reverse("estates:customer_reveal", args=[world.customer_a.pk, "name"])
                                    ).status_code == 404
    assert not AuditEvent.objects.filter(event_type="personal_data.reveal").exists()


def test_id_number_is_not_stored_in_plain_text(world):
    plain = world.customer_a.id_number
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_number_digest FROM estates_customer WHERE id = %s", [world.customer_a.pk])
        stored, stored_digest = cursor.fetchone()
        cursor.execute("SELECT id_number FROM estates_historicalcustomer WHERE id = %s", [world.customer_a.pk])
        history = [row[0] for row in cursor.fetchall()]
    assert stored and plain not in stored and plain[-4:] not in stored_digest
    assert history and all(plain not in value for value in history)
    world.customer_a.refresh_from_db()
    assert world.customer_a.id_number == plain


def test_admin_masks_the_list_and_audits_the_form(world, client):
    from django.contrib.auth.models import User

    boss = User.objects.create_superuser("root", "root@example.com", "pw-test-123")
    client.force_login(boss)
    page = client.get(reverse("admin:estates_customer_changelist")).content.decode()
    assert MOBILE_MASKED in page and MOBILE not in page
    assert client.get(reverse("admin:estates_customer_change", args=[world.customer_a.pk])).status_code == 200
    assert AuditEvent.objects.filter(event_type="personal_data.reveal", actor=boss, data__channel="admin").exists()
