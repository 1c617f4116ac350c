"""What the surveys app shows on other pages (registered in ``SurveysConfig.ready``): ``DASHBOARD_PANELS`` on the
home page (a survey due under the company's schedule), ``ESTATE_PANELS`` on the estate page (the estate's
satisfaction across campaigns). Each is a function of the request (and the estate) returning a panel dict
(``template`` + context) or None when the user should not see it (see ``wuye/contracts/panels.py``)."""

from __future__ import annotations

import importlib

SUBJECTS = ("campaigns", "results")


def _collect(name: str) -> list:
    panels = []
    for subject in SUBJECTS:
        try:
            module = importlib.import_module(f"wuye.surveys.selectors.{subject}")
        except ModuleNotFoundError as exc:
            if exc.name != f"wuye.surveys.selectors.{subject}":
                raise
            continue
        panels += list(getattr(module, name, ()))
    return panels


DASHBOARD_PANELS = _collect("DASHBOARD_PANELS")
ESTATE_PANELS = _collect("ESTATE_PANELS")
