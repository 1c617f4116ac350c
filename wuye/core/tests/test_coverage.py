"""Deny by default, checked over every URL of the project (config.urls, recursively).

(a) Every view declares who may open it:
    - a ``wuye.core.views.generic.BaseView`` says ``login_only = True`` or resolves to a permission that exists;
    - a DRF view uses ``RestrictedPermission`` and every action it routes resolves to a permission that exists,
      or it declares its own permission classes explicitly (never ``AllowAny``);
    - anything else is one of the few framework views in ``WHITELIST``.
(b) Every named URL of a wuye app namespace (``org``, ``estates``, ``core``, … and ``api``) is exercised by some
    app's permission matrix: it appears as ``Route.name`` in a ``wuye/<app>/tests/test_permissions.py`` ``CASES``.

A new view without an explicit permission, or without a matrix entry, fails here.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser, Permission
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from wuye.core.api.permissions import RestrictedPermission, required_permission
from wuye.core.views.generic import BaseView

# Framework views that carry no permission of their own, each with its reason. Keep this list short.
WHITELIST = {
    "login": "the login form itself",
    "logout": "POST only; ends the caller's own session",
    "password_change": "Django's view, login required; changes the caller's own password",
    "password_change_done": "Django's view, login required",
    "set_language": "stores the caller's language choice",
    "javascript-catalog": "translations for scripts; no data",
    "api:api-root": "IsAuthenticated; lists the endpoint URLs, no data",
    "api-schema": "IsAuthenticated; the API description, no data (test_schema.py)",
    "api-docs": "IsAuthenticated; the Swagger page, no data (test_schema.py)",
    "surveys:answer": "a household's personal survey link: no login, its one-time key is the credential",
    "surveys:answer_done": "the thank-you page of that link (same key, shows no answers)",
}
WHITELISTED_NAMESPACES = {
    "admin": "Django admin: is_staff and Django's model permissions (ModelAdmin)",
}


@dataclass(frozen=True)
class Endpoint:
    route: str
    name: str | None          # "namespace:name" or "name"
    namespace: str | None     # the full namespace path, e.g. "org" or "api"
    pattern: URLPattern

    @property
    def id(self) -> str:
        return f"{self.name or '<unnamed>'} {self.route}"


def walk(patterns, prefix: str = "", namespace: str | None = None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace])) or None
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield Endpoint(prefix + str(p.pattern), name, namespace, p)


def _dedupe(endpoints):
    seen, out = set(), []
    for e in endpoints:  # DRF's format-suffix patterns repeat a route with ".json": one entry is enough
        key = (e.name, e.pattern.callback)
        if e.name and key in seen:
            continue
        seen.add(key)
        out.append(e)
    return out


ENDPOINTS = _dedupe(walk(get_resolver().url_patterns))
WUYE_NAMESPACES = {c.label for c in apps.get_app_configs() if c.name.startswith("wuye.")} | {"api"}


def _whitelisted(e: Endpoint) -> bool:
    return e.name in WHITELIST or (e.namespace or "").split(":")[0] in WHITELISTED_NAMESPACES


def _url_kwargs(pattern: URLPattern) -> dict:
    names = list(getattr(pattern.pattern, "converters", {}) or {}) or list(pattern.pattern.regex.groupindex)
    return {name: 1 for name in names if name != "format"}


def _assert_permission_exists(perm, where: str):
    assert perm, f"{where}: no permission (set permission_required / action_permissions, or login_only = True)"
    assert isinstance(perm, str) and perm.count(".") == 1, f"{where}: {perm!r} is not 'app_label.codename'"
    app_label, codename = perm.split(".")
    assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), (
        f"{where}: permission {perm!r} does not exist")


def _check_base_view(e: Endpoint, view_class, initkwargs):
    if view_class.login_only:
        return
    view = view_class(**initkwargs)
    view.request = RequestFactory().get("/")
    view.request.user = AnonymousUser()
    view.args, view.kwargs = (), _url_kwargs(e.pattern)
    try:
        perm = view.get_permission_required()
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"{e.id}: {view_class.__qualname__}.get_permission_required() cannot be resolved "
                    f"without a request ({exc!r}); declare the permission statically")
    _assert_permission_exists(perm, f"{e.id} ({view_class.__qualname__})")


def _declares_permission_classes(cls, initkwargs) -> bool:
    if "permission_classes" in initkwargs:
        return True
    return any("permission_classes" in klass.__dict__ for klass in cls.__mro__
               if klass.__module__.startswith(("wuye.", "config.")))


def _check_drf_view(e: Endpoint, callback):
    cls, initkwargs = callback.cls, dict(callback.initkwargs)
    actions = getattr(callback, "actions", None) or {m: None for m in ("get", "post", "put", "patch", "delete")
                                                         if hasattr(cls, m)}
    for method, action in actions.items():
        view = cls(**initkwargs)
        view.action = action
        view.args, view.kwargs = (), _url_kwargs(e.pattern)
        view.request, view.format_kwarg = None, None
        permissions = view.get_permissions()
        where = f"{e.id} ({cls.__qualname__}, {method.upper()} {action or ''})"
        assert permissions, f"{where}: no permission classes"
        assert not any(isinstance(p, AllowAny) for p in permissions), f"{where}: AllowAny"
        if any(isinstance(p, RestrictedPermission) for p in permissions):
            _assert_permission_exists(required_permission(view), where)
        else:
            assert _declares_permission_classes(cls, initkwargs), (
                f"{where}: neither RestrictedPermission nor explicitly declared permission_classes")


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.id for e in ENDPOINTS])
def test_every_view_declares_its_permission(endpoint: Endpoint):
    if _whitelisted(endpoint):
        return
    callback = endpoint.pattern.callback
    view_class = getattr(callback, "view_class", None)
    if getattr(callback, "cls", None) is not None and issubclass(callback.cls, APIView):
        _check_drf_view(endpoint, callback)
    elif view_class is not None and issubclass(view_class, BaseView):
        _check_base_view(endpoint, view_class, getattr(callback, "view_initkwargs", {}))
    else:
        pytest.fail(f"{endpoint.id}: {getattr(view_class or callback, '__qualname__', callback)!r} is neither a "
                    "wuye BaseView nor a DRF view with a permission; build it on wuye.core.views.generic.BaseView "
                    "(or add it to WHITELIST with a reason, if it is a framework view)")


def test_whitelist_names_only_existing_urls():
    names = {e.name for e in ENDPOINTS}
    assert set(WHITELIST) <= names, set(WHITELIST) - names


# --- (b) every named URL of a wuye namespace is in some app's permission matrix ------------------------------


def matrix_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("wuye."):
            continue
        module_name = f"{config.name}.tests.test_permissions"
        if importlib.util.find_spec(f"{config.name}.tests") and importlib.util.find_spec(module_name):
            yield importlib.import_module(module_name)


@pytest.fixture(scope="module")
def matrix_names() -> set[str]:
    names = set()
    for module in matrix_modules():
        names.update(route.name for route in getattr(module, "CASES", ()))
    return names


MATRIX_ENDPOINTS = [e for e in ENDPOINTS
                    if (e.namespace or "").split(":")[0] in WUYE_NAMESPACES and not _whitelisted(e)]


@pytest.mark.parametrize("endpoint", MATRIX_ENDPOINTS, ids=[e.id for e in MATRIX_ENDPOINTS])
def test_every_url_is_in_a_permission_matrix(endpoint: Endpoint, matrix_names):
    assert endpoint.name and endpoint.pattern.name, f"{endpoint.id}: give this URL a name"
    app = endpoint.name.split(":")[0] if endpoint.namespace != "api" else "<app>"
    assert endpoint.name in matrix_names, (
        f"{endpoint.name} ({endpoint.route}) is in no permission matrix: add a Route('{endpoint.name}', …) "
        f"to CASES in wuye/{app}/tests/test_permissions.py")


def test_matrix_names_exist(matrix_names):
    """A CASES entry for a URL name that does not exist is a typo (and tests nothing)."""
    names = {e.name for e in ENDPOINTS}
    assert matrix_names <= names, sorted(matrix_names - names)
