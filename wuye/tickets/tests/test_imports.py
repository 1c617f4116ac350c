"""Historical import: Excel, CSV and JSON Lines keep original dates, statuses and notes; bad rows are reported
with their line and nothing is imported; numbers continue each day's sequence; the upload page runs the job."""

import datetime as dt
import gzip
import io
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from wuye.core import search
from wuye.core.models import AuditEvent
from wuye.tickets.choices import CancelReason, Channel, NoteVisibility, Priority, Step, TicketKind, TicketStatus
from wuye.tickets.imports import COLUMNS, Source, TicketImport
from wuye.tickets.models import Callback, DailySequence, ImportJob, ProgressNote, Ticket, TicketEvent
from wuye.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db

CN_HEADER = ["原单号", "项目编号", "房号", "类型", "类别", "渠道", "紧急程度", "标题", "描述", "位置", "联系人",
             "联系电话", "报事时间", "状态", "处理人工号", "办结时间", "处理结果", "回访满意度", "归档时间"]


def local(*args):
    return timezone.make_aware(dt.datetime(*args))


def xlsx_bytes(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    import csv

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def jsonl_gz(records) -> bytes:
    return gzip.compress("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode())


def run(data: bytes, name: str, *, actor=None, estate=None, **kwargs):
    return TicketImport(Source.from_bytes(data, name), actor=actor, estate=estate, **kwargs).run()


def good_rows(world):
    handler = world.staff["agent"].employee_no
    return [
        CN_HEADER,
        ["OLD-1", "ljy", "3-2-1201", "投诉", "服务态度", "电话", "紧急", "保安态度差", "夜班保安态度恶劣", "东门",
         "王芳", "13812345678", "2024-03-05 09:12", "已归档", handler, "2024-03-05 15:40", "已批评教育",
         "满意", "2024-03-08 10:00"],
        ["OLD-2", "ljy", "", "报修", "工程维修/电梯", "巡查", "一般", "3号楼电梯异响", "", "3号楼", "", "",
         dt.datetime(2024, 3, 5, 8, 0), "已办结", "", dt.datetime(2024, 3, 6, 8, 0), "已润滑导轨", "", ""],
        ["OLD-3", "", "", "consultation", "", "", "", "物业费怎么交", "", "", "李先生", "0571-88886666",
         "2024/3/5 7:30", "accepted", "", "", "", "", ""],
        ["OLD-4", "ljy", "", "报修", "", "微信", "", "楼道灯不亮", "", "", "", "", "2024-03-06", "已取消", "", "",
         "重复报修", "", ""],
    ]


def test_excel_import_keeps_dates_statuses_and_handlers(world):
    manager = world.users["cs_manager"]
    report = run(xlsx_bytes(good_rows(world)), "old.xlsx", actor=manager, estate="ljy")
    assert report.ok, report.errors
    assert report.imported == 4 and report.rows == 4

    complaint = Ticket.objects.get(legacy_ref="OLD-1")
    assert complaint.kind == TicketKind.COMPLAINT and complaint.priority == Priority.URGENT
    assert complaint.status == TicketStatus.CLOSED and complaint.channel == Channel.PHONE
    assert complaint.reported_at == local(2024, 3, 5, 9, 12) == complaint.created_at
    assert complaint.resolved_at == local(2024, 3, 5, 15, 40) and complaint.closed_at == local(2024, 3, 8, 10)
    assert complaint.unit == world.unit_a and complaint.customer == world.customer_a
    assert complaint.assignee == world.staff["agent"] and complaint.department == world.staff["agent"].department
    assert complaint.category.path == "服务态度" and complaint.resolution == "已批评教育"
    assert complaint.satisfaction == 4 and complaint.called_back_at == complaint.closed_at
    assert complaint.handling_minutes == 6 * 60 + 28
    assert complaint.resolution_due == local(2024, 3, 6, 9, 12) and complaint.resolution_met is True
    callback = Callback.objects.get(ticket=complaint)
    assert callback.satisfaction == 4 and callback.called_at == complaint.closed_at
    assert list(complaint.events.values_list("step", "at")) == [
        (Step.CREATE, complaint.reported_at), (Step.RESOLVE, complaint.resolved_at),
        (Step.CALLBACK, complaint.closed_at), (Step.CLOSE, complaint.closed_at)]
    assert not complaint.history.exists()  # bulk rows: no per-row change history

    repair = Ticket.objects.get(legacy_ref="OLD-2")
    assert repair.status == TicketStatus.RESOLVED and repair.channel == Channel.PATROL
    assert repair.category.path == "工程维修/电梯" and repair.unit is None

    consultation = Ticket.objects.get(legacy_ref="OLD-3")
    assert consultation.estate == world.estate_a  # the file's estate for a row naming none
    assert consultation.status == TicketStatus.ACCEPTED and consultation.channel == Channel.OTHER
    assert consultation.reported_at == local(2024, 3, 5, 7, 30) and consultation.contact_phone == "0571-88886666"
    # long past its limits and still open: overdue already, so the escalation job does not notify about history
    assert consultation.is_overdue and "response" in consultation.overdue_limits

    cancelled = Ticket.objects.get(legacy_ref="OLD-4")
    assert cancelled.status == TicketStatus.CANCELLED and cancelled.cancel_comment == "重复报修"

    # numbered per day of reporting, in reporting order; the day's sequence moved on
    assert [t.number for t in Ticket.objects.filter(reported_at__date="2024-03-05").order_by("reported_at")] == [
        "GD20240305-0001", "GD20240305-0002", "GD20240305-0003"]
    assert cancelled.number == "GD20240306-0001"
    assert DailySequence.objects.get(day=dt.date(2024, 3, 5)).last == 3
    assert AuditEvent.objects.filter(event_type="ticket.import").count() == 1
    assert AuditEvent.objects.get(event_type="ticket.import").actor == manager

    tickets = Ticket.objects.all()
    assert search.filter_queryset(tickets, "OLD-2").get() == repair
    assert search.filter_queryset(tickets, "态度恶劣").get() == complaint
    assert search.filter_queryset(tickets, "5678").get() == complaint


def test_csv_import_reads_the_translated_headers_and_chinese_excel_encoding(world):
    header = [str(c.header) for c in COLUMNS]
    for encoding in ("utf-8-sig", "gb18030"):
        row = dict.fromkeys(header, "")
        row.update({header[0]: f"X-{encoding}", header[1]: "ljy", header[3]: "报修", header[7]: "厨房水管漏水",
                    header[12]: "2025-01-02 10:00", header[13]: "处理中"})
        data = csv_bytes([header, [row[h] for h in header]], encoding=encoding)
        report = run(data, "old.csv", actor=world.users["admin"])
        assert report.ok, report.errors
        ticket = Ticket.objects.get(legacy_ref=f"X-{encoding}")
        assert ticket.status == TicketStatus.IN_PROGRESS and ticket.title == "厨房水管漏水"
        assert ticket.reported_at == local(2025, 1, 2, 10)


REFERENCE = [
    {"n": 1, "title": "13號樓電梯困人", "description": "業主來電反映：13號樓20層電梯困人。聯繫電話：13912345678。",
     "status": "closed", "priority": 1, "created": "2024-06-01T20:15:00+08:00", "modified": "2024-06-03T09:00:00+08:00",
     "submitter_email": "owner00001@example.com", "assignee": "staff3",
     "followups": [{"date": "2024-06-01T20:40:00+08:00", "title": "師傅已上門", "comment": "已救出業主。",
                    "new_status": None},
                   {"date": "2024-06-02T10:00:00+08:00", "title": "處理完畢", "comment": "電梯按鈕板已更換。",
                    "new_status": "closed"}]},
    {"n": 2, "title": "B座鄰居噪音投訴", "description": "租戶到管理處投訴：B座4層鄰居噪音投訴。", "status": "open",
     "priority": 3, "created": "2024-06-01T08:00:00+08:00", "modified": "2024-06-01T08:00:00+08:00",
     "submitter_email": "owner00002@example.com", "assignee": None, "followups": []},
    {"n": 3, "title": "會所物業費繳費查詢", "description": "住戶在App提交：會所1層物業費繳費查詢。",
     "status": "duplicate", "priority": 4, "created": "2024-06-02T08:00:00+08:00",
     "modified": "2024-06-02T09:00:00+08:00", "submitter_email": "owner00003@example.com", "assignee": "staff1",
     "followups": []},
    {"n": 4, "title": "1號樓天花板漏水", "description": "前台登記：1號樓3層天花板漏水。", "status": "resolved",
     "priority": 2, "created": "2024-06-02T09:00:00+08:00", "modified": "2024-06-05T09:00:00+08:00",
     "submitter_email": "owner00004@example.com", "assignee": None, "followups": []},
    {"n": 5, "title": "南門崗亭停車位被佔用", "description": "巡查發現：南門崗亭停車位被佔用。", "status": "reopened",
     "priority": 3, "created": "2024-06-03T09:00:00+08:00", "modified": "2024-06-04T09:00:00+08:00",
     "submitter_email": "owner00005@example.com", "assignee": None, "followups": []},
]


def test_reference_jsonl_import_maps_statuses_and_keeps_notes_and_dates(world):
    report = run(jsonl_gz(REFERENCE), "reference.jsonl.gz", actor=world.users["cs_manager"], estate="ljy")
    assert report.ok, report.errors
    assert report.imported == 5 and report.notes == 2 and report.unknown_handlers == {"staff3": 1, "staff1": 1}
    by_ref = {t.legacy_ref: t for t in Ticket.objects.all()}
    assert {ref: t.status for ref, t in by_ref.items()} == {
        "1": TicketStatus.CLOSED, "2": TicketStatus.ACCEPTED, "3": TicketStatus.CANCELLED,
        "4": TicketStatus.RESOLVED, "5": TicketStatus.REOPENED}
    lift = by_ref["1"]
    assert lift.title == "13號樓電梯困人"  # Traditional kept as given
    assert lift.priority == Priority.URGENT and by_ref["2"].priority == Priority.NORMAL
    assert by_ref["4"].priority == Priority.URGENT
    assert lift.reported_at == dt.datetime(2024, 6, 1, 12, 15, tzinfo=dt.UTC)
    assert lift.resolved_at == dt.datetime(2024, 6, 2, 2, 0, tzinfo=dt.UTC)
    assert lift.closed_at == dt.datetime(2024, 6, 3, 1, 0, tzinfo=dt.UTC)
    assert lift.category.path == "工程维修/电梯" and lift.channel == Channel.PHONE
    assert lift.contact_phone == "13912345678" and lift.estate == world.estate_a
    assert lift.responded_at == dt.datetime(2024, 6, 1, 12, 40, tzinfo=dt.UTC)  # the first follow-up
    notes = list(ProgressNote.objects.filter(ticket=lift).order_by("noted_at"))
    assert [n.body for n in notes] == ["師傅已上門：已救出業主。", "處理完畢：電梯按鈕板已更換。"]
    assert [n.noted_at for n in notes] == [dt.datetime(2024, 6, 1, 12, 40, tzinfo=dt.UTC),
                                           dt.datetime(2024, 6, 2, 2, 0, tzinfo=dt.UTC)]
    assert all(n.visibility == NoteVisibility.INTERNAL and n.created_at == n.noted_at for n in notes)
    create = lift.events.get(step=Step.CREATE)
    assert create.data["legacy_assignee"] == "staff3" and create.data["submitter_email"] == "owner00001@example.com"
    assert by_ref["2"].kind == TicketKind.COMPLAINT and by_ref["2"].category.path == "邻里纠纷"
    assert by_ref["2"].channel == Channel.WALK_IN
    assert by_ref["3"].kind == TicketKind.CONSULTATION and by_ref["3"].cancel_reason == CancelReason.DUPLICATE
    assert by_ref["3"].channel == Channel.PORTAL
    assert by_ref["4"].callback_required is False and by_ref["4"].kind == TicketKind.REPAIR
    assert by_ref["5"].reopen_count == 1 and by_ref["5"].channel == Channel.PATROL
    # day numbers follow reporting order: ticket 2 (08:00) before ticket 1 (20:15) on 1 June
    assert by_ref["2"].number == "GD20240601-0001" and lift.number == "GD20240601-0002"
    # search normalises: the Simplified query finds the Traditional text and the reverse
    tickets = Ticket.objects.all()
    assert search.filter_queryset(tickets, "电梯").get() == lift
    assert search.filter_queryset(tickets, "漏水").get() == by_ref["4"]
    assert search.filter_queryset(tickets, "噪音").get() == by_ref["2"]


def test_bad_rows_are_reported_with_their_line_and_nothing_is_imported(world):
    rows = good_rows(world)
    rows[2][12] = "2024-13-40"                      # line 3: not a date
    rows[3][2] = "9-9-9999"                          # line 4: estate A has no such unit (the estate is the file's)
    rows[3][1] = "ljy"
    rows.append(["OLD-5", "ljy", "", "报修", "", "", "", "水管", "", "", "", "", "2024-03-07 10:00", "已办结", "",
                 "2024-03-06 10:00", "", "", ""])    # line 6: resolved before reported
    rows.append(["OLD-6", "nope", "", "维修", "", "", "", "门坏了", "", "", "", "", "2024-03-07", "飞走了", "",
                 "", "", "", ""])                     # line 7: unknown estate, unknown status
    rows.append(["OLD-1", "ljy", "", "报修", "", "", "", "重复", "", "", "", "", "2024-03-07", "已受理", "", "",
                 "", "", ""])                         # line 8: the same original number as line 2
    sequences = DailySequence.objects.count()
    report = run(xlsx_bytes(rows), "bad.xlsx", actor=world.users["cs_manager"])
    lines = {(e.row, e.column) for e in report.errors}
    assert not report.ok and report.imported == 0
    assert (3, str(COLUMNS[12].header)) in lines
    assert (4, str(COLUMNS[2].header)) in lines
    assert (6, str(COLUMNS[15].header)) in lines
    assert (7, str(COLUMNS[1].header)) in lines and (7, str(COLUMNS[13].header)) in lines
    assert (8, str(COLUMNS[0].header)) in lines
    assert all(e.message for e in report.errors)
    assert not Ticket.objects.exists() and not TicketEvent.objects.exists()
    assert DailySequence.objects.count() == sequences
    assert not AuditEvent.objects.filter(event_type="ticket.import").exists()


def test_the_import_checks_permission_and_the_estates_the_user_serves(world):
    from django.contrib.auth.models import Permission
    from django.core.exceptions import PermissionDenied

    agent = world.users["agent"]
    rows = [CN_HEADER, ["B1", "chy", "", "报修", "", "", "", "门坏了", "", "", "", "", "2024-03-07", "已受理", "",
                        "", "", "", ""]]
    with pytest.raises(PermissionDenied):
        run(xlsx_bytes(rows), "b.xlsx", actor=agent)
    agent.user_permissions.add(Permission.objects.get(codename="import_tickets"))
    agent = type(agent).objects.get(pk=agent.pk)
    report = run(xlsx_bytes(rows), "b.xlsx", actor=agent)  # estate B: the agent serves only estate A
    assert [(e.row, e.column) for e in report.errors] == [(2, str(COLUMNS[1].header))]
    rows[1][1] = "ljy"
    assert run(xlsx_bytes(rows), "b.xlsx", actor=agent).ok


def test_bad_json_lines_and_missing_columns_are_reported(world):
    data = jsonl_gz([REFERENCE[0], {"n": 2}]) + gzip.compress(b"not json\n")
    report = run(data, "x.jsonl.gz", estate="ljy")
    assert {e.row for e in report.errors} == {2, 3} and not Ticket.objects.exists()

    report = run(jsonl_gz(REFERENCE), "x.jsonl.gz")  # the estate is not given
    assert report.errors[0].row == 0 and not Ticket.objects.exists()

    report = run(xlsx_bytes([["标题", "Colour"], ["x", "red"]]), "x.xlsx", estate="ljy")
    assert {e.column for e in report.errors} >= {"Colour", str(COLUMNS[3].header), str(COLUMNS[12].header)}


def test_an_import_is_refused_twice_and_numbers_do_not_collide_with_later_intake(world):
    today = timezone.localdate()
    earlier = make_ticket(world)  # GD<today>-0001, made before the import
    assert earlier.number == f"GD{today:%Y%m%d}-0001"
    morning = timezone.localtime().replace(hour=0, minute=5, second=0, microsecond=0)
    rows = [CN_HEADER] + [[f"T{i}", "ljy", "", "报修", "", "", "", f"今日旧单{i}", "", "", "", "",
                           (morning + dt.timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M"), "已受理", "", "", "",
                           "", ""] for i in range(2)]
    report = run(xlsx_bytes(rows), "today.xlsx", actor=world.users["cs_manager"])
    assert report.ok, report.errors
    assert sorted(Ticket.objects.filter(legacy_ref__startswith="T").values_list("number", flat=True)) == [
        f"GD{today:%Y%m%d}-0002", f"GD{today:%Y%m%d}-0003"]
    later = make_ticket(world)
    assert later.number == f"GD{today:%Y%m%d}-0004"

    again = run(xlsx_bytes(rows), "today.xlsx", actor=world.users["cs_manager"])
    assert not again.ok and "T0" in again.errors[0].message
    assert Ticket.objects.count() == 4


def test_command_imports_prints_a_summary_and_dry_run_writes_nothing(world, tmp_path):
    path = tmp_path / "reference.jsonl.gz"
    path.write_bytes(jsonl_gz(REFERENCE))
    out = StringIO()
    call_command("import_tickets", str(path), estate="ljy", dry_run=True, stdout=out, stderr=StringIO())
    assert "5 tickets" in out.getvalue() and "dry run" in out.getvalue()
    assert not Ticket.objects.exists()

    out = StringIO()
    call_command("import_tickets", str(path), estate="ljy", user="t_cs_manager", stdout=out, stderr=StringIO())
    assert "committed" in out.getvalue() and Ticket.objects.count() == 5

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"n": 9}\n', encoding="utf-8")
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("import_tickets", str(bad), estate="ljy", stdout=out, stderr=StringIO())
    assert "line 1" in out.getvalue() and Ticket.objects.count() == 5


def _upload(client, data: bytes, name: str, **fields):
    return client.post(reverse("tickets:ticket_import"), {"file": SimpleUploadedFile(name, data), **fields})


def test_page_upload_runs_the_job_and_shows_the_result(world, client_for, settings):
    settings.WUYE_TASKS_INLINE = True
    client = client_for("cs_manager")
    assert client.get(reverse("tickets:ticket_import")).status_code == 200
    response = _upload(client, jsonl_gz(REFERENCE), "ref.jsonl.gz", estate=world.estate_a.pk)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tickets:import_job", args=[job.pk])
    assert job.status == ImportJob.Status.DONE and job.imported == 5 and job.percent == 100
    assert job.created_by == world.users["cs_manager"] and Ticket.objects.count() == 5
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"import-result" in page.content
    partial = client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"every 1s" not in partial.content  # finished: polling stops

    bad = csv_bytes([[str(c.header) for c in COLUMNS], ["", "ljy", "", "报修", "", "", "", "漏水", "", "", "", "",
                                                        "明天", "已受理", "", "", "", "", ""]])
    response = _upload(client, bad, "bad.csv")
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.FAILED and job.error_count == 1 and job.errors[0]["row"] == 2
    page = client.get(response["Location"])
    assert b"import-error-table" in page.content and Ticket.objects.count() == 5


def test_a_waiting_job_page_polls_for_progress(world, client_for, settings):
    settings.WUYE_TASKS_INLINE = False  # the thread starts only when the upload commits, never in this test
    client = client_for("admin")
    response = _upload(client, jsonl_gz(REFERENCE), "ref.jsonl.gz", estate=world.estate_a.pk)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PENDING and not Ticket.objects.exists()
    partial = client.get(response["Location"], headers={"HX-Request": "true"})
    assert b'hx-trigger="every 1s"' in partial.content and b"progressbar" in partial.content


def test_page_refuses_bad_uploads_and_other_users_jobs(world, client_for, settings):
    settings.WUYE_TASKS_INLINE = True
    client = client_for("cs_manager")
    assert _upload(client, jsonl_gz(REFERENCE), "ref.jsonl.gz").status_code == 400  # no estate for JSON Lines
    assert _upload(client, b"hello", "notes.txt").status_code == 400
    assert not ImportJob.objects.exists()
    assert client_for("agent").get(reverse("tickets:ticket_import")).status_code == 403
    job = ImportJob.objects.create(name="x.csv", format="csv", created_by=world.users["admin"])
    assert client.get(reverse("tickets:import_job", args=[job.pk])).status_code == 200  # sees every estate


def test_templates_download(world, client_for):
    client = client_for("cs_manager")
    response = client.get(reverse("tickets:import_template"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in wb.worksheets[0][1]] == [str(c.header) for c in COLUMNS]
    report = run(csv_bytes(list(wb.worksheets[0].iter_rows(values_only=True))), "template.csv", estate="ljy",
                 actor=world.users["cs_manager"])
    # the example row is valid but for its handler's employee number, which this world does not have
    assert [(e.row, e.column) for e in report.errors] == [(2, str(COLUMNS[14].header))]
    csv_response = client.get(reverse("tickets:import_template") + "?format=csv")
    assert csv_response.content.decode("utf-8-sig").splitlines()[0].split(",")[0] == str(COLUMNS[0].header)
