"""Permission matrix of the audits subject: every page and endpoint as every role (``CASES``; the quality app's
``test_permissions.py`` collects them for the URL coverage check).

From ``quality/roles.py``: every staff role but the agent reads audits and findings (executive, quality auditor,
customer-service manager, document controller, administrator); the quality auditor and the administrator plan and
conduct audits, record findings and keep the checklist templates; top management, the quality auditor and the
administrator set the yearly limit of external findings and approve the programme. Agents and residents: 403.
Audits carry no estate scope, so there is no out-of-scope case.
"""

from __future__ import annotations

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests
from wuye.quality import services
from wuye.quality.models import FindingLimit
from wuye.quality.tests.factories_audits import (
    clause,
    default_template,
    make_audit,
    outside_auditor,
    record,
    started,
    today,
)

R = Role
VIEW = {R.CS_MANAGER, R.EXECUTIVE, R.DOCUMENT_CONTROLLER, R.QUALITY_AUDITOR, R.ADMIN}
AUDIT = {R.QUALITY_AUDITOR, R.ADMIN}
LIMITS = {R.EXECUTIVE, R.QUALITY_AUDITOR, R.ADMIN}
APPROVE = {R.EXECUTIVE, R.QUALITY_AUDITOR, R.ADMIN}


def programme(w):
    return services.audit_programme_create(actor=w.users["quality_auditor"], year=today().year, title="年度审核方案")


def planned(w):
    return make_audit(w)


def running(w):
    audit = make_audit(w)
    started(w, audit)
    return audit


def reported(w):
    audit = running(w)
    record(w, audit, grade="observation")
    return services.audit_report(actor=w.users["quality_auditor"], audit=audit, summary="有效")


def finding(w):
    return record(w, running(w))


def question(w):
    return default_template().questions.first()


def limit(w):
    return FindingLimit.objects.create(year=today().year, limit=5)


def _url(name):
    return lambda w: reverse(name)


def _on(name, make, *extra):
    return lambda w: reverse(name, args=[make(w).pk, *extra])


def _api(name, make=None):
    if make is None:
        return lambda w: reverse(f"api:{name}")
    return lambda w: reverse(f"api:{name}", kwargs={"pk": make(w).pk})


def audit_data(w):
    return {"kind": "internal", "title": "内审", "scope": "客服全过程", "estates": [w.estate_a.pk],
            "departments": [w.department.pk], "clauses": [clause("8.2.1").pk], "lead_auditor": outside_auditor(w).pk,
            "planned_start": today().isoformat(), "planned_end": today().isoformat()}


def _answer_data(w):
    audit = running(w)
    item = services.audit_checklist_item_add(actor=w.users["quality_auditor"], audit=audit, question="Q")
    return audit, {"answers": {str(item.pk): {"result": "conforms", "evidence": "记录齐全"}}}


_ANSWER: dict = {}


def _answer_url(w):
    audit, data = _answer_data(w)
    _ANSWER[id(w)] = data
    return reverse("api:quality-audit-checklist-answer", kwargs={"pk": audit.pk})


CASES = [
    # programmes
    Route("quality:auditprogramme_list", _url("quality:auditprogramme_list"), VIEW),
    Route("quality:auditprogramme_add", _url("quality:auditprogramme_add"), AUDIT),
    Route("quality:auditprogramme_add", _url("quality:auditprogramme_add"), AUDIT, method="post",
          data=lambda w: {"year": "2030", "title": "2030年度审核方案", "objectives": ""}, ok=(302,)),
    Route("quality:auditprogramme", _on("quality:auditprogramme", programme), VIEW),
    Route("quality:auditprogramme_edit", _on("quality:auditprogramme_edit", programme), AUDIT),
    Route("quality:auditprogramme_history", _on("quality:auditprogramme_history", programme), VIEW),
    Route("quality:auditprogramme_step", _on("quality:auditprogramme_step", programme, "approve"), APPROVE),
    Route("quality:auditprogramme_step", _on("quality:auditprogramme_step", programme, "approve"), APPROVE,
          method="post", data=lambda w: {"on": ""}, ok=(302,)),
    # audits
    Route("quality:audit_list", _url("quality:audit_list"), VIEW),
    Route("quality:audit_add", _url("quality:audit_add"), AUDIT),
    Route("quality:audit_add", _url("quality:audit_add"), AUDIT, method="post", data=audit_data, ok=(302,)),
    Route("quality:audit", _on("quality:audit", planned), VIEW),
    Route("quality:audit_edit", _on("quality:audit_edit", planned), AUDIT),
    Route("quality:audit_history", _on("quality:audit_history", planned), VIEW),
    Route("quality:audit_checklist", _on("quality:audit_checklist", running), AUDIT),
    Route("quality:audit_pdf", _on("quality:audit_pdf", reported), VIEW),
    Route("quality:audit_step", _on("quality:audit_step", planned, "start"), AUDIT),
    Route("quality:audit_step", _on("quality:audit_step", planned, "start"), AUDIT, method="post",
          data=lambda w: {"on": ""}, ok=(302,)),
    Route("quality:audit_step", _on("quality:audit_step", running, "report"), AUDIT, method="post",
          data=lambda w: {"summary": "体系运行有效", "on": ""}, ok=(302,)),
    Route("quality:audit_step", _on("quality:audit_step", reported, "close"), AUDIT, method="post",
          data=lambda w: {"on": ""}, ok=(302,)),
    Route("quality:audit_step", _on("quality:audit_step", planned, "cancel"), AUDIT, method="post",
          data=lambda w: {"reason": "推迟"}, ok=(302,)),
    Route("quality:audit_step", _on("quality:audit_step", planned, "template"), AUDIT, method="post",
          data=lambda w: {"template": default_template().pk}, ok=(302,)),
    Route("quality:audit_step", _on("quality:audit_step", planned, "item"), AUDIT, method="post",
          data=lambda w: {"question": "是否有例会记录？", "clause": "", "guidance": ""}, ok=(302,)),
    # findings
    Route("quality:finding_list", _url("quality:finding_list"), VIEW),
    Route("quality:finding_add", _on("quality:finding_add", running), AUDIT),
    Route("quality:finding_add", _on("quality:finding_add", running), AUDIT, method="post",
          data=lambda w: {"grade": "minor", "clause": clause("8.2.1").pk, "statement": "回访缺失",
                          "evidence": "抽查工单"}, ok=(302,)),
    Route("quality:finding", _on("quality:finding", finding), VIEW),
    Route("quality:finding_edit", _on("quality:finding_edit", finding), AUDIT),
    Route("quality:finding_history", _on("quality:finding_history", finding), VIEW),
    Route("quality:finding_step", _on("quality:finding_step", finding, "file"), AUDIT),
    Route("quality:finding_counts", _url("quality:finding_counts"), VIEW),
    # checklist templates
    Route("quality:checklisttemplate_list", _url("quality:checklisttemplate_list"), VIEW),
    Route("quality:checklisttemplate_add", _url("quality:checklisttemplate_add"), AUDIT),
    Route("quality:checklisttemplate_add", _url("quality:checklisttemplate_add"), AUDIT, method="post",
          data=lambda w: {"name": "工程部检查表", "description": "", "is_active": "on"}, ok=(302,)),
    Route("quality:checklisttemplate", _on("quality:checklisttemplate", lambda w: default_template()), VIEW),
    Route("quality:checklisttemplate_edit", _on("quality:checklisttemplate_edit", lambda w: default_template()),
          AUDIT),
    Route("quality:checklisttemplate_history",
          _on("quality:checklisttemplate_history", lambda w: default_template()), VIEW),
    Route("quality:templatequestion_add", _on("quality:templatequestion_add", lambda w: default_template()), AUDIT),
    Route("quality:templatequestion_add", _on("quality:templatequestion_add", lambda w: default_template()), AUDIT,
          method="post", data=lambda w: {"question": "新问题", "clause": "", "guidance": "", "sort_order": ""},
          ok=(302,)),
    Route("quality:templatequestion_edit", _on("quality:templatequestion_edit", question), AUDIT),
    # limits
    Route("quality:findinglimit_list", _url("quality:findinglimit_list"), VIEW),
    Route("quality:findinglimit_add", _url("quality:findinglimit_add"), LIMITS),
    Route("quality:findinglimit_add", _url("quality:findinglimit_add"), LIMITS, method="post",
          data=lambda w: {"year": "2030", "limit": "5", "note": "公司规定"}, ok=(302,)),
    Route("quality:findinglimit_edit", _on("quality:findinglimit_edit", limit), LIMITS),
    # API
    Route("api:quality-auditprogramme-list", _api("quality-auditprogramme-list"), VIEW, api=True),
    Route("api:quality-auditprogramme-list", _api("quality-auditprogramme-list"), AUDIT, api=True,
          method="post", data=lambda w: {"year": 2030, "title": "2030"}, ok=(201,)),
    Route("api:quality-auditprogramme-detail", _api("quality-auditprogramme-detail", programme), VIEW, api=True),
    Route("api:quality-auditprogramme-detail", _api("quality-auditprogramme-detail", programme), AUDIT, api=True,
          method="patch", data=lambda w: {"title": "修订"}),
    Route("api:quality-auditprogramme-approve", _api("quality-auditprogramme-approve", programme), APPROVE,
          api=True, method="post", data=lambda w: {}),
    Route("api:quality-audit-list", _api("quality-audit-list"), VIEW, api=True),
    Route("api:quality-audit-list", _api("quality-audit-list"), AUDIT, api=True, method="post",
          data=lambda w: {**audit_data(w), "clauses": ["8.2.1"]}, ok=(201,)),
    Route("api:quality-audit-detail", _api("quality-audit-detail", planned), VIEW, api=True),
    Route("api:quality-audit-detail", _api("quality-audit-detail", planned), AUDIT, api=True, method="patch",
          data=lambda w: {"title": "改名"}),
    Route("api:quality-audit-start", _api("quality-audit-start", planned), AUDIT, api=True, method="post",
          data=lambda w: {}),
    Route("api:quality-audit-report", _api("quality-audit-report", running), AUDIT, api=True, method="post",
          data=lambda w: {"summary": "有效"}),
    Route("api:quality-audit-close", _api("quality-audit-close", reported), AUDIT, api=True, method="post",
          data=lambda w: {}),
    Route("api:quality-audit-cancel", _api("quality-audit-cancel", planned), AUDIT, api=True, method="post",
          data=lambda w: {"reason": "推迟"}),
    Route("api:quality-audit-checklist-from-template", _api("quality-audit-checklist-from-template", planned),
          AUDIT, api=True, method="post", data=lambda w: {"template": default_template().pk}),
    Route("api:quality-audit-checklist-answer", _answer_url, AUDIT, api=True, method="post",
          data=lambda w: _ANSWER.pop(id(w))),
    Route("api:quality-finding-list", _api("quality-finding-list"), VIEW, api=True),
    Route("api:quality-finding-list", _api("quality-finding-list"), AUDIT, api=True, method="post",
          data=lambda w: {"audit": running(w).pk, "grade": "observation", "clause": "7.4", "statement": "s",
                          "evidence": "e"}, ok=(201,)),
    Route("api:quality-finding-detail", _api("quality-finding-detail", finding), VIEW, api=True),
    Route("api:quality-finding-detail", _api("quality-finding-detail", finding), AUDIT, api=True, method="patch",
          data=lambda w: {"statement": "更正"}),
    Route("api:quality-findinglimit-list", _api("quality-findinglimit-list"), VIEW, api=True),
    Route("api:quality-findinglimit-list", _api("quality-findinglimit-list"), LIMITS, api=True, method="post",
          data=lambda w: {"year": 2030, "limit": 4}, ok=(201,)),
    Route("api:quality-findinglimit-detail", _api("quality-findinglimit-detail", limit), VIEW, api=True),
    Route("api:quality-findinglimit-detail", _api("quality-findinglimit-detail", limit), LIMITS, api=True,
          method="patch", data=lambda w: {"limit": 6}),
    Route("api:quality-external-finding-counts-list", _api("quality-external-finding-counts-list"), VIEW,
          api=True),
]

test_matrix = matrix_tests(CASES)
