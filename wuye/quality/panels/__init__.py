"""What the quality app shows on the home page (registered in ``QualityConfig.ready``): each subject module may
define ``PANELS``, functions taking the request and returning a panel dict (``template`` + context) or None when the
user should not see it (see ``wuye/contracts/panels.py``)."""

from __future__ import annotations

import importlib

SUBJECTS = ("policy", "plans", "audits", "actions", "reviews", "communication")


def _collect() -> list:
    panels = []
    for name in SUBJECTS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        panels += list(getattr(module, "PANELS", ()))
    return panels


DASHBOARD_PANELS = _collect()
