"""CSRF on every state-changing request (docs/security.md).

Every POST route of every app's permission matrix (``wuye/<app>/tests/test_permissions.py`` ``CASES``, the same
collection ``test_coverage.py`` checks for completeness, so a new app's forms are covered without a change here)
is posted by a role allowed to do it, with a client that enforces CSRF checks as browsers meet them:

- without a token: 403 from the CSRF check, and not one INSERT/UPDATE/DELETE reached the database (apart from
  the caller's own session row);
- with the token read from the form page (pages) or the CSRF cookie sent as ``X-CSRFToken`` (session-authenticated
  API calls, which DRF's ``SessionAuthentication`` checks): the answer the matrix expects.

The framework's own forms (login, logout, password change, language) and the absence of ``csrf_exempt`` outside
the API are checked as well.
"""

from __future__ import annotations

import importlib
import importlib.util
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.test import APIClient
from rest_framework.views import APIView

from wuye.core.testing.matrix import ALL_ROLES, Route

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
TOKEN_IN_FORM = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _matrix_cases() -> list[Route]:
    cases = []
    for config in apps.get_app_configs():
        if not config.name.startswith("wuye."):
            continue
        module_name = f"{config.name}.tests.test_permissions"
        if importlib.util.find_spec(f"{config.name}.tests") and importlib.util.find_spec(module_name):
            cases.extend(getattr(importlib.import_module(module_name), "CASES", ()))
    return cases


UNSAFE = ("post", "put", "patch", "delete")
POST_CASES = [c for c in _matrix_cases() if c.method in UNSAFE and set(c.allowed) & set(ALL_ROLES)]
POST_IDS = [f"{c}#{i}" for i, c in enumerate(POST_CASES)]


def _role(case: Route) -> str:
    return next(r for r in ALL_ROLES if r in case.allowed)


def _writes(queries) -> list[str]:
    """Statements that change data, apart from the caller's own session row (any request may touch it)."""
    return [q["sql"] for q in queries if WRITE.match(q["sql"]) and "django_session" not in q["sql"]]


def _send(client, case: Route, url: str, data, token: str | None):
    kwargs = {}
    if case.api:
        if data is not None:
            kwargs["data"] = data
            kwargs["format"] = "json"
        if token:
            kwargs["HTTP_X_CSRFTOKEN"] = token
    else:
        data = dict(data or {})
        if token:
            data["csrfmiddlewaretoken"] = token
        kwargs["data"] = data
    return getattr(client, case.method)(url, **kwargs)


def _rewind(data) -> None:
    """Uploaded files in the data were read by the refused request: back to their start."""
    for value in (data or {}).values() if isinstance(data, dict) else ():
        for item in value if isinstance(value, list | tuple) else [value]:
            if hasattr(item, "seek"):
                item.seek(0)


def _token(client, case: Route, url: str) -> str:
    """The token a browser would have: from the form page when the route shows one, else the CSRF cookie that
    every page of the site sets (the menu's logout form)."""
    if not case.api:
        page = client.get(url)
        if page.status_code == 200:
            found = TOKEN_IN_FORM.search(page.content.decode(errors="replace"))
            if found:
                return found.group(1)
    if settings.CSRF_COOKIE_NAME not in client.cookies:
        client.get(reverse("home"), follow=True)
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def test_the_matrices_declare_state_changing_routes():
    assert len(POST_CASES) > 50, len(POST_CASES)
    assert any(c.api for c in POST_CASES) and any(not c.api for c in POST_CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("case", POST_CASES, ids=POST_IDS)
def test_unsafe_request_needs_the_csrf_token(case: Route, world):
    role = _role(case)
    client = (APIClient if case.api else Client)(enforce_csrf_checks=True)
    client.force_login(world.users[role])
    client.get(reverse("home"), follow=True)  # a browser has been on the site: it holds the CSRF cookie

    url = case.url(world)
    data = case.data(world) if case.data is not None else None
    with CaptureQueriesContext(connection) as queries:
        refused = _send(client, case, url, data, token=None)
    assert refused.status_code == 403, (url, role, refused.status_code)
    assert b"CSRF" in refused.content, (url, role, refused.content[:300])
    assert not _writes(queries.captured_queries), (url, role, _writes(queries.captured_queries))

    token = _token(client, case, url)
    _rewind(data)  # the same data again (a second call of case.data could clash with the objects it made)
    accepted = _send(client, case, url, data, token=token)
    assert accepted.status_code in case.ok, (url, role, accepted.status_code, accepted.content[:600])


@pytest.mark.django_db
def test_session_api_call_needs_the_csrf_token_and_a_token_client_does_not(world, client_for):
    """The one API example spelled out: a session-authenticated create is refused without the header, accepted
    with it; a client authenticated by an API token (no ambient cookie to abuse) sends none."""
    from rest_framework.authtoken.models import Token

    url = reverse("api:estates-building-list")
    payload = {"estate": world.estate_a.pk, "number": "12"}
    user = world.users["cs_manager"]

    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get(reverse("home"))
    refused = browser.post(url, payload, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    accepted = browser.post(url, payload, format="json",
                            HTTP_X_CSRFTOKEN=browser.cookies[settings.CSRF_COOKIE_NAME].value)
    assert accepted.status_code == 201, accepted.content

    script = APIClient(enforce_csrf_checks=True)
    script.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert script.post(url, {**payload, "number": "13"}, format="json").status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["login", "logout", "password_change", "set_language"])
def test_framework_forms_need_the_csrf_token(name, world):
    client = Client(enforce_csrf_checks=True)
    if name != "login":
        client.force_login(world.users["agent"])
    data = {"login": {"username": world.users["agent"].username, "password": "pw-test-123"},
            "logout": {},
            "password_change": {"old_password": "pw-test-123", "new_password1": "Lh7#quiet-river",
                                "new_password2": "Lh7#quiet-river"},
            "set_language": {"language": "en"}}[name]
    response = client.post(reverse(name), data)
    assert response.status_code == 403 and b"CSRF" in response.content
    if name == "password_change":
        world.users["agent"].refresh_from_db()
        assert world.users["agent"].check_password("pw-test-123")
    if name == "logout":
        assert "_auth_user_id" in client.session


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def test_only_api_views_are_csrf_exempt_and_they_check_it_for_sessions():
    """DRF marks its views csrf_exempt and checks CSRF itself in SessionAuthentication; nothing else may opt out,
    and no API view may authenticate by session without that check."""
    offenders = []
    for route, callback in _walk(get_resolver().url_patterns):
        cls = getattr(callback, "cls", None)
        if cls is not None and issubclass(cls, APIView):
            for auth in getattr(cls, "authentication_classes", ()):
                if issubclass(auth, SessionAuthentication):
                    if auth.enforce_csrf is not SessionAuthentication.enforce_csrf:
                        offenders.append(f"{route}: {auth.__qualname__} overrides enforce_csrf")
                elif not issubclass(auth, TokenAuthentication):
                    offenders.append(f"{route}: {auth.__qualname__} is neither session (with CSRF) nor token")
        elif getattr(callback, "csrf_exempt", False):
            offenders.append(f"{route}: csrf_exempt")
    assert not offenders, offenders
