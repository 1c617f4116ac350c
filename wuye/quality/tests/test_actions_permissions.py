"""Permission matrix of corrective actions: every page and endpoint as every role (``CASES``; the quality app's
``test_permissions.py`` collects them).

From ``quality/roles.py``: every staff role reads them (the agent to work on the ones they own); the quality
auditor, the customer-service manager and the administrator raise them and take the steps up to the plan; the
owner (here the agent) or those holders complete them; top management, the quality auditor and the administrator
verify and cancel. Residents hold nothing. Corrective actions are company-wide records (no estate scope), so there
is no out-of-scope case.
"""

from __future__ import annotations

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests

from .factories_actions import day, in_state, make_finding

R = Role
VIEW = {R.AGENT, R.CS_MANAGER, R.EXECUTIVE, R.DOCUMENT_CONTROLLER, R.QUALITY_AUDITOR, R.ADMIN}
RAISE = {R.CS_MANAGER, R.QUALITY_AUDITOR, R.ADMIN}          # add + change
DECIDE = {R.EXECUTIVE, R.QUALITY_AUDITOR, R.ADMIN}          # verify, cancel
OWNER = RAISE | {R.AGENT}                                   # complete, evidence (the agent owns the action)


def _on(name, state, *extra):
    return lambda w: reverse(name, args=[in_state(w, state).pk, *extra])


def _url(name):
    return lambda w: reverse(name)


def _export(w):
    in_state(w, "in_progress")
    return f"{reverse('quality:correctiveaction_list')}?export=xlsx"


def _step(step, state, allowed, **kwargs):
    return Route("quality:correctiveaction_step", _on("quality:correctiveaction_step", state, step), set(allowed),
                 **kwargs)


def raise_form(w):
    return {"source": "finding", "finding": make_finding(w).pk, "ticket": "", "review": "", "source_reference": "",
            "title": "", "description": "", "grade": "", "estate": "", "department": "",
            "immediate_correction": ""}


def _api(name, state, allowed, **kwargs):
    return Route(name, _on(name, state), set(allowed), api=True, **kwargs)


PAGE_CASES = [
    Route("quality:correctiveaction_list", _url("quality:correctiveaction_list"), VIEW),
    Route("quality:correctiveaction_list", _export, VIEW),
    Route("quality:correctiveaction", _on("quality:correctiveaction", "draft"), VIEW),
    Route("quality:correctiveaction", _on("quality:correctiveaction", "closed"), VIEW),
    Route("quality:correctiveaction_history", _on("quality:correctiveaction_history", "draft"), VIEW),
    Route("quality:correctiveaction_pdf", _on("quality:correctiveaction_pdf", "closed"), VIEW),
    Route("quality:correctiveaction_add", _url("quality:correctiveaction_add"), RAISE),
    Route("quality:correctiveaction_add", _url("quality:correctiveaction_add"), RAISE, method="post",
          data=raise_form, ok=(302,)),
    Route("quality:correctiveaction_edit", _on("quality:correctiveaction_edit", "draft"), RAISE),
    Route("quality:correctiveaction_edit", _on("quality:correctiveaction_edit", "draft"), RAISE, method="post",
          data=lambda w: {"title": "交接班记录缺失（更正）", "description": "夜班记录缺失", "grade": "minor",
                          "estate": w.estate_a.pk, "department": "", "source_reference": "",
                          "immediate_correction": ""}, ok=(302,)),
    _step("submit", "draft", RAISE),
    _step("submit", "draft", RAISE, method="post", ok=(302,)),
    _step("cause", "cause_analysis", RAISE),
    _step("cause", "cause_analysis", RAISE, method="post", ok=(302,),
          data=lambda w: {"immediate_correction": "当场补填", "root_cause": "职责不清"}),
    _step("plan", "action_plan", RAISE),
    _step("plan", "action_plan", RAISE, method="post", ok=(302,),
          data=lambda w: {"action_plan": "修订制度", "owner": w.staff["agent"].pk, "due_on": day(7).isoformat()}),
    _step("complete", "in_progress", OWNER),
    _step("complete", "in_progress", OWNER, method="post", ok=(302,), data=lambda w: {"completion_note": "已完成"}),
    _step("file", "in_progress", OWNER),
    _step("verify", "verification", DECIDE),
    _step("verify", "verification", DECIDE, method="post", ok=(302,),
          data=lambda w: {"effectiveness": "effective", "note": "抽查有效", "due_on": ""}),
    _step("cancel", "action_plan", DECIDE),
    _step("cancel", "action_plan", DECIDE, method="post", ok=(302,), data=lambda w: {"reason": "重复登记"}),
]

API_CASES = [
    Route("api:quality-correctiveaction-list", _url("api:quality-correctiveaction-list"), VIEW, api=True),
    Route("api:quality-correctiveaction-list", _url("api:quality-correctiveaction-list"), RAISE, api=True,
          method="post", ok=(201,),
          data=lambda w: {"source": "manual", "title": "绿化养护不到位", "description": "草坪枯黄面积大"}),
    _api("api:quality-correctiveaction-detail", "draft", VIEW),
    _api("api:quality-correctiveaction-detail", "draft", RAISE, method="patch", data=lambda w: {"title": "改正标题"}),
    _api("api:quality-correctiveaction-submit", "draft", RAISE, method="post"),
    _api("api:quality-correctiveaction-cause", "cause_analysis", RAISE, method="post",
         data=lambda w: {"immediate_correction": "当场补填", "root_cause": "职责不清"}),
    _api("api:quality-correctiveaction-plan", "action_plan", RAISE, method="post",
         data=lambda w: {"action_plan": "修订制度", "owner": w.staff["agent"].pk, "due_on": day(7).isoformat()}),
    _api("api:quality-correctiveaction-complete", "in_progress", OWNER, method="post",
         data=lambda w: {"completion_note": "已完成"}),
    _api("api:quality-correctiveaction-verify", "verification", DECIDE, method="post",
         data=lambda w: {"effective": True, "note": "有效"}),
    _api("api:quality-correctiveaction-cancel", "draft", DECIDE, method="post", data=lambda w: {"reason": "误报"}),
]

CASES = PAGE_CASES + API_CASES

test_matrix = matrix_tests(CASES)
