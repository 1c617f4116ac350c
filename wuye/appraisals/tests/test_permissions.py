"""The appraisals app's permission matrix, gathered for ``core/tests/test_coverage.py``: every page and API route
of the app appears in one subject's ``CASES`` (each subject's module runs its own matrix tests)."""

from .test_appraisals_permissions import CASES as APPRAISALS
from .test_forms_permissions import CASES as FORMS
from .test_reports_permissions import CASES as REPORTS

CASES = [*FORMS, *APPRAISALS, *REPORTS]
