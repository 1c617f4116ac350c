"""AuditEvent is append-only: in the ORM and in SQL."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction

from wuye.core.audit import audit
from wuye.core.models import AuditEvent


@pytest.mark.django_db
def test_audit_records_actor_object_and_estate(world):
    event = audit("personal_data.reveal", actor=world.users["agent"], obj=world.customer_a, field="mobile")
    event.refresh_from_db()
    assert event.actor == world.users["agent"]
    assert event.object_id == str(world.customer_a.pk)
    assert event.estate_id == world.estate_a.pk
    assert event.data == {"field": "mobile"}


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted(world):
    event = audit("test.event", actor=world.users["admin"])
    event.event_type = "tampered"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(event_type="tampered")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET event_type = 'tampered' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).event_type == "test.event"


@pytest.mark.django_db
def test_login_is_audited(world, client):
    assert client.login(username="t_agent", password="pw-test-123")
    assert AuditEvent.objects.filter(event_type="auth.login", actor=world.users["agent"]).exists()
    assert not client.login(username="t_agent", password="wrong")
    assert AuditEvent.objects.filter(event_type="auth.login_failed", data__username="t_agent").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("proxies, forwarded, recorded", [
    (0, "203.0.113.9", "127.0.0.1"),                   # no trusted proxy: the header is the client's own words
    (1, "203.0.113.9, 198.51.100.7", "198.51.100.7"),  # nginx appended the last entry; the first one is forged
    (2, "203.0.113.9, 198.51.100.7, 10.0.0.2", "198.51.100.7"),  # a load balancer and nginx
])
def test_the_audit_trail_records_the_address_the_trusted_proxies_saw(world, settings, proxies, forwarded, recorded):
    from django.test import Client

    settings.WUYE_TRUSTED_PROXY_COUNT = proxies
    client = Client(REMOTE_ADDR="127.0.0.1")
    client.post("/accounts/login/", {"username": "t_agent", "password": "wrong"}, HTTP_X_FORWARDED_FOR=forwarded)
    event = AuditEvent.objects.get(event_type="auth.login_failed", data__username="t_agent")
    assert event.ip == recorded
