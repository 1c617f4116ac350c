"""The OpenAPI schema builds without a warning, validates, and it and its docs page are for logged-in users only,
served with local assets (no network at run time)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

EXTERNAL_URL = re.compile(r"""(?:https?:)?//(?!testserver[/:"'])[A-Za-z0-9.-]+\.[A-Za-z]{2,}""")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_schema_builds_without_warnings_and_validates(language, capsys):
    GENERATOR_STATS.reset()
    with translation.override(language):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = dict(GENERATOR_STATS._warn_cache)
    errors = dict(GENERATOR_STATS._error_cache)
    emitted = capsys.readouterr().err
    GENERATOR_STATS.reset()
    assert not errors and not warnings, f"drf-spectacular reported problems:\n{emitted or (errors, warnings)}"
    validate_schema(schema)
    paths = schema["paths"]
    assert all(p.startswith("/api/v1/") for p in paths), sorted(paths)
    assert "/api/v1/departments/" in paths


def test_schema_needs_login(client):
    response = client.get(reverse("api-schema"))
    assert response.status_code in (401, 403)


def test_docs_page_needs_login(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code in (401, 403) or (
        response.status_code == 302 and reverse("login") in response["Location"]), response.status_code


@pytest.mark.django_db
def test_schema_answers_a_logged_in_user(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("schema-reader", password="x"))
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.django_db
def test_docs_page_uses_only_local_assets(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("docs-reader", password="x"))
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL_URL.findall(html), EXTERNAL_URL.findall(html)
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    # Swagger UI would otherwise load a validator badge from validator.swagger.io.
    assert '"validatorUrl": null' in html or '"validatorUrl":null' in html
    assert f'url: "{reverse("api-schema")}"' in html
