"""Permission-matrix cases of the documents app: the API (collected by test_permissions.py)."""

CASES: list = []
