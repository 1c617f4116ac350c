"""The Chinese UI: every catalogue of the project is fully translated, holds every message of its sources, and
what a page shows is what the catalogue says (no other catalogue — Django's, a third party's or another wuye
app's — shadows a message).

Catalogues: ``locale/`` (config/ and wuye/templates) and ``wuye/<app>/locale/`` (each app's own). The tests read
the compiled .mo files through Django, so run ``make messages`` (``make test`` does) after editing a .po file.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LANGUAGE = "zh-hans"
CATALOGUES = sorted([*settings.BASE_DIR.glob("locale/zh_Hans/LC_MESSAGES/django.po"),
                     *settings.BASE_DIR.glob("wuye/*/locale/zh_Hans/LC_MESSAGES/django.po")])
IDS = [str(p.relative_to(settings.BASE_DIR)) for p in CATALOGUES]


@dataclass
class Entry:
    msgid: str
    msgstr: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    fuzzy: bool = False
    obsolete: bool = False


def parse_po(path: Path) -> list[Entry]:
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        fields: dict[str, list[str]] = {}
        key = None
        fuzzy = obsolete = False
        for line in block.splitlines():
            if line.startswith("#~"):
                obsolete = True
                continue
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if line.startswith("#"):
                continue
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?|msgstr\[\d+\]) (\".*\")$", line)
            if match:
                key = match.group(1)
                fields[key] = [match.group(2)]
            elif line.startswith('"') and key:
                fields[key].append(line)
        if "msgid" not in fields and not obsolete:
            continue

        def text(name, fields=fields):
            return "".join(ast.literal_eval(part) for part in fields[name]) if name in fields else None

        msgid = text("msgid")
        if msgid is None or msgid == "":
            continue  # the header, or an obsolete entry
        entries.append(Entry(msgid=msgid, msgstr=text("msgstr") or text("msgstr[0]") or "", msgctxt=text("msgctxt"),
                             msgid_plural=text("msgid_plural"), fuzzy=fuzzy, obsolete=obsolete))
    return entries


def test_there_are_catalogues():
    assert len(CATALOGUES) >= 2, IDS


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_catalogue_is_fully_translated(path):
    problems = [("fuzzy" if e.fuzzy else "untranslated", e.msgid) for e in parse_po(path)
                if not e.obsolete and (e.fuzzy or not e.msgstr)]
    assert not problems, f"{path.relative_to(settings.BASE_DIR)}: translate these: {problems}"


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_pages_show_what_the_catalogue_says(path):
    shadowed = []
    with translation.override(LANGUAGE):
        for e in parse_po(path):
            if e.obsolete or e.fuzzy or not e.msgstr:
                continue
            if e.msgid_plural is not None:
                shown = (translation.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 1) if e.msgctxt is not None
                         else translation.ngettext(e.msgid, e.msgid_plural, 1))
            elif e.msgctxt is not None:
                shown = translation.pgettext(e.msgctxt, e.msgid)
            else:
                shown = translation.gettext(e.msgid)
            if shown != e.msgstr:
                shadowed.append(f"{e.msgid!r}: catalogue {e.msgstr!r}, shown {shown!r}")
    assert not shadowed, (
        f"{path.relative_to(settings.BASE_DIR)}: another catalogue wins for these messages (run `make messages` if "
        "the .mo is stale; otherwise agree on one translation, or give yours a context with pgettext):\n  "
        + "\n  ".join(shadowed))


def _source_tree(po: Path, tmp: Path) -> Path:
    """Copy the sources a catalogue is extracted from (and the catalogue) to tmp; return the directory to run
    makemessages in (the same layout as `make makemessages`)."""
    base = settings.BASE_DIR
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    catalogue_root = po.parents[3]  # <root>/locale/zh_Hans/LC_MESSAGES/django.po
    if catalogue_root == base:  # the project-level catalogue: config/ and wuye/templates/
        for rel in ("config", "wuye/templates", "locale"):
            shutil.copytree(base / rel, tmp / rel, ignore=ignore)
        return tmp
    shutil.copytree(catalogue_root, tmp / catalogue_root.name, ignore=ignore)
    return tmp / catalogue_root.name


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed (make needs it anyway)")
@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_catalogue_has_every_message_of_its_sources(path, tmp_path):
    """Runs makemessages on a copy of the sources: a message in the code that is not in the committed catalogue
    would show in English on a Chinese page."""
    workdir = _source_tree(path, tmp_path)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": str(settings.BASE_DIR)}
    # -P: the working directory is not put first on sys.path (wuye/core/selectors.py would shadow the stdlib's)
    result = subprocess.run([sys.executable, "-P", "-m", "django", "makemessages", "-l", "zh_Hans", "-v", "0"],
                            cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    extracted = workdir / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    missing = sorted({e.msgid for e in parse_po(extracted) if not e.obsolete and (e.fuzzy or not e.msgstr)})
    assert not missing, (
        f"{path.relative_to(settings.BASE_DIR)} lacks messages of its sources: run `make makemessages` and translate "
        f"them: {missing}")
