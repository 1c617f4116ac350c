"""The system's evidence beside an appraisal (``selectors.evidence``): every figure checked against counts made
here from tickets built through the tickets services with known outcomes (the on-time flag and the handling time
set afterwards with ``update()``, as the tickets reports' tests do), and the manager's figures against audit
events, corrective actions, reviews and meetings made through their own services."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from wuye.appraisals.models import AppraisalForm
from wuye.appraisals.selectors.evidence import evidence_for, evidence_for_appraisal
from wuye.appraisals.tests.factories_reports import make_appraisal, make_version
from wuye.core.audit import audit
from wuye.quality.models import CorrectiveAction, ManagementReview
from wuye.quality.services import actions as action_services
from wuye.quality.tests import factories_actions, factories_communication, factories_reviews
from wuye.tickets import services
from wuye.tickets.choices import CallbackOutcome, CancelReason, TicketKind, TicketStatus
from wuye.tickets.models import Ticket
from wuye.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db

def period():
    today = timezone.localdate()
    return today - dt.timedelta(days=30), today


def ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def handled(world, *, days: int, staff=None, kind=TicketKind.REPAIR, resolve=True, on_time=None, minutes=None,
            satisfaction=None, cancel=False):
    """A ticket reported ``days`` ago, assigned to ``staff`` (the agent), resolved or not, rated or not."""
    manager = world.users["cs_manager"]
    ticket = make_ticket(world, kind=kind, reported_at=ago(days), title=f"{kind}-{days}")
    ticket = services.ticket_assign(actor=manager, ticket=ticket, assignee=staff or world.staff["agent"])
    if cancel:
        return services.ticket_cancel(actor=manager, ticket=ticket, reason=CancelReason.DUPLICATE)
    if not resolve:
        return services.ticket_start(actor=manager, ticket=ticket)
    ticket = services.ticket_resolve(actor=manager, ticket=ticket, resolution="已处理")
    Ticket.objects.filter(pk=ticket.pk).update(resolution_met=on_time, handling_minutes=minutes)
    ticket.refresh_from_db()
    if satisfaction is not None:
        services.ticket_callback(actor=manager, ticket=ticket, outcome=CallbackOutcome.REACHED,
                                 satisfaction=satisfaction)
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def tickets(world):
    return {
        "t1": handled(world, days=10, on_time=True, minutes=120, satisfaction=5),
        "t2": handled(world, days=5, on_time=False, minutes=600, satisfaction=3),
        # dissatisfied: the callback reopens it (the default ticket settings), so it is no longer resolved
        "t3": handled(world, days=3, kind=TicketKind.COMPLAINT, on_time=True, minutes=240, satisfaction=2),
        "t4": handled(world, days=2, resolve=False),
        "t5": handled(world, days=1, cancel=True),
        "t6": handled(world, days=45, on_time=True, minutes=30, satisfaction=5),  # before the period
        "t7": handled(world, days=4, kind=TicketKind.COMPLAINT, staff=world.staff["document_controller"],
                      on_time=True, minutes=30),  # someone else's
        "t8": handled(world, days=6, kind=TicketKind.COMPLAINT, on_time=True, minutes=60),
    }


def figures(entries) -> dict:
    return {e["key"]: e["value"] for e in entries}


def test_ticket_figures_match_the_tickets(world, tickets):
    start, end = period()
    got = figures(evidence_for(world.staff["agent"], start, end))

    # by hand: t1, t2, t3, t4, t8 are the agent's, in the period and not cancelled
    assert tickets["t3"].status == TicketStatus.REOPENED and tickets["t3"].reopen_count == 1
    assert got["tickets_handled"] == 5
    assert got["resolved_on_time"] == 2                  # t1, t8 (t2 late, t3 reopened)
    assert got["on_time_rate"] == 66.7                   # 2 of 3 resolved
    assert got["avg_handling_hours"] == 4.3              # (120 + 600 + 60) / 3 minutes = 4.33 h
    assert got["satisfaction_rate"] == 66.7              # rated 5, 3, 2: two fairly satisfied or better
    assert got["reopened"] == 1                          # t3
    assert got["complaints"] == 2                        # t3, t8

    # the same figures counted independently, in Python, over the agent's tickets
    mine = [t for t in Ticket.objects.filter(assignee=world.staff["agent"])
            if start <= timezone.localtime(t.reported_at).date() <= end and t.status != TicketStatus.CANCELLED]
    resolved = [t for t in mine if t.resolved_at is not None]
    rated = [t for t in mine if t.satisfaction is not None]
    assert got["tickets_handled"] == len(mine)
    assert got["resolved_on_time"] == sum(1 for t in resolved if t.resolution_met)
    assert got["on_time_rate"] == round(100 * got["resolved_on_time"] / len(resolved), 1)
    assert got["avg_handling_hours"] == round(sum(t.handling_minutes for t in resolved) / len(resolved) / 60, 1)
    assert got["satisfaction_rate"] == round(100 * sum(1 for t in rated if t.satisfaction >= 3) / len(rated), 1)
    assert got["reopened"] == sum(1 for t in mine if t.reopen_count)
    assert got["complaints"] == sum(1 for t in mine if t.kind == TicketKind.COMPLAINT)


def test_no_tickets_gives_zeros_and_no_rates(world):
    start, end = period()
    got = figures(evidence_for(world.staff["quality_auditor"], start, end))
    assert got["tickets_handled"] == 0 and got["complaints"] == 0 and got["reopened"] == 0
    assert got["on_time_rate"] is None and got["avg_handling_hours"] is None and got["satisfaction_rate"] is None
    assert "complaint_reports" not in got  # not a manager


def test_links_open_the_filtered_ticket_list(world, tickets, client_for):
    start, end = period()
    entries = {e["key"]: e for e in evidence_for(world.staff["agent"], start, end, user=world.users["cs_manager"])}
    url = entries["tickets_handled"]["url"]
    query = parse_qs(urlsplit(url).query)
    assert urlsplit(url).path == reverse("tickets:ticket_list")
    assert query == {"assignee": [str(world.staff["agent"].pk)], "reported_after": [start.isoformat()],
                     "reported_before": [end.isoformat()]}
    html = client_for("cs_manager").get(url).content.decode()
    for key in ("t1", "t2", "t3", "t4", "t8"):
        assert tickets[key].number in html
    for key in ("t6", "t7"):
        assert tickets[key].number not in html
    complaints = client_for("cs_manager").get(entries["complaints"]["url"]).content.decode()
    assert tickets["t3"].number in complaints and tickets["t8"].number in complaints
    assert tickets["t1"].number not in complaints
    assert entries["on_time_rate"]["url"] is None and entries["on_time_rate"]["unit"] == "%"


def test_links_only_for_who_may_open_the_list(world):
    start, end = period()
    resident = {e["key"]: e["url"] for e in evidence_for(world.staff["agent"], start, end, manager=True,
                                                         user=world.users["resident"])}
    assert resident["complaint_reports"] is None and resident["actions_owned"] is None
    agent = {e["key"]: e["url"] for e in evidence_for(world.staff["agent"], start, end, manager=True,
                                                      user=world.users["agent"])}
    assert agent["complaint_reports"] is None  # an agent may not read the audit log
    assert agent["tickets_handled"] is not None
    top = {e["key"]: e["url"] for e in evidence_for(world.staff["cs_manager"], start, end, manager=True,
                                                    user=world.users["executive"])}
    assert top["complaint_reports"].startswith(reverse("core:auditevent_list"))
    assert "actor=t_cs_manager" in top["complaint_reports"]


def test_manager_figures(world, client_for):
    manager, staff = world.users["cs_manager"], world.staff["cs_manager"]
    client = client_for("cs_manager")
    # complaint reports produced: two exports of complaint reports; a repair report and someone else's do not count
    assert client.get(reverse("tickets:complaint_stats") + "?format=xlsx").status_code == 200
    assert client.get(reverse("tickets:complaint_register") + "?format=xlsx").status_code == 200
    assert client.get(reverse("tickets:repair_stats") + "?format=xlsx").status_code == 200
    audit("report.export", actor=world.users["executive"], report="complaint_stats", format="xlsx")
    # corrective actions owned by the manager: one closed today, one in progress; one owned by the agent
    action = factories_actions.in_state(world, "in_progress", owner=staff)
    action = action_services.corrective_action_complete(actor=manager, action=action, completion_note="制度已修订")
    action_services.corrective_action_verify(actor=world.users["executive"], action=action, effective=True,
                                             note="抽查两周记录，均完整")
    factories_actions.in_state(world, "in_progress", owner=staff)  # planned with the manager as owner
    factories_actions.in_state(world, "closed", owner=world.staff["agent"])
    # a management review chaired by the manager and held today; another chaired by top management
    mine = factories_reviews.held(world, title="客服部管理评审")
    ManagementReview.objects.filter(pk=mine.pk).update(chair=staff)
    factories_reviews.held(world, title="公司管理评审")
    # meetings chaired by the manager: held yesterday (counts), held 40 days ago and one still planned (do not)
    factories_communication.held(world, days=-1)
    factories_communication.held(world, days=-40)
    factories_communication.planned(world, days=3)

    assert CorrectiveAction.objects.filter(owner=staff, state="closed").count() == 1
    start, end = period()
    got = figures(evidence_for(staff, start, end, manager=True))
    assert got["complaint_reports"] == 2
    assert got["actions_owned"] == 2
    assert got["actions_closed"] == 1
    assert got["reviews_chaired"] == 1
    assert got["meetings_chaired"] == 1
    # before the period nothing of it counts
    earlier = figures(evidence_for(staff, start - dt.timedelta(days=400), start - dt.timedelta(days=100),
                                   manager=True))
    assert earlier["complaint_reports"] == 0 and earlier["actions_closed"] == 0 and earlier["meetings_chaired"] == 0


def test_manager_survey_figures(world):
    from wuye.surveys.choices import CampaignStatus
    from wuye.surveys.models import Campaign
    from wuye.surveys.tests.factories import answered_levels, open_campaign

    staff = world.staff["cs_manager"]  # serves estate A
    start, end = period()
    mine = open_campaign(world, number="SV-T-01", starts_on=start + dt.timedelta(days=1))
    Campaign.objects.filter(pk=mine.pk).update(created_by=world.users["cs_manager"])
    cancelled = open_campaign(world, number="SV-T-02", starts_on=start + dt.timedelta(days=2))
    Campaign.objects.filter(pk=cancelled.pk).update(created_by=world.users["cs_manager"],
                                                    status=CampaignStatus.CANCELLED)
    open_campaign(world, number="SV-T-03", starts_on=start + dt.timedelta(days=3))  # someone else's
    # estate A (served): 5, 4, 2 -> 2 of 3 satisfied; estate B (not served) is left out
    answered_levels(mine, world.estate_a, service=[5, 4], repair=[2])
    answered_levels(mine, world.estate_b, service=[1, 1])
    got = figures(evidence_for(staff, start, end, manager=True))
    assert got["surveys_run"] == 1
    assert got["survey_satisfaction"] == round(100 * 2 / 3, 1)
    earlier = figures(evidence_for(staff, start - dt.timedelta(days=400), start - dt.timedelta(days=100),
                                   manager=True))
    assert earlier["surveys_run"] == 0 and earlier["survey_satisfaction"] is None


def test_evidence_of_an_appraisal_follows_its_form(world):
    staff_form = make_version()
    manager_form = AppraisalForm.objects.get(code="cs-manager").current_version  # the built-in one
    today = timezone.localdate()
    span = (today - dt.timedelta(days=30), today)
    staff_appraisal = make_appraisal(world, version=staff_form, appraisee=world.staff["agent"], period=span,
                                     state="draft")
    manager_appraisal = make_appraisal(world, version=manager_form, appraisee=world.staff["cs_manager"],
                                       appraiser=world.staff["executive"], period=span, state="draft")
    assert "complaint_reports" not in figures(evidence_for_appraisal(staff_appraisal))
    assert "complaint_reports" in figures(evidence_for_appraisal(manager_appraisal))


def test_evidence_panel_template(world, tickets):
    start, end = period()
    entries = evidence_for(world.staff["agent"], start, end, user=world.users["cs_manager"])
    html = render_to_string("appraisals/reports/evidence_panel.html",
                            {"evidence": entries, "period_start": start, "period_end": end})
    handled = next(e for e in entries if e["key"] == "tickets_handled")
    assert f'<a href="{escape(handled["url"])}">5</a>' in html
    assert "66.7%" in html and "evidence-avg_handling_hours" in html
