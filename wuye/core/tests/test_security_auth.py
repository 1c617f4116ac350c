"""Login and session hardening (docs/security.md): lockout after failed logins (django-axes), password rules,
a new session at login, the idle timeout of staff sessions.

Everything goes through the real login and password-change pages; the clock is moved by ageing the stored
times (axes' attempt times, the session's last activity), never by patching code we ship.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from wuye.core.security import LAST_ACTIVITY_KEY, client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "pw-test-123"  # the factories' password (wuye/org/tests/factories.py)


@pytest.fixture
def axes_on(settings):
    """The test settings switch axes off (Client.login() has no request); these tests run it as production does."""
    settings.AXES_ENABLED = True


def login(client: Client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def age_attempts(minutes: int) -> None:
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes))


# --- lockout -------------------------------------------------------------------------------------------------


def test_lockout_defaults_are_five_failures_and_thirty_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert "wuye.core.auth.WuyeModelBackend" in settings.AUTHENTICATION_BACKENDS
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_five_failures_lock_the_user_name_even_against_the_right_password(world, axes_on):
    client = Client()
    username = world.users["agent"].username
    for attempt in range(1, 5):
        response = login(client, username, f"wrong-{attempt}")
        assert response.status_code == 200, attempt  # the form again, with its error
        assert not logged_in(client)
    assert login(client, username, "wrong-5").status_code == 429  # the fifth failure locks

    response = login(client, username, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    body = response.content.decode()
    with translation.override("zh-hans"):
        assert gettext("Login locked") in body
        assert ngettext("Try again in %(minutes)s minute.", "Try again in %(minutes)s minutes.", 30) % {
            "minutes": 30} in body
    assert AccessAttempt.objects.get(username=username).failures_since_start >= 6

    # the page in English
    response = login(Client(), username, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Login locked" in response.content.decode() and "Try again in 30 minutes." in response.content.decode()


def test_the_lockout_is_per_user_name_and_address(world, axes_on):
    client = Client()
    agent, manager = world.users["agent"].username, world.users["cs_manager"].username
    for attempt in range(5):
        login(client, agent, f"wrong-{attempt}")
    assert login(client, agent, PASSWORD).status_code == 429

    other_user = Client()
    assert login(other_user, manager, PASSWORD).status_code == 302
    assert logged_in(other_user)

    other_address = Client(REMOTE_ADDR="10.20.30.40")
    assert login(other_address, agent, PASSWORD).status_code == 302
    assert logged_in(other_address)


def test_the_lock_lifts_after_the_cool_off_time(world, axes_on):
    username = world.users["agent"].username
    client = Client()
    for attempt in range(5):
        login(client, username, f"wrong-{attempt}")

    age_attempts(29)
    assert login(client, username, PASSWORD).status_code == 429  # still locked (and the wait starts again)
    age_attempts(29)
    assert login(client, username, PASSWORD).status_code == 429

    age_attempts(31)
    response = login(client, username, PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_a_success_before_the_limit_starts_the_count_again(world, axes_on):
    username = world.users["agent"].username
    for attempt in range(4):
        login(Client(), username, f"wrong-{attempt}")
    assert login(Client(), username, PASSWORD).status_code == 302
    for attempt in range(4):
        assert login(Client(), username, f"wrong-again-{attempt}").status_code == 200
    assert login(Client(), username, PASSWORD).status_code == 302


def test_an_administrator_unlocks_in_the_admin(world, axes_on):
    username = world.users["agent"].username
    for attempt in range(5):
        login(Client(), username, f"wrong-{attempt}")
    assert login(Client(), username, PASSWORD).status_code == 429

    admin = User.objects.create_superuser("~root", password="Root-pw-0123456789")
    client = Client()
    client.force_login(admin)
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = client.get(changelist)
    assert page.status_code == 200 and username in page.content.decode()
    pks = list(AccessAttempt.objects.filter(username=username).values_list("pk", flat=True))
    response = client.post(changelist, {"action": "delete_selected", "_selected_action": pks, "post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=username).exists()

    assert login(Client(), username, PASSWORD).status_code == 302


def test_failed_logins_are_audited_while_locked(world, axes_on):
    from wuye.core.models import AuditEvent

    username = world.users["agent"].username
    for attempt in range(6):
        login(Client(), username, f"wrong-{attempt}")
    assert AuditEvent.objects.filter(event_type="auth.login_failed").count() >= 6


# --- client address behind proxies -----------------------------------------------------------------------------


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), [
    (0, "", "192.0.2.1"),
    (0, "203.0.113.9", "192.0.2.1"),              # no proxy trusted: the header is ignored
    (1, "", "192.0.2.1"),                         # no header: the peer
    (1, "203.0.113.9", "203.0.113.9"),            # nginx appended the client
    (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),   # a forged entry on the left is not trusted
    (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),  # load balancer + nginx
    (2, "203.0.113.9", "192.0.2.1"),              # fewer entries than proxies: the peer
])
def test_client_ip_trusts_only_the_entries_of_known_proxies(settings, proxies, forwarded, expected):
    settings.WUYE_TRUSTED_PROXY_COUNT = proxies
    extra = {"REMOTE_ADDR": "192.0.2.1"}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **extra)) == expected


def test_a_forged_forwarded_header_does_not_escape_the_lockout(world, axes_on, settings):
    settings.WUYE_TRUSTED_PROXY_COUNT = 1
    username = world.users["agent"].username
    for attempt in range(5):
        login(Client(), username, f"wrong-{attempt}", HTTP_X_FORWARDED_FOR=f"6.6.6.{attempt}, 203.0.113.9")
    response = login(Client(), username, PASSWORD, HTTP_X_FORWARDED_FOR="7.7.7.7, 203.0.113.9")
    assert response.status_code == 429
    assert login(Client(), username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 302


# --- password rules ---------------------------------------------------------------------------------------------


def test_password_validators():
    by_name = {v["NAME"]: v.get("OPTIONS", {}) for v in settings.AUTH_PASSWORD_VALIDATORS}
    django = "django.contrib.auth.password_validation."
    assert set(by_name) == {f"{django}UserAttributeSimilarityValidator", "wuye.core.security.MinimumLengthValidator",
                            f"{django}CommonPasswordValidator", f"{django}NumericPasswordValidator"}
    assert by_name["wuye.core.security.MinimumLengthValidator"] == {"min_length": 10}


@pytest.mark.parametrize(("password", "message"), [
    ("Ab3$xyz", "密码太短，至少需要 10 个字符。"),
    ("t_agent12345", "密码跟 用户名 太相似了。"),
    ("password123", "这个密码太常见了。"),
    ("8302917465", "密码只包含数字。"),
], ids=["short", "like-user-name", "common", "numeric"])
def test_weak_passwords_are_refused_in_chinese(world, password, message):
    user = world.users["agent"]
    client = Client()
    client.force_login(user)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.check_password(password)


def test_a_strong_password_is_accepted_and_the_user_stays_logged_in(world):
    user = world.users["agent"]
    client = Client()
    client.force_login(user)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Lh7#quiet-river", "new_password2": "Lh7#quiet-river"})
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Lh7#quiet-river")
    assert client.get(reverse("home")).status_code == 200


# --- session ---------------------------------------------------------------------------------------------------


def test_login_starts_a_new_session_and_csrf_token(world):
    client = Client()
    session = client.session  # an anonymous session (e.g. one planted by an attacker)
    session["probe"] = "before login"
    session.save()
    before = session.session_key
    client.get(reverse("login"))
    csrf_before = client.cookies[settings.CSRF_COOKIE_NAME].value

    response = login(client, world.users["agent"].username, PASSWORD)
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.filter(session_key=after).exists()
    assert client.session["probe"] == "before login"  # the data moved with the new key
    assert client.cookies[settings.CSRF_COOKIE_NAME].value != csrf_before


def _set_last_activity(client: Client, seconds_ago: int) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_idle_staff_are_logged_out(world):
    assert settings.WUYE_STAFF_IDLE_MINUTES == 30
    client = Client()
    client.force_login(world.users["agent"])
    assert client.get(reverse("home")).status_code == 200
    assert isinstance(client.session[LAST_ACTIVITY_KEY], int)

    _set_last_activity(client, 31 * 60)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not logged_in(client)
    page = client.get(response["Location"])
    with translation.override("zh-hans"):
        expected = gettext("You were logged out after %(minutes)d minutes without activity. Please log in again.")
    assert expected % {"minutes": 30} in page.content.decode()


def test_active_staff_stay_logged_in(world):
    client = Client()
    client.force_login(world.users["cs_manager"])
    _set_last_activity(client, 29 * 60)
    assert client.get(reverse("home")).status_code == 200
    assert logged_in(client)
    assert int(time.time()) - client.session[LAST_ACTIVITY_KEY] < 60  # the request counted as activity


def test_idle_staff_lose_the_api_session_too(world):
    client = Client()
    client.force_login(world.users["agent"])
    _set_last_activity(client, 31 * 60)
    response = client.get("/api/v1/")
    assert response.status_code in (401, 403)
    assert not logged_in(client)


def test_the_idle_limit_comes_from_the_settings(world, settings):
    settings.WUYE_STAFF_IDLE_MINUTES = 5
    client = Client()
    client.force_login(world.users["agent"])
    _set_last_activity(client, 4 * 60)
    assert client.get(reverse("home")).status_code == 200
    _set_last_activity(client, 6 * 60)
    assert client.get(reverse("home")).status_code == 302
    assert not logged_in(client)


def test_residents_keep_the_normal_session_age(world):
    client = Client()
    client.force_login(world.users["resident"])
    _set_last_activity(client, 5 * 60 * 60)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert logged_in(client)
    assert response.redirect_chain and reverse("portal:home") in response.redirect_chain[-1][0]
