"""``manage.py bench``: app labels, POST operations through the real views, the JSON shape, the rollback."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models.signals import post_save

from wuye.core.bench import BenchContext, Operation
from wuye.tickets.choices import TicketKind, TicketStatus
from wuye.tickets.models import Ticket, TicketEvent
from wuye.tickets.tests.factories import make_ticket

TICKET_OPERATIONS = {"ticket_list", "ticket_search", "ticket_page", "ticket_create", "ticket_assign",
                     "complaint_stats_year", "complaint_register"}


def _bench(*args) -> dict:
    out = StringIO()
    call_command("bench", *args, "--json", "--repeat", "2", "--warmup", "0", "--no-memory", stdout=out,
                 stderr=StringIO())
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_bench_tickets_measures_every_operation_through_the_views_and_rolls_back(world):
    # No 水电 ticket on unit 3-2-1201 yet: the first intake run there is no duplicate.
    make_ticket(world, category=None, title="楼道灯不亮")
    make_ticket(world, kind=TicketKind.COMPLAINT, category=None, title="投诉：楼上漏水")
    make_ticket(world, estate=world.estate_b, category=None)
    before = {"tickets": Ticket.objects.count(), "events": TicketEvent.objects.count(),
              "users": User.objects.count()}
    saved = []

    def record(sender, instance, created, **kwargs):
        saved.append((instance.pk, created, instance.status, instance.title, instance.unit_id))

    post_save.connect(record, sender=Ticket, dispatch_uid="test_bench_record")
    try:
        report = _bench("tickets")
    finally:
        post_save.disconnect(sender=Ticket, dispatch_uid="test_bench_record")

    operations = {key: row for key, row in report.items() if key != "_meta"}
    assert {row["operation"] for row in operations.values()} == TICKET_OPERATIONS  # nothing of other apps
    for name in TICKET_OPERATIONS:
        row = report[name]
        assert isinstance(row["median_ms"], float) and isinstance(row["p95_ms"], float), row
        assert row["p95_ms"] >= row["median_ms"] > 0 and isinstance(row["queries"], int) and row["queries"] > 0
        assert row["ok"] is True, row
    # the figures are the agent's; the manager's run has its own key; the reports are the manager's
    assert report["ticket_list"]["role"] == "agent" and report["ticket_list (cs_manager)"]["role"] == "cs_manager"
    assert report["complaint_stats_year"]["role"] == "cs_manager" and "complaint_stats_year (agent)" not in report
    assert report["ticket_search"]["status"] == "200" and report["ticket_page"]["status"] == "200"
    for key in ("ticket_create", "ticket_create (cs_manager)", "ticket_assign", "ticket_assign (cs_manager)"):
        assert report[key]["method"] == "POST" and report[key]["status"] == "302", report[key]
    assert report["_meta"]["data"]["tickets"] == 3 and report["_meta"]["database"]

    # ticket creation went through the intake form: 2 runs x 2 roles, the first on the caller's unit
    created = [s for s in saved if s[1] and "厨房水管漏水" in s[3]]
    assert len(created) == 4 and len({s[0] for s in created}) == 4
    assert created[0][4] == world.unit_a.pk
    assert report["ticket_create (cs_manager)"]["redirect"] == f"/tickets/{created[-1][0]}/"
    # the transition assigned a fresh accepted ticket in each run
    pool = {s[0] for s in saved if s[1] and "电梯厅照明不亮" in s[3]}
    assigned = {s[0] for s in saved if not s[1] and s[2] == TicketStatus.ASSIGNED}
    assert len(pool) == 4 and assigned == pool
    assert report["ticket_assign"]["url"] != report["ticket_assign (cs_manager)"]["url"]

    # … and the run left nothing behind
    assert not Ticket.objects.filter(pk__in=[s[0] for s in saved]).exists()
    assert {"tickets": Ticket.objects.count(), "events": TicketEvent.objects.count(),
            "users": User.objects.count()} == before


@pytest.mark.django_db
def test_bench_app_labels_limit_the_operations(world):
    report = _bench("core")
    assert set(report) == {"home", "home (cs_manager)", "_meta"}
    assert report["home"]["ok"] and report["_meta"]["apps"] == ["core"]

    table = StringIO()
    call_command("bench", "core", "--repeat", "1", "--warmup", "0", "--no-memory", "--only", "home",
                 stdout=table, stderr=StringIO())
    lines = table.getvalue().splitlines()
    assert sum(line.startswith("home ") for line in lines) == 2
    assert not any(line.startswith(("ticket_", "customer_")) for line in lines)

    with pytest.raises(CommandError, match="nosuchapp"):
        call_command("bench", "nosuchapp", stdout=StringIO())


def test_operation_callables_take_the_run_index_or_not():
    ctx = BenchContext(users={}, options={})
    op = Operation("x", "x", args=lambda ctx: [1], query=lambda ctx, run: {"n": run},
                   method="POST", data=lambda ctx, run: {"run": run} if run < 2 else None)
    assert op.method == "post"
    assert op.request_for(ctx, 1) == ([1], {"n": 1}, {"run": 1})
    assert op.request_for(ctx, 2) is None
    assert op.runs_per_role({"repeat": 3, "warmup": 1, "no_memory": False}) == 5
    assert op.succeeded(302) and not op.succeeded(200)
    assert Operation("y", "y").succeeded(200) and not Operation("y", "y").succeeded(404)
    with pytest.raises(ValueError):
        Operation("z", "z", method="put")
