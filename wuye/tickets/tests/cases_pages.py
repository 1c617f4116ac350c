"""Permission-matrix cases of the tickets app: pages (collected by test_permissions.py)."""

CASES = []
