"""Benchmark operations (``manage.py bench``): what is measured, and the users it is measured as.

Every installed ``wuye.*`` app may have a ``bench.py`` with

- ``setup(ctx)``: prepare what its operations need, e.g. give the bench agent the estates they serve, and put
  sample values in ``ctx.samples`` (a customer to look up) and figures in ``ctx.info`` (the data size);
- ``OPERATIONS``: a list of ``Operation``; each names its page by URL name, so an operation whose view does
  not exist (yet) is reported as skipped instead of failing.

``setup`` runs in app order (core, org, estates, …), inside the command's transaction, which is rolled back
at the end: the users, staff records, sessions and audit events of a bench run leave no trace.
"""

from __future__ import annotations

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


@dataclass
class Operation:
    """One named request. ``args``/``query`` take the context and return URL arguments / GET parameters, or
    None when the data they need is missing (the operation is then skipped)."""

    name: str
    url_name: str
    description: str = ""
    args: Callable[[BenchContext], list | None] | None = None
    query: Callable[[BenchContext], dict | None] | None = None
    roles: tuple[str, ...] = (Role.AGENT, Role.CS_MANAGER)
    max_repeat: int | None = None     # heavy operations (exports) run at most this many times…
    warmup: bool = True               # …and may skip the warm-up run


def setup(ctx: BenchContext) -> None:
    """The bench users: an agent and a customer-service manager (names that cannot clash with real users)."""
    for role in (Role.AGENT, Role.CS_MANAGER):
        user = User.objects.create(username=f"~bench-{role.value}", first_name=f"bench {role.value}")
        user.groups.set([Group.objects.get(name=role.value)])
        ctx.users[role.value] = user


OPERATIONS = [
    Operation("home", "home", "首页 / dashboard"),
]
