"""Demo data of the surveys app (``manage.py load_demo``): one module per subject with ``load(*, stdout, style)``, in
order: campaigns (opened over the demo estates), responses (answers through every channel)."""

import importlib

SUBJECTS = ("questionnaires", "campaigns", "responses", "results")


def load(*, stdout, style) -> list:
    for name in SUBJECTS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.load(stdout=stdout, style=style)
    return []
