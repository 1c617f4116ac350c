"""The quality app's permission matrix, gathered for ``core/tests/test_coverage.py``: every page and API route
of the app appears in one subject's ``CASES`` (each subject's module runs its own matrix tests)."""

from .test_actions_permissions import CASES as ACTIONS
from .test_audits_permissions import CASES as AUDITS
from .test_communication_permissions import CASES as COMMUNICATION
from .test_plans_permissions import CASES as PLANS
from .test_policy_permissions import CASES as POLICY
from .test_reviews_permissions import CASES as REVIEWS
from .test_shared_permissions import CASES as SHARED

CASES = [*POLICY, *PLANS, *AUDITS, *ACTIONS, *REVIEWS, *COMMUNICATION, *SHARED]
