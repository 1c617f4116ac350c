"""The deployment files agree with each other and with the code: compose.yaml, deploy/Dockerfile, the systemd
units of docs/deploy/ and the settings.

Docker is not needed (nor available in CI): the YAML is read with PyYAML and compared with what the settings read,
what the units start and which management commands exist. A renamed setting, a command changed in one place only,
or a unit calling a command that is gone fails here.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
COMPOSE = ROOT / "compose.yaml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
UNITS = ROOT / "docs" / "deploy"
# compose service -> the systemd unit that starts the same program on a single server
SAME_COMMAND = {"web": "wuye.service", "worker": "wuye-celery-worker.service", "beat": "wuye-celery-beat.service"}
# options whose value differs by design between a container and a server: where gunicorn listens (all interfaces
# of the container vs. loopback behind nginx), which proxy address it trusts, and the worker's node name (systemd's
# %H specifier vs. Celery's own %h)
PLACE_OPTIONS = {"--bind", "--forwarded-allow-ips", "--hostname"}
# variables a process reads that the settings do not read with env(...)
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def settings_variables() -> set[str]:
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "config" / "settings").glob("*.py"))
    return set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))


def app_services(compose: dict) -> dict[str, dict]:
    """The services that run the wuye image (built from deploy/Dockerfile)."""
    return {name: s for name, s in compose["services"].items()
            if isinstance(s.get("build"), dict) and s["build"].get("dockerfile") == "deploy/Dockerfile"}


def unit_exec_start(unit: Path) -> list[list[str]]:
    """The ExecStart command lines of a systemd unit (continuation lines joined), split like a shell would."""
    text = re.sub(r"\\\n\s*", " ", unit.read_text(encoding="utf-8"))
    return [shlex.split(m) for m in re.findall(r"^ExecStart=(.+)$", text, re.MULTILINE)]


def normalised(argv: list[str]) -> list[str]:
    """The program's name without its directory, ``--opt=value`` as ``--opt value``, and the options whose value
    depends on the place (``PLACE_OPTIONS``) without their value."""
    out: list[str] = []
    args = [Path(argv[0]).name, *argv[1:]]
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        name, eq, value = arg.partition("=")
        if arg.startswith("--") and eq:
            if name in PLACE_OPTIONS:
                out.append(name)
            else:
                out += [name, value]
        elif arg in PLACE_OPTIONS:
            out.append(arg)
            skip = True
        else:
            out.append(arg)
    return out


def test_compose_has_the_production_stack(compose):
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat", "nginx"} <= set(services)
    assert services["db"]["image"] == "postgres:15"
    assert str(services["redis"]["image"]).startswith("redis:7")
    assert set(app_services(compose)) >= {"web", "worker", "beat"}
    for name in ("db", "redis", "web", "nginx"):
        assert "healthcheck" in services[name], f"{name} has no healthcheck"
    # the app waits for a healthy database and broker, and for the migrations
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    # only nginx is reachable from outside
    assert [name for name, s in services.items() if s.get("ports")] == ["nginx"]
    # every named volume used is declared, and the data outlives the containers
    declared = set(compose.get("volumes") or {})
    used = {v.split(":")[0] for s in services.values() for v in s.get("volumes", []) if not v.startswith((".", "/"))}
    assert used <= declared, used - declared
    assert {"pgdata", "var"} <= used


def test_compose_passes_only_variables_the_settings_read(compose):
    known = settings_variables() | NOT_SETTINGS
    for name, service in app_services(compose).items():
        assert service.get("env_file"), f"{name}: the secrets come from an env file"
        unknown = sorted(set(service.get("environment") or {}) - known)
        assert not unknown, f"{name} passes variables no setting reads: {unknown}"
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    # the broker the workers need is the one the settings read
    assert "DJANGO_REDIS_URL" in settings_variables()
    assert compose["services"]["worker"]["environment"]["DJANGO_REDIS_URL"].startswith("redis://redis:")


def test_dockerfile_builds_from_the_locks_and_sets_only_known_variables():
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "pip install -r requirements/base.lock" in text
    assert "npm ci" in text and "COPY package.json package-lock.json" in text
    assert "collectstatic --noinput" in text and "compilemessages" in text
    for line in re.findall(r"^COPY (?!--from)(.+)$", text, re.MULTILINE):
        for source in line.split()[:-1]:
            assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which does not exist"
    known = settings_variables() | NOT_SETTINGS
    env_block = re.search(r"^ENV (.+?)(?=^\S)", text, re.MULTILINE | re.DOTALL).group(1)
    variables = set(re.findall(r"\b(DJANGO_[A-Z0-9_]+)=", env_block))
    assert variables and not sorted(variables - known), sorted(variables - known)


@pytest.mark.parametrize("service", sorted(SAME_COMMAND))
def test_compose_and_systemd_start_the_same_command(compose, service):
    unit = UNITS / SAME_COMMAND[service]
    assert unit.is_file(), f"{unit} is missing"
    commands = unit_exec_start(unit)
    assert len(commands) == 1, commands
    assert normalised(compose["services"][service]["command"]) == normalised(commands[0])


def test_every_unit_runs_an_existing_management_command():
    commands = get_commands()
    seen = 0
    for unit in sorted(UNITS.glob("*.service")):
        for argv in unit_exec_start(unit):
            if "manage.py" in argv:
                name = argv[argv.index("manage.py") + 1]
                assert name in commands, f"{unit.name} runs manage.py {name}, which does not exist"
                seen += 1
    assert seen >= 8


def test_every_timer_has_its_service():
    for timer in UNITS.glob("*.timer"):
        assert timer.with_suffix(".service").is_file(), f"{timer.name} starts a service that does not exist"


def test_compose_nginx_site_matches_the_server_one():
    """The compose site proxies to the web service with the same headers and limits as docs/deploy/nginx.conf."""
    def proxy_lines(path: Path) -> set[str]:
        lines = {line.strip() for line in path.read_text(encoding="utf-8").splitlines()}
        return {line.split("#")[0].strip() for line in lines
                if line.startswith(("proxy_set_header", "client_max_body_size", "proxy_read_timeout", "ssl_protocols"))}

    server, container = proxy_lines(UNITS / "nginx.conf"), proxy_lines(ROOT / "deploy" / "nginx.compose.conf")
    assert server == container
    assert "server web:8000" in (ROOT / "deploy" / "nginx.compose.conf").read_text(encoding="utf-8")
