"""load_demo (idempotent, one login per role), generate_data (valid bulk rows, searchable) and bench."""

import json
import random
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from wuye.core import bench as core_bench
from wuye.core import search
from wuye.core.demo import DEMO_USERS, demo_password
from wuye.core.management import fakedata
from wuye.core.management.cli import display_width, render_table
from wuye.core.models import AuditEvent, SearchEntry
from wuye.core.personal import digest, validate_mobile, validate_resident_id
from wuye.core.roles import Role
from wuye.estates.models import Customer, Estate, Occupancy, Unit
from wuye.org.models import Department, DepartmentInterface, Post, Staff
from wuye.org.selectors import pending_acknowledgements


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed}


def _load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_fake_personal_data_is_valid():
    rng = random.Random(5)
    for _ in range(2000):
        name, sex = fakedata.person(rng)
        assert 2 <= len(name) <= 4
        validate_mobile(fakedata.mobile(rng))
        number = fakedata.resident_id(rng, sex=sex)
        validate_resident_id(number)
        assert int(number[16]) % 2 == (1 if sex == "M" else 0)
    used: set[str] = set()
    mobiles = [fakedata.demo_mobile(rng, used) for _ in range(500)]
    assert len(set(mobiles)) == 500 and all(m[3:7] == "0000" for m in mobiles)
    assert len(fakedata.credit_code(rng)) == 18


def test_render_table_lines_up_chinese_text():
    lines = render_table(["角色", "user"], [["客服专员 agent", "agent"], ["业主", "resident"]]).splitlines()
    last = ["user", None, "agent", "resident"]
    starts = {display_width(line) - len(cell) for line, cell in zip(lines, last, strict=True) if cell}
    assert len(starts) == 1
    assert lines[1].startswith("----")


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_every_role_can_log_in():
    output = _load_demo()
    before = _counts()
    again = _load_demo()
    assert _counts() == before, "a second load_demo changed the number of rows of some model"
    assert "0 created or updated" in again and "0 job standard versions published now" in again

    for username, role, _name, _sees in DEMO_USERS:
        assert username in output and demo_password(username) in output
        assert Client().login(username=username, password=demo_password(username)), username
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role.value]
        if role == Role.RESIDENT:
            assert user.customer.occupancies.filter(unit__code="3-2-1201").exists()
        else:
            assert Staff.objects.filter(user=user).exists()
    assert User.objects.get(username="admin").is_superuser

    # organisation: the department, its interfaces, published standards, some (not all) confirmations
    cs = Department.objects.get(code="cs", name="客户服务部")
    assert "一分钟内取阅" in cs.responsibilities
    assert DepartmentInterface.objects.filter(department=cs, subject="报修派工", counterpart__name="工程部").exists()
    for post in Post.objects.all():
        assert post.current_standard is not None, post
    assert Post.objects.get(code="agent").standards.count() == 2
    pending = pending_acknowledgements()
    assert pending.exists() and pending.count() < Staff.objects.filter(status="active").count()

    # estates: three estates (the contracts demo adds two newer ones), scoping visible, valid personal data,
    # current and ended occupancies
    assert Estate.objects.filter(code__in=["yqya", "jghy", "qtmzy"]).count() == 3
    assert Unit.objects.count() > 300 and Customer.objects.count() > 300
    agent, agent2 = Staff.objects.get(user__username="agent"), Staff.objects.get(user__username="agent2")
    assert 0 < agent.estates.count() < 3 and not set(agent.estates.all()) & set(agent2.estates.all())
    for customer in Customer.objects.exclude(kind="developer"):
        validate_mobile(customer.mobile)
        validate_resident_id(customer.id_number)
    assert Occupancy.objects.filter(end_date__isnull=False).exists()
    assert Customer.objects.filter(kind="developer").count() == 1
    assert all(e.committees.filter(status="active").exists() for e in Estate.objects.filter(status="managed"))
    assert search.filter_queryset(Customer.objects.all(), "李梅").exists()


@pytest.mark.django_db
def test_generate_data_makes_valid_searchable_rows():
    out = StringIO()
    call_command("generate_data", customers=60, units=50, estates=2, seed=7, stdout=out)
    assert "peak memory" in out.getvalue()
    estates = Estate.objects.filter(code__startswith="gen")
    assert estates.count() == 2
    customers = Customer.objects.filter(estate__in=estates)
    units = Unit.objects.filter(estate__in=estates)
    assert customers.count() == 60 and units.count() == 50
    codes = list(units.values_list("estate_id", "code"))
    assert len(codes) == len(set(codes))
    assert all(u.code == f"{u.building.number}-{u.entrance}-{u.number}" and u.estate_id == u.building.estate_id
               for u in units.select_related("building"))
    for customer in customers:
        validate_mobile(customer.mobile)
        validate_resident_id(customer.id_number)
        assert customer.id_number_digest == digest(customer.id_number)
        assert customer.mobile_tail == customer.mobile[-4:]
        occupancy = customer.occupancies.get()
        assert occupancy.unit.estate_id == customer.estate_id
        customer.full_clean()
    first = customers.order_by("pk").first()
    assert first in search.filter_queryset(Customer.objects.all(), first.name)
    assert search.filter_queryset(Customer.objects.all(), first.occupancies.get().unit.code).filter(pk=first.pk)
    assert SearchEntry.objects.filter(object_id__in=customers.values("pk"), content_type__model="customer").count() \
        == 60
    assert not Customer.history.filter(id__in=customers.values("pk")).exists()  # no per-row history

    call_command("generate_data", customers=10, estates=1, seed=7, stdout=StringIO())
    assert Estate.objects.filter(code__startswith="gen").count() == 3  # a second run adds, never clashes


@pytest.mark.django_db
def test_bench_reports_every_operation_and_skips_missing_urls(monkeypatch):
    call_command("generate_data", customers=30, units=30, estates=2, stdout=StringIO())
    missing = core_bench.Operation("not_built_yet", "nowhere:missing", "a view nobody wrote")
    monkeypatch.setattr(core_bench, "OPERATIONS", [*core_bench.OPERATIONS, missing])
    users_before = User.objects.count()

    out = StringIO()
    call_command("bench", repeat=1, json=True, stdout=out)
    report = json.loads(out.getvalue())
    rows = {(r["operation"], r["role"]): r for key, r in report.items() if key != "_meta"}
    from wuye.estates import bench as estates_bench
    from wuye.org import bench as org_bench

    for op in [*core_bench.OPERATIONS, *org_bench.OPERATIONS, *estates_bench.OPERATIONS]:
        for role in op.roles:
            row = rows[(op.name, str(role))]
            assert not row["status"].startswith("error"), row
            if row["status"] != "skipped":
                assert row["median_ms"] > 0 and row["queries"] > 0 and row["peak_mb"] is not None
    assert rows[("not_built_yet", "agent")]["status"] == "skipped"
    assert "does not exist" in rows[("not_built_yet", "agent")]["note"]
    assert report["_meta"]["data"]["customers"] == 30
    assert User.objects.count() == users_before  # the bench users were rolled back

    table = StringIO()
    call_command("bench", repeat=1, no_memory=True, only=["home", "not_built_yet"], stdout=table)
    lines = table.getvalue().splitlines()
    assert sum(line.startswith("home ") for line in lines) == 2
    assert any(line.startswith("not_built_yet") and "skipped" in line for line in lines)


@pytest.mark.django_db
def test_bulk_load_drops_plain_indexes_and_builds_them_again():
    from django.db import connection

    from wuye.core.management import bulk

    table = AuditEvent._meta.db_table
    before = sorted(bulk._secondary_indexes(connection, table))
    assert before  # the audit log has plain indexes (occurred_at, event type, …)
    with bulk.indexes_dropped(AuditEvent) as dropped:
        assert dropped == len(before)
        assert bulk._secondary_indexes(connection, table) == []
    assert sorted(bulk._secondary_indexes(connection, table)) == before
    with pytest.raises(RuntimeError), bulk.indexes_dropped(AuditEvent):  # a failed load gets them back too
        raise RuntimeError("load failed")
    assert sorted(bulk._secondary_indexes(connection, table)) == before
