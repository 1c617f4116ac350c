"""Forms, cycles and scored appraisals for the report tests, written directly through the models (the workflow's
services are another subject's): a small form version of two sections (A: 3 items, weight 1; B: 2 items, weight 2)
on the default scale and bands; appraisals with their scores, the total and grade that submitting stores (from
``scoring``), in the state asked for. The tests check the reports against numbers computed by hand."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from wuye.appraisals import scoring
from wuye.appraisals.choices import AppraisalState, FormStatus, PeriodKind
from wuye.appraisals.models import (
    Appraisal,
    AppraisalCycle,
    AppraisalForm,
    FormItem,
    FormSection,
    FormVersion,
    Score,
)
from wuye.org.models import Post
from wuye.org.tests.factories import DepartmentFactory, PostFactory, StaffFactory

_serial = itertools.count(1)

Q1 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
Q2 = (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
Q3 = (dt.date(2025, 7, 1), dt.date(2025, 9, 30))


def make_version(*, name: str = "客服人员绩效测评表", sections=(("受命准备", 1, 3), ("业务活动", 2, 2)),
                 code: str | None = None) -> FormVersion:
    """An active version of a new form: ``sections`` as (title, weight, number of items)."""
    n = next(_serial)
    form = AppraisalForm.objects.create(code=code or f"rpt-{n}", name=name)
    version = FormVersion.objects.create(form=form, number=1, status=FormStatus.ACTIVE, title=f"{name}（第{n}版）")
    for order, (title, weight, count) in enumerate(sections):
        section = FormSection.objects.create(version=version, title=title, weight=Decimal(weight), sort_order=order)
        for number in range(1, count + 1):
            FormItem.objects.create(section=section, number=number, text=f"{title}第{number}项")
    return version


def make_cycle(version: FormVersion, *, name: str = "2025年第一季度客服测评", period=Q1) -> AppraisalCycle:
    return AppraisalCycle.objects.create(name=name, form_version=version, period_kind=PeriodKind.QUARTER,
                                         period_start=period[0], period_end=period[1])


def staff(world, name: str, department=None, post: str = "专员"):
    """A staff member of the world's department (or in ``post`` of ``department``), serving estate A."""
    if department is None:
        place = world.post
    else:
        place = Post.objects.filter(department=department, name=post).first() or PostFactory(
            department=department, name=post)
    return StaffFactory(name=name, post=place, estates=[world.estate_a])


def department(world, name: str, parent=None):
    return DepartmentFactory(company=world.company, name=name, parent=parent)


def make_appraisal(world, *, version: FormVersion, appraisee, appraiser=None, scores=None,
                   state: str = AppraisalState.FINAL, cycle=None, period=Q1, comments=None,
                   disagreement: str = "", appraiser_comment: str = "") -> Appraisal:
    """An appraisal with ``scores`` (one list per section, in order; None for none yet). From the
    acknowledgement on it carries the total and grade ``scoring`` computes, as submitting stores them."""
    appraisal = Appraisal.objects.create(
        form_version=version, cycle=cycle, appraisee=appraisee,
        appraiser=appraiser or world.staff["cs_manager"], appraised_on=period[1] + dt.timedelta(days=5),
        period_kind=PeriodKind.QUARTER, period_start=period[0], period_end=period[1], state=state,
        disagreement=disagreement, appraiser_comment=appraiser_comment)
    comments = comments or {}
    values = {}
    sections = list(version.sections.order_by("sort_order", "pk"))
    for index, section in enumerate(sections):
        section_scores = (scores or [])[index] if scores and index < len(scores) else None
        for position, item in enumerate(section.items.order_by("number")):
            value = section_scores[position] if section_scores else None
            values[item.pk] = value
            Score.objects.create(appraisal=appraisal, item=item, score=value,
                                 comment=comments.get((index, position), ""))
    if state in (AppraisalState.ACKNOWLEDGEMENT, AppraisalState.FINAL, AppraisalState.SUPERSEDED):
        result = scoring.compute(version, values)
        Appraisal.objects.filter(pk=appraisal.pk).update(total=result.total, grade=result.grade)
        appraisal.refresh_from_db()
    return appraisal
