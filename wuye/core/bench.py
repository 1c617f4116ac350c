"""Benchmark operations (``manage.py bench``): what is measured, and the users it is measured as.

Every installed ``wuye.*`` app may have a ``bench.py`` with

- ``setup(ctx)``: prepare what its operations need, e.g. give the bench agent the estates they serve, and put
  sample values in ``ctx.samples`` (a customer to look up) and figures in ``ctx.info`` (the data size);
  ``ctx.runs_of(name)`` tells how many requests an operation will make in this bench run (0 when it is not
  selected), so a set-up can prepare one fresh object per request for operations that change data;
- ``OPERATIONS``: a list of ``Operation``; each names its page by URL name, so an operation whose view does
  not exist (yet) is reported as skipped instead of failing.

``setup`` runs in app order (core, org, estates, …) for every app, also when only some apps' operations are
measured (an app's set-up may rely on a lower app's), inside the command's transaction, which is rolled back
at the end: the users, staff records, sessions, audit events and whatever POST operations created or changed
leave no trace.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User

from .roles import Role


@dataclass
class BenchContext:
    users: dict[str, User]                              # role -> the user measured as that role
    options: dict
    samples: dict = field(default_factory=dict)         # values operations need, filled by setup()
    info: dict = field(default_factory=dict)            # the data size, printed with the results
    runs: dict[str, int] = field(default_factory=dict)  # operation name -> requests it will make (all roles)

    def runs_of(self, name: str) -> int:
        """How many requests the operation ``name`` makes in this bench run, over all its roles (warm-up,
        measured and memory runs); 0 when it is not selected."""
        return self.runs.get(name, 0)


def _takes_run(func: Callable) -> bool:
    """Whether ``func`` takes the run index as a second positional argument (``f(ctx, i)``) or not
    (``f(ctx)``, the original form of ``args`` and ``query``)."""
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):  # a builtin without a signature: assume the original form
        return False
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return True
    return len([p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]) >= 2


@dataclass
class Operation:
    """One named request. ``args``/``query`` take the context and return URL arguments / GET parameters, or
    None when the data they need is missing (the operation is then skipped). They may also take the run index
    as a second argument (``args(ctx, i)``) to request a different object in each run.

    ``method="post"`` sends ``data(ctx, i)`` (the form fields of run ``i``; None: skipped) as a form POST:
    ``i`` counts every request of the operation in one bench run (warm-up, measured and memory runs, of all
    its roles, from 0 to ``ctx.runs_of(name) - 1``), so each run can act on a fresh object prepared by
    ``setup``. A POST succeeds with a redirect (3xx), a GET with any status below 400."""

    name: str
    url_name: str
    description: str = ""
    args: Callable[..., list | None] | None = None
    query: Callable[..., dict | None] | None = None
    roles: tuple[str, ...] = (Role.AGENT, Role.CS_MANAGER)
    max_repeat: int | None = None     # heavy operations (exports) run at most this many times…
    warmup: bool = True               # …and may skip the warm-up run
    method: str = "get"               # "get" or "post"
    data: Callable[[BenchContext, int], dict | None] | None = None

    def __post_init__(self):
        self.method = self.method.lower()
        if self.method not in ("get", "post"):
            raise ValueError(f"bench operation {self.name}: method must be 'get' or 'post', not {self.method!r}")
        self._per_run = {name: _takes_run(func) for name in ("args", "query", "data")
                         if (func := getattr(self, name)) is not None}

    def _value(self, name: str, ctx: BenchContext, run: int, default):
        func = getattr(self, name)
        if func is None:
            return default
        return func(ctx, run) if self._per_run[name] else func(ctx)

    def request_for(self, ctx: BenchContext, run: int) -> tuple[list, dict, dict] | None:
        """(URL arguments, GET parameters, POST data) of run ``run``, or None when sample data is missing."""
        args = self._value("args", ctx, run, [])
        query = self._value("query", ctx, run, {})
        data = self._value("data", ctx, run, {})
        if args is None or query is None or data is None:
            return None
        return args, query, data

    def runs_per_role(self, options: dict) -> int:
        """Requests of this operation for one role: warm-up, measured and (unless ``--no-memory``) memory."""
        repeat = max(1, min(options["repeat"], self.max_repeat or options["repeat"]))
        warmup = max(0, options["warmup"]) if self.warmup else 0
        return warmup + repeat + (0 if options.get("no_memory") else 1)

    def succeeded(self, status: int) -> bool:
        return 300 <= status < 400 if self.method == "post" else status < 400


def setup(ctx: BenchContext) -> None:
    """The bench users: an agent and a customer-service manager (names that cannot clash with real users)."""
    for role in (Role.AGENT, Role.CS_MANAGER):
        user = User.objects.create(username=f"~bench-{role.value}", first_name=f"bench {role.value}")
        user.groups.set([Group.objects.get(name=role.value)])
        ctx.users[role.value] = user


OPERATIONS = [
    Operation("home", "home", "首页 / dashboard"),
]
