"""Demo nonconformities and corrective actions (``manage.py load_demo``), made through ``services.actions`` by the
demo users who would do it: the quality auditor (吴刚) raises them and records the causes, the customer-service
manager (陈静, the department head) plans them with an agent (张丽) as owner, the agent records the work done, top
management (郑国华) verifies.

- every minor or major finding of the demo audits (made by the audits subject's demo, which runs first) that has no
  corrective action yet gets one, taken to a different state each: closed after verification, in progress,
  waiting for verification, action plan, …;
- the complaint 前台接待态度冷淡 of 云栖雅苑 (tickets demo) raises a nonconformity, now in cause analysis;
- by hand: one closed after a first verification found it not effective, one in progress, one overdue (its due date
  set back, as if planned weeks ago), one incident follow-up in draft.

Found by finding, ticket or title, so a second run adds and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from wuye.core.demo import demo_user
from wuye.estates.models import Estate
from wuye.tickets.models import Ticket

from ..choices import NONCONFORMITY_GRADES, ActionSource, ActionState
from ..models import CorrectiveAction, Finding
from ..services import actions as services

__all__ = ["load"]

ORDER = ("draft", "cause_analysis", "action_plan", "in_progress", "verification", "closed")
# the states the findings' actions are taken to, in turn
FINDING_STATES = ("closed", "in_progress", "verification", "action_plan", "cause_analysis")

CAUSE = {"immediate_correction": "已当场纠正并补齐相关记录。",
         "root_cause": "岗位职责与记录要求未在作业指导书中明确，新员工培训未覆盖。"}
PLAN = "修订相关作业指导书，明确责任人和记录要求；组织全体相关人员培训并考核；主管每周抽查一次，连续一个月。"
DONE = "作业指导书已修订发布，培训已完成（签到表附后），连续四周抽查记录完整。"
CHECK = "抽查近一个月记录，均按要求填写，措施有效。"

MANUAL = [
    {"title": "夜班交接班记录缺失", "source": ActionSource.MANUAL, "estate": "jghy", "grade": "minor",
     "description": "金桂花园客服中心3月12日至14日夜班交接班记录未填写，交接事项无从追溯。", "state": "closed",
     "first_not_effective": True},
    {"title": "装修巡查记录不完整", "source": ActionSource.MANUAL, "estate": "qtmzy", "grade": "minor",
     "description": "钱塘明珠苑装修巡查表缺少巡查人签名和整改复查记录。", "state": "in_progress", "due": 20},
    {"title": "消防通道堆放杂物未及时清理", "source": ActionSource.MANUAL, "estate": "yqya", "grade": "major",
     "description": "云栖雅苑2号楼消防通道长期堆放纸箱，日常巡查未发现和制止。", "state": "in_progress", "overdue": 12},
    {"title": "电梯困人事件响应超时", "source": ActionSource.INCIDENT, "estate": "yqya", "grade": "major",
     "source_reference": "SJ-DEMO-001",
     "description": "电梯困人事件中维保单位到场用时42分钟，超过30分钟的承诺时限。", "state": "draft"},
]


class _Loader:
    def __init__(self):
        self.auditor = demo_user("quality_auditor")
        self.manager = demo_user("cs_manager")
        self.agent = demo_user("agent")
        self.executive = demo_user("executive")
        self.owner = getattr(self.agent, "staff", None)
        self.made = 0

    def advance(self, action: CorrectiveAction, state: str, *, due: int = 30, not_effective_first=False):
        today = timezone.localdate()
        while ORDER.index(action.state) < ORDER.index(state):
            if action.state == ActionState.DRAFT:
                action = services.corrective_action_submit(actor=self.auditor, action=action)
            elif action.state == ActionState.CAUSE_ANALYSIS:
                action = services.corrective_action_record_cause(actor=self.auditor, action=action,
                                                                 root_cause=CAUSE["root_cause"],
                                                                 immediate_correction=action.immediate_correction
                                                                 or CAUSE["immediate_correction"])
            elif action.state == ActionState.ACTION_PLAN:
                if self.owner is None:
                    return action
                action = services.corrective_action_plan(actor=self.manager, action=action, action_plan=PLAN,
                                                         owner=self.owner, due_on=today + dt.timedelta(days=due))
            elif action.state == ActionState.IN_PROGRESS:
                action = services.corrective_action_complete(actor=self.agent, action=action, completion_note=DONE)
            elif action.state == ActionState.VERIFICATION:
                if not_effective_first:
                    not_effective_first = False
                    action = services.corrective_action_verify(
                        actor=self.executive, action=action, effective=False,
                        note="抽查发现仍有两天记录缺失，培训未覆盖夜班人员，请补充培训。")
                    continue
                action = services.corrective_action_verify(actor=self.executive, action=action, effective=True,
                                                           note=CHECK)
        return action

    @transaction.atomic
    def from_finding(self, finding: Finding, state: str):
        action = services.corrective_action_raise(actor=self.auditor, source=ActionSource.FINDING, finding=finding)
        self.made += 1
        self.advance(action, state)

    @transaction.atomic
    def from_complaint(self):
        ticket = (Ticket.objects.filter(kind="complaint", title="前台接待态度冷淡", estate__code="yqya")
                  .order_by("pk").first())
        if ticket is None or CorrectiveAction.objects.filter(ticket=ticket).exists():
            return
        action = services.corrective_action_raise(
            actor=self.manager, source=ActionSource.COMPLAINT, ticket=ticket, grade="minor",
            department=getattr(getattr(self.manager, "staff", None), "department", None),
            immediate_correction="已向业主当面致歉，当事员工已作书面检查。")
        self.made += 1
        self.advance(action, "cause_analysis")

    @transaction.atomic
    def manual(self, spec: dict):
        if CorrectiveAction.objects.filter(title=spec["title"]).exists():
            return
        estate = Estate.objects.filter(code=spec["estate"]).first()
        action = services.corrective_action_raise(
            actor=self.auditor, source=spec["source"], title=spec["title"], description=spec["description"],
            grade=spec["grade"], source_reference=spec.get("source_reference", ""), estate=estate,
            department=getattr(getattr(self.manager, "staff", None), "department", None))
        self.made += 1
        action = self.advance(action, spec["state"], due=spec.get("due", 30),
                              not_effective_first=spec.get("first_not_effective", False))
        if spec.get("overdue") and action.state == ActionState.IN_PROGRESS:
            # planned weeks ago with a due date that has passed (the services refuse a date in the past)
            today = timezone.localdate()
            CorrectiveAction.objects.filter(pk=action.pk).update(
                raised_on=today - dt.timedelta(days=40), started_on=today - dt.timedelta(days=35),
                due_on=today - dt.timedelta(days=spec["overdue"]))


def load(*, stdout, style):
    try:
        loader = _Loader()
    except Exception:  # noqa: BLE001 - the demo users come from core.demo, which runs first
        stdout.write("quality/actions: the demo users are missing; no demo corrective actions")
        return []
    findings = (Finding.objects.filter(grade__in=NONCONFORMITY_GRADES, corrective_action__isnull=True)
                .select_related("audit").order_by("found_on", "audit__number", "number"))
    for i, finding in enumerate(findings):
        loader.from_finding(finding, FINDING_STATES[i % len(FINDING_STATES)])
    loader.from_complaint()
    for spec in MANUAL:
        loader.manual(spec)
    overdue = CorrectiveAction.objects.filter(state__in=("action_plan", "in_progress"),
                                              due_on__lt=timezone.localdate()).count()
    stdout.write(f"quality/actions: {CorrectiveAction.objects.count()} corrective actions ({loader.made} made now, "
                 f"{overdue} overdue)")
    return []
