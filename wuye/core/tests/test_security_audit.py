"""Audit rows cannot be changed or deleted through any page, API operation or admin action.

The URL walk finds every view (page or API) whose model is ``AuditEvent`` — today the audit list page; an API or a
page added later is found the same way — and tries every writing method on it as a superuser and as every role.
The admin's change, delete and add forms and its delete action are tried as a superuser. After each attempt the
row is compared with what it was.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from wuye.core.audit import audit
from wuye.core.models import AuditEvent
from wuye.core.roles import Role

WRITES = ("post", "put", "patch", "delete")
TAMPER = {"event_type": "tampered", "object_repr": "tampered", "data": '{"x": 1}', "actor": "", "ip": "10.0.0.1"}


def _walk(patterns=None, namespace=None):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, ":".join(filter(None, [namespace, p.namespace])) or None)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}:{p.name}" if namespace and p.name else p.name), p


def _model_of(callback):
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is None:
        return None
    initkwargs = {**getattr(callback, "initkwargs", {}), **getattr(callback, "view_initkwargs", {})}
    for attr in ("model", "queryset"):
        value = initkwargs.get(attr, getattr(cls, attr, None))
        model = value if isinstance(value, type) else getattr(value, "model", None)
        if isinstance(model, type):
            return model
    serializer = getattr(cls, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def _audit_urls(event) -> list[tuple[str, str, bool]]:
    """(name, URL, is_api) of every non-admin URL pattern whose view works on AuditEvent."""
    found = []
    for name, pattern in _walk():
        if not name or name.startswith("admin:"):
            continue
        if _model_of(pattern.callback) is not AuditEvent:
            continue
        params = list(getattr(pattern.pattern, "converters", {}) or {}) or list(pattern.pattern.regex.groupindex)
        kwargs = {p: ("json" if p == "format" else event.pk) for p in params}
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        found.append((name, url, hasattr(pattern.callback, "cls")))
    return found


def _snapshot(event) -> dict:
    row = AuditEvent.objects.get(pk=event.pk)
    return {**model_to_dict(row), "occurred_at": row.occurred_at}


@pytest.fixture
def event(world):
    return audit("test.event", actor=world.users["agent"], obj=world.customer_a, field="mobile")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("t_root", "root@example.com", "pw-root-123456")


@pytest.mark.django_db
def test_audit_views_are_found():
    names = {name for name, pattern in _walk() if _model_of(pattern.callback) is AuditEvent}
    assert "core:auditevent_list" in names


@pytest.mark.django_db
def test_no_page_or_api_operation_writes_an_audit_row(world, event, superuser):
    before = _snapshot(event)
    count = AuditEvent.objects.count()
    urls = _audit_urls(event)
    assert urls
    problems = []
    users = [superuser, *(world.users[r.value] for r in Role)]
    for user in users:
        for name, url, is_api in urls:
            client = APIClient() if is_api else Client()
            client.raise_request_exception = False
            client.force_login(user)
            for method in WRITES:
                kwargs = {"data": TAMPER}
                if is_api or method != "post":
                    kwargs["format" if is_api else "content_type"] = "json" if is_api else "application/json"
                response = getattr(client, method)(url, **kwargs)
                if 200 <= response.status_code < 300 or response.status_code >= 500:
                    problems.append(f"{method.upper()} {url} ({name}) as {user.username}: {response.status_code}")
                assert _snapshot(event) == before, (method, url, user.username)
    assert not problems, problems
    # a refused write may have been audited itself, but no row went away
    assert AuditEvent.objects.count() >= count
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_admin_cannot_change_add_or_delete_audit_rows(event, superuser):
    client = Client()
    client.force_login(superuser)
    before = _snapshot(event)
    change = reverse("admin:core_auditevent_change", args=[event.pk])
    delete = reverse("admin:core_auditevent_delete", args=[event.pk])
    changelist = reverse("admin:core_auditevent_changelist")

    # the change page shows the row read-only: no form fields, no save button
    page = client.get(change)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="event_type"' not in html and 'name="_save"' not in html
    response = client.post(change, {**TAMPER, "_save": "1"})
    assert response.status_code == 403
    assert _snapshot(event) == before

    for response in (client.get(delete), client.post(delete, {"post": "yes"})):
        assert response.status_code == 403
    assert _snapshot(event) == before

    response = client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    assert _snapshot(event) == before
    assert "delete_selected" not in client.get(changelist).content.decode()

    add = reverse("admin:core_auditevent_add")
    assert client.get(add).status_code == 403
    count = AuditEvent.objects.count()
    assert client.post(add, {**TAMPER, "occurred_at_0": "2026-01-01", "occurred_at_1": "00:00"}).status_code == 403
    assert AuditEvent.objects.count() == count


@pytest.mark.django_db
def test_admin_history_of_other_models_cannot_delete_audit_rows(world, event, superuser):
    """Deleting an object the audit row points at is refused (PROTECT), so the row cannot go that way either."""
    client = Client()
    client.raise_request_exception = False
    client.force_login(superuser)
    user = world.users["agent"]  # the event's actor: PROTECT keeps the user and so the row
    before = _snapshot(event)
    client.post(reverse("admin:auth_user_delete", args=[user.pk]), {"post": "yes"})
    client.post(reverse("admin:auth_user_changelist"),
                {"action": "delete_selected", "_selected_action": [user.pk], "post": "yes"})
    assert get_user_model().objects.filter(pk=user.pk).exists()
    assert _snapshot(event) == before
