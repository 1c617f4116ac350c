"""Test helpers of the audits subject: an auditor from another department than the test world's one (客户服务部),
and audits made through the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wuye.org.tests.factories import DepartmentFactory, PostFactory, StaffFactory
from wuye.quality import services
from wuye.quality.choices import AuditKind
from wuye.quality.models import ChecklistTemplate, IsoClause


def clause(number: str = "8.2.1") -> IsoClause:
    return IsoClause.objects.get(number=number)


def other_department(w):
    return DepartmentFactory(company=w.company, name="工程部", code="eng")


def outside_auditor(w, name: str = "赵工"):
    """A staff member of 工程部: may audit 客户服务部."""
    from wuye.org.models import Staff

    existing = Staff.objects.filter(name=name).first()
    if existing is not None:
        return existing
    post = PostFactory(department=other_department(w), name=f"工程主管{name}", code=f"eng-{Staff.objects.count()}")
    return StaffFactory(post=post, name=name, estates=[w.estate_a])


def today() -> dt.date:
    return timezone.localdate()


def audit_fields(w, **fields) -> dict:
    start = fields.pop("planned_start", today())
    values = {"title": "客户服务部内部审核", "scope": "客户服务全过程", "kind": AuditKind.INTERNAL,
              "estates": [w.estate_a], "departments": [w.department], "clauses": [clause("8.2.1"), clause("9.1.2")],
              "planned_start": start, "planned_end": fields.pop("planned_end", start)}
    if fields.get("kind", AuditKind.INTERNAL) == AuditKind.INTERNAL and "lead_auditor" not in fields:
        values["lead_auditor"] = outside_auditor(w)
    values.update(fields)
    return values


def make_audit(w, *, actor=None, **fields):
    return services.audit_create(actor=actor or w.users["quality_auditor"], **audit_fields(w, **fields))


def external_audit(w, estates=None, **fields):
    fields.setdefault("title", "ISO 9001 监督审核")
    return make_audit(w, kind=AuditKind.EXTERNAL, certification_body="中国质量认证中心", lead_auditor=None,
                      estates=estates if estates is not None else [w.estate_a, w.estate_b], departments=[],
                      **fields)


def started(w, audit, on=None):
    return services.audit_start(actor=w.users["quality_auditor"], audit=audit, started_on=on)


def record(w, audit, grade="minor", number="8.2.1", **fields):
    fields.setdefault("statement", "投诉回访记录不完整")
    fields.setdefault("evidence", "抽查 10 份工单，3 份无回访记录")
    return services.finding_record(actor=w.users["quality_auditor"], audit=audit, grade=grade,
                                   clause=clause(number), **fields)


def default_template() -> ChecklistTemplate:
    return ChecklistTemplate.objects.get(name="客户服务部内审检查表")


def corrective_action_for(finding):
    """A corrective action on the finding (the actions subject's model; made directly, as test data)."""
    from wuye.quality.models import CorrectiveAction

    return CorrectiveAction.objects.create(number=f"CA-T-{finding.pk:04d}", title=finding.statement[:50],
                                           description=finding.statement, grade=finding.grade, finding=finding,
                                           source="finding")
