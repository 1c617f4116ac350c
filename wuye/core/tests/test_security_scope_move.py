"""Moving an object into an estate outside one's scope is refused and changes nothing.

Enumerated from every app's permission matrix (``CASES`` of ``wuye/<app>/tests/test_permissions.py``), so a later
app is covered without touching this file:

- every edit page (a GET route named ``<app>:<model>_edit``) and every API object (a GET route named
  ``api:<app>-<model>-detail``, patched with PATCH);
- the object is the one the route's ``url`` builds in estate A; the fields that move it are its model's foreign
  keys and many-to-many fields to estate-scoped models (``Estate`` itself, or any model declaring
  ``scope_estate``: building, unit, customer, committee, contract, ticket, …) that the page's form or the API's
  serializer lets one write;
- a user scoped to estate A submits the object's own values with every such field set to its counterpart in
  estate B. Two users: the customer-service agent (the project's scoped role, where the route allows it) and an
  "estate manager", who holds every permission any staff role has except ``core.view_all_estates`` and serves
  estate A only — so every edit route a role may use is tried by someone scoped;
- expected: a refusal (the form again with an error on a moved field, 400 naming a moved field, or 403/404) and
  the row — every column and every many-to-many set — exactly as before.

A route whose form or serializer offers no such field is not applicable (``skip`` with the reason); the test at
the end checks that the enumeration found enough to be worth something.
"""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from django.db import models, transaction
from django.forms import BaseFormSet, CheckboxInput, FileInput, ModelMultipleChoiceField, MultiWidget
from django.test import Client
from django.urls import resolve
from rest_framework import serializers
from rest_framework.test import APIClient

from wuye.core.roles import Role, collect_grants
from wuye.core.scope import ALL_ESTATES_PERMISSION, forget
from wuye.core.tests.test_coverage import matrix_modules

ESTATE_MANAGER = "estate_manager"


def _scoped_models():
    from django.apps import apps

    return {m for m in apps.get_models() if getattr(m, "scope_estate", None)}


def _moving_fields(model) -> list[models.Field]:
    """The model's foreign keys and many-to-many fields to estate-scoped models (Estate included)."""
    scoped = _scoped_models()
    return [f for f in model._meta.get_fields()
            if f.concrete and (f.many_to_one or f.many_to_many or f.one_to_one) and f.related_model in scoped
            and not f.auto_created]


def _routes():
    pages, api = {}, {}
    for module in matrix_modules():
        for route in getattr(module, "CASES", ()):
            if route.method != "get":
                continue
            if route.api and route.name.endswith("-detail"):
                api.setdefault(route.name, route)
            elif not route.api and route.name.endswith("_edit"):
                pages.setdefault(route.name, route)
    return sorted(pages.values(), key=str), sorted(api.values(), key=str)


def _viewset(name: str):
    from config.api_router import router

    basename = name.removeprefix("api:").removesuffix("-detail").removesuffix("-list")
    return next((viewset for _prefix, viewset, base in router.registry if base == basename), None)


def _api_writes(viewset, instance=None, action="partial_update", request=None) -> dict[str, str]:
    """{model field: serializer field} of the relations a PATCH of ``instance`` may write (a serializer may make
    a relation read-only once the object exists: without an instance, an unsaved one stands in). With
    ``action="create"`` and no instance: the relations a POST to the list may write."""
    view = viewset(action=action, kwargs={}, format_kwarg=None)
    view.request = request
    if instance is None and action != "create":
        instance = viewset.queryset.model()
    serializer = view.get_serializer_class()(instance, context={"request": request, "view": view})
    return {f.source: name for name, f in serializer.fields.items()
            if not f.read_only and isinstance(f, (serializers.RelatedField, serializers.ManyRelatedField))}


def _api_applicable(route) -> bool:
    """Decided without a database: the viewset patches an estate-scoped model whose serializer writes a relation
    to an estate-scoped model."""
    viewset = _viewset(route.name)
    if viewset is None or not hasattr(viewset, "partial_update") or "patch" not in viewset.http_method_names:
        return False
    model = viewset.queryset.model
    if not getattr(model, "scope_estate", None):
        return False
    return bool({f.name for f in _moving_fields(model)} & set(_api_writes(viewset)))


def _page_applicable(route) -> bool:
    """False only when the view says it for sure (a generic edit view whose model is not estate-scoped or whose
    form has no field that moves it); a view of another shape is tried."""
    from wuye.core.tests.test_coverage import ENDPOINTS

    endpoint = next((e for e in ENDPOINTS if e.name == route.name), None)
    view_class = getattr(getattr(endpoint, "pattern", None) and endpoint.pattern.callback, "view_class", None)
    form, queryset = getattr(view_class, "form", None), getattr(view_class, "queryset", None)
    if form is None or queryset is None:
        return True
    model = queryset.model
    if not getattr(model, "scope_estate", None):
        return False
    fields = getattr(form, "base_fields", {})
    return any(f.name in fields and not fields[f.name].disabled for f in _moving_fields(model))


ALL_PAGE_ROUTES, ALL_API_ROUTES = _routes()
PAGE_ROUTES = [route for route in ALL_PAGE_ROUTES if _page_applicable(route)]
API_ROUTES = [route for route in ALL_API_ROUTES if _api_applicable(route)]


def _params(routes):
    for route in routes:
        roles = [ESTATE_MANAGER] + ([Role.AGENT.value] if Role.AGENT in route.allowed else [])
        for role in roles:
            yield pytest.param(route, role, id=f"{route.name}-{role}")


# --- the world's estate B counterparts ------------------------------------------------------------------------


def _estate_manager(world):
    """A staff member serving estate A only, with every staff permission except seeing all estates."""
    from django.contrib.auth.models import Permission

    from wuye.org.tests.factories import StaffFactory, UserFactory

    wanted = set().union(*(perms for role, perms in collect_grants().items() if role != Role.RESIDENT))
    wanted.discard(ALL_ESTATES_PERMISSION)
    user = UserFactory(username="t_estate_manager")
    perms = [p for p in Permission.objects.select_related("content_type")
             if f"{p.content_type.app_label}.{p.codename}" in wanted]
    user.user_permissions.set(perms)
    StaffFactory(user=user, post=world.post, estates=[world.estate_a])
    forget(user)
    return user


def _in_estate_b(world, related, avoid=None):
    """An object of ``related`` in estate B (the world's own, or one the matrix routes' ``other`` builds)."""
    return _in_estate(world, related, "b", avoid=avoid)


def _in_estate(world, related, which: str, avoid=None, among=None):
    """An object of ``related`` in estate ``which`` ("a" or "b"): the world's own, or one the matrix routes build
    (their ``url`` builds objects in estate A, their ``other`` in estate B). ``among``: a queryset to choose in."""
    from wuye.estates.models import Estate

    estate = getattr(world, f"estate_{which}")
    candidates = (among if among is not None else related.objects.all()).exclude(pk=getattr(avoid, "pk", None))
    if related is Estate:
        return candidates.filter(pk=estate.pk).first()
    lookup = related.scope_estate
    found = candidates.filter(**{lookup: estate}).first()
    if found is None:
        name = related._meta.model_name
        for module in matrix_modules():
            for route in getattr(module, "CASES", ()):
                build = route.url if which == "a" else route.other
                if build is not None and name in route.name.split(":")[-1].replace("-", "_"):
                    try:
                        with transaction.atomic():  # a failed factory must not break the test's transaction
                            build(world)
                    except Exception:  # noqa: BLE001 - a factory that needs more than the world: try the next
                        continue
                    found = candidates.filter(**{lookup: estate}).first()
                    if found is not None:
                        return found
    return found


def _snapshot(obj):
    model = type(obj)
    row = model._base_manager.filter(pk=obj.pk).values().get()
    for field in model._meta.many_to_many:
        row[field.name] = sorted(getattr(model._base_manager.get(pk=obj.pk), field.name).values_list("pk", flat=True))
    return row


def _only_in_estate_a(world, obj):
    """The route's object may cover several estates (a campaign over A and B): keep it to A alone."""
    model = type(obj)
    try:
        field = model._meta.get_field(model.scope_estate)
    except Exception:  # noqa: BLE001 - a lookup path, not a field of the model itself
        return
    if field.many_to_many and _estate_of(obj) != [world.estate_a.pk]:
        through = field.remote_field.through
        own = next(f.name for f in through._meta.fields if f.related_model is model)
        other = next(f.name for f in through._meta.fields if f.related_model is field.related_model)
        through.objects.filter(**{own: obj}).exclude(**{other: world.estate_a}).delete()


def _estate_of(obj):
    """The estate ids the object is in, by its ``scope_estate`` path."""
    model = type(obj)
    path = model.scope_estate
    if path == "pk":
        return [obj.pk]
    return sorted(model._base_manager.filter(pk=obj.pk).values_list(path, flat=True))


# --- building the submission ----------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (dt.date, dt.datetime, dt.time, decimal.Decimal, int, float)):
        return str(value)
    return "" if value is None else value


def _form_data(form, data):
    for name, bound in form.fields.items():
        bf = form[name]
        widget = bound.widget
        if bound.disabled or isinstance(widget, FileInput):
            continue
        value = bf.value()
        if isinstance(widget, CheckboxInput):
            if value:
                data[bf.html_name] = "on"
            continue
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
            for suffix, sub, part in zip(widget.widgets_names, widget.widgets, parts, strict=False):
                data[f"{bf.html_name}{suffix}"] = _plain(sub.format_value(part))
            continue
        if isinstance(value, (list, tuple)) or isinstance(bound, ModelMultipleChoiceField):
            data[bf.html_name] = [_plain(bound.prepare_value(v)) for v in (value or [])]
            continue
        shown = widget.format_value(bound.prepare_value(value)) if value not in (None, "") else ""
        data[bf.html_name] = _plain(shown)


def _page_submission(context):
    """The edit page's own values, as its forms and formsets would post them."""
    data = {}
    form = context["form"]
    _form_data(form, data)
    for value in context.values():
        if isinstance(value, BaseFormSet):
            management = value.management_form
            for name in management.fields:
                data[management[name].html_name] = management[name].value()
            for sub in value.forms:
                _form_data(sub, data)
    return form, data


# --- the tests ------------------------------------------------------------------------------------------------


def _client(world, role, api=False):
    user = _estate_manager(world) if role == ESTATE_MANAGER else world.users[role]
    client = APIClient() if api else Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), list(_params(PAGE_ROUTES)))
def test_edit_page_refuses_a_move_out_of_scope(route, role, world):
    client = _client(world, role)
    url = route.url(world)
    page = client.get(url)
    assert page.status_code == 200, (url, role, page.status_code)
    form, data = _page_submission(page.context_data)
    obj = getattr(form, "instance", None) or page.context.get("object")
    if obj is None or not getattr(type(obj), "scope_estate", None) or obj.pk is None:
        pytest.skip(f"{route.name}: not an estate-scoped object")
    moving = {f.name: f for f in _moving_fields(type(obj))
              if f.name in form.fields and not form.fields[f.name].disabled}
    if not moving:
        pytest.skip(f"{route.name}: the form offers no field that moves the object to another estate")
    _only_in_estate_a(world, obj)
    assert _estate_of(obj) == [world.estate_a.pk], (route.name, "the route's object is not in estate A")
    own = dict(data)
    for name, field in moving.items():
        target = _in_estate_b(world, field.related_model, avoid=obj)
        assert target is not None, (route.name, name, "no object in estate B to move to")
        data[form[name].html_name] = [str(target.pk)] if field.many_to_many else str(target.pk)
    before = _snapshot(obj)
    response = client.post(url, data)
    assert response.status_code in (200, 400, 403, 404), (url, role, response.status_code, response.get("Location"))
    assert _snapshot(obj) == before, (url, role, "the row changed")
    if response.status_code in (200, 400):
        errors = response.context["form"].errors
        if not set(errors) & set(moving):
            # refused with another error: it must be the move, unless the object's own values are refused too
            control = client.post(url, own)
            if control.status_code in (200, 400):
                pytest.skip(f"{route.name}: the object is not editable as it stands ({dict(errors)})")


def _is_refused(response) -> bool:
    return response.status_code in (400, 403, 404)


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), list(_params(API_ROUTES)))
def test_api_refuses_a_move_out_of_scope(route, role, world):
    client = _client(world, role, api=True)
    url = route.url(world)
    match = resolve(url)
    viewset = match.func.cls
    model = viewset.queryset.model
    obj = model._base_manager.get(pk=match.kwargs["pk"])
    writable = _api_writes(viewset, obj)
    moving = {f.name: f for f in _moving_fields(model) if f.name in writable}
    if not moving:
        pytest.skip(f"{route.name}: the serializer writes no field that moves the object to another estate")
    _only_in_estate_a(world, obj)
    assert _estate_of(obj) == [world.estate_a.pk], (route.name, "the route's object is not in estate A")
    payload = {}
    for name, field in moving.items():
        target = _in_estate_b(world, field.related_model, avoid=obj)
        assert target is not None, (route.name, name, "no object in estate B to move to")
        payload[writable[name]] = [target.pk] if field.many_to_many else target.pk
    before = _snapshot(obj)
    response = client.patch(url, payload, format="json")
    assert _is_refused(response), (url, role, response.status_code, getattr(response, "data", ""))
    assert _snapshot(obj) == before, (url, role, "the row changed")
    # refused with another error: it must be the move, unless a PATCH of nothing is refused too
    if response.status_code == 400 and not set(response.data) & set(payload) \
            and _is_refused(client.patch(url, {}, format="json")):
        pytest.skip(f"{route.name}: the object is not editable as it stands ({response.data})")


def test_the_enumeration_finds_the_edit_routes():
    """Honest enumeration: the apps' matrices name edit pages and API objects of estate-scoped models, and the
    API objects whose serializer writes their estate (or unit, building, customer) are among those patched."""
    pages = {r.name for r in PAGE_ROUTES}
    for expected in ("estates:building_edit", "estates:unit_edit", "contracts:contract_edit",
                     "incidents:incident_edit", "tickets:ticket_edit"):
        assert expected in pages, expected
    patched = {r.name for r in API_ROUTES}
    for expected in ("api:estates-customer-detail", "api:estates-unit-detail", "api:estates-building-detail"):
        assert expected in patched, expected
