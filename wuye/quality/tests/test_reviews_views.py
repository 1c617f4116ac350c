"""The management review pages: the review's page shows its inputs as tables and its outputs; the steps run the
services and show their refusals; the minutes print as PDF; "my action items"; the executive's dashboard warning."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from wuye.quality.choices import ActionItemStatus, ReviewStatus
from wuye.quality.models import ActionItem, ManagementReview
from wuye.quality.tests import factories_reviews as f
from wuye.tickets.choices import TicketKind
from wuye.tickets.tests.factories import category, make_ticket

pytestmark = pytest.mark.django_db


def day(n: int) -> str:
    return (f.today() + dt.timedelta(days=n)).isoformat()


def test_plan_compile_hold_and_close_through_the_pages(world, client_for):
    make_ticket(world, kind=TicketKind.COMPLAINT, title="噪音投诉", category=category("服务态度"))
    auditor, executive = client_for("quality_auditor"), client_for("executive")
    response = auditor.post(reverse("quality:managementreview_add"), {
        "title": "年度管理评审", "period_start": day(-30), "period_end": day(0), "planned_on": day(0),
        "chair": world.staff["executive"].pk, "attendees": [world.staff["executive"].pk]})
    assert response.status_code == 302
    review = ManagementReview.objects.get()
    step = lambda name: reverse("quality:managementreview_step", args=[review.pk, name])  # noqa: E731

    # holding before compiling: refused with the service's message, nothing changed
    response = executive.post(step("hold"), {"held_on": day(0), "attendees": [world.staff["executive"].pk],
                                             "minutes": "纪要", "conclusion": "有效"})
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.status == ReviewStatus.PLANNED

    assert auditor.post(step("compile"), {}).status_code == 302
    page = auditor.get(review.get_absolute_url()).content.decode()
    assert page.count('class="card mb-3 review-input') == 6
    assert "input-table" in page and "服务态度" in page  # the complaint's category in the complaints table

    assert executive.post(step("hold"), {"held_on": day(0), "attendees": [world.staff["executive"].pk],
                                         "minutes": "纪要", "conclusion": "体系有效"}).status_code == 302
    response = executive.post(step("action"), {"kind": "improvement", "text": "完善回访", "owner": "", "due_on": ""})
    assert response.status_code == 400 and not ActionItem.objects.exists()
    assert executive.post(step("action"), {"kind": "improvement", "text": "完善回访",
                                           "owner": world.staff["agent"].pk, "due_on": day(10)}).status_code == 302
    item = ActionItem.objects.get()
    response = executive.post(step("close"), {})
    assert response.status_code == 400 and "完善回访" in response.content.decode()

    agent = client_for("agent")
    mine = agent.get(reverse("quality:actionitem_list") + "?mine=true&open=true").content.decode()
    assert "完善回访" in mine and reverse("quality:actionitem_step", args=[item.pk, "complete"]) in mine
    response = agent.post(reverse("quality:actionitem_step", args=[item.pk, "complete"]), {"result": "已完善",
                                                                                           "done_on": ""})
    assert response.status_code == 302 and response["Location"].endswith("?mine=true")
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE
    assert executive.post(step("close"), {}).status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED


def test_my_action_items_show_only_mine(world, client_for):
    review = f.held(world)
    f.item(world, review, owner="agent", text="我的事项")
    f.item(world, review, owner="cs_manager", text="别人的事项")
    page = client_for("agent").get(reverse("quality:actionitem_list") + "?mine=true").content.decode()
    assert "我的事项" in page and "别人的事项" not in page
    # the agent may not open the review: its number is shown without a link to a page that would refuse them
    assert review.number in page and review.get_absolute_url() not in page
    manager = client_for("cs_manager").get(reverse("quality:actionitem_list")).content.decode()
    assert review.get_absolute_url() in manager


def test_another_user_cannot_complete_an_item_they_do_not_own(world, client_for):
    item = f.item(world, f.held(world), owner="cs_manager")
    response = client_for("agent").post(reverse("quality:actionitem_step", args=[item.pk, "complete"]),
                                        {"result": "x"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN


def test_input_summary_is_edited_and_shown(world, client_for):
    review = f.compiled(world)
    item = review.inputs.get(topic="complaints")
    client = client_for("quality_auditor")
    response = client.post(reverse("quality:reviewinput_edit", args=[item.pk]), {"text": "投诉较上年下降。"})
    assert response.status_code == 302
    assert "投诉较上年下降。" in client.get(review.get_absolute_url()).content.decode()


def test_minutes_pdf(world, client_for):
    review = f.held(world)
    f.item(world, review)
    response = client_for("document_controller").get(reverse("quality:managementreview_pdf", args=[review.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_dashboard_warns_the_executive_when_no_review_was_held(world, client_for):
    page = client_for("executive").get(reverse("home")).content.decode()
    assert "reviews-dashboard-panel" in page and "review-overdue" in page
    assert "reviews-dashboard-panel" not in client_for("agent").get(reverse("home")).content.decode()


def test_dashboard_without_warning_after_a_recent_review(world, client_for):
    f.held(world)
    page = client_for("executive").get(reverse("home")).content.decode()
    assert "reviews-dashboard-panel" in page and "review-overdue" not in page
