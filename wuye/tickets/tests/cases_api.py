"""Permission-matrix cases of the tickets app: api (collected by test_permissions.py)."""

CASES = []
