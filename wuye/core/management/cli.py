"""Helpers shared by the extensible management commands (load_demo, generate_data, bench)."""

from __future__ import annotations

import importlib
import resource
import sys
import unicodedata
from collections.abc import Iterator
from types import ModuleType

from django.apps import AppConfig, apps


def app_modules(submodule: str) -> Iterator[tuple[AppConfig, ModuleType]]:
    """``wuye.<app>.<submodule>`` for every installed wuye app that has one, in INSTALLED_APPS order.

    A module that exists but fails to import raises: only a missing module is skipped.
    """
    for config in apps.get_app_configs():
        if not config.name.startswith("wuye."):
            continue
        name = f"{config.name}.{submodule}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        yield config, module


def display_width(text: str) -> int:
    """Terminal columns: CJK (wide and full-width) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def render_table(headers: list[str], rows: list[list[object]], *, right: set[int] = frozenset()) -> str:
    """A plain-text table whose columns line up even with Chinese text; ``right``: right-aligned columns."""
    cells = [[str(c) for c in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(_pad(c, widths[i], i in right) for i, c in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def peak_rss_mb() -> float:
    """The process's peak resident set size so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def current_rss_mb() -> float | None:
    """The process's resident set size now, in MB (Linux only; None elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * resource.getpagesize() / (1024 * 1024)
