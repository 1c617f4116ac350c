"""Pages of the surveys app, one module per subject, each defining ``urlpatterns``."""

import importlib

SUBJECTS = ("questionnaires", "campaigns", "responses", "results")

urlpatterns: list = []
for _name in SUBJECTS:
    try:
        _module = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{_name}":
            raise
        continue
    urlpatterns += list(_module.urlpatterns)
