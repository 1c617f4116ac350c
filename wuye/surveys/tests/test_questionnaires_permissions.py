"""Permission matrix of the questionnaire and dimension pages and endpoints (``surveys/roles.py``): the
customer-service manager and the administrator keep them (create, new version, edit a draft, publish, retire); every
other staff role but the document controller reads them; residents and the document controller hold nothing (403).
Questionnaires carry no estate scope, so no out-of-scope case applies."""

from __future__ import annotations

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests

from .factories_questionnaires import active, builtin, dim, draft_of, new_questionnaire

R = Role
VIEW = {R.CS_MANAGER, R.ADMIN, R.AGENT, R.EXECUTIVE, R.QUALITY_AUDITOR}
EDIT = {R.CS_MANAGER, R.ADMIN}


def _url(name, *args):
    return lambda w: reverse(name, args=args)


def _on(name, make, *extra):
    return lambda w: reverse(name, args=[make(w).pk, *extra])


def _builtin(w):
    return builtin()


def _active(w):
    return active(builtin())


def _draft(w):
    return draft_of(w, builtin())


def _section(w):
    return _draft(w).sections.order_by("sort_order").first()


def _question(w):
    return _draft(w).questions_in_order()[1]


def _unpublished(w):
    return new_questionnaire(w, code="perm-q")


def _add(name, param, make):
    return lambda w: f"{reverse(name)}?{param}={make(w).pk}"


PAGE_CASES = [
    Route("surveys:dimension_list", _url("surveys:dimension_list"), VIEW),
    Route("surveys:dimension_add", _url("surveys:dimension_add"), EDIT),
    Route("surveys:dimension_add", _url("surveys:dimension_add"), EDIT, method="post", ok=(302,),
          data=lambda w: {"code": "elevator", "name": "电梯运行", "sort_order": "9"}),
    Route("surveys:dimension_edit", _on("surveys:dimension_edit", lambda w: dim("parking")), EDIT),
    Route("surveys:dimension_edit", _on("surveys:dimension_edit", lambda w: dim("parking")), EDIT, method="post",
          ok=(302,), data=lambda w: {"name": "停车", "sort_order": "8", "is_active": "on"}),
    Route("surveys:questionnaire_list", _url("surveys:questionnaire_list"), VIEW),
    Route("surveys:questionnaire", _on("surveys:questionnaire", _builtin), VIEW),
    Route("surveys:questionnaire_history", _on("surveys:questionnaire_history", _builtin), VIEW),
    Route("surveys:questionnaire_add", _url("surveys:questionnaire_add"), EDIT),
    Route("surveys:questionnaire_add", _url("surveys:questionnaire_add"), EDIT, method="post", ok=(302,),
          data=lambda w: {"code": "owner-2026", "name": "业主问卷", "description": "", "title": ""}),
    Route("surveys:questionnaire_edit", _on("surveys:questionnaire_edit", _builtin), EDIT),
    Route("surveys:questionnaire_edit", _on("surveys:questionnaire_edit", _builtin), EDIT, method="post",
          ok=(302,), data=lambda w: {"name": "物业满意度问卷", "description": "年度"}),
    Route("surveys:questionnaireversion", _on("surveys:questionnaireversion", _active), VIEW),
    Route("surveys:questionnaireversion", _on("surveys:questionnaireversion", _draft), VIEW),
    Route("surveys:questionnaireversion_history", _on("surveys:questionnaireversion_history", _active), VIEW),
    Route("surveys:questionnaireversion_edit", _on("surveys:questionnaireversion_edit", _draft), EDIT),
    Route("surveys:questionnaireversion_edit", _on("surveys:questionnaireversion_edit", _draft), EDIT,
          method="post", ok=(302,), data=lambda w: {"title": "2026年满意度调查", "introduction": "您好",
                                                    "change_note": "改标题"}),
    Route("surveys:questionnaireversion_step", _on("surveys:questionnaireversion_step", _active, "draft"), EDIT),
    Route("surveys:questionnaireversion_step", _on("surveys:questionnaireversion_step", _active, "draft"), EDIT,
          method="post", ok=(302,), data=lambda w: {"change_note": "第二版"}),
    Route("surveys:questionnaireversion_step", _on("surveys:questionnaireversion_step", _draft, "publish"), EDIT),
    Route("surveys:questionnaireversion_step", _on("surveys:questionnaireversion_step", _draft, "publish"), EDIT,
          method="post", ok=(302,), data=lambda w: {}),
    Route("surveys:questionnaireversion_step", _on("surveys:questionnaireversion_step", _active, "retire"), EDIT),
    Route("surveys:questionnaireversion_step", _on("surveys:questionnaireversion_step", _active, "retire"), EDIT,
          method="post", ok=(302,), data=lambda w: {}),
    Route("surveys:questionsection_add", _add("surveys:questionsection_add", "version", _draft), EDIT),
    Route("surveys:questionsection_add", _add("surveys:questionsection_add", "version", _draft), EDIT,
          method="post", ok=(302,), data=lambda w: {"title": "四、其他", "sort_order": ""}),
    Route("surveys:questionsection_edit", _on("surveys:questionsection_edit", _section), EDIT),
    Route("surveys:questionsection_edit", _on("surveys:questionsection_edit", _section), EDIT, method="post",
          ok=(302,), data=lambda w: {"title": "一、满意度", "sort_order": "1"}),
    Route("surveys:question_add", _add("surveys:question_add", "section", _section), EDIT),
    Route("surveys:question_add", _add("surveys:question_add", "section", _section), EDIT, method="post",
          ok=(302,), data=lambda w: {"text": "您对电梯运行是否满意？", "kind": "satisfaction",
                                     "dimension": dim("repair").pk, "options": "", "required": "on", "place": ""}),
    Route("surveys:question_edit", _on("surveys:question_edit", _question), EDIT),
    Route("surveys:question_edit", _on("surveys:question_edit", _question), EDIT, method="post", ok=(302,),
          data=lambda w: {"text": "您对客服满意吗？", "kind": "satisfaction", "dimension": dim("kefu").pk,
                          "options": "", "required": "on"}),
    Route("surveys:question_move", _on("surveys:question_move", _question), EDIT),
    Route("surveys:question_move", _on("surveys:question_move", _question), EDIT, method="post", ok=(302,),
          data=lambda w: {"direction": "up"}),
]

API_CASES = [
    Route("api:surveys-questionnaire-list", _url("api:surveys-questionnaire-list"), VIEW, api=True),
    Route("api:surveys-questionnaire-list", _url("api:surveys-questionnaire-list"), EDIT, api=True,
          method="post", ok=(201,), data=lambda w: {"code": "api-q", "name": "接口问卷"}),
    Route("api:surveys-questionnaire-detail", _on("api:surveys-questionnaire-detail", _builtin), VIEW, api=True),
    Route("api:surveys-questionnaire-detail", _on("api:surveys-questionnaire-detail", _builtin), EDIT, api=True,
          method="patch", data=lambda w: {"description": "年度问卷"}),
    Route("api:surveys-questionnaire-draft", _on("api:surveys-questionnaire-draft", _builtin), EDIT, api=True,
          method="post", ok=(201,), data=lambda w: {"change_note": "第二版"}),
    Route("api:surveys-questionnaire-publish", _on("api:surveys-questionnaire-publish", _unpublished), EDIT,
          api=True, method="post", data=lambda w: {}),
    Route("api:surveys-dimension-list", _url("api:surveys-dimension-list"), VIEW, api=True),
    Route("api:surveys-dimension-list", _url("api:surveys-dimension-list"), EDIT, api=True, method="post",
          ok=(201,), data=lambda w: {"code": "elevator", "name": "电梯运行", "sort_order": 9}),
    Route("api:surveys-dimension-detail", _on("api:surveys-dimension-detail", lambda w: dim("kefu")), VIEW,
          api=True),
    Route("api:surveys-dimension-detail", _on("api:surveys-dimension-detail", lambda w: dim("kefu")), EDIT,
          api=True, method="patch", data=lambda w: {"name": "客服中心"}),
]

CASES = [*PAGE_CASES, *API_CASES]

test_matrix = matrix_tests(CASES)
