"""``manage.py load_demo``: the demo installation (one company, three estates, one login per role).

Extensible: for every installed ``wuye.*`` app, in INSTALLED_APPS order, the command calls

    wuye.<app>.demo.load(*, stdout, style) -> list[DemoLogin] | None

when that module exists. A later app (tickets, documents…) adds its demo data by adding its own ``demo.py``;
it can rely on the data of the apps before it (core makes the users, org the staff, estates the customers).
``load`` may return ``wuye.core.demo.DemoLogin`` rows; rows for the same username are merged and printed at
the end as the table of logins.

Rules for a ``demo.py`` (see ``wuye/core/demo.py``):
- idempotent: find objects by a natural key and write only what differs (``ensure``), so running the
  command twice changes nothing and duplicates nothing;
- deterministic: a fixed random seed, no dates taken from the clock for data that is compared on re-runs;
- made as a user would: workflow changes through the app's services, acting as a demo user
  (``core.context.acting_as``), so history and audit events look natural; the search index follows saves.

Everything runs in one transaction: a failure leaves the database as it was.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from wuye.core.demo import DemoLogin
from wuye.core.management.cli import app_modules, render_table


class Command(BaseCommand):
    help = "Load the demo data of every app (idempotent) and print one login per role."

    def handle(self, *args, **options):
        started = time.perf_counter()
        logins: dict[str, DemoLogin] = {}
        with translation.override("zh-hans"), transaction.atomic():
            for _config, module in app_modules("demo"):
                load = getattr(module, "load", None)
                if load is None:
                    continue
                for row in load(stdout=self.stdout, style=self.style) or ():
                    merged = logins.setdefault(row.username, DemoLogin(username=row.username))
                    for attr in ("role", "password", "sees"):
                        if getattr(row, attr):
                            setattr(merged, attr, getattr(row, attr))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.perf_counter() - started:.1f} s."))
        if logins:
            rows = [[r.role, r.username, r.password, r.sees] for r in logins.values()]
            self.stdout.write("")
            headers = ["角色 Role", "用户名 Username", "密码 Password", "能看到什么 What they see"]
            self.stdout.write(render_table(headers, rows))
            self.stdout.write("")
