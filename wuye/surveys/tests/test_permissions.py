"""The surveys app's permission matrix, gathered for ``core/tests/test_coverage.py``: every page and API route of the
app appears in one subject's ``CASES`` (each subject's module ``test_<subject>_permissions.py`` runs its own matrix
tests)."""

import importlib

CASES: list = []
for _name in ("questionnaires", "campaigns", "responses", "results"):
    try:
        _module = importlib.import_module(f"wuye.surveys.tests.test_{_name}_permissions")
    except ModuleNotFoundError as exc:
        if exc.name != f"wuye.surveys.tests.test_{_name}_permissions":
            raise
        continue
    CASES += list(_module.CASES)
