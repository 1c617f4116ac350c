"""Access logs keep no query string and no Referer: what an agent types into the caller lookup or a search box (a
full phone number) is sent in the query, and the next page's Referer repeats it.

gunicorn's own logger formats a request with the settings of config/gunicorn.py (the file every gunicorn of
docs/deploy/wuye.service, compose.yaml and scripts/ci_stack.sh loads); both nginx site files log with the same
query-free format. scripts/ci_stack.sh proves it end to end: stack_check.py looks a caller up by a full number
through nginx and gunicorn, and neither log may hold it afterwards.
"""

from __future__ import annotations

import datetime
import re
import shlex
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.conf import settings
from gunicorn.config import Config
from gunicorn.glogging import Logger

from wuye.core.tests.test_compose import unit_exec_start

ROOT = Path(settings.BASE_DIR)
NUMBER = "13900000571"
SITES = [ROOT / "docs" / "deploy" / "nginx.conf", ROOT / "deploy" / "nginx.compose.conf"]


def gunicorn_access_line(tmp_path: Path, access_log_format: str | None) -> str:
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    if access_log_format is not None:
        cfg.set("access_log_format", access_log_format)
    logger = Logger(cfg)
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": f"/estates/lookup/?q={NUMBER}", "PATH_INFO": "/estates/lookup/",
        "QUERY_STRING": f"q={NUMBER}", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://wuye.example.com/tickets/?q={NUMBER}", "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.close()
    return (tmp_path / "access.log").read_text(encoding="utf-8")


def test_gunicorn_logs_the_path_without_the_query_or_referer(tmp_path):
    from config import gunicorn as gunicorn_settings

    line = gunicorn_access_line(tmp_path, gunicorn_settings.access_log_format)
    assert '"GET /estates/lookup/ HTTP/1.1" 200 1234' in line
    assert NUMBER not in line and "?q=" not in line, line


def test_gunicorns_default_format_would_keep_the_number(tmp_path):
    """The control: without config/gunicorn.py the same request leaves the number in the log."""
    assert NUMBER in gunicorn_access_line(tmp_path, None)


def gunicorn_commands() -> dict[str, list[str]]:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    stack = (ROOT / "scripts" / "ci_stack.sh").read_text(encoding="utf-8")
    line = re.search(r"^start gunicorn (.+?)(?<!\\)$", stack, flags=re.M | re.S).group(1)
    return {
        "docs/deploy/wuye.service": unit_exec_start(ROOT / "docs" / "deploy" / "wuye.service")[0],
        "compose.yaml": compose["services"]["web"]["command"],
        "scripts/ci_stack.sh": shlex.split(line.replace("\\\n", " ")),
    }


@pytest.mark.parametrize("where", ["docs/deploy/wuye.service", "compose.yaml", "scripts/ci_stack.sh"])
def test_every_gunicorn_loads_the_settings(where):
    argv = gunicorn_commands()[where]
    assert "--config" in argv, argv
    assert argv[argv.index("--config") + 1] == "python:config.gunicorn"
    assert "--access-logformat" not in argv


@pytest.mark.parametrize("site", SITES, ids=lambda path: path.name)
def test_nginx_logs_without_query_or_referer(site):
    text = site.read_text(encoding="utf-8")
    formats = dict(re.findall(r"^log_format\s+(\S+)\s+(.+?);\s*$", text, flags=re.M | re.S))
    assert list(formats) == ["wuye_private"], formats
    private = formats["wuye_private"]
    assert "$uri" in private
    for variable in ("$request ", "$request\"", "$request_uri", "$args", "$query_string", "$is_args", "$arg_",
                     "$http_referer"):
        assert variable not in private, variable
    servers = text.count("server {")
    logs = re.findall(r"^\s*access_log\s+(.+?);", text, flags=re.M)
    assert len(logs) == servers, f"every server block sets its access log: {logs}"
    assert all(log.split()[-1] == "wuye_private" for log in logs), logs


def test_both_sites_log_alike():
    def private(path: Path) -> str:
        text = path.read_text(encoding="utf-8")
        return " ".join(re.search(r"^log_format wuye_private\s+(.+?);", text, flags=re.M | re.S).group(1).split())

    assert private(SITES[0]) == private(SITES[1])
