"""Demo data of the quality system (``manage.py load_demo``), one module per subject, loaded in this order (later
subjects use earlier ones: corrective actions come from audit findings, the management review compiles them)."""

from __future__ import annotations

import importlib

SUBJECTS = ("policy", "plans", "audits", "actions", "reviews", "communication")


def load(*, stdout, style):
    logins = []
    for name in SUBJECTS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        logins += module.load(stdout=stdout, style=style) or []
    return logins
