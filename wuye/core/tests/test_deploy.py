"""Production settings: `manage.py check --deploy` is clean, and insecure defaults refuse to start.

Each case runs manage.py in a subprocess with DJANGO_SETTINGS_MODULE=config.settings.production and only
the environment production needs, so nothing of the test settings leaks in. No database is contacted.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")
BASE_DEFAULT_SECRET_KEY = "insecure-dev-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
BASE_DEFAULT_FIELD_KEY = "aW5zZWN1cmUtZGV2LWtleS1mb3Itd3V5ZS1vbmx5ISE="


def production_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_ENV_FILE=os.devnull,  # a developer's .env must not leak into the check
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DATABASE_URL="postgres://wuye:secret@127.0.0.1:5432/wuye",
        DJANGO_ALLOWED_HOSTS="wuye.example.com",
        DJANGO_FIELD_ENCRYPTION_KEYS=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        DJANGO_FIELD_DIGEST_KEY=secrets.token_urlsafe(40),
    )
    env.update(overrides)
    return env


def manage(*args: str, **overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, MANAGE, *args], env=production_env(**overrides), cwd=settings.BASE_DIR,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_reports_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output and "ERROR" not in output, output


def test_the_example_environment_file_documents_every_variable_the_settings_read():
    example = (settings.BASE_DIR / ".env.example").read_text(encoding="utf-8")
    source = "".join(p.read_text(encoding="utf-8") for p in (settings.BASE_DIR / "config" / "settings").glob("*.py"))
    names = set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "DJANGO_FIELD_ENCRYPTION_KEYS"} <= names
    undocumented = sorted(n for n in names if not re.search(rf"^#? ?{n}=", example, re.MULTILINE))
    assert not undocumented, f"add these to .env.example (and README.md): {undocumented}"
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert not sorted(n for n in names if f"`{n}`" not in readme), "document these in README.md's configuration table"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DJANGO_SECRET_KEY": BASE_DEFAULT_SECRET_KEY}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_FIELD_ENCRYPTION_KEYS": BASE_DEFAULT_FIELD_KEY}, "DJANGO_FIELD_ENCRYPTION_KEYS"),
        ({"DJANGO_FIELD_ENCRYPTION_KEYS": f"{base64.urlsafe_b64encode(os.urandom(32)).decode()},"
                                          f"{BASE_DEFAULT_FIELD_KEY}"}, "DJANGO_FIELD_ENCRYPTION_KEYS"),
        ({"DJANGO_FIELD_ENCRYPTION_KEYS": "not-a-fernet-key"}, "DJANGO_FIELD_ENCRYPTION_KEYS"),
        ({"DJANGO_FIELD_DIGEST_KEY": "insecure-dev-digest-key-change-me-0123456789"}, "DJANGO_FIELD_DIGEST_KEY"),
        ({"DJANGO_FIELD_DIGEST_KEY": "short"}, "DJANGO_FIELD_DIGEST_KEY"),
    ],
    ids=["default-secret-key", "default-field-key", "default-field-key-among-others", "malformed-field-key",
         "default-digest-key", "short-digest-key"],
)
def test_production_refuses_insecure_defaults(overrides, message):
    result = manage("check", **overrides)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "ImproperlyConfigured" in output and message in output, output


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS",
                                     "DJANGO_FIELD_ENCRYPTION_KEYS", "DJANGO_FIELD_DIGEST_KEY"])
def test_production_refuses_to_start_without_required_variable(missing):
    env = production_env()
    del env[missing]
    result = subprocess.run([sys.executable, MANAGE, "check"], env=env, cwd=settings.BASE_DIR,
                            capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert missing in output, output
