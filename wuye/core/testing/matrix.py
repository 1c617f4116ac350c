"""The permission matrix: every page and API endpoint, as every role, with and without scope.

An app lists its routes in ``<app>/tests/test_permissions.py`` as ``CASES = [Route(...), ...]`` and turns
them into tests with ``matrix_tests(CASES)``. ``wuye/core/tests/test_coverage.py`` fails if a URL of the
project is in no app's CASES, so a new view without a matrix entry (and so without a tested permission)
breaks the build.

Expected answers:
- a role in ``allowed``: ``ok`` (200, or 302 after a successful POST; 201 for API create);
- any other logged-in role: 403 (pages and API), or 404 when ``denied_status`` says so;
- anonymous: a redirect to the login page (pages) or 401/403 (API);
- an allowed role asking for an object of an estate it does not serve (``other`` URL): 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from wuye.core.roles import Role


@dataclass
class Route:
    name: str                              # the URL name, e.g. "estates:customer" or "api:estates-customer-list"
    url: Callable[[object], str]           # world -> URL of an object the agent of estate A may see
    allowed: set[str]
    method: str = "get"
    data: Callable[[object], dict] | None = None
    ok: tuple[int, ...] = (200,)
    other: Callable[[object], str] | None = None   # world -> URL of an object in estate B (out of scope)
    scoped_roles: set[str] = field(default_factory=lambda: {Role.AGENT})  # roles that serve only estate A
    api: bool = False
    denied_status: tuple[int, ...] = (403,)
    fmt: str = "multipart"

    def __str__(self):
        return f"{self.method.upper()} {self.name}"


ALL_ROLES = [r.value for r in Role]
STAFF = {r.value for r in Role if r != Role.RESIDENT}


def _request(client, route: Route, url: str, world):
    kwargs = {}
    if route.data is not None:
        kwargs["data"] = route.data(world)
        if route.api and route.method != "get":
            kwargs["format"] = "json"
    return getattr(client, route.method)(url, **kwargs)


def matrix_tests(cases: list[Route]):
    """Return a test function parametrized over cases × roles (use: ``test_matrix = matrix_tests(CASES)``)."""

    ids = []
    params = []
    for case in cases:
        for role in ALL_ROLES + ["anonymous"]:
            params.append((case, role))
            ids.append(f"{case}-{role}")

    @pytest.mark.django_db
    @pytest.mark.parametrize(("case", "role"), params, ids=ids)
    def test_matrix(case: Route, role: str, world, client_for):
        client = client_for(None if role == "anonymous" else role, api=case.api)
        url = case.url(world)
        response = _request(client, case, url, world)
        if role == "anonymous":
            if case.api:
                assert response.status_code in (401, 403), (url, response.status_code)
            else:
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
                    url, response.status_code)
            return
        if role in case.allowed:
            assert response.status_code in case.ok, (url, role, response.status_code, _body(response))
            if case.other is not None and role in case.scoped_roles:
                other = _request(client, case, case.other(world), world)
                assert other.status_code == 404, (case.other(world), role, other.status_code)
        else:
            assert response.status_code in case.denied_status, (url, role, response.status_code)

    return test_matrix


def _body(response) -> str:
    try:
        return response.content.decode()[:600]
    except Exception:  # noqa: BLE001
        return ""
