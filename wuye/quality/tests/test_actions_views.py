"""Corrective-action pages: the register and its filters, the steps shown per user, raising from a finding or a
complaint (also from the ticket page, end to end), the refusals on the page, the report PDF, the home panel."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wuye.quality.choices import ActionState, FindingGrade
from wuye.quality.models import CorrectiveAction
from wuye.quality.services import actions as services
from wuye.tickets import hooks
from wuye.tickets.choices import TicketKind
from wuye.tickets.tests.factories import make_ticket

from .factories_actions import advance, day, in_state, make_finding, raised


def html(response) -> str:
    return response.content.decode()


def step_names(client, action) -> set[str]:
    page = html(client.get(reverse("quality:correctiveaction", args=[action.pk])))
    return {name for name in ("submit", "cause", "plan", "complete", "verify", "cancel", "file")
            if f"step-{name}" in page}


@pytest.fixture
def quality_hook():
    """The quality app's handler, registered as ``QualityConfig.ready`` does (other apps' tests may have removed
    it)."""
    hooks.register_nonconformity_handler(services.corrective_action_from_complaint)
    yield
    hooks.register_nonconformity_handler(services.corrective_action_from_complaint)


def test_register_filters(world, client_for):
    late = in_state(world, "in_progress", due_on=day(1))
    type(late).objects.filter(pk=late.pk).update(due_on=day(-1))
    draft = raised(world, title="消防通道堆物")
    closed = in_state(world, "closed")
    client = client_for("cs_manager")
    url = reverse("quality:correctiveaction_list")
    page = html(client.get(url))
    assert all(a.number in page for a in (late, draft, closed))
    overdue = html(client.get(url, {"overdue": "true"}))
    assert late.number in overdue and draft.number not in overdue and closed.number not in overdue
    states = html(client.get(url, {"state": ["draft", "closed"]}))
    assert draft.number in states and closed.number in states and late.number not in states
    mine = html(client.get(url, {"owner": world.staff["agent"].pk}))
    assert late.number in mine and closed.number in mine and draft.number not in mine
    response = client.get(url, {"export": "xlsx", "overdue": "true"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_steps_shown_per_user(world, client_for):
    action = raised(world)
    assert step_names(client_for("quality_auditor"), action) == {"submit", "cancel", "file"}
    assert step_names(client_for("agent"), action) == set()  # not the owner yet
    assert step_names(client_for("executive"), action) == {"cancel"}
    action = advance(world, action, "in_progress")
    assert step_names(client_for("agent"), action) == {"complete", "file"}  # the owner
    assert step_names(client_for("cs_manager"), action) == {"complete", "file"}
    action = advance(world, action, "verification")
    assert step_names(client_for("executive"), action) == {"verify", "cancel"}
    assert step_names(client_for("agent"), action) == {"file"}  # the owner never verifies
    action = advance(world, action, "closed")
    assert step_names(client_for("admin"), action) == set()


def test_verifying_ones_own_action_on_the_page(world, client_for):
    action = advance(world, raised(world), "in_progress", owner=world.staff["quality_auditor"])
    client = client_for("quality_auditor")
    client.post(reverse("quality:correctiveaction_step", args=[action.pk, "complete"]), {"completion_note": "完成"})
    assert CorrectiveAction.objects.get(pk=action.pk).state == ActionState.VERIFICATION
    url = reverse("quality:correctiveaction_step", args=[action.pk, "verify"])
    assert "step-notice" in html(client.get(url))
    response = client.post(url, {"effectiveness": "effective", "note": "自查有效", "due_on": ""})
    assert response.status_code == 400
    after = CorrectiveAction.objects.get(pk=action.pk)
    assert after.state == ActionState.VERIFICATION and after.verifier is None


def test_closing_without_verification_is_impossible_on_the_page(world, client_for):
    action = in_state(world, "in_progress")
    client = client_for("admin")
    assert client.post(f"{reverse('quality:correctiveaction', args=[action.pk])}close/").status_code == 404
    response = client.post(reverse("quality:correctiveaction_step", args=[action.pk, "verify"]),
                           {"effectiveness": "effective", "note": "直接关闭", "due_on": ""})
    assert response.status_code == 400  # not recorded as done: nothing to verify
    assert CorrectiveAction.objects.get(pk=action.pk).state == ActionState.IN_PROGRESS


def test_plan_in_the_past_is_refused_on_the_page(world, client_for):
    action = in_state(world, "action_plan")
    response = client_for("cs_manager").post(
        reverse("quality:correctiveaction_step", args=[action.pk, "plan"]),
        {"action_plan": "培训", "owner": world.staff["agent"].pk, "due_on": day(-1).isoformat()})
    assert response.status_code == 400 and CorrectiveAction.objects.get(pk=action.pk).state == "action_plan"


def test_add_prefilled_from_a_finding(world, client_for):
    finding = make_finding(world, grade=FindingGrade.MAJOR)
    client = client_for("quality_auditor")
    url = reverse("quality:correctiveaction_add")
    page = html(client.get(url, {"finding": finding.pk}))
    assert finding.statement in page and 'value="finding" selected' in page
    response = client.post(url, {"source": "finding", "finding": finding.pk, "title": "", "description": "",
                                 "grade": "", "estate": "", "department": "", "ticket": "", "review": "",
                                 "source_reference": "", "immediate_correction": ""})
    action = CorrectiveAction.objects.get(finding=finding)
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert action.grade == "major" and action.estate == world.estate_a
    # the finding has its action now: it is no longer offered, and a second one is refused
    assert finding not in client.get(url).context["form"].fields["finding"].queryset
    again = client.post(url, {"source": "finding", "finding": finding.pk, "title": "", "description": "", "grade": "",
                              "estate": "", "department": "", "ticket": "", "review": "", "source_reference": "",
                              "immediate_correction": ""})
    assert again.status_code == 400 and CorrectiveAction.objects.count() == 1


def test_add_prefilled_from_a_complaint(world, client_for):
    complaint = make_ticket(world, kind=TicketKind.COMPLAINT, title="保安态度差")
    client = client_for("cs_manager")
    url = reverse("quality:correctiveaction_add")
    page = html(client.get(url, {"ticket": complaint.pk}))
    assert complaint.number in page and "保安态度差" in page
    response = client.post(url, {"source": "complaint", "ticket": complaint.number, "title": "", "description": "",
                                 "grade": "", "estate": "", "department": "", "finding": "", "review": "",
                                 "source_reference": "", "immediate_correction": ""})
    assert response.status_code == 302
    assert CorrectiveAction.objects.get(ticket=complaint).estate == world.estate_a


def test_add_prefilled_from_a_management_review(world, client_for):
    """A review's output asks for a corrective action: the review's link opens the form with the review chosen."""
    from wuye.quality.tests import factories_reviews

    review = factories_reviews.held(world)
    client = client_for("quality_auditor")
    url = reverse("quality:correctiveaction_add")
    form = client.get(url, {"review": review.pk}).context["form"]
    assert form.initial["source"] == "review" and form.initial["review"] == review.pk
    response = client.post(url, {"source": "review", "review": review.pk, "title": "回访制度执行不到位",
                                 "description": "评审发现回访率未达目标", "grade": "", "estate": "", "department": "",
                                 "finding": "", "ticket": "", "source_reference": "", "immediate_correction": ""})
    assert response.status_code == 302
    assert CorrectiveAction.objects.get(review=review).source == "review"


def test_raise_a_nonconformity_from_the_ticket_page(world, client_for, quality_hook):
    """End to end: the complaint's page shows the button, the post raises a draft and opens its page."""
    complaint = make_ticket(world, kind=TicketKind.COMPLAINT, title="电梯困人处置慢")
    client = client_for("agent")
    page = html(client.get(reverse("tickets:ticket", args=[complaint.pk])))
    assert "action-nonconformity" in page
    response = client.post(reverse("tickets:ticket_nonconformity", args=[complaint.pk]),
                           {"description": "困人30分钟无人到场"})
    action = CorrectiveAction.objects.get(ticket=complaint)
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert (action.state, action.source, action.estate, action.description) == (
        "draft", "complaint", world.estate_a, "困人30分钟无人到场")
    assert client.get(response["Location"]).status_code == 200  # the agent may read it
    # a second click: a clear message on the ticket page, nothing new
    again = client.post(reverse("tickets:ticket_nonconformity", args=[complaint.pk]), {"description": ""})
    assert again.status_code == 302 and again["Location"] == complaint.get_absolute_url()
    assert CorrectiveAction.objects.filter(ticket=complaint).count() == 1


def test_report_pdf(world, client_for):
    action = in_state(world, "closed")
    response = client_for("document_controller").get(reverse("quality:correctiveaction_pdf", args=[action.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_detail_shows_the_record(world, client_for):
    action = in_state(world, "closed")
    page = html(client_for("agent").get(reverse("quality:correctiveaction", args=[action.pk])))
    for text in ("当班补填记录", "交接班制度未明确记录责任人", "修订交接班制度并培训全体客服人员",
                 "抽查两周记录，均完整", world.staff["agent"].name):
        assert text in page


def test_home_panel(world, client_for):
    mine = in_state(world, "in_progress", due_on=day(2))
    late = in_state(world, "in_progress", due_on=day(1), owner=world.staff["cs_manager"])
    type(late).objects.filter(pk=late.pk).update(due_on=day(-1))
    agent_home = html(client_for("agent").get("/"))
    assert "corrective-actions-panel" in agent_home and mine.number in agent_home
    assert "ca-overdue-head" not in agent_home  # agents do not receive the quality reminders
    manager_home = html(client_for("executive").get("/"))
    assert "ca-overdue-head" in manager_home and late.number in manager_home and mine.number not in manager_home
    assert "corrective-actions-panel" not in html(client_for("document_controller").get("/"))
