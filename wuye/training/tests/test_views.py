"""The training pages: the plan page with its completion matrix, the record form (all at once, refused whole), the
personal rule on attendance rows (lists, session page, records), the records and their Excel, the sign-in PDF."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wuye.training.choices import SessionStatus
from wuye.training.models import Attendance

from .factories import plan, session, today

pytestmark = pytest.mark.django_db


def test_plan_page_shows_items_and_the_matrix_to_the_manager_only(world, client_for):
    held = session(world, "held")
    url = reverse("training:trainingplan", args=[held.plan_item.plan_id])
    page = client_for("cs_manager").get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="plan-item"') == 2
    assert "completion-matrix" in html
    matrix = page.context["matrix"]
    agent_row = next(r for r in matrix["rows"] if r["staff"] == world.staff["agent"])
    assert (agent_row["done"], agent_row["required"]) == (1, 2)
    agent_page = client_for("agent").get(url)
    assert agent_page.status_code == 200 and agent_page.context["matrix"] is None
    assert "completion-matrix" not in agent_page.content.decode()


def test_record_form_records_everyone_at_once(world, client_for):
    made = session(world)
    url = reverse("training:trainingsession_step", args=[made.pk, "record"])
    client = client_for("cs_manager")
    form = client.get(url)
    assert form.status_code == 200
    # the item targets the agents' post: everyone of it is ticked in advance
    assert len(form.context["rows"]) == len(world.staff)
    agent, manager = world.staff["agent"].pk, world.staff["cs_manager"].pk
    response = client.post(url, {f"attended_{agent}": "on", f"score_{agent}": "95",
                                 f"attended_{manager}": "on", f"comment_{manager}": "主讲"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == SessionStatus.HELD
    assert {(a.staff_id, a.attended, a.score, a.comment) for a in made.attendances.all()} == {
        (agent, True, 95, ""), (manager, True, None, "主讲")}


def test_record_form_refuses_a_bad_score_and_changes_nothing(world, client_for):
    made = session(world)
    agent = world.staff["agent"].pk
    url = reverse("training:trainingsession_step", args=[made.pk, "record"])
    response = client_for("cs_manager").post(url, {f"attended_{agent}": "on", f"score_{agent}": "120"})
    assert response.status_code == 400
    assert Attendance.objects.count() == 0
    made.refresh_from_db()
    assert made.status == SessionStatus.PLANNED
    # a score for someone not ticked
    response = client_for("cs_manager").post(url, {f"score_{agent}": "80"})
    assert response.status_code == 400 and Attendance.objects.count() == 0


def test_a_cancelled_session_offers_no_record(world, client_for):
    made = session(world, "cancelled")
    url = reverse("training:trainingsession_step", args=[made.pk, "record"])
    page = client_for("cs_manager").get(url)
    assert page.status_code == 200 and page.context["notice"]
    response = client_for("cs_manager").post(url, {f"attended_{world.staff['agent'].pk}": "on"})
    assert response.status_code == 400 and Attendance.objects.count() == 0


def test_agents_see_only_their_own_attendance_rows(world, client_for):
    held = session(world, "held")
    page = client_for("agent").get(reverse("training:trainingsession", args=[held.pk]))
    assert [a.staff_id for a in page.context["attendances"]] == [world.staff["agent"].pk]
    manager_page = client_for("cs_manager").get(reverse("training:trainingsession", args=[held.pk]))
    assert len(manager_page.context["attendances"]) == 3
    rows = client_for("agent").get(reverse("training:attendance_list"))
    assert [r.record.staff_id for r in rows.context["table"].page.object_list] == [world.staff["agent"].pk]
    rows = client_for("cs_manager").get(reverse("training:attendance_list"))
    assert len(rows.context["table"].page.object_list) == 3


def test_records_excel_has_the_rows(world, client_for):
    session(world, "held")
    response = client_for("cs_manager").get(reverse("training:attendance_list") + "?export=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                    if response.streaming else response.content))
    rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert len(rows) == 4                                       # the header and three attendance rows
    cells = {cell for row in rows[1:] for cell in row}
    assert {world.staff["agent"].name, world.staff["cs_manager"].name, world.staff["executive"].name} <= cells
    assert "培训1" in cells


def test_my_record_and_a_persons_record(world, client_for):
    held = session(world, "held")
    page = client_for("agent").get(reverse("training:my_record"))
    assert page.status_code == 200
    record = page.context["record"]
    assert (record["sessions_attended"], record["required_count"], record["required_done"]) == (1, 2, 1)
    assert [a.session_id for a in page.context["attendances"]] == [held.pk]
    # their own record by its address too; someone else's is refused
    own = client_for("agent").get(reverse("training:staff_record", args=[world.staff["agent"].pk]))
    assert own.status_code == 200
    other = client_for("agent").get(reverse("training:staff_record", args=[world.staff["cs_manager"].pk]))
    assert other.status_code == 403
    manager = client_for("cs_manager").get(reverse("training:staff_record", args=[world.staff["agent"].pk]))
    assert manager.status_code == 200 and manager.context["record"]["average_score"] == 88
    # the document controller: their own (empty) record
    page = client_for("document_controller").get(reverse("training:my_record"))
    assert page.status_code == 200 and page.context["record"]["sessions_attended"] == 0


def test_sign_in_sheet_is_a_pdf(world, client_for):
    made = session(world, date=today())
    response = client_for("cs_manager").get(reverse("training:trainingsession_signin", args=[made.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_approved_plan_has_no_edit_page(world, client_for):
    approved = plan(world, "approved")
    assert client_for("cs_manager").get(reverse("training:trainingplan_edit", args=[approved.pk])).status_code == 403
    item = approved.items.first()
    assert client_for("cs_manager").get(reverse("training:planitem_edit", args=[item.pk])).status_code == 403
    assert client_for("cs_manager").get(reverse("training:planitem_add", args=[approved.pk])).status_code == 403


def test_home_panel_number_equals_the_list_it_links_to(world, client_for):
    import datetime as dt

    from .factories import adhoc

    overdue = session(world, date=today() - dt.timedelta(days=3))
    adhoc(world, date=today())                                  # today: not overdue
    session(world, "held", item=overdue.plan_item)
    client = client_for("cs_manager")
    home = client.get(reverse("home"))
    panel = next(p for p in home.context["panels"] if p["template"] == "training/panels/training.html")
    assert panel["overdue_count"] == 1
    listed = client.get(panel["overdue_url"])
    assert [r.record.pk for r in listed.context["table"].page.object_list] == [overdue.pk]
    # an agent sees their own required trainings, not the manager's count
    agent_home = client_for("agent").get(reverse("home"))
    panel = next(p for p in agent_home.context["panels"] if p["template"] == "training/panels/training.html")
    assert "overdue_count" not in panel
    assert (panel["my_record"]["required_done"], panel["my_record"]["required_count"]) == (1, 2)


def test_materials_are_uploaded_and_downloaded(world, client_for):
    from wuye.documents.tests.factories import text_file
    from wuye.training.models import SessionMaterial

    made = session(world, "held")
    url = reverse("training:trainingsession_step", args=[made.pk, "material"])
    response = client_for("cs_manager").post(url, {"file": text_file("投诉处理讲义", "讲义.txt")})
    assert response.status_code == 302
    stored = SessionMaterial.objects.get(session=made)
    assert stored.name == "讲义.txt"
    download = client_for("agent").get(reverse("training:material", args=[stored.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode() == "投诉处理讲义"
    page = client_for("agent").get(reverse("training:trainingsession", args=[made.pk]))
    assert [m.pk for m in page.context["materials"]] == [stored.pk]
