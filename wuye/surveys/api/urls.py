"""API routes of the surveys app, one module per subject, each defining ``ROUTES``: questionnaires;
survey-campaigns (with ``results``); survey-responses."""

import importlib

SUBJECTS = ("questionnaires", "campaigns", "responses")

ROUTES: list = []
for _name in SUBJECTS:
    try:
        _module = importlib.import_module(f"wuye.surveys.api.{_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"wuye.surveys.api.{_name}":
            raise
        continue
    ROUTES += list(_module.ROUTES)
