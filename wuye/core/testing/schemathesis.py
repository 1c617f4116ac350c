"""schemathesis over the project's OpenAPI schema, inside a pytest-django test transaction.

``wuye/core/tests/test_schemathesis.py`` uses this for every role of the matrix: every operation of the schema
(so the API of an app that lands later is covered without edits) gets a few generated requests through the
Django WSGI application, each answer checked for a server error, for a status code the operation documents
(every operation documents 400/401/403/404 through ``core.api.schema.document_errors``) and against the schema.

- The schema is the one ``/api/schema/`` serves (drf-spectacular's generator, built once per process).
- Requests go through ``WSGIHandler`` in the test's thread, so they see the test's rows and their writes are
  rolled back with the test. Django closes "old" connections when a request starts and ends; the test client
  switches that off for its requests, and ``test_transaction_requests()`` does the same here (otherwise the
  first request would close the connection that holds the test transaction).
- Authentication is the API's token (``Authorization: Token …``), as an API client of that role would use.
- Path ids are real objects where one exists (one the role may see, else any), so detail pages and actions are
  exercised instead of answering 404 to random numbers.
- Reproducible: hypothesis runs derandomized, without example database and without shrinking.
"""

from __future__ import annotations

import functools
import re
import sys
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.signals import got_request_exception, request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
METHODS = ("get", "post", "put", "patch", "delete")
_PARAM = re.compile(r"\{([^}]+)\}")


@dataclass
class Failure:
    role: str
    operation: str
    request: str
    status: int
    problem: str
    traceback: str = ""

    def __str__(self) -> str:
        text = f"[{self.role}] {self.operation}: {self.request} -> {self.status}\n    {self.problem}"
        if self.traceback:
            text += "\n    " + self.traceback.strip().replace("\n", "\n    ")
        return text


@functools.cache
def api_schema():
    """The schemathesis schema of /api/schema/, bound to the Django WSGI application (built once per process)."""
    import schemathesis
    from drf_spectacular.generators import SchemaGenerator

    raw = _partial_times(SchemaGenerator().get_schema(request=None, public=True))
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = get_wsgi_application()
    return schema


def _partial_times(node):
    """``format: time`` is JSON Schema's RFC 3339 full-time, which needs an offset; DRF (and the pages) answer
    times of day as ``14:00:00``. Checked by a pattern instead, so a wrong value still fails."""
    if isinstance(node, dict):
        if node.get("format") == "time":
            node = {k: v for k, v in node.items() if k != "format"}
            node["pattern"] = r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"
        return {k: _partial_times(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_partial_times(v) for v in node]
    return node


def operations() -> list:
    """Every operation of the schema, by label (``GET /api/v1/units/{id}/``)."""
    found = []
    for result in api_schema().get_all_operations():
        found.append(result.ok())  # an operation the schema cannot describe is itself a failure: raise here
    return sorted(found, key=lambda op: op.label)


def operation_labels() -> list[str]:
    schema = api_schema().raw_schema
    return sorted(f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item
                  if method in METHODS)


@contextmanager
def test_transaction_requests() -> Iterator[list[str]]:
    """Keep the test's connection open across WSGI requests; yield a list that collects the tracebacks of
    exceptions raised inside views (logged by Django, answered as 500)."""
    tracebacks: list[str] = []

    def record(sender, request=None, **kwargs):
        tracebacks.append("".join(traceback.format_exception(*sys.exc_info())[-12:]))

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(record, weak=False)
    try:
        yield tracebacks
    finally:
        got_request_exception.disconnect(record)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def token_headers(user) -> dict[str, str]:
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user)
    return {"Authorization": f"Token {token.key}"}


def model_of(path: str):
    """The model behind an operation's path (its viewset's queryset), or None."""
    probe = _PARAM.sub("1", path)
    try:
        match = resolve(probe)
    except Resolver404:
        return None
    view = getattr(match.func, "cls", None)
    queryset = getattr(view, "queryset", None)
    return getattr(queryset, "model", None)


def _model_for(name: str, model):
    """The model a path parameter names: ``id`` the view's own, ``<field>_pk`` the model itself or the model a
    foreign key of that name points to."""
    if name in ("id", "pk"):
        return model
    if not name.endswith("_pk"):
        return None
    field = name[:-3]
    if model._meta.model_name == field:
        return model
    try:
        return model._meta.get_field(field).related_model
    except Exception:  # noqa: BLE001 - no such field: leave the parameter to the generator
        return None


def _visible_pk(model, user):
    manager = model._default_manager
    pk = None
    if hasattr(manager, "restrict"):
        try:
            pk = manager.restrict(user, "view").order_by("pk").values_list("pk", flat=True).first()
        except Exception:  # noqa: BLE001 - a role without the permission: any object will do
            pk = None
    if pk is None:
        pk = manager.order_by("pk").values_list("pk", flat=True).first()
    return pk


def real_path_parameters(operation, user) -> dict[str, object]:
    """Real primary keys for ``{id}`` and ``{<field>_pk}``: of an object the user may see, else of any object (so the
    run is the same on SQLite and PostgreSQL, whose sequences differ). Other parameters stay generated."""
    model = model_of(operation.path)
    if model is None:
        return {}
    found = {}
    for name in _PARAM.findall(operation.path):
        target = _model_for(name, model)
        pk = _visible_pk(target, user) if target is not None else None
        if pk is not None:
            found[name] = pk
    return found


def fuzz_operation(operation, *, role: str, headers: dict, path_parameters: dict, max_examples: int,
                   tracebacks: list[str], statuses: Counter | None = None, generation_mode=None) -> list[Failure]:
    """Send up to ``max_examples`` generated requests to one operation; return what broke (no exception).
    ``statuses`` counts the answers by status code (to prove the run was not all 401/403/404)."""
    from schemathesis import GenerationMode

    failures: list[Failure] = []
    strategy = operation.as_strategy(generation_mode=generation_mode or GenerationMode.POSITIVE,
                                     path_parameters=path_parameters or None)

    @settings(max_examples=max_examples, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
              print_blob=False, report_multiple_bugs=False)
    @given(case=strategy)
    def run(case):
        del tracebacks[:]
        response = case.call(headers=headers)
        if statuses is not None:
            statuses[response.status_code] += 1
        request = f"{case.method} {case.formatted_path}"
        if case.query:
            request += f" query={case.query!r}"[:300]
        if case.body is not NOT_SET and not isinstance(case.body, bytes):
            request += f" body={case.body!r}"[:600]
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except BaseException as exc:  # noqa: BLE001 - schemathesis raises Failure / FailureGroup
            failures.append(Failure(role, operation.label, request, response.status_code,
                                    _describe(exc), "\n".join(tracebacks)))

    run()
    return failures


def _describe(exc: BaseException) -> str:
    parts = getattr(exc, "exceptions", None) or [exc]
    lines = []
    for part in parts:
        title = getattr(part, "title", type(part).__name__)
        message = getattr(part, "message", str(part))
        lines.append(f"{title}: {message}"[:800])
    return "\n    ".join(lines)
