"""Permission-matrix cases of the tickets app: imports (collected by test_permissions.py)."""

CASES = []
