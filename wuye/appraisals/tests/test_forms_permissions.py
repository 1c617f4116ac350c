"""Permission matrix of the appraisal-form pages and endpoints (``appraisals/roles.py``): the customer-service
manager and the administrator keep the forms (create, new version, edit a draft, publish); every staff role reads
them; residents hold nothing (403). Forms carry no estate scope, so no out-of-scope case applies."""

from __future__ import annotations

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import STAFF, Route, matrix_tests

from .factories_forms import active, builtin, draft_of

R = Role
VIEW = set(STAFF)
EDIT = {R.CS_MANAGER, R.ADMIN}


def _url(name, *args):
    return lambda w: reverse(name, args=args)


def _on(name, make, *extra, query=""):
    return lambda w: reverse(name, args=[make(w).pk, *extra]) + query


def _builtin(w):
    return builtin()


def _active(w):
    return active(builtin())


def _draft(w):
    return draft_of(w, builtin())


def _section(w):
    return _draft(w).sections.order_by("sort_order").first()


def _item(w):
    return _section(w).items.order_by("number").first()


def _add(name, param, make):
    return lambda w: f"{reverse(name)}?{param}={make(w).pk}"


def _version_data(w):
    return {"title": "客户服务人员工作绩效测评标准（修订）", "scale": "5 优秀\n4 良好\n3 合格\n2 待改进\n1 不合格",
            "bands": "4.5 优秀\n3.5 良好\n2.5 合格\n1.5 待改进\n0 不合格", "change_note": "修订标题"}


PAGE_CASES = [
    Route("appraisals:appraisalform_list", _url("appraisals:appraisalform_list"), VIEW),
    Route("appraisals:appraisalform", _on("appraisals:appraisalform", _builtin), VIEW),
    Route("appraisals:appraisalform_history", _on("appraisals:appraisalform_history", _builtin), VIEW),
    Route("appraisals:appraisalform_add", _url("appraisals:appraisalform_add"), EDIT),
    Route("appraisals:appraisalform_add", _url("appraisals:appraisalform_add"), EDIT, method="post", ok=(302,),
          data=lambda w: {"code": "cleaner", "name": "保洁员测评表", "title": ""}),
    Route("appraisals:appraisalform_edit", _on("appraisals:appraisalform_edit", _builtin), EDIT),
    Route("appraisals:appraisalform_edit", _on("appraisals:appraisalform_edit", _builtin), EDIT, method="post",
          ok=(302,), data=lambda w: {"name": "客服人员测评表", "posts": [w.post.pk]}),
    Route("appraisals:formversion", _on("appraisals:formversion", _active), VIEW),
    Route("appraisals:formversion", _on("appraisals:formversion", _draft), VIEW),
    Route("appraisals:formversion_history", _on("appraisals:formversion_history", _active), VIEW),
    Route("appraisals:formversion_edit", _on("appraisals:formversion_edit", _draft), EDIT),
    Route("appraisals:formversion_edit", _on("appraisals:formversion_edit", _draft), EDIT, method="post",
          ok=(302,), data=_version_data),
    Route("appraisals:formversion_step", _on("appraisals:formversion_step", _active, "draft"), EDIT),
    Route("appraisals:formversion_step", _on("appraisals:formversion_step", _active, "draft"), EDIT,
          method="post", ok=(302,), data=lambda w: {"change_note": "第二版"}),
    Route("appraisals:formversion_step", _on("appraisals:formversion_step", _draft, "publish"), EDIT),
    Route("appraisals:formversion_step", _on("appraisals:formversion_step", _draft, "publish"), EDIT,
          method="post", ok=(302,), data=lambda w: {}),
    Route("appraisals:formsection_add", _add("appraisals:formsection_add", "version", _draft), EDIT),
    Route("appraisals:formsection_add", _add("appraisals:formsection_add", "version", _draft), EDIT,
          method="post", ok=(302,), data=lambda w: {"title": "服务创新", "weight": "1", "sort_order": ""}),
    Route("appraisals:formsection_edit", _on("appraisals:formsection_edit", _section), EDIT),
    Route("appraisals:formsection_edit", _on("appraisals:formsection_edit", _section), EDIT, method="post",
          ok=(302,), data=lambda w: {"title": "受命准备", "weight": "2", "sort_order": "1"}),
    Route("appraisals:formitem_add", _add("appraisals:formitem_add", "section", _section), EDIT),
    Route("appraisals:formitem_add", _add("appraisals:formitem_add", "section", _section), EDIT, method="post",
          ok=(302,), data=lambda w: {"number": "", "text": "按时参加部门例会。"}),
    Route("appraisals:formitem_edit", _on("appraisals:formitem_edit", _item), EDIT),
    Route("appraisals:formitem_edit", _on("appraisals:formitem_edit", _item), EDIT, method="post", ok=(302,),
          data=lambda w: {"number": "1", "text": "正确掌握客户服务的内容。"}),
]

API_CASES = [
    Route("api:appraisals-appraisalform-list", _url("api:appraisals-appraisalform-list"), VIEW, api=True),
    Route("api:appraisals-appraisalform-list", _url("api:appraisals-appraisalform-list"), EDIT, api=True,
          method="post", ok=(201,), data=lambda w: {"code": "api-form", "name": "接口测评表", "posts": []}),
    Route("api:appraisals-appraisalform-detail", _on("api:appraisals-appraisalform-detail", _builtin), VIEW,
          api=True),
    Route("api:appraisals-appraisalform-detail", _on("api:appraisals-appraisalform-detail", _builtin), EDIT,
          api=True, method="patch", data=lambda w: {"posts": [w.post.pk]}),
    Route("api:appraisals-appraisalform-new-version", _on("api:appraisals-appraisalform-new-version", _builtin),
          EDIT, api=True, method="post", ok=(201,), data=lambda w: {"change_note": "第二版"}),
    Route("api:appraisals-appraisalform-publish-version",
          _on("api:appraisals-appraisalform-publish-version", lambda w: _draft(w).form), EDIT, api=True,
          method="post", data=lambda w: {}),
]

CASES = [*PAGE_CASES, *API_CASES]

test_matrix = matrix_tests(CASES)
