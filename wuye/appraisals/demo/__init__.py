"""Demo data of the appraisals app (``manage.py load_demo``), one module per subject, loaded in this order (the
appraisals use the forms; the reports read the appraisals). A subject whose module is missing is skipped."""

from __future__ import annotations

import importlib

SUBJECTS = ("forms", "appraisals", "reports")


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
