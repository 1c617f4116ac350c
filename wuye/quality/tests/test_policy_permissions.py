"""Permission matrix of the policy and objective pages and endpoints (``quality/roles.py``): top management
approves (only it), the quality auditor (and the administrator) drafts and publishes, the customer-service manager
records measurements, every quality reader sees them; agents and residents hold no policy permission.

Policies and objectives carry no estate scope, so no out-of-scope case applies."""

from __future__ import annotations

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests
from wuye.quality.choices import Metric
from wuye.quality.tests.factories_policy import approved_policy, draft_policy, manual_objective

R = Role
VIEW = {R.CS_MANAGER, R.EXECUTIVE, R.DOCUMENT_CONTROLLER, R.QUALITY_AUDITOR, R.ADMIN}
DRAFT = {R.QUALITY_AUDITOR, R.ADMIN}
APPROVE = {R.EXECUTIVE}
PUBLISH = {R.EXECUTIVE, R.QUALITY_AUDITOR, R.ADMIN}
MEASURE = {R.QUALITY_AUDITOR, R.ADMIN, R.CS_MANAGER}


def _draft(w):
    return draft_policy(w, objectives=(("complaint_timely", "98"), ("manual", "100")))


def _objective(w):
    return _draft(w).objectives.get(metric=Metric.COMPLAINT_TIMELY)


def _policy_url(name, make, *args):
    return lambda w: reverse(name, args=[make(w).pk, *args])


def _objective_data(w):
    return {"title": "回访率", "metric": "manual", "comparison": "gte", "target": "95", "unit": "%", "sort_order": 1}


CASES = [
    Route("quality:qualitypolicy_list", lambda w: reverse("quality:qualitypolicy_list"), VIEW),
    Route("quality:qualitypolicy_add", lambda w: reverse("quality:qualitypolicy_add"), DRAFT),
    Route("quality:qualitypolicy_add", lambda w: reverse("quality:qualitypolicy_add"), DRAFT, method="post",
          data=lambda w: {"title": "质量方针", "statement": "顾客至上"}, ok=(302,)),
    Route("quality:qualitypolicy", _policy_url("quality:qualitypolicy", _draft), VIEW),
    Route("quality:qualitypolicy_edit", _policy_url("quality:qualitypolicy_edit", _draft), DRAFT),
    Route("quality:qualitypolicy_history", _policy_url("quality:qualitypolicy_history", _draft), VIEW),
    Route("quality:qualitypolicy_step", _policy_url("quality:qualitypolicy_step", _draft, "approve"), APPROVE),
    Route("quality:qualitypolicy_step", _policy_url("quality:qualitypolicy_step", _draft, "approve"), APPROVE,
          method="post", data=lambda w: {}, ok=(302,)),
    Route("quality:qualitypolicy_step", _policy_url("quality:qualitypolicy_step", approved_policy, "publish"),
          PUBLISH, method="post", data=lambda w: {}, ok=(302,)),
    Route("quality:qualityobjective_list", lambda w: reverse("quality:qualityobjective_list"), VIEW),
    Route("quality:qualityobjective_add",
          lambda w: f"{reverse('quality:qualityobjective_add')}?policy={_draft(w).pk}", DRAFT),
    Route("quality:qualityobjective_add",
          lambda w: f"{reverse('quality:qualityobjective_add')}?policy={_draft(w).pk}", DRAFT, method="post",
          data=_objective_data, ok=(302,)),
    Route("quality:qualityobjective", _policy_url("quality:qualityobjective", _objective), VIEW),
    Route("quality:qualityobjective_edit", _policy_url("quality:qualityobjective_edit", _objective), DRAFT),
    Route("quality:qualityobjective_history", _policy_url("quality:qualityobjective_history", _objective), VIEW),
    Route("quality:qualityobjective_step", _policy_url("quality:qualityobjective_step", manual_objective, "measure"),
          MEASURE),
    # API
    Route("api:quality-qualitypolicy-list", lambda w: reverse("api:quality-qualitypolicy-list"), VIEW, api=True),
    Route("api:quality-qualitypolicy-list", lambda w: reverse("api:quality-qualitypolicy-list"), DRAFT, api=True,
          method="post", data=lambda w: {"title": "质量方针", "statement": "顾客至上"}, ok=(201,)),
    Route("api:quality-qualitypolicy-detail", lambda w: reverse("api:quality-qualitypolicy-detail",
                                                                args=[_draft(w).pk]), VIEW, api=True),
    Route("api:quality-qualitypolicy-detail", lambda w: reverse("api:quality-qualitypolicy-detail",
                                                                args=[_draft(w).pk]), DRAFT, api=True,
          method="patch", data=lambda w: {"title": "新标题"}),
    Route("api:quality-qualitypolicy-approve", lambda w: reverse("api:quality-qualitypolicy-approve",
                                                                 args=[_draft(w).pk]), APPROVE, api=True,
          method="post", data=lambda w: {}),
    Route("api:quality-qualitypolicy-publish", lambda w: reverse("api:quality-qualitypolicy-publish",
                                                                 args=[approved_policy(w).pk]), PUBLISH, api=True,
          method="post", data=lambda w: {}),
    Route("api:quality-qualityobjective-list", lambda w: reverse("api:quality-qualityobjective-list"), VIEW,
          api=True),
    Route("api:quality-qualityobjective-list", lambda w: reverse("api:quality-qualityobjective-list"), DRAFT,
          api=True, method="post", data=lambda w: {**_objective_data(w), "policy": _draft(w).pk}, ok=(201,)),
    Route("api:quality-qualityobjective-detail", lambda w: reverse("api:quality-qualityobjective-detail",
                                                                   args=[_objective(w).pk]), VIEW, api=True),
    Route("api:quality-qualityobjective-detail", lambda w: reverse("api:quality-qualityobjective-detail",
                                                                   args=[_objective(w).pk]), DRAFT, api=True,
          method="patch", data=lambda w: {"target": "99"}),
]

test_matrix = matrix_tests(CASES)
