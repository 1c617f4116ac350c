"""Meetings and submissions for the tests, made through the services by the roles that would do it: the
customer-service manager plans meetings and records their minutes; staff and residents file submissions; handlers
assign, reply and close them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wuye.quality.choices import MeetingKind, SubmissionKind
from wuye.quality.services import communication as services


def at(days: int, hour: int = 9) -> dt.datetime:
    """An aware time ``days`` from today at ``hour`` o'clock."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def planned(w, *, days: int = 3, actor: str = "cs_manager", attendees=("agent", "document_controller"), **fields):
    values = {"kind": MeetingKind.REGULAR, "title": "客服部例会", "starts_at": at(days), "location": "二楼会议室",
              "chair": w.staff["cs_manager"], "attendees": [w.staff[r] for r in attendees],
              "agenda": "1. 上周投诉回顾\n2. 本周工作安排", "department": w.department}
    values.update(fields)
    return services.meeting_plan(actor=w.users[actor], **values)


def held(w, *, days: int = -1, **fields):
    meeting = planned(w, days=days, **fields)
    return services.meeting_record_minutes(actor=w.users["cs_manager"], meeting=meeting,
                                           minutes="回顾了上周3起投诉的处理情况。", decisions="加强夜班巡查。")


def report(w, role: str = "agent", **fields):
    values = {"kind": SubmissionKind.REPORT, "subject": "电梯故障频发", "body": "3号楼电梯本周停运两次。"}
    values.update(fields)
    return services.submission_file(actor=w.users[role], **values)


def appeal(w, role: str = "resident", **fields):
    values = {"kind": SubmissionKind.APPEAL, "subject": "对投诉处理结果不服", "body": "维修人员未按约上门，要求复查。"}
    values.update(fields)
    return services.submission_file(actor=w.users[role], **values)
