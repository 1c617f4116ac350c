"""Permission matrix of the management review pages and API (to be collected into the quality app's
``test_permissions.CASES``).

From ``quality/roles.py``: every staff role but the agent reads reviews; top management and the quality auditor
(and the administrator) plan, compile, write the inputs' summaries, add outputs and cancel; only top management
(and the administrator) holds and closes. Action items: the agent reads them and completes those they own; who may
change the parent review completes and cancels. Reviews have no estate, so there is no out-of-scope case."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests
from wuye.quality.tests import factories_reviews as f

R = Role
VIEW = {R.CS_MANAGER, R.EXECUTIVE, R.DOCUMENT_CONTROLLER, R.QUALITY_AUDITOR, R.ADMIN}
PREPARE = {R.EXECUTIVE, R.QUALITY_AUDITOR, R.ADMIN}
HOLD = {R.EXECUTIVE, R.ADMIN}
ITEMS = VIEW | {R.AGENT}
COMPLETE = PREPARE | {R.AGENT}  # the agent owns the item


def _day(n: int) -> str:
    return (f.today() + dt.timedelta(days=n)).isoformat()


def planned(w):
    return f.plan(w)


def compiled(w):
    return f.compiled(w)


def held(w):
    return f.held(w)


def agent_item(w):
    return f.item(w, f.held(w), owner="agent")


def an_input(w):
    return f.compiled(w).inputs.first()


def _url(name, *args):
    return lambda w: reverse(name, args=args)


def _on(name, make, *extra):
    return lambda w: reverse(name, args=[make(w).pk, *extra])


def _export(name):
    def url(w):
        agent_item(w)
        return f"{reverse(name)}?export=xlsx"
    return url


def review_form(w):
    return {"title": "2026年度管理评审", "period_start": _day(-365), "period_end": _day(-1), "planned_on": _day(7),
            "chair": w.staff["executive"].pk, "attendees": [w.staff["executive"].pk, w.staff["quality_auditor"].pk]}


def hold_form(w):
    return {"held_on": _day(0), "attendees": [w.staff["executive"].pk], "minutes": "评审纪要", "conclusion": "体系有效"}


def action_form(w):
    return {"kind": "improvement", "text": "完善回访制度", "owner": w.staff["agent"].pk, "due_on": _day(30)}


def _step(step, make, allowed, **kwargs):
    return Route("quality:managementreview_step", _on("quality:managementreview_step", make, step), set(allowed),
                 **kwargs)


def _item_step(step, allowed, **kwargs):
    return Route("quality:actionitem_step", _on("quality:actionitem_step", agent_item, step), set(allowed), **kwargs)


PAGE_CASES = [
    Route("quality:managementreview_list", _url("quality:managementreview_list"), VIEW),
    Route("quality:managementreview_list", _export("quality:managementreview_list"), VIEW),
    Route("quality:managementreview", _on("quality:managementreview", held), VIEW),
    Route("quality:managementreview_history", _on("quality:managementreview_history", planned), VIEW),
    Route("quality:managementreview_pdf", _on("quality:managementreview_pdf", held), VIEW),
    Route("quality:managementreview_add", _url("quality:managementreview_add"), PREPARE),
    Route("quality:managementreview_add", _url("quality:managementreview_add"), PREPARE, method="post",
          data=review_form, ok=(302,)),
    Route("quality:managementreview_edit", _on("quality:managementreview_edit", planned), PREPARE),
    Route("quality:managementreview_edit", _on("quality:managementreview_edit", planned), PREPARE, method="post",
          data=review_form, ok=(302,)),
    _step("compile", planned, PREPARE),
    _step("compile", planned, PREPARE, method="post", data=lambda w: {}, ok=(302,)),
    _step("hold", compiled, HOLD),
    _step("hold", compiled, HOLD, method="post", data=hold_form, ok=(302,)),
    _step("action", held, PREPARE),
    _step("action", held, PREPARE, method="post", data=action_form, ok=(302,)),
    _step("close", held, HOLD),
    _step("close", held, HOLD, method="post", data=lambda w: {}, ok=(302,)),
    _step("cancel", planned, PREPARE),
    _step("cancel", planned, PREPARE, method="post", data=lambda w: {"reason": "改期"}, ok=(302,)),
    Route("quality:reviewinput_edit", _on("quality:reviewinput_edit", an_input), PREPARE),
    Route("quality:reviewinput_edit", _on("quality:reviewinput_edit", an_input), PREPARE, method="post",
          data=lambda w: {"text": "总体良好"}, ok=(302,)),
    Route("quality:actionitem_list", _url("quality:actionitem_list"), ITEMS),
    Route("quality:actionitem_list", _export("quality:actionitem_list"), ITEMS),
    _item_step("complete", COMPLETE),
    _item_step("complete", COMPLETE, method="post", data=lambda w: {"result": "已完成", "done_on": ""}, ok=(302,)),
    _item_step("cancel", PREPARE),
    _item_step("cancel", PREPARE, method="post", data=lambda w: {"reason": "不再需要"}, ok=(302,)),
]


def _api(name, make, allowed, **kwargs):
    return Route(name, _on(name, make), set(allowed), api=True, **kwargs)


def api_review(w):
    body = review_form(w)
    body.pop("planned_on")
    return {**body, "planned_on": _day(7)}


API_CASES = [
    Route("api:quality-managementreview-list", _url("api:quality-managementreview-list"), VIEW, api=True),
    Route("api:quality-managementreview-list", _url("api:quality-managementreview-list"), PREPARE, api=True,
          method="post", data=api_review, ok=(201,)),
    _api("api:quality-managementreview-detail", held, VIEW),
    _api("api:quality-managementreview-detail", planned, PREPARE, method="patch",
         data=lambda w: {"title": "改名"}),
    _api("api:quality-managementreview-detail", planned, PREPARE, method="put", data=api_review),
    _api("api:quality-managementreview-compile", planned, PREPARE, method="post"),
    _api("api:quality-managementreview-hold", compiled, HOLD, method="post", data=hold_form),
    _api("api:quality-managementreview-close", held, HOLD, method="post"),
    _api("api:quality-managementreview-cancel", planned, PREPARE, method="post", data=lambda w: {"reason": "改期"}),
    _api("api:quality-managementreview-add-action", held, PREPARE, method="post", data=action_form, ok=(201,)),
    Route("api:quality-managementreview-update-input",
          lambda w: reverse("api:quality-managementreview-update-input", args=[an_input(w).review_id]), PREPARE,
          api=True, method="post",
          data=lambda w: {"input": _last_input(), "text": "良好"}),
    Route("api:quality-actionitem-list", _url("api:quality-actionitem-list"), ITEMS, api=True),
    Route("api:quality-actionitem-list", _url("api:quality-actionitem-list"), PREPARE, api=True, method="post",
          data=lambda w: {"review": held(w).pk, **action_form(w)}, ok=(201,)),
    _api("api:quality-actionitem-detail", agent_item, ITEMS),
    _api("api:quality-actionitem-complete", agent_item, COMPLETE, method="post", data=lambda w: {"result": "已完成"}),
    _api("api:quality-actionitem-cancel", agent_item, PREPARE, method="post", data=lambda w: {"reason": "不再需要"}),
]


def _last_input():
    from wuye.quality.models import ReviewInput

    return ReviewInput.objects.order_by("-pk").first().pk


CASES = PAGE_CASES + API_CASES

test_matrix = matrix_tests(CASES)
