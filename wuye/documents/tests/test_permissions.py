"""Permission matrix of the documents app: every page and endpoint as every role, in and out of scope.

The cases live beside the code they cover (``cases_*.py``) and are collected here, where
``core/tests/test_coverage.py`` looks for them.
"""

from wuye.core.testing.matrix import matrix_tests

from .cases_api import CASES as API_CASES
from .cases_pages import CASES as PAGE_CASES

CASES = [*PAGE_CASES, *API_CASES]

test_matrix = matrix_tests(CASES)
