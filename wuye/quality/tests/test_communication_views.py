"""The meeting and submission pages: confidential appeals hidden from a handler without the confidential permission
(list, page, Excel) unless assigned; residents' own pages; the steps through the pages; the meeting page's action
items (overdue), files and the minutes PDF.

Pages are read by CSS classes, ids and links, not by their wording (the Chinese catalogue is filled at the end)."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wuye.core.models import AuditEvent
from wuye.documents.tests.factories import text_file
from wuye.quality.choices import MeetingStatus, SubmissionKind, SubmissionState, SubmitterKind
from wuye.quality.models import ActionItem, Meeting, Submission
from wuye.quality.services import communication as services

from .factories_communication import appeal, at, day, held, planned, report

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def numbers_in(response) -> set[str]:
    return set(re.findall(r"SS-\d{4}-\d{4}", html(response)))


def export_numbers(response) -> set[str]:
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row
            if isinstance(cell, str) and cell.startswith("SS-")}


# --- confidential handling --------------------------------------------------------------------------------------


def test_a_confidential_appeal_is_hidden_from_a_handler_without_the_permission_until_assigned(world, client_for):
    plain = report(world)
    secret = appeal(world)
    manager = client_for("cs_manager")
    list_url = reverse("quality:submission_list")
    assert numbers_in(manager.get(list_url)) == {plain.number}
    assert manager.get(reverse("quality:submission", args=[secret.pk])).status_code == 404
    assert export_numbers(manager.get(f"{list_url}?export=xlsx")) == {plain.number}
    assert manager.get(f"{list_url}?confidential=true").status_code == 200
    assert numbers_in(manager.get(f"{list_url}?confidential=true")) == set()
    assert manager.get(reverse("quality:submission_step", args=[secret.pk, "reply"])).status_code == 404
    # top management sees it, and assigns it to the manager: now the manager sees it
    executive = client_for("executive")
    assert numbers_in(executive.get(list_url)) == {plain.number, secret.number}
    assert export_numbers(executive.get(f"{list_url}?export=xlsx")) == {plain.number, secret.number}
    response = executive.post(reverse("quality:submission_step", args=[secret.pk, "assign"]),
                              {"assignee": world.users["cs_manager"].pk})
    assert response.status_code == 302
    assert numbers_in(manager.get(list_url)) == {plain.number, secret.number}
    assert manager.get(reverse("quality:submission", args=[secret.pk])).status_code == 200
    assert secret.number in export_numbers(manager.get(f"{list_url}?export=xlsx"))


def test_the_submitter_sees_their_own_and_nothing_else(world, client_for):
    mine = appeal(world, role="agent")
    other = report(world, role="document_controller")
    agent = client_for("agent")
    assert numbers_in(agent.get(reverse("quality:submission_list"))) == {mine.number}
    assert agent.get(reverse("quality:submission", args=[mine.pk])).status_code == 200
    assert agent.get(reverse("quality:submission", args=[other.pk])).status_code == 404
    assert export_numbers(agent.get(reverse("quality:submission_list") + "?export=xlsx")) == {mine.number}


def test_submissions_are_not_in_the_global_search(world):
    from wuye.core import search

    assert Submission not in search.registered_models()


# --- residents --------------------------------------------------------------------------------------------------


def test_a_resident_files_and_follows_their_own_on_portal_pages(world, client_for):
    other = appeal(world, role="cs_manager", customer=world.customer_b)
    resident = client_for("resident")
    page = resident.get(reverse("quality:submission_add"))
    assert page.status_code == 200 and 'id="portal-submission-form"' in html(page)
    assert 'name="customer"' not in html(page) and 'name="estate"' not in html(page)
    response = resident.post(reverse("quality:submission_add"), {"kind": SubmissionKind.APPEAL,
                                                                 "subject": "物业费收费有误", "body": "多收了一个月。"})
    assert response.status_code == 302
    mine = Submission.objects.get(subject="物业费收费有误")
    assert response["Location"] == reverse("quality:submission", args=[mine.pk])
    assert (mine.submitter_kind, mine.customer, mine.confidential) == (SubmitterKind.CUSTOMER, world.customer_a,
                                                                       True)
    listing = resident.get(reverse("quality:submission_list"))
    assert 'id="portal-submissions"' in html(listing)
    assert numbers_in(listing) == {mine.number}
    assert resident.get(reverse("quality:submission", args=[other.pk])).status_code == 404
    services.submission_reply(actor=world.users["executive"], submission=mine, reply="已核实，下月抵扣。")
    page = resident.get(reverse("quality:submission", args=[mine.pk]))
    assert "已核实，下月抵扣。" in html(page) and "submission-reply" in html(page)
    assert 'id="history"' not in html(page)  # the portal page shows no internal history
    assert resident.get(reverse("quality:submission_history", args=[mine.pk])).status_code == 403


def test_a_customer_sees_what_staff_entered_for_them(world, client_for):
    entered = report(world, role="cs_manager", customer=world.customer_a, subject="电话反映：垃圾清运不及时")
    assert numbers_in(client_for("resident").get(reverse("quality:submission_list"))) == {entered.number}
    page = client_for("executive").get(reverse("quality:submission", args=[entered.pk]))
    assert "entered-by-staff" in html(page)


# --- submission steps through the pages -------------------------------------------------------------------------


def test_staff_files_for_a_customer_and_handles_it_to_closure(world, client_for):
    manager = client_for("cs_manager")
    response = manager.post(reverse("quality:submission_add"), {
        "kind": SubmissionKind.REPORT, "subject": "噪音扰民", "body": "楼上装修噪音", "estate": "",
        "customer": world.customer_b.pk, "submitter_name": ""})
    assert response.status_code == 302, html(response)
    submission = Submission.objects.get(subject="噪音扰民")
    assert submission.customer == world.customer_b and submission.estate == world.estate_b
    page = html(manager.get(reverse("quality:submission", args=[submission.pk])))
    assert "step-assign" in page and "step-reply" in page and "step-close" not in page
    step = lambda name: reverse("quality:submission_step", args=[submission.pk, name])  # noqa: E731
    assert manager.post(step("close"), {"note": ""}).status_code == 400  # not answered yet
    assert manager.post(step("reply"), {"reply": ""}).status_code == 400
    assert manager.post(step("reply"), {"reply": "已联系装修户，限定施工时间。"}).status_code == 302
    upload = text_file("通知照片说明", "通知.txt")
    assert manager.post(step("file"), {"file": upload, "note": "告示"}).status_code == 302
    assert manager.post(step("close"), {"note": "住户满意"}).status_code == 302
    submission.refresh_from_db()
    assert submission.state == SubmissionState.CLOSED and submission.closing_note == "住户满意"
    assert "submission-file" in html(manager.get(reverse("quality:submission", args=[submission.pk])))


def test_an_appeal_form_is_confidential_even_unticked(world, client_for):
    response = client_for("agent").post(reverse("quality:submission_add"), {
        "kind": SubmissionKind.APPEAL, "subject": "对考核结果申诉", "body": "本月考核扣分有误。", "estate": ""})
    assert response.status_code == 302
    assert Submission.objects.get(subject="对考核结果申诉").confidential


def test_the_list_filters_by_kind_and_state(world, client_for):
    plain = report(world)
    done = report(world, subject="绿化带缺水")
    services.submission_reply(actor=world.users["cs_manager"], submission=done, reply="已浇水")
    manager = client_for("cs_manager")
    url = reverse("quality:submission_list")
    assert numbers_in(manager.get(f"{url}?state=replied")) == {done.number}
    assert numbers_in(manager.get(f"{url}?state=submitted")) == {plain.number}
    assert numbers_in(manager.get(f"{url}?kind=appeal")) == set()


# --- meetings ---------------------------------------------------------------------------------------------------


def test_plan_a_meeting_through_the_page(world, client_for):
    manager = client_for("cs_manager")
    response = manager.post(reverse("quality:meeting_add"), {
        "kind": "regular", "title": "客服部例会（第12周）", "department": world.department.pk,
        "starts_at": at(2).strftime("%Y-%m-%dT%H:%M"), "location": "二楼会议室",
        "chair": world.staff["cs_manager"].pk, "attendees": [world.staff["agent"].pk, world.staff["executive"].pk],
        "agenda": "投诉回顾"})
    assert response.status_code == 302, html(response)
    meeting = Meeting.objects.get(title="客服部例会（第12周）")
    assert meeting.number.startswith("HY-") and meeting.attendees.count() == 2
    page = html(manager.get(reverse("quality:meeting", args=[meeting.pk])))
    assert "step-minutes" in page and "step-cancel" in page and "action-edit" in page


def test_held_meeting_page_shows_minutes_action_items_overdue_and_files(world, client_for):
    meeting = held(world, days=-20)
    late = services.meeting_action_add(actor=world.users["cs_manager"], meeting=meeting, text="更新值班表",
                                       owner=world.staff["agent"], due_on=day(-3))
    services.meeting_action_add(actor=world.users["cs_manager"], meeting=meeting, text="培训新员工",
                                owner=world.staff["agent"], due_on=day(10))
    services.meeting_add_file(actor=world.users["cs_manager"], meeting=meeting, upload=text_file("签到", "签到表.txt"))
    agent = client_for("agent")
    page = html(agent.get(reverse("quality:meeting", args=[meeting.pk])))
    assert "回顾了上周3起投诉的处理情况。" in page
    assert len(re.findall(r'class="action-item ', page)) == 2
    assert re.search(rf'action-overdue[^"]*" data-item="{late.pk}"', page)
    assert page.count("action-overdue") == 1
    assert "meeting-file" in page
    assert "step-minutes" not in page and "action-edit" not in page  # the agent only reads
    # the agent owns the items: they may mark them done (the reviews subject's step), not cancel them
    assert reverse("quality:actionitem_step", args=[late.pk, "complete"]) in page
    assert reverse("quality:actionitem_step", args=[late.pk, "cancel"]) not in page
    response = agent.post(reverse("quality:actionitem_step", args=[late.pk, "complete"]), {"result": "已更新",
                                                                                         "done_on": ""})
    assert response.status_code == 302
    assert ActionItem.objects.get(pk=late.pk).status == "done"


def test_minutes_action_item_and_cancel_through_the_steps(world, client_for):
    meeting = planned(world, days=-1)
    manager = client_for("cs_manager")
    step = lambda m, name: reverse("quality:meeting_step", args=[m.pk, name])  # noqa: E731
    assert manager.post(step(meeting, "minutes"), {"minutes": "", "decisions": ""}).status_code == 400
    response = manager.post(step(meeting, "minutes"), {"minutes": "讨论了节前安全检查。", "decisions": "节前全面排查",
                                                       "attendees": [world.staff["agent"].pk]})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert manager.get(reverse("quality:meeting_edit", args=[meeting.pk])).status_code == 403
    response = manager.post(step(meeting, "action"), {"text": "排查消防通道", "owner": world.staff["agent"].pk,
                                                      "due_on": day(5).isoformat()})
    assert response.status_code == 302
    assert meeting.actions.get().owner == world.staff["agent"]
    assert manager.post(step(meeting, "cancel"), {"reason": "x"}).status_code == 400  # held: not cancellable
    other = planned(world)
    assert manager.post(step(other, "cancel"), {"reason": ""}).status_code == 400
    assert manager.post(step(other, "cancel"), {"reason": "与质量例会合并"}).status_code == 302
    other.refresh_from_db()
    assert other.status == MeetingStatus.CANCELLED
    assert "meeting-cancelled" in html(manager.get(reverse("quality:meeting", args=[other.pk])))


def test_meeting_list_filters_and_excel(world, client_for):
    regular = planned(world)
    quality = planned(world, kind="quality", title="质量专题会", days=40)
    manager = client_for("cs_manager")
    url = reverse("quality:meeting_list")
    page = html(manager.get(f"{url}?kind=quality"))
    assert quality.number in page and regular.number not in page
    to = day(10).isoformat()
    page = html(manager.get(f"{url}?starts_before={to}"))
    assert regular.number in page and quality.number not in page
    response = manager.get(f"{url}?export=xlsx")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    cells = {c for row in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)
             for c in row}
    assert {regular.number, quality.number} <= cells


def test_minutes_pdf(world, client_for):
    meeting = held(world)
    response = client_for("agent").get(reverse("quality:meeting_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(event_type="report.export", object_id=str(meeting.pk)).exists()


def test_home_panel_counts_what_the_handler_may_see(world, client_for):
    report(world)
    mine = report(world, subject="分派给经理")
    services.submission_assign(actor=world.users["executive"], submission=mine, assignee=world.users["cs_manager"])
    appeal(world)  # confidential: not counted for the manager
    meeting = planned(world)
    page = html(client_for("cs_manager").get("/"))
    unassigned = re.search(r'submissions-unassigned">.*?<span class="badge[^"]*">(\d+)</span>', page, re.S)
    assigned = re.search(r'submissions-mine">.*?<span class="badge[^"]*">(\d+)</span>', page, re.S)
    assert (unassigned.group(1), assigned.group(1)) == ("1", "1")
    agent_page = html(client_for("agent").get("/"))
    assert "submissions-unassigned" not in agent_page
    assert meeting.get_absolute_url() in agent_page  # the agent attends it
