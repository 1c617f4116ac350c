"""Appraisals for the tests. Form versions are built directly through the models (the forms subject has its own
services); appraisals and cycles go through the services, by the roles that would take each step: the
customer-service manager creates and scores (the world's agent's manager: the only holder of the role in the
department), the agent acknowledges, the manager finalises."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from wuye.appraisals.choices import AppraisalState, FormStatus, PeriodKind
from wuye.appraisals.models import AppraisalForm, FormItem, FormSection, FormVersion
from wuye.appraisals.services import appraisals as services

_codes = itertools.count(1)

Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
Q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))

STAFF_SECTIONS = (("受命准备", "1", 3), ("业务活动", "1", 2), ("成果", "1", 2))


def make_version(sections=STAFF_SECTIONS, *, form: AppraisalForm | None = None, status=FormStatus.ACTIVE,
                 number: int | None = None, scale=None, bands=None) -> FormVersion:
    """A form version with ``sections`` ((title, weight, number of items), …); items are numbered 1… per
    section."""
    if form is None:
        code = f"test-{next(_codes)}"
        form = AppraisalForm.objects.create(code=code, name=f"测评表{code}")
    if number is None:
        number = (form.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    extra = {}
    if scale is not None:
        extra["scale"] = scale
    if bands is not None:
        extra["bands"] = bands
    version = FormVersion.objects.create(form=form, number=number, status=status, title=form.name,
                                         published_at=timezone.now() if status == FormStatus.ACTIVE else None,
                                         **extra)
    for order, (title, weight, count) in enumerate(sections):
        section = FormSection.objects.create(version=version, title=title, weight=weight, sort_order=order)
        for n in range(1, count + 1):
            FormItem.objects.create(section=section, number=n, text=f"{title}第{n}项")
    return version


def items(appraisal) -> list:
    return [row.item for row in appraisal.scores.select_related("item__section")
            .order_by("item__section__sort_order", "item__number")]


def all_scores(appraisal, value: int = 4, comment: str = "") -> dict:
    return {item.pk: (value, comment) for item in items(appraisal)}


def make_appraisal(w, *, appraisee: str = "agent", appraiser: str = "cs_manager", version: FormVersion | None = None,
                   period=Q1, state: str = AppraisalState.DRAFT, acknowledged: bool = True, score: int = 4,
                   creator: str = "cs_manager"):
    """An appraisal brought to ``state`` through the services (``acknowledged``: at the acknowledgement step,
    whether the appraisee has acknowledged it already)."""
    version = version or make_version()
    appraisal = services.appraisal_create(
        actor=w.users[creator], appraisee=w.staff[appraisee], appraiser=w.staff[appraiser], form_version=version,
        period_kind=PeriodKind.QUARTER, period_start=period[0], period_end=period[1])
    if state == AppraisalState.DRAFT:
        return appraisal
    scorer = w.users[appraiser]
    appraisal = services.appraisal_start(actor=scorer, appraisal=appraisal)
    if state == AppraisalState.SCORING:
        return appraisal
    services.appraisal_score(actor=scorer, appraisal=appraisal, scores=all_scores(appraisal, score))
    appraisal = services.appraisal_submit(actor=scorer, appraisal=appraisal)
    if state == AppraisalState.ACKNOWLEDGEMENT and not acknowledged:
        return appraisal
    appraisal = services.appraisal_acknowledge(actor=w.users[appraisee], appraisal=appraisal)
    if state == AppraisalState.ACKNOWLEDGEMENT:
        return appraisal
    return services.appraisal_finalise(actor=w.users["cs_manager" if appraisee != "cs_manager" else "executive"],
                                       appraisal=appraisal)
