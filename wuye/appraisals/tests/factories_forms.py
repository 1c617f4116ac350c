"""Test helpers of the appraisal forms: the built-in forms, new forms and drafts made through the services, and an
appraisal with scores made directly through the models (for the versioning tests)."""

from __future__ import annotations

import datetime as dt

from wuye.appraisals.choices import FormStatus
from wuye.appraisals.models import Appraisal, AppraisalForm, FormVersion, Score
from wuye.appraisals.selectors.forms import form_outline
from wuye.appraisals.services import forms as services

SECTIONS = (("服务态度", ("热情接待每一位业主。", "耐心解答业主咨询。")), ("工作质量", ("按时办结报修。",)))


def builtin(code: str = "cs-staff") -> AppraisalForm:
    return AppraisalForm.objects.get(code=code)


def active(form: AppraisalForm) -> FormVersion:
    return form.versions.get(status=FormStatus.ACTIVE)


def new_form(w, code: str = "test-form", name: str = "测试测评表", sections=SECTIONS, publish: bool = False,
             actor: str = "cs_manager") -> AppraisalForm:
    """A form with a draft version 1 holding ``sections`` (published when asked)."""
    user = w.users[actor]
    form = services.appraisal_form_create(actor=user, code=code, name=name)
    version = form.versions.get()
    for title, items in sections:
        section = services.form_section_add(actor=user, version=version, title=title)
        for text in items:
            services.form_item_add(actor=user, section=section, text=text)
    if publish:
        services.form_version_publish(actor=user, version=version)
    return form


def draft_of(w, form: AppraisalForm, actor: str = "cs_manager") -> FormVersion:
    """The form's draft, made from the version in use when there is none."""
    draft = form.versions.filter(status=FormStatus.DRAFT).first()
    return draft or services.form_version_draft(actor=w.users[actor], form=form, change_note="修订")


def appraisal_on(w, version: FormVersion, score: int = 4, appraisee: str = "agent",
                 appraiser: str = "cs_manager") -> Appraisal:
    """An appraisal on ``version`` with a score on every item, straight through the models (no services)."""
    appraisal = Appraisal.objects.create(form_version=version, appraisee=w.staff[appraisee],
                                         appraiser=w.staff[appraiser], period_start=dt.date(2026, 1, 1),
                                         period_end=dt.date(2026, 3, 31), appraised_on=dt.date(2026, 4, 5))
    for section in form_outline(version):
        for item in section.item_list:
            Score.objects.create(appraisal=appraisal, item=item, score=score, comment=f"第{item.number}项")
    return appraisal
