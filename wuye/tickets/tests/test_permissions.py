"""Permission matrix of the tickets app: every page and endpoint as every role, in and out of scope.

The cases live beside the code they cover (``cases_*.py``) and are collected here, where
``core/tests/test_coverage.py`` looks for them.
"""

from wuye.core.testing.matrix import matrix_tests

from .cases_api import CASES as API_CASES
from .cases_imports import CASES as IMPORT_CASES
from .cases_pages import CASES as PAGE_CASES
from .cases_reports import CASES as REPORT_CASES

CASES = [*PAGE_CASES, *REPORT_CASES, *API_CASES, *IMPORT_CASES]

test_matrix = matrix_tests(CASES)
