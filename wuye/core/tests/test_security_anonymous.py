"""Anonymous access, checked over every URL pattern of the project (config.urls, recursively, format suffixes too).

Each pattern is requested without login by GET and by POST. Path parameters are filled with real objects where
an app's permission matrix (``CASES``) builds a URL for that name from the small world, else with any int/slug.
Only the public pages declared in ``PUBLIC`` may answer 2xx; everything else must answer a redirect to a login
page, 401, 403, 404 or 405. A URL added later is covered by this test without any change here.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from wuye.core.tests.test_coverage import matrix_modules

# name -> why anyone may open it without login (any answer but a 5xx). Keep this list short and explicit.
PUBLIC = {
    "login": "the login form",
    "admin:login": "the admin's login form",
    "admin:logout": "ends the caller's own admin session; anonymous is sent to the admin index (which asks to log in)",
    "set_language": "stores the caller's language choice (POST; GET answers a redirect)",
    "javascript-catalog": "translations for scripts; no data",
    "surveys:answer": "a household's survey link: its one-time key is the credential (valid key only)",
    "surveys:answer_done": "the thank-you page of that link (valid key only; shows no answers)",
}
REFUSED = {401, 403, 404, 405}
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def _patterns(patterns=None, namespace: str | None = None, prefix: str = ""):
    """(name, pattern, namespace, full route) of every URL pattern, format-suffix twins and unnamed ones included."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace])) or None
            yield from _patterns(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield name, p, namespace, prefix + str(p.pattern)


def _from_route(route: str) -> str | None:
    """A URL from the full route text: every ``<conv:name>`` or regex group replaced by 1."""
    url = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    url = re.sub(r"\((?:\?P<\w+>)?[^()]*\)", "1", url)
    url = url.replace("^", "").replace("$", "").replace("\\", "")
    if re.search(r"[()\[\]*+?|]", url):
        return None
    return "/" + url.lstrip("/")


def _param_names(pattern: URLPattern) -> list[str]:
    return list(getattr(pattern.pattern, "converters", {}) or {}) or list(pattern.pattern.regex.groupindex)


def _group_alternatives(pattern: URLPattern, name: str) -> list[str]:
    """For ``(?P<step>assign|start|…)`` the words ``assign``, ``start``, … (a value the pattern accepts)."""
    match = re.search(rf"\(\?P<{name}>([^)]*)\)", pattern.pattern.regex.pattern)
    if not match:
        return []
    return [alt for alt in match.group(1).split("|") if re.fullmatch(r"[\w-]+", alt)]


def _generic_url(name: str | None, pattern: URLPattern, route: str) -> str | None:
    params = _param_names(pattern)
    if name is not None:
        candidates = {}
        for param in params:
            if param == "format":
                candidates[param] = ["json"]
            else:
                candidates[param] = [*_group_alternatives(pattern, param), 1, "x", "2026", "a-b"]
        # try each candidate position-wise (same index for every param, then the last of each)
        for i in range(max((len(v) for v in candidates.values()), default=1)):
            kwargs = {k: v[min(i, len(v) - 1)] for k, v in candidates.items()}
            try:
                return reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
        if not params and pattern.pattern.regex.groups:  # unnamed groups: positional arguments
            try:
                return reverse(name, args=[1] * pattern.pattern.regex.groups)
            except NoReverseMatch:
                pass
    return _from_route(route)


def _matrix_urls(world, group: str) -> dict[str, str]:
    """URL name -> a URL of a real object, from the apps' matrices (GET routes first), for one namespace."""
    urls: dict[str, str] = {}
    for module in matrix_modules():
        for route in sorted(getattr(module, "CASES", ()), key=lambda r: r.method != "get"):
            if route.name in urls or route.name.split(":")[0] != group:
                continue
            try:
                with transaction.atomic():
                    urls[route.name] = route.url(world)
            except Exception:  # noqa: BLE001 - a builder that cannot run twice in one world: use a generic URL
                continue
    return urls


def _survey_link(world) -> tuple[str, str]:
    from wuye.surveys.tests.factories import invitation_for, open_campaign

    campaign = open_campaign(world, number="SV-ANON-01")
    invitation = invitation_for(campaign, world.unit_a)
    return (reverse("surveys:answer", args=[invitation.key]), reverse("surveys:answer_done", args=[invitation.key]))


def _group(namespace: str | None) -> str:
    return (namespace or "<root>").split(":")[0]


GROUPS = sorted({_group(namespace) for _, _, namespace, _ in _patterns()})


def _expected_refusal(response) -> bool:
    if response.status_code in REFUSED:
        return True
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        return any(path in location for path in LOGIN_PATHS)
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("group", GROUPS)
def test_anonymous_gets_only_public_pages(group, world):
    real = _matrix_urls(world, group)
    if group == "surveys":
        real["surveys:answer"], real["surveys:answer_done"] = _survey_link(world)
    client = Client(enforce_csrf_checks=False)
    problems, seen, tried = [], set(), 0
    for name, pattern, namespace, route in _patterns():
        if _group(namespace) != group:
            continue
        params = [p for p in _param_names(pattern) if p != "format"]
        url = None if "format" in _param_names(pattern) else real.get(name)
        url = url or _generic_url(name, pattern, route)
        if url is None:
            problems.append(f"{name} {route}: no URL could be built")
            continue
        for method in ("get", "post"):
            if (method, url) in seen:
                continue
            seen.add((method, url))
            tried += 1
            response = getattr(client, method)(url)
            if name in PUBLIC:
                if response.status_code >= 500:
                    problems.append(f"{method.upper()} {url} ({name}): {response.status_code}")
                continue
            if not _expected_refusal(response):
                problems.append(f"{method.upper()} {url} ({name}, params {params}): {response.status_code} "
                                f"{response.get('Location', '')}")
    assert tried, f"no URL of {group} was requested"
    assert not problems, "answered anonymously:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_public_pages_answer_and_survey_link_needs_a_valid_key(world):
    client = Client()
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("javascript-catalog")).status_code == 200
    answer, done = _survey_link(world)
    assert client.get(answer).status_code == 200
    assert client.get(done).status_code in (200, 302)  # not answered yet: back to the questions
    assert client.get(reverse("surveys:answer", args=["x" * 43])).status_code == 404
    assert client.get(reverse("surveys:answer_done", args=["x" * 43])).status_code == 404


def test_public_names_exist():
    names = {name for name, *_ in _patterns()}
    assert set(PUBLIC) <= names, set(PUBLIC) - names


def test_every_group_has_patterns():
    counts = defaultdict(int)
    for _, _, namespace, _ in _patterns():
        counts[_group(namespace)] += 1
    assert counts["api"] > 10 and counts["tickets"] > 10, dict(counts)
