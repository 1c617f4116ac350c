"""Corrective actions in every state for the tests, made through the services by the roles that would take each
step: the quality auditor raises, submits and records the cause; the customer-service manager (department head)
plans with the agent as owner; the agent completes; top management verifies or cancels."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from wuye.quality.choices import ActionSource, AuditKind, FindingGrade
from wuye.quality.models import Audit, CorrectiveAction, Finding, IsoClause
from wuye.quality.services import actions as services

_audit_numbers = itertools.count(1)

ORDER = ("draft", "cause_analysis", "action_plan", "in_progress", "verification", "closed")


def day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def make_finding(w, grade=FindingGrade.MINOR, estate=None, department=None) -> Finding:
    """A finding of an internal audit (made directly: the audits' services are another subject's)."""
    n = next(_audit_numbers)
    audit = Audit.objects.create(number=f"IA-TEST-{n:03d}", kind=AuditKind.INTERNAL, title="客服部内部审核",
                                 scope="客户服务过程", planned_start=day(-10), planned_end=day(-9))
    clause = IsoClause.objects.get(number="8.5.1") if IsoClause.objects.filter(number="8.5.1").exists() else \
        IsoClause.objects.order_by("sort_key").first()
    return Finding.objects.create(audit=audit, number=1, grade=grade, clause=clause,
                                  estate=estate if estate is not None else w.estate_a,
                                  department=department if department is not None else w.department,
                                  statement="投诉回访记录不完整，3份投诉单无回访结果",
                                  evidence="抽查2026年3月投诉单10份",
                                  found_on=day(-9))


def raised(w, actor="quality_auditor", **fields) -> CorrectiveAction:
    values = {"source": ActionSource.MANUAL, "title": "交接班记录缺失", "description": "夜班交接班记录连续3天未填写",
              "estate": w.estate_a, "department": w.department}
    values.update(fields)
    return services.corrective_action_raise(actor=w.users[actor], **values)


def advance(w, action: CorrectiveAction, state: str, *, owner=None, due_on=None) -> CorrectiveAction:
    """Take ``action`` forward to ``state`` (one of ``ORDER``, or "cancelled")."""
    if state == "cancelled":
        return services.corrective_action_cancel(actor=w.users["executive"], action=action, reason="重复登记")
    target = ORDER.index(state)
    users = w.users
    while ORDER.index(action.state) < target:
        if action.state == "draft":
            action = services.corrective_action_submit(actor=users["quality_auditor"], action=action)
        elif action.state == "cause_analysis":
            action = services.corrective_action_record_cause(
                actor=users["quality_auditor"], action=action, immediate_correction="当班补填记录",
                root_cause="交接班制度未明确记录责任人")
        elif action.state == "action_plan":
            action = services.corrective_action_plan(
                actor=users["cs_manager"], action=action, action_plan="修订交接班制度并培训全体客服人员",
                owner=owner or w.staff["agent"], due_on=due_on or day(14))
        elif action.state == "in_progress":
            action = services.corrective_action_complete(actor=users["agent"], action=action,
                                                         completion_note="制度已修订，培训已完成")
        elif action.state == "verification":
            action = services.corrective_action_verify(actor=users["executive"], action=action, effective=True,
                                                       note="抽查两周记录，均完整")
    action.refresh_from_db()
    return action


def in_state(w, state: str, **kwargs) -> CorrectiveAction:
    return advance(w, raised(w), state, **kwargs)
