"""The systemd units of docs/deploy/ are valid for Debian 12's systemd: ``systemd-analyze verify`` reads every
``.service`` and ``.timer`` (syntax, known keys, restart and calendar specifiers, the timers' services) without
systemd running. The only thing it may report is that the programs under ``/srv/wuye/.venv`` are not there: they
are, once section 5 of docs/deploy.md has run. A control unit with a misspelt key proves the check can fail.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

UNITS = Path(settings.BASE_DIR) / "docs" / "deploy"
ANALYZE = shutil.which("systemd-analyze")
# what verify says of a program the install has not put there yet (the units name /srv/wuye/.venv/bin/…)
NOT_INSTALLED = re.compile(r"^[\w.@-]+: Command /srv/wuye/\.venv/bin/\w+ is not executable: No such file or directory$")

pytestmark = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze not installed (apt-get install systemd; "
                                                       ".ci/run does)")


def _verify(*paths: Path) -> list[str]:
    result = subprocess.run([ANALYZE, "verify", *map(str, paths)], capture_output=True, text=True, timeout=120,
                            check=False)
    return [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]


def test_every_unit_and_timer_verifies():
    units = sorted(UNITS.glob("*.service")) + sorted(UNITS.glob("*.timer"))
    assert len(units) >= 10, units
    problems = [line for line in _verify(*units) if not NOT_INSTALLED.match(line)]
    assert not problems, "\n".join(problems)


def test_a_broken_unit_is_reported(tmp_path):
    """The control: the same check on a copy of wuye.service with a misspelt key and a bad restart policy."""
    broken = tmp_path / "wuye.service"
    text = (UNITS / "wuye.service").read_text(encoding="utf-8")
    broken.write_text(text.replace("[Service]", "[Service]\nRestrat=always\nRestart=sometimes", 1), encoding="utf-8")
    problems = [line for line in _verify(broken) if not NOT_INSTALLED.match(line)]
    assert any("Restrat" in line for line in problems) and any("sometimes" in line for line in problems), problems
