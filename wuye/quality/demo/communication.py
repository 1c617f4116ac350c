"""Demo meetings and submissions (``manage.py load_demo``), made through ``services.communication`` by the demo
users who would do it:

- this month's 客服部例会, planned and minuted by the customer-service manager (陈静), with two action items for the
  agent (张丽), one of them done;
- next month's 客服部例会, planned;
- two reports from the agent: one answered and closed by the manager, one still waiting;
- an appeal from the resident (李梅), confidential, assigned by top management (郑国华) to themself.

Meetings are found by title, submissions by subject, action items by text: a second run adds and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wuye.core.demo import demo_user
from wuye.org.models import Department, Staff

from ..choices import ActionItemStatus, MeetingKind, MeetingStatus, SubmissionKind, SubmissionState
from ..models import ActionItem, Meeting, Submission
from ..services import communication as services
from ..services import reviews as review_services

__all__ = ["load"]

AGENDA = "1. 上月投诉与报修情况回顾\n2. 本月重点工作安排\n3. 客户回访满意度分析\n4. 其他事项"
MINUTES = ("一、上月共受理投诉12起，全部在时限内办结，回访满意11起。\n"
           "二、云栖雅苑3号楼电梯两次停运，已督促维保单位整改。\n"
           "三、本月开展夏季消防安全检查，各管理项目于月底前上报检查记录。")
DECISIONS = "1. 投诉回访由电话回访改为电话加上门回访相结合。\n2. 夜班交接班记录每日由班长检查签字。"
ACTIONS = [
    {"text": "整理上月投诉台账，补齐回访记录。", "days": 3, "done": "已补齐12份投诉单回访记录并归档。"},
    {"text": "汇总各管理项目夏季消防安全检查记录。", "days": 10, "done": None},
]
REPORTS = [
    {"subject": "云栖雅苑3号楼电梯频繁停运",
     "body": "本月3号楼1单元电梯停运两次，业主反映强烈，建议更换维保单位或加强监督。",
     "reply": "已约谈电梯维保单位，要求本周内完成主板更换，并每日报送运行记录。", "close": "电梯已恢复正常运行。"},
    {"subject": "客服中心打印机老化影响办公", "body": "前台打印机经常卡纸，影响业主办事效率，申请更换。", "reply": None,
     "close": None},
]
APPEAL = {"subject": "对漏水投诉处理结果不服",
          "body": "上月反映的楼上漏水问题，维修人员记录为已处理，但实际仍在渗水，要求重新处理并说明原因。"}


def _staff(username):
    return Staff.objects.filter(user__username=username).first()


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _this_month(manager, agent, attendees, department, now) -> list:
    today = timezone.localdate(now)
    title = f"{today.year}年{today.month}月客服部例会"
    meeting = Meeting.objects.filter(title=title).first()
    made = []
    if meeting is None:
        starts = min(_aware(today.replace(day=1), 9), now - dt.timedelta(hours=1))
        meeting = services.meeting_plan(actor=manager, kind=MeetingKind.REGULAR, title=title, starts_at=starts,
                                        location="客服中心二楼会议室", chair=_staff("cs_manager"), attendees=attendees,
                                        agenda=AGENDA, department=department)
        made.append(meeting)
    if meeting.status == MeetingStatus.PLANNED:
        services.meeting_record_minutes(actor=manager, meeting=meeting, minutes=MINUTES, decisions=DECISIONS)
    owner = _staff("agent")
    if owner is None:
        return made
    existing = {item.text: item for item in ActionItem.objects.filter(meeting=meeting)}
    for spec in ACTIONS:
        item = existing.get(spec["text"])
        if item is None:
            item = services.meeting_action_add(actor=manager, meeting=meeting, text=spec["text"], owner=owner,
                                               due_on=today + dt.timedelta(days=spec["days"]))
            made.append(item)
        if spec["done"] and item.status == ActionItemStatus.OPEN:
            review_services.action_item_complete(actor=agent, item=item, result=spec["done"],
                                                 done_on=today)
    return made


def _next_month(manager, attendees, department, now) -> list:
    today = timezone.localdate(now)
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    title = f"{first.year}年{first.month}月客服部例会"
    if Meeting.objects.filter(title=title).exists():
        return []
    return [services.meeting_plan(actor=manager, kind=MeetingKind.REGULAR, title=title, starts_at=_aware(first, 9),
                                  location="客服中心二楼会议室", chair=_staff("cs_manager"), attendees=attendees,
                                  agenda=AGENDA, department=department)]


def _submissions(manager, agent, executive, resident) -> list:
    made = []
    for spec in REPORTS:
        submission = Submission.objects.filter(subject=spec["subject"]).first()
        if submission is None:
            submission = services.submission_file(actor=agent, kind=SubmissionKind.REPORT, subject=spec["subject"],
                                                  body=spec["body"])
            made.append(submission)
        if spec["reply"] and submission.state in (SubmissionState.SUBMITTED, SubmissionState.ASSIGNED):
            if submission.state == SubmissionState.SUBMITTED:
                submission = services.submission_assign(actor=manager, submission=submission, assignee=manager)
            submission = services.submission_reply(actor=manager, submission=submission, reply=spec["reply"])
        if spec["close"] and submission.state == SubmissionState.REPLIED:
            services.submission_close(actor=manager, submission=submission, note=spec["close"])
    if resident is not None and getattr(resident, "customer", None) is not None:
        appeal = Submission.objects.filter(subject=APPEAL["subject"]).first()
        if appeal is None:
            appeal = services.submission_file(actor=resident, kind=SubmissionKind.APPEAL, **APPEAL)
            made.append(appeal)
        if appeal.state == SubmissionState.SUBMITTED:
            services.submission_assign(actor=executive, submission=appeal, assignee=executive)
    return made


def load(*, stdout, style) -> list:
    manager, agent, executive = demo_user("cs_manager"), demo_user("agent"), demo_user("executive")
    resident = demo_user("resident")
    department = Department.objects.filter(code="cs").first()
    attendees = [s for s in map(_staff, ("cs_manager", "agent", "agent2", "document_controller",
                                         "quality_auditor")) if s is not None]
    now = timezone.now()
    made = _this_month(manager, agent, attendees, department, now)
    made += _next_month(manager, attendees, department, now)
    made += _submissions(manager, agent, executive, resident)
    stdout.write(f"quality communication: {Meeting.objects.count()} meetings, {Submission.objects.count()} "
                 f"submissions ({len(made)} added)")
    return []
