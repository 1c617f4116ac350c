"""Permission-matrix cases of the documents app: pages (collected by test_permissions.py)."""

CASES: list = []
