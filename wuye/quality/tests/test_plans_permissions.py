"""Permission matrix of the work plan pages and endpoints (``quality/roles.py``): the customer-service manager,
top management and the administrator draft, edit, publish and close plans and keep their milestones; every staff
member reads them and acknowledges them (all of the test world's staff are in its one department); who has
acknowledged is shown to plan editors and to holders of ``org.view_acknowledgement``; residents hold nothing.

Plans carry no estate scope, so no out-of-scope case applies."""

from __future__ import annotations

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests
from wuye.quality.tests.factories_policy import plan, published_plan

R = Role
READ = {R.AGENT, R.CS_MANAGER, R.EXECUTIVE, R.DOCUMENT_CONTROLLER, R.QUALITY_AUDITOR, R.ADMIN}
PLANS = {R.CS_MANAGER, R.EXECUTIVE, R.ADMIN}
ACKS = {R.CS_MANAGER, R.EXECUTIVE, R.QUALITY_AUDITOR, R.ADMIN}


def _url(name, make, *args):
    return lambda w: reverse(name, args=[make(w).pk, *args])


def _milestone(w):
    return plan(w).milestones.first()


def _plan_data(w):
    return {"year": 2030, "title": "年度工作计划", "department": w.department.pk,
            "scope_departments": [w.department.pk]}


CASES = [
    Route("quality:workplan_list", lambda w: reverse("quality:workplan_list"), READ),
    Route("quality:workplan_add", lambda w: reverse("quality:workplan_add"), PLANS),
    Route("quality:workplan_add", lambda w: reverse("quality:workplan_add"), PLANS, method="post", data=_plan_data,
          ok=(302,)),
    Route("quality:workplan", _url("quality:workplan", published_plan), READ),
    Route("quality:workplan_edit", _url("quality:workplan_edit", plan), PLANS),
    Route("quality:workplan_history", _url("quality:workplan_history", plan), READ),
    Route("quality:workplan_step", _url("quality:workplan_step", plan, "publish"), PLANS, method="post",
          data=lambda w: {"note": ""}, ok=(302,)),
    Route("quality:workplan_step", _url("quality:workplan_step", published_plan, "acknowledge"), READ,
          method="post", data=lambda w: {}, ok=(302,)),
    Route("quality:workplan_step", _url("quality:workplan_step", published_plan, "close"), PLANS),
    Route("quality:workplan_step", _url("quality:workplan_step", plan, "milestone"), PLANS),
    Route("quality:milestone_step", _url("quality:milestone_step", _milestone, "update"), PLANS),
    # API
    Route("api:quality-workplan-list", lambda w: reverse("api:quality-workplan-list"), READ, api=True),
    Route("api:quality-workplan-list", lambda w: reverse("api:quality-workplan-list"), PLANS, api=True,
          method="post", data=_plan_data, ok=(201,)),
    Route("api:quality-workplan-detail", _url("api:quality-workplan-detail", plan), READ, api=True),
    Route("api:quality-workplan-detail", _url("api:quality-workplan-detail", plan), PLANS, api=True,
          method="patch", data=lambda w: {"targets": "全员熟知"}),
    Route("api:quality-workplan-publish", _url("api:quality-workplan-publish", plan), PLANS, api=True,
          method="post", data=lambda w: {}),
    Route("api:quality-workplan-acknowledge", _url("api:quality-workplan-acknowledge", published_plan), READ,
          api=True, method="post", data=lambda w: {}),
    Route("api:quality-workplan-close", _url("api:quality-workplan-close", plan), PLANS, api=True, method="post",
          data=lambda w: {}),
    Route("api:quality-workplan-milestones", _url("api:quality-workplan-milestones", plan), PLANS, api=True,
          method="post", data=lambda w: {"title": "季度检查", "due_on": "2030-03-31"}, ok=(201,)),
    Route("api:quality-workplan-acknowledgements", _url("api:quality-workplan-acknowledgements", published_plan),
          ACKS, api=True),
]

test_matrix = matrix_tests(CASES)
