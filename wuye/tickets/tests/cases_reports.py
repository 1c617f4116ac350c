"""Permission-matrix cases of the tickets app: reports (collected by test_permissions.py)."""

CASES = []
