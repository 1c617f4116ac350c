"""Demo appraisals (``manage.py load_demo``), made through ``services.appraisals`` by the demo users who would do
it, for the last complete quarter:

- the customer-service manager (陈静) opens the quarter's cycle for the agents' post on the built-in staff form; each
  agent's appraiser is their manager by default (the supervisor has no login, so 陈静);
- 张丽 (agent): scored, submitted, acknowledged and finalised by 陈静 — final;
- 王磊 (agent2): scored and submitted — waiting for his acknowledgement;
- 赵敏: still to score;
- the manager's own appraisal on the built-in manager form, by top management (郑国华), half scored.

Scores are drawn from a fixed seed per person. The cycle is found by its form and period, an appraisal by its
person, form and period; every step is taken only when the appraisal has not reached it yet: a second run changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from wuye.core.demo import demo_user
from wuye.org.models import Post, Staff

from .. import scoring
from ..choices import AppraisalState, PeriodKind
from ..models import Appraisal, AppraisalCycle, AppraisalForm
from ..services import appraisals as services

__all__ = ["load"]

S = AppraisalState
# per agent (employee number): how far the appraisal goes, the comment, the appraisee's disagreement
AGENTS = {
    "KF003": ("final", "受理及时、记录完整，回访满意度高；进度报告偶有延迟。", ""),
    "KF004": ("acknowledgement", "业务熟练，投诉处理沟通耐心；报修派单后的跟踪需加强。", ""),
    "KF005": ("scoring", "", ""),
}
MANAGER_COMMENT = "客服部整体运行平稳，投诉处理及时率达标；培训计划执行需加强。"


def last_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    first_month = (today.month - 1) // 3 * 3 + 1
    this_quarter = dt.date(today.year, first_month, 1)
    end = this_quarter - dt.timedelta(days=1)
    start = dt.date(end.year, (end.month - 1) // 3 * 3 + 1, 1)
    return start, end


def _scores(appraisal: Appraisal, seed: str, share: float = 1.0) -> dict:
    rng = random.Random(seed)
    rows = [item for _section, items in scoring.structure(appraisal.form_version) for item in items]
    chosen = rows[: max(1, round(len(rows) * share))]
    return {item.pk: (rng.choices([5, 4, 3, 2], weights=[3, 5, 2, 0.5])[0], "") for item in chosen}


def _score(appraiser, appraisal, seed, comment, appraised_on, share=1.0):
    if appraisal.state == S.SCORING:
        services.appraisal_score(actor=appraiser, appraisal=appraisal, scores=_scores(appraisal, seed, share),
                                 comment=comment, appraised_on=appraised_on)


def _cycle(manager, version, start, end, post) -> AppraisalCycle:
    cycle = AppraisalCycle.objects.filter(form_version__form=version.form, period_start=start,
                                          posts=post).first()
    if cycle is None:
        quarter = (start.month - 1) // 3 + 1
        cycle = services.cycle_open(actor=manager, name=f"{start.year}年第{quarter}季度客服专员绩效测评",
                                    form_version=version, period_kind=PeriodKind.QUARTER, period_start=start,
                                    period_end=end, posts=[post], due_on=end + dt.timedelta(days=30)).cycle
    return cycle


def _agents(manager, cycle, appraised_on) -> int:
    moved = 0
    for number, (goal, comment, disagreement) in AGENTS.items():
        appraisal = cycle.appraisals.filter(appraisee__employee_no=number).exclude(state=S.SUPERSEDED).first()
        if appraisal is None or goal == "scoring":
            continue
        appraiser = appraisal.appraiser.user
        before = appraisal.state
        _score(appraiser, appraisal, f"{number}-{cycle.period_start}", comment, appraised_on)
        if appraisal.state == S.SCORING:
            appraisal = services.appraisal_submit(actor=appraiser, appraisal=appraisal)
        if goal == "final" and appraisal.state == S.ACKNOWLEDGEMENT:
            if appraisal.acknowledged_at is None and appraisal.appraisee.user_id:
                appraisal = services.appraisal_acknowledge(actor=appraisal.appraisee.user, appraisal=appraisal,
                                                           disagreement=disagreement)
            if appraisal.acknowledged_at is not None:
                appraisal = services.appraisal_finalise(actor=manager, appraisal=appraisal)
        moved += appraisal.state != before
    return moved


def _managers_appraisal(executive, start, end, appraised_on) -> Appraisal | None:
    form = AppraisalForm.objects.filter(code="cs-manager").first()
    manager_staff = Staff.objects.filter(user__username="cs_manager").first()
    version = form.current_version if form else None
    if version is None or manager_staff is None or getattr(executive, "staff", None) is None:
        return None
    appraisal = (Appraisal.objects.filter(appraisee=manager_staff, form_version__form=form, period_start=start)
                 .exclude(state=S.SUPERSEDED).first())
    if appraisal is None:
        appraisal = services.appraisal_create(actor=executive, appraisee=manager_staff, appraiser=executive.staff,
                                              form_version=version, period_kind=PeriodKind.QUARTER,
                                              period_start=start, period_end=end)
    if appraisal.state == S.DRAFT:
        appraisal = services.appraisal_start(actor=executive, appraisal=appraisal)
    _score(executive, appraisal, f"manager-{start}", MANAGER_COMMENT, appraised_on, share=0.5)
    return appraisal


def load(*, stdout, style):
    form = AppraisalForm.objects.filter(code="cs-staff").first()
    version = form.current_version if form else None
    post = Post.objects.filter(code="agent", department__code="cs").first()
    if version is None or post is None:
        stdout.write("appraisals: the built-in staff form or the agents' post is missing; nothing loaded")
        return []
    manager, executive = demo_user("cs_manager"), demo_user("executive")
    today = timezone.localdate()
    start, end = last_quarter(today)
    appraised_on = min(end + dt.timedelta(days=5), today)
    cycle = _cycle(manager, version, start, end, post)
    moved = _agents(manager, cycle, appraised_on)
    own = _managers_appraisal(executive, start, end, appraised_on)
    states = ", ".join(f"{a.appraisee.name} {a.get_state_display()}"
                       for a in cycle.appraisals.select_related("appraisee").order_by("appraisee__employee_no"))
    stdout.write(f"appraisals: {cycle.name}: {states}; {moved} moved on now"
                 + (f"; the manager's appraisal: {own.get_state_display()}" if own else ""))
    return []
