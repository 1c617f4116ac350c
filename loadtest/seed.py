"""Users for the load test: ``N`` agents and ``M`` residents on top of the demo (and generated) data.

Run by ``loadtest/run.sh`` after ``load_demo`` and ``generate_data``::

    DJANGO_SETTINGS_MODULE=config.settings.production .venv/bin/python loadtest/seed.py \
        --agents 50 --residents 200 --output var/loadtest/users.json

Agents (``lt_agent_NNN``, role 客服专员) get a staff record in the demo agent's department and post and serve every
estate; residents (``lt_res_NNN``, role 业主) are linked as the portal account of customers who live in a unit now.
Passwords are the demo ones (``<username>-demo``). Idempotent: a second run finds the same users.
The JSON written holds what the locust users need (credentials, staff id, estates, units, phone tails), so the
load test itself asks the server for nothing but the journeys it measures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--output", default=str(ROOT / "var" / "loadtest" / "users.json"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from wuye.core.context import acting_as
    from wuye.core.demo import demo_password, ensure_user
    from wuye.core.roles import Role
    from wuye.core.scope import forget
    from wuye.estates.models import Customer, Estate, Occupancy, Unit
    from wuye.org.models import Staff

    rng = random.Random(args.seed)
    today = timezone.localdate()
    current = (Occupancy.objects.filter(start_date__lte=today).exclude(end_date__lt=today))
    with transaction.atomic():
        admin = ensure_user("admin", role=Role.ADMIN, name="何伟", superuser=True)[0]
        template = Staff.objects.select_related("department", "post").filter(user__username="agent").first()
        if template is None:
            print("seed: run `manage.py load_demo` first (no demo agent)", file=sys.stderr)
            return 1
        estates = list(Estate.objects.order_by("pk"))
        agents = []
        with acting_as(admin):
            for n in range(1, args.agents + 1):
                username = f"lt_agent_{n:03d}"
                user, _ = ensure_user(username, role=Role.AGENT, name=f"压测客服{n:03d}")
                staff = Staff.objects.filter(user=user).first()
                if staff is None:
                    staff = Staff(user=user, employee_no=f"LT-A{n:04d}", name=f"压测客服{n:03d}",
                                  department=template.department, post=template.post)
                    staff.full_clean()
                    staff.save()
                for estate in estates:
                    estate.staff.add(staff)
                forget(user)
                agents.append((user, staff))

            # Residents: customers living in a unit now, one portal account each.
            linked = list(Customer.objects.filter(user__username__startswith="lt_res_")
                          .values_list("user__username", "pk"))
            taken = dict(linked)
            free = list(Customer.objects.filter(user__isnull=True, pk__in=current.values("customer"))
                        .order_by("pk").values_list("pk", flat=True)[: args.residents * 2])
            residents = []
            for n in range(1, args.residents + 1):
                username = f"lt_res_{n:03d}"
                user, _ = ensure_user(username, role=Role.RESIDENT, name=f"压测业主{n:03d}")
                customer_id = taken.get(username)
                if customer_id is None:
                    if not free:
                        print(f"seed: only {n - 1} customers live in a unit and have no portal account; "
                              "generate more (manage.py generate_data --customers N)", file=sys.stderr)
                        return 1
                    customer_id = free.pop(0)
                    Customer.objects.filter(pk=customer_id).update(user=user)
                units = list(current.filter(customer_id=customer_id).values_list("unit_id", flat=True))
                residents.append({"username": username, "password": demo_password(username), "units": units})

    estate_ids = [e.pk for e in estates]
    units_by_estate = {}
    for estate_id in estate_ids:
        ids = list(Unit.objects.filter(estate_id=estate_id).order_by("pk").values_list("pk", flat=True)[:2000])
        units_by_estate[str(estate_id)] = rng.sample(ids, min(len(ids), 200))
    tails = list(Customer.objects.exclude(mobile_tail="").exclude(mobile_tail__isnull=True)
                 .values_list("mobile_tail", flat=True)[:5000])
    data = {
        "agents": [{"username": u.username, "password": demo_password(u.username), "staff": s.pk,
                    "estates": estate_ids} for u, s in agents],
        "residents": residents,
        "units_by_estate": units_by_estate,
        "phone_tails": rng.sample(tails, min(len(tails), 500)),
    }
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"seed: {len(agents)} agents, {len(residents)} residents, {len(estate_ids)} estates -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
