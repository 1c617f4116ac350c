"""The appraisals app's permission matrix, gathered for ``core/tests/test_coverage.py``: every page and API route
of the app appears in one subject's ``CASES`` (each subject's module runs its own matrix tests)."""

from .test_forms_permissions import CASES as FORMS

CASES = [*FORMS]
