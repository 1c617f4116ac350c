"""schemathesis over the OpenAPI schema, for each role: no 5xx, no response that breaks the schema.

Every operation of /api/schema/ (apps that land later included, nothing is listed here) gets a few generated
requests as every role of the permission matrix, with the API token of that role's user of the test world, path
ids pointing at real objects. Unsafe methods run too; their writes are rolled back with the test.

Operations known to break are listed in ``KNOWN_BROKEN`` with the cause: they are left out of the per-role runs
and checked in ``test_known_broken`` as strict xfails, so a fix shows up as an unexpected pass.
"""

from __future__ import annotations

from collections import Counter

import pytest

from wuye.core.testing import schemathesis as st_api
from wuye.core.testing.matrix import ALL_ROLES

MAX_EXAMPLES = 2  # per operation and role: the suite must stay fast; CI reproducible (derandomized)

# "METHOD /path" -> precise cause. Keep it empty; an entry is a bug to fix, not a way to silence one.
KNOWN_BROKEN: dict[str, str] = {}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_operation_as_role(role, world):
    user = world.users[role]
    headers = st_api.token_headers(user)
    failures = []
    seen = 0
    statuses: Counter = Counter()
    with st_api.test_transaction_requests() as tracebacks:
        for operation in st_api.operations():
            if operation.label in KNOWN_BROKEN:
                continue
            seen += 1
            failures += st_api.fuzz_operation(
                operation, role=role, headers=headers, max_examples=MAX_EXAMPLES, tracebacks=tracebacks,
                statuses=statuses, path_parameters=st_api.real_path_parameters(operation, user))
    assert seen > 100, f"the schema lists only {seen} operations"
    # Not a vacuous run: the token authenticates, and every role has operations that answer (2xx).
    assert statuses[401] == 0, statuses
    assert sum(n for code, n in statuses.items() if 200 <= code < 300) >= 10, statuses
    broken = sorted({f.operation for f in failures})
    assert not failures, (f"{len(broken)} operation(s) broke as {role}: {broken}\n\n"
                          + "\n\n".join(str(f) for f in failures[:40]))


@pytest.mark.django_db
@pytest.mark.parametrize("label", [pytest.param(label, marks=pytest.mark.xfail(strict=True, reason=reason))
                                   for label, reason in sorted(KNOWN_BROKEN.items())])
def test_known_broken(label, world):
    failures = []
    with st_api.test_transaction_requests() as tracebacks:
        operation = next(op for op in st_api.operations() if op.label == label)
        for role in ALL_ROLES:
            user = world.users[role]
            failures += st_api.fuzz_operation(
                operation, role=role, headers=st_api.token_headers(user), max_examples=MAX_EXAMPLES,
                tracebacks=tracebacks, path_parameters=st_api.real_path_parameters(operation, user))
    assert not failures, "\n\n".join(str(f) for f in failures)


@pytest.mark.django_db
def test_reads_over_demo_data():
    """The world above has no tickets, documents, surveys…: every read again over ``load_demo``'s data, as each
    role's demo user, so list and detail answers with real rows (nulls, nested objects) meet their schema."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    failures = []
    statuses: Counter = Counter()
    with st_api.test_transaction_requests() as tracebacks:
        reads = [op for op in st_api.operations() if op.method.upper() == "GET" and op.label not in KNOWN_BROKEN]
        for role in ALL_ROLES:
            user = User.objects.filter(groups__name=role, is_active=True).order_by("pk").first()
            assert user is not None, f"load_demo made no {role}"
            headers = st_api.token_headers(user)
            for operation in reads:
                failures += st_api.fuzz_operation(
                    operation, role=role, headers=headers, max_examples=1, tracebacks=tracebacks,
                    statuses=statuses, path_parameters=st_api.real_path_parameters(operation, user))
    assert statuses[401] == 0 and sum(n for code, n in statuses.items() if code == 200) >= 100, statuses
    broken = sorted({f"{f.operation} as {f.role}" for f in failures})
    assert not failures, (f"{len(broken)} read(s) broke over the demo data: {broken}\n\n"
                          + "\n\n".join(str(f) for f in failures[:40]))


@pytest.mark.django_db
def test_no_operation_hard_deletes(world):
    """The API offers no DELETE (transitions are POST actions); should one appear, it must keep the row."""
    admin = world.users["admin"]
    headers = st_api.token_headers(admin)
    with st_api.test_transaction_requests():
        for operation in st_api.operations():
            if operation.method.upper() != "DELETE":
                continue
            params = st_api.real_path_parameters(operation, admin)
            model = st_api.model_of(operation.path)
            if not params or model is None:
                continue
            case = operation.Case(path_parameters=params)
            case.call(headers=headers)
            assert model._base_manager.filter(pk=params["id"]).exists(), f"{operation.label} hard-deleted a row"


def test_known_broken_are_operations_of_the_schema():
    labels = set(st_api.operation_labels())
    assert set(KNOWN_BROKEN) <= labels, sorted(set(KNOWN_BROKEN) - labels)
