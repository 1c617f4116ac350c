"""Static checks in `make test` (docs/security.md): bandit finds no medium or high issue in our code, pip-audit
knows no vulnerability in the pinned production dependencies. (`manage.py check --deploy`: test_deploy.py.)

pip-audit asks the vulnerability service (PyPI) over the network. The test is skipped, saying why, only when that
service cannot be reached at all; once reached, any error or finding fails it.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
VULNERABILITY_SERVICE = ("pypi.org", 443)


def _tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    assert found, f"{name} is not installed (requirements/dev.lock)"
    return found


def test_bandit_finds_no_medium_or_high_issue():
    result = subprocess.run(
        [_tool("bandit"), "-r", "wuye", "config", "-c", "bandit.yaml", "-ll", "-f", "json", "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.stdout, result.stderr
    report = json.loads(result.stdout)
    assert not report.get("errors"), report["errors"]
    findings = [f"{r['filename']}:{r['line_number']} {r['test_id']} ({r['issue_severity']}/{r['issue_confidence']}) "
                f"{r['issue_text']}" for r in report["results"]]
    assert not findings, "\n".join(findings)
    assert result.returncode == 0, result.stderr
    assert report["metrics"]["_totals"]["loc"] > 10_000  # it did read the code


def _service_unreachable() -> str | None:
    host, port = VULNERABILITY_SERVICE
    try:
        with socket.create_connection((host, port), timeout=5):
            return None
    except OSError as exc:
        return f"{host}:{port}: {exc!r}"


def test_pip_audit_finds_no_known_vulnerability():
    unreachable = _service_unreachable()
    if unreachable:
        pytest.skip(f"pip-audit needs the PyPI vulnerability service, which this machine cannot reach ({unreachable})")
    result = subprocess.run(
        [_tool("pip-audit"), "-r", "requirements/base.lock", "--disable-pip", "--no-deps", "--progress-spinner",
         "off", "-f", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.stdout, result.stderr
    report = json.loads(result.stdout)
    vulnerable = [f"{d['name']} {d['version']}: " + ", ".join(v["id"] for v in d["vulns"])
                  for d in report["dependencies"] if d.get("vulns")]
    assert not vulnerable, "\n".join(vulnerable)
    assert result.returncode == 0, result.stderr
    assert len(report["dependencies"]) > 50  # it did read the lock file
