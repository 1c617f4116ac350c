"""Management reviews and the records their inputs count, for tests. Reviews and action items are made through
the services; the audits, findings and corrective actions they count are written directly (their own subjects'
services are tested there), with fixed dates so the period's counts are exact."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from wuye.quality.choices import ActionSource, ActionState, AuditKind, AuditStatus, Effectiveness, FindingGrade
from wuye.quality.models import Audit, CorrectiveAction, Finding, IsoClause, ManagementReview, Meeting
from wuye.quality.services import reviews as services

_serial = itertools.count(1)


def today() -> dt.date:
    return timezone.localdate()


def plan(w, *, actor=None, start=None, end=None, planned_on=None, title="年度管理评审", attendees=None,
         **kwargs) -> ManagementReview:
    """A review planned by the quality auditor for the past year (to yesterday), planned for today."""
    end = end or today() - dt.timedelta(days=1)
    start = start or end - dt.timedelta(days=364)
    return services.management_review_plan(
        actor=actor or w.users["quality_auditor"], title=title, period_start=start, period_end=end,
        planned_on=planned_on or today(), chair=w.staff["executive"],
        attendees=attendees if attendees is not None else [w.staff["executive"], w.staff["quality_auditor"],
                                                           w.staff["cs_manager"]], **kwargs)


def compiled(w, review=None, **kwargs) -> ManagementReview:
    review = review or plan(w, **kwargs)
    return services.management_review_compile(actor=w.users["quality_auditor"], review=review)


def held(w, review=None, held_on=None, **kwargs) -> ManagementReview:
    review = compiled(w, review, **kwargs) if review is None or review.compiled_at is None else review
    return services.management_review_hold(actor=w.users["executive"], review=review, held_on=held_on or today(),
                                           minutes="逐项评审输入，讨论投诉处理及时率。",
                                           conclusion="质量管理体系适宜、充分、有效。")


def held_on_day(w, day: dt.date) -> ManagementReview:
    """A review held (and closed) on ``day``, in the past: its dates are set after holding it today."""
    review = held(w, start=day - dt.timedelta(days=365), end=day - dt.timedelta(days=1), planned_on=day)
    ManagementReview.objects.filter(pk=review.pk).update(held_on=day)
    review.refresh_from_db()
    return review


def item(w, review, *, owner="agent", due_on=None, kind="improvement", text="完善投诉回访流程", actor=None):
    return services.action_item_add(actor=actor or w.users["quality_auditor"], parent=review, text=text, kind=kind,
                                    owner=w.staff[owner] if owner else None,
                                    due_on=due_on or today() + dt.timedelta(days=30))


def meeting(w, **kwargs) -> Meeting:
    defaults = {"number": f"HY-T-{next(_serial):03d}", "title": "客服部例会", "starts_at": timezone.now()}
    defaults.update(kwargs)
    return Meeting.objects.create(**defaults)


# --- the records the inputs count ----------------------------------------------------------------------------------


def clause(number: str = "8.5.1") -> IsoClause:
    return IsoClause.objects.get(number=number)


def audit(w, *, kind=AuditKind.INTERNAL, started_on=None, status=AuditStatus.REPORTED, **kwargs) -> Audit:
    started_on = started_on or today() - dt.timedelta(days=60)
    n = next(_serial)
    return Audit.objects.create(number=f"AU-T-{n:03d}", kind=kind, title=f"审核 {n}", scope="客服部",
                                planned_start=started_on, planned_end=started_on + dt.timedelta(days=2),
                                started_on=started_on if status != AuditStatus.PLANNED else None, status=status,
                                certification_body="认证中心" if kind == AuditKind.EXTERNAL else "", **kwargs)


def finding(w, audit_, grade=FindingGrade.MINOR, **kwargs) -> Finding:
    number = audit_.findings.count() + 1
    return Finding.objects.create(audit=audit_, number=number, grade=grade, clause=clause(), estate=w.estate_a,
                                  statement=f"发现 {number}", evidence="抽查记录",
                                  found_on=audit_.started_on or today(), **kwargs)


def corrective_action(w, *, state=ActionState.DRAFT, raised_on=None, source=ActionSource.MANUAL, finding_=None,
                      due_on=None, closed_on=None, effectiveness="", **kwargs) -> CorrectiveAction:
    n = next(_serial)
    return CorrectiveAction.objects.create(
        number=f"CA-T-{n:03d}", source=source, title=f"纠正措施 {n}", description="不符合描述", state=state,
        raised_on=raised_on or today() - dt.timedelta(days=30), finding=finding_, due_on=due_on,
        closed_on=closed_on if state == ActionState.CLOSED else None,
        effectiveness=effectiveness if state == ActionState.CLOSED else "", **kwargs)


EFFECTIVE, NOT_EFFECTIVE = Effectiveness.EFFECTIVE, Effectiveness.NOT_EFFECTIVE
