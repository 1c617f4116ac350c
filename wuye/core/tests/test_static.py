"""Static assets are the app's own: pages link only local /static/ files, the npm-installed front-end libraries
(package.json, installed by `make`) are found by the staticfiles finders, and production's collectstatic
(WhiteNoise's manifest storage, which checks every url() in the CSS) succeeds."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

VENDOR_FILES = [
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff",
]
ASSET = re.compile(r"""<(?:link|script|img|source|iframe)\b[^>]*?\b(?:href|src)=["']([^"']+)["']""", re.IGNORECASE)
EXTERNAL = re.compile(r"""(?:https?:)?//(?!testserver[/:"'])[A-Za-z0-9.-]+\.[A-Za-z]{2,}""")


@pytest.mark.parametrize("path", VENDOR_FILES)
def test_front_end_libraries_are_found_by_the_finders(path):
    assert finders.find(path), (f"{path} not found: run `npm ci` (make does) so node_modules/ exists; "
                                "see STATICFILES_DIRS in config/settings/base.py")


def assert_only_local_assets(html: str):
    assets = ASSET.findall(html)
    assert assets, "no assets found in the page"
    for url in assets:
        assert url.startswith("/static/"), f"{url} is not a local /static/ asset"
        path = url.removeprefix("/static/").split("?")[0]
        assert finders.find(path), f"{url} is linked but no finder has it"
    assert not EXTERNAL.findall(html), f"links to other hosts: {EXTERNAL.findall(html)}"


@pytest.mark.django_db
def test_login_page_links_only_local_assets(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_only_local_assets(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agent", "cs_manager", "admin", "resident"])
def test_home_page_links_only_local_assets(role, client_for):
    response = client_for(role).get(reverse("home"), follow=True)  # residents land on the portal
    assert response.status_code == 200
    html = response.content.decode()
    assert_only_local_assets(html)
    for path in ("vendor/bootstrap/css/bootstrap.min.css", "vendor/htmx/htmx.min.js",
                 "vendor/bootstrap-icons/bootstrap-icons.min.css"):
        assert f"/static/{path}" in html


def test_collectstatic_with_the_production_storage(tmp_path):
    """WhiteNoise's CompressedManifestStaticFilesStorage fails on a CSS url() to a file that does not exist."""
    storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    with override_settings(STATIC_ROOT=str(tmp_path), STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    for path in VENDOR_FILES:
        assert f'"{path}"' in manifest, path
