"""The home page per role (issue 9): every number equals the rows of the list its link opens (followed with the
test client as the same user), and an independent count made here from the plain conditions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from wuye.contracts.models import Contract
from wuye.contracts.tests.factories import signed
from wuye.documents.choices import LoanMedium, LoanState
from wuye.documents.models import Loan
from wuye.documents.tests.factories import make_document
from wuye.quality.models import CorrectiveAction
from wuye.quality.tests.factories_actions import in_state, raised
from wuye.quality.tests.factories_policy import published_policy
from wuye.tickets import services as tickets
from wuye.tickets.choices import OPEN_STATUSES, Priority, TicketKind, TicketStatus
from wuye.tickets.models import Ticket
from wuye.tickets.tests.factories import make_ticket, resolved

pytestmark = pytest.mark.django_db

# figures whose link opens a paginated list of exactly the rows counted
LIST_FIGURES = {"today", "this_month", "last_month", "urgent_complaints", "overdue_complaints", "callbacks_due",
                "callbacks_overdue", "mine", "mine_overdue", "expiring_contracts", "overdue_loans", "open_actions",
                "review_actions_overdue"}


@pytest.fixture
def desk(world):
    """Tickets in two estates (the agent serves only A): urgent complaints, overdue tickets, callbacks due (one
    overdue), some assigned to the agent; last month's tickets; a paper loan overdue; corrective actions open and
    closed; a contract ending within 30 days."""
    from wuye.tickets.models import TicketSettings

    TicketSettings.current()
    TicketSettings.objects.update(repair_callback_percent=100)  # every resolved repair waits for a callback
    now = timezone.now()
    agent = world.staff["agent"]
    long_ago = now - dt.timedelta(days=3)
    # estate A
    urgent = make_ticket(world, title="楼道漏水投诉", kind=TicketKind.COMPLAINT, priority=Priority.URGENT,
                         category=None, reported_at=long_ago)
    tickets.ticket_assign(actor=world.users["cs_manager"], ticket=urgent, assignee=agent)
    late = make_ticket(world, title="电梯异响", reported_at=long_ago, assignee=agent)
    make_ticket(world, title="门禁卡失灵", assignee=agent)
    complaint_done = make_ticket(world, title="噪音投诉", kind=TicketKind.COMPLAINT, category=None)
    resolved(world, complaint_done)
    repair_done = resolved(world, make_ticket(world, title="水龙头更换"))
    # estate B (out of the agent's scope)
    make_ticket(world, estate=world.estate_b, title="车库积水投诉", kind=TicketKind.COMPLAINT,
                priority=Priority.URGENT, category=None, reported_at=long_ago)
    b_done = make_ticket(world, estate=world.estate_b, title="草坪修剪投诉", kind=TicketKind.COMPLAINT, category=None)
    tickets.ticket_assign(actor=world.users["cs_manager"], ticket=b_done, department=world.department)
    tickets.ticket_start(actor=world.users["cs_manager"], ticket=b_done)
    tickets.ticket_resolve(actor=world.users["cs_manager"], ticket=b_done, resolution="已修剪")
    # last month, both estates
    first = timezone.localdate().replace(day=1)
    last_month = timezone.make_aware(dt.datetime.combine(first - dt.timedelta(days=3), dt.time(10)))
    make_ticket(world, title="上月报修", reported_at=last_month)
    make_ticket(world, estate=world.estate_b, title="上月报修B", reported_at=last_month)
    tickets.tickets_escalate(now=now)
    # callbacks: one past its due time (set directly: three days of waiting are not worth a sleeping test)
    required = Ticket.objects.filter(status=TicketStatus.RESOLVED, callback_required=True)
    assert required.count() >= 2
    Ticket.objects.filter(pk=required.order_by("pk").first().pk).update(callback_due=now - dt.timedelta(hours=1))
    # a paper loan past its end (moved there directly: a loan cannot be asked for the past), one still running
    overdue_loan = paper_loan(world, "保洁合同")
    paper_loan(world, "绿化合同")
    Loan.objects.filter(pk=overdue_loan.pk).update(starts_at=now - dt.timedelta(hours=3),
                                                    ends_at=now - dt.timedelta(hours=2))
    # corrective actions: two open, one closed
    raised(world)
    in_state(world, "action_plan")
    in_state(world, "closed")
    # contracts: one ending within 30 days, one in three years
    signed(world, start=timezone.localdate() - dt.timedelta(days=335), end=timezone.localdate() + dt.timedelta(days=30))
    return {"late": late, "urgent": urgent, "repair_done": repair_done}


def paper_loan(world, title: str) -> Loan:
    from wuye.documents import services as documents

    now = timezone.now()
    document = make_document(world, path="合同", title=title, confidentiality="internal")
    loan = documents.loan_request(actor=world.users["cs_manager"], document=document, purpose="核对",
                                  medium=LoanMedium.PAPER, starts_at=now - dt.timedelta(hours=1),
                                  ends_at=now + dt.timedelta(days=1))
    documents.loan_approve(actor=world.users["document_controller"], loan=loan)
    return documents.loan_lend(actor=world.users["document_controller"], loan=loan)


def home_panel(client, template: str):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    for panel in response.context["panels"]:
        if panel["template"] == template:
            return panel, response
    return None, response


def list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["table"].paginator.count


def check_links(client, figures) -> dict:
    """Follow every list figure's link; each list holds exactly the number shown. Returns {key: value}."""
    values = {}
    for figure in figures:
        values[figure["key"]] = figure["value"]
        if figure["key"] in LIST_FIGURES:
            assert list_count(client, figure["url"]) == figure["value"], figure["key"]
    return values


def visible(user):
    return Ticket.objects.restrict(user)


def test_agent_sees_their_work_each_number_the_list_behind_it(world, desk, client_for):
    client = client_for("agent")
    panel, response = home_panel(client, "reports/dashboard/agent.html")
    assert panel is not None
    values = check_links(client, panel["figures"])
    now = timezone.now()
    mine = Ticket.objects.filter(estate=world.estate_a, assignee=world.staff["agent"], status__in=OPEN_STATUSES)
    a_tickets = Ticket.objects.filter(estate=world.estate_a)
    callbacks = a_tickets.filter(status=TicketStatus.RESOLVED, callback_required=True)
    assert values["mine"] == mine.count() == 3
    assert values["mine_overdue"] == mine.filter(is_overdue=True).count() >= 1
    assert values["urgent_complaints"] == a_tickets.filter(
        kind=TicketKind.COMPLAINT, priority=Priority.URGENT, status__in=OPEN_STATUSES).count() == 1
    assert values["callbacks_due"] == callbacks.count() == 2  # estate B's is not counted
    assert values["callbacks_overdue"] == callbacks.filter(callback_due__lt=now).count()
    # the out-of-scope estate's urgent complaint is not counted; the manager's panel is not shown to an agent
    assert Ticket.objects.filter(kind=TicketKind.COMPLAINT, priority=Priority.URGENT,
                                 status__in=OPEN_STATUSES).count() == 2
    templates = [p["template"] for p in response.context["panels"]]
    assert "reports/dashboard/manager.html" not in templates
    assert "reports/dashboard/executive.html" not in templates
    assert templates[0] == "reports/dashboard/agent.html"  # the role's own figures first
    assert b'dashboard-figure figure-mine"' in response.content


def test_manager_key_figures_equal_their_lists(world, desk, client_for):
    client = client_for("cs_manager")
    panel, response = home_panel(client, "reports/dashboard/manager.html")
    assert panel is not None
    values = check_links(client, panel["figures"])
    now = timezone.now()
    today = timezone.localdate()
    first = today.replace(day=1)
    last_first = (first - dt.timedelta(days=1)).replace(day=1)
    local = [timezone.localtime(t.reported_at).date() for t in Ticket.objects.all()]
    assert values["today"] == sum(1 for d in local if d == today) >= 4
    assert values["this_month"] == sum(1 for d in local if first <= d <= today)
    assert values["last_month"] == sum(1 for d in local if last_first <= d < first) == 2
    open_complaints = Ticket.objects.filter(kind=TicketKind.COMPLAINT, status__in=OPEN_STATUSES)
    assert values["urgent_complaints"] == open_complaints.filter(priority=Priority.URGENT).count() == 2
    assert values["overdue_complaints"] == open_complaints.filter(is_overdue=True).count() >= 1
    callbacks = Ticket.objects.filter(status=TicketStatus.RESOLVED, callback_required=True)
    assert values["callbacks_due"] == callbacks.count() == 3  # both estates
    assert values["callbacks_overdue"] == callbacks.filter(callback_due__lt=now).count() == 1
    assert values["expiring_contracts"] == Contract.objects.filter(
        valid_to__gte=today, valid_to__lte=today + dt.timedelta(days=90)).count() == 1
    assert values["overdue_loans"] == Loan.objects.filter(state=LoanState.LENT, medium=LoanMedium.PAPER,
                                                          ends_at__lte=now).count() == 1
    assert values["open_actions"] == CorrectiveAction.objects.exclude(state__in=["closed", "cancelled"]).count() == 2
    from wuye.estates.models import Estate

    assert values["surveys_due"] == Estate.objects.filter(status="managed").count()  # no campaign ever ran
    assert values["budget_execution"] is None  # no budget this year
    assert values["review_due"] is None  # no review held or planned
    # the charts: this month by day sums to the month's figure; the trend spans 12 months
    charts = client.get(panel["charts"]["url"]).json()
    assert sum(charts["by_day"]["counts"]) == values["this_month"]
    assert len(charts["by_day"]["counts"]) == today.day
    assert len(charts["trend"]["months"]) == 12 and charts["trend"]["months"][-1] == today.strftime("%Y-%m")
    assert b"vendor/echarts/echarts.min.js" in response.content
    assert b"dashboard-trend-chart" in response.content


def test_manager_satisfaction_trend_from_ticket_ratings(world, desk, client_for):
    from wuye.tickets.choices import CallbackOutcome

    manager = world.users["cs_manager"]
    for ticket, rating in zip(Ticket.objects.filter(status=TicketStatus.RESOLVED, callback_required=True)
                              .order_by("pk")[:2], (5, 2), strict=True):
        tickets.ticket_callback(actor=manager, ticket=ticket, outcome=CallbackOutcome.REACHED, satisfaction=rating)
    client = client_for("cs_manager")
    panel, _response = home_panel(client, "reports/dashboard/manager.html")
    charts = client.get(panel["charts"]["url"]).json()
    rated = Ticket.objects.filter(satisfaction__isnull=False).exclude(status=TicketStatus.CANCELLED)
    this_month = timezone.localdate().replace(day=1)
    rated = [t for t in rated if timezone.localtime(t.reported_at).date() >= this_month]
    expected = round(100 * sum(1 for t in rated if t.satisfaction >= 3) / len(rated), 1)
    assert len(rated) == 2
    assert charts["trend"]["tickets"][-1] == expected == 50.0
    assert charts["trend"]["tickets"][0] is None  # nothing rated a year ago


def test_executive_sees_objectives_and_review_status(world, desk, client_for):
    policy = published_policy(world)
    client = client_for("executive")
    panel, response = home_panel(client, "reports/dashboard/executive.html")
    assert panel is not None
    values = check_links(client, panel["figures"])
    assert panel["policy"] == policy
    assert [row["objective"].pk for row in panel["objectives"]] == list(
        policy.objectives.order_by("pk").values_list("pk", flat=True))
    # the complaint-timeliness objective: complaints resolved this year within their limit, over those resolved
    done = list(Ticket.objects.filter(kind=TicketKind.COMPLAINT, resolved_at__isnull=False)
                .exclude(status=TicketStatus.CANCELLED))
    assert len(done) == 2
    expected = (Decimal(100) * sum(1 for t in done if t.resolution_met is True) / len(done)).quantize(Decimal("0.01"))
    assert panel["objectives"][0]["actual"] == expected
    assert panel["objectives"][0]["met"] is (expected >= Decimal("98"))
    assert values["open_actions"] == CorrectiveAction.objects.exclude(state__in=["closed", "cancelled"]).count() == 2
    assert values["review_actions_overdue"] == 0
    assert values["ticket_satisfaction"] is None  # nothing rated yet
    assert panel["review"]["never_held"] is True and values["review_due"] is None
    assert b"dashboard-objectives" in response.content
    templates = [p["template"] for p in response.context["panels"]]
    assert "reports/dashboard/manager.html" not in templates and "reports/dashboard/agent.html" not in templates


def test_budget_execution_colours_at_90_and_over(world, client_for):
    from wuye.budgets.tests.factories import budget, spend
    from wuye.reports.dashboard import budget_execution_of_year

    item = budget(world, lines=(("office", "1000.00"),))
    line = item.lines.get()
    budget(world, status="approved", year=timezone.localdate().year - 1)  # another year: not counted
    client = client_for("cs_manager")

    def figure():
        panel, _response = home_panel(client, "reports/dashboard/manager.html")
        return next(f for f in panel["figures"] if f["key"] == "budget_execution")

    spend(world, line, "890.00")
    assert (figure()["value"], figure()["color"]) == (Decimal("89.0"), "success")
    spend(world, line, "10.00")
    assert (figure()["value"], figure()["color"]) == (Decimal("90.0"), "warning")
    spend(world, line, "100.00")
    assert (figure()["value"], figure()["color"]) == (Decimal("100.0"), "danger")
    # the figure's link opens this year's budgets, and an agent (no budget permission) counts nothing
    assert list_count(client, figure()["url"]) == 1
    assert budget_execution_of_year(world.users["agent"], timezone.localdate().year)["percent"] is None


def test_resident_lands_on_the_portal(world, client_for):
    response = client_for("resident").get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("portal:home")


def test_manager_panel_reads_in_a_few_queries(world, desk):
    """The ticket figures are three aggregates whatever the number of tickets (the period counts, the open work,
    the callbacks); the charts come separately; the whole panel stays under 20 queries."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from wuye.reports import dashboard

    request = RequestFactory().get("/")
    request.user = world.users["cs_manager"]
    request.user.has_perm("tickets.view_ticket")  # the permission cache, read once per request anyway
    with CaptureQueriesContext(connection) as queries:
        dashboard.manager_panel(request)
    ticket_queries = [q for q in queries.captured_queries if 'FROM "tickets_ticket"' in q["sql"]]
    assert len(ticket_queries) == 3
    assert len(queries.captured_queries) <= 20
