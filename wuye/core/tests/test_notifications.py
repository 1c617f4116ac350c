"""In-app notifications: idempotent sending, the bell, the private list, marking read, email when asked."""

import pytest
from django.core import mail
from django.urls import reverse

from wuye.core.models import Notification
from wuye.core.notifications import notify, unread_count

pytestmark = pytest.mark.django_db


def test_notify_is_idempotent_per_key(world):
    agent, manager = world.users["agent"], world.users["cs_manager"]
    assert len(notify([agent, manager], key="k1", title="逾期")) == 2
    assert notify([agent, manager], key="k1", title="逾期") == []
    assert len(notify([agent], key="k2", title="另一条")) == 1
    assert Notification.objects.filter(recipient=agent).count() == 2
    assert unread_count(agent) == 2


def test_email_only_when_asked_and_after_commit(world, django_capture_on_commit_callbacks):
    agent = world.users["agent"]
    agent.email = "agent@example.com"
    agent.save()
    notify([agent], key="quiet", title="无邮件")
    with django_capture_on_commit_callbacks(execute=True):
        notify([agent], key="loud", title="工单逾期", url="/tickets/1/", email=True)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["agent@example.com"]
    assert "/tickets/1/" in mail.outbox[0].body


def test_bell_list_and_read(world, client_for):
    agent = world.users["agent"]
    note = notify([agent], key="k", title="派单给你：GD-1", url="/tickets/")[0]
    notify([world.users["cs_manager"]], key="k", title="经理的通知")
    client = client_for("agent")
    page = client.get(reverse("home")).content.decode()
    assert 'id="notification-bell"' in page and "text-bg-danger" in page
    listing = client.get(reverse("core:notification_list")).content.decode()
    assert "派单给你：GD-1" in listing and "经理的通知" not in listing
    response = client.post(reverse("core:notification_read", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/tickets/"
    assert unread_count(agent) == 0
    # someone else's notification cannot be read or marked
    other = Notification.objects.get(recipient=world.users["cs_manager"])
    assert client.post(reverse("core:notification_read", args=[other.pk])).status_code == 404
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_unsafe_link_is_not_followed(world, client_for):
    note = notify([world.users["agent"]], key="x", title="t", url="https://evil.example.com/")[0]
    response = client_for("agent").post(reverse("core:notification_read", args=[note.pk]))
    assert response["Location"] == "/core/notifications/"
