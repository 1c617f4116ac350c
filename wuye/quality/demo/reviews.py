"""Demo management reviews (``manage.py load_demo``), made through ``services.reviews`` by the demo users who would
do it: the quality auditor (吴刚) plans the review and compiles its inputs, top management (郑国华) holds and
closes it, the owners complete their actions.

- last year's review (held in mid-December for January to November): its inputs compiled, the minutes and the
  conclusion, a decision, a resource need and two improvement actions, all done, the review closed;
- this year's review, planned two weeks ahead for the twelve months since the last one, its inputs compiled from
  the demo policy, audits, corrective actions and complaints (those subjects' demos run first), with two open
  preparation actions (one for the customer-service manager, one for an agent).

Found by title (reviews) and text (action items); a second run adds and changes nothing (the inputs are compiled
only once).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wuye.core.demo import demo_user
from wuye.org.models import Staff

from ..choices import ActionItemStatus, OutputKind, ReviewStatus
from ..models import ActionItem, ManagementReview
from ..services import reviews as services

__all__ = ["load"]

LAST_OUTPUTS = [
    {"kind": OutputKind.DECISION, "text": "质量方针保持不变；质量目标中“投诉处理及时率”由95%提高到98%。", "owner": None,
     "due": None, "result": "新版质量目标已批准发布。"},
    {"kind": OutputKind.RESOURCE, "text": "为云栖雅苑增配一名夜班客服。", "owner": "executive", "due": (2, 28),
     "result": "已招聘到岗，3月1日起排班。"},
    {"kind": OutputKind.IMPROVEMENT, "text": "修订《客户投诉处理程序》，增加48小时回访要求。", "owner": "cs_manager",
     "due": (3, 31), "result": "程序已修订并发布（第3版），全员培训完成。"},
    {"kind": OutputKind.IMPROVEMENT, "text": "对全体客服人员开展ISO 9001基础知识培训。", "owner": "quality_auditor",
     "due": (4, 30), "result": "4月完成两期培训，考核合格率100%。"},
]
THIS_OUTPUTS = [
    {"kind": OutputKind.IMPROVEMENT, "text": "整理各管理项目本年度投诉台账并分析原因，提交评审会。",
     "owner": "cs_manager", "days": 10},
    {"kind": OutputKind.RESOURCE, "text": "统计客服中心人员配置和加班情况，提出明年人员需求。", "owner": "agent",
     "days": 12},
]


def _staff(username):
    return Staff.objects.filter(user__username=username).first() if username else None


def _add_outputs(actor, review, specs, due):
    existing = set(ActionItem.objects.filter(review=review).values_list("text", flat=True))
    made = []
    for spec in specs:
        if spec["text"] in existing:
            continue
        owner = _staff(spec["owner"])
        if spec["kind"] == OutputKind.IMPROVEMENT and owner is None:
            continue  # the demo staff are missing
        made.append(services.action_item_add(actor=actor, parent=review, text=spec["text"], kind=spec["kind"],
                                             owner=owner, due_on=due(spec)))
    return made


def _last_year(today, auditor, executive) -> ManagementReview | None:
    year = today.year - 1
    title = f"{year}年度管理评审"
    review = ManagementReview.objects.filter(title=title).first()
    held_on = dt.date(year, 12, 18)
    if review is None:
        review = services.management_review_plan(
            actor=auditor, title=title, period_start=dt.date(year, 1, 1), period_end=dt.date(year, 11, 30),
            planned_on=held_on, chair=_staff("executive"),
            attendees=[s for s in map(_staff, ("executive", "quality_auditor", "cs_manager")) if s])
    if review.compiled_at is None and review.status == ReviewStatus.PLANNED:
        review = services.management_review_compile(actor=auditor, review=review)
        for item in review.inputs.filter(text=""):
            services.review_input_update(actor=auditor, input=item, text=f"{item.get_topic_display()}：见汇总数据，"
                                                                        "总体受控，无重大异常。")
    if review.status == ReviewStatus.PLANNED:
        review = services.management_review_hold(
            actor=executive, review=review, held_on=held_on,
            minutes="会议逐项评审了上次评审措施的落实、质量目标完成情况、内外部审核结果、顾客投诉和满意度、不合格及纠正措施。"
                    "与会人员讨论了夜班人手不足和投诉回访不及时的问题。",
            conclusion="公司质量管理体系总体适宜、充分、有效；需加强投诉回访和夜班人员配置。")
    if review.status == ReviewStatus.HELD:
        _add_outputs(executive, review, LAST_OUTPUTS,
                     lambda spec: dt.date(year + 1, *spec["due"]) if spec["due"] else None)
        results = {spec["text"]: spec for spec in LAST_OUTPUTS}
        for item in review.actions.filter(status=ActionItemStatus.OPEN).select_related("owner__user"):
            spec = results.get(item.text)
            if spec is None:
                continue
            done_on = min(item.due_on or held_on, today)
            actor = item.owner.user if item.owner and item.owner.user else executive
            services.action_item_complete(actor=actor, item=item, result=spec["result"], done_on=done_on)
        if not review.actions.filter(status=ActionItemStatus.OPEN).exists():
            review = services.management_review_close(actor=executive, review=review)
    return review


def _this_year(today, auditor, last) -> ManagementReview:
    title = f"{today.year}年度管理评审"
    review = ManagementReview.objects.filter(title=title).first()
    if review is None:
        start = (last.period_end + dt.timedelta(days=1)) if last else dt.date(today.year, 1, 1)
        end = max(today - dt.timedelta(days=1), start)
        review = services.management_review_plan(
            actor=auditor, title=title, period_start=start, period_end=end, planned_on=today + dt.timedelta(days=14),
            chair=_staff("executive"),
            attendees=[s for s in map(_staff, ("executive", "quality_auditor", "cs_manager", "agent")) if s])
    if review.status == ReviewStatus.PLANNED:
        if review.compiled_at is None:
            review = services.management_review_compile(actor=auditor, review=review)
        _add_outputs(auditor, review, THIS_OUTPUTS, lambda spec: review.created_at.date()
                     + dt.timedelta(days=spec["days"]))
    return review


def load(*, stdout, style):
    try:
        auditor, executive = demo_user("quality_auditor"), demo_user("executive")
    except Exception:  # noqa: BLE001 - the demo users come from core.demo, which runs first
        stdout.write("quality/reviews: the demo users are missing; no demo management reviews")
        return []
    today = timezone.localdate()
    last = _last_year(today, auditor, executive)
    current = _this_year(today, auditor, last)
    open_items = ActionItem.objects.filter(review__isnull=False, status=ActionItemStatus.OPEN).count()
    stdout.write(f"quality/reviews: {ManagementReview.objects.count()} management reviews ({current.number} planned "
                 f"for {current.planned_on:%Y-%m-%d}, {open_items} open review actions)")
    return []
