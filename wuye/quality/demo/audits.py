"""Demo data of the audits subject (``manage.py load_demo``), made through the services by the quality auditor
(吴刚, of 客户服务部) and approved by top management (郑国华):

- this year's audit programme, approved;
- internal audit 1 of 工程部 and 环境部 (led by 吴刚, who may audit them: he is of 客户服务部), checklist from the
  default template answered, two observations, reported and closed;
- internal audit 2 of 客户服务部, planned for later in the year, led by 郑国华 (总经理室) with 何伟 (综合办公室):
  吴刚 may not audit his own department;
- the external surveillance audit by 中国质量认证中心 of 金桂花园 and 钱塘明珠苑, reported: two observations and a
  minor nonconformity at 金桂花园, one observation at 钱塘明珠苑. Its minor nonconformity awaits its corrective
  action, which the actions subject's demo raises (it runs after this one);
- the company's limit of external findings per managed estate for this year: 5.

Dates are counted from the day of the load within this year. Everything is found by a natural key (programme by
year, audit by programme and title, finding by audit and statement, limit by year), so a second run changes
nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wuye.core.demo import demo_user
from wuye.estates.models import Estate
from wuye.org.demo import COMPANY_NAME
from wuye.org.models import Department, Staff

from .. import services
from ..choices import AuditKind, AuditStatus, CheckResult, ProgrammeStatus
from ..models import Audit, AuditProgramme, ChecklistTemplate, FindingLimit, IsoClause

__all__ = ["load"]

CERTIFICATION_BODY = "中国质量认证中心"
LIMIT = 5
LIMIT_NOTE = "公司质量目标：每个在管项目外审观察项与轻微不合格项全年累计不超过5项（公司规定）"


def _dates(today: dt.date) -> dict:
    year = today.year

    def clamp(day: dt.date) -> dt.date:
        return min(max(day, dt.date(year, 1, 2)), today)

    first = clamp(today - dt.timedelta(days=150))
    external = clamp(max(first + dt.timedelta(days=2), today - dt.timedelta(days=60)))
    planned = min(today + dt.timedelta(days=14), dt.date(year, 12, 30))
    return {"first": first, "external": external, "planned": max(planned, today)}


def _clauses(*numbers):
    return list(IsoClause.objects.filter(number__in=numbers))


def _audit(programme, title, **fields):
    audit = Audit.objects.filter(programme=programme, title=title).first()
    if audit is None:
        audit = services.audit_create(actor=demo_user("quality_auditor"), programme=programme, title=title,
                                      **fields)
    return audit, audit.status


def _finding(actor, audit, statement, **fields):
    finding = audit.findings.filter(statement=statement).first()
    if finding is None:
        finding = services.finding_record(actor=actor, audit=audit, statement=statement, **fields)
    return finding


def load(*, stdout, style) -> list:
    today = timezone.localdate()
    dates = _dates(today)
    auditor, executive = demo_user("quality_auditor"), demo_user("executive")
    depts = {d.code: d for d in Department.objects.filter(company__name=COMPANY_NAME)}
    staff = {s.employee_no: s for s in Staff.objects.filter(employee_no__in=["KF008", "KF007", "ZJ001", "BG001"])}
    estates = {e.code: e for e in Estate.objects.filter(code__in=["jghy", "qtmzy", "yqya"])}

    programme = AuditProgramme.objects.filter(year=today.year).first()
    if programme is None:
        programme = services.audit_programme_create(
            actor=auditor, year=today.year, title=f"{today.year}年度质量管理体系审核方案",
            objectives="覆盖全部部门和在管项目，内部审核每年不少于两次；配合认证机构年度监督审核；"
                       "发现的不合格项全部采取纠正措施并验证效果。")
    if programme.status == ProgrammeStatus.DRAFT:
        services.audit_programme_approve(actor=executive, programme=programme, approved_on=programme.created_at.date()
                                         if programme.created_at.date() <= today else today)

    # internal audit 1: 工程部 and 环境部, closed
    first, _status = _audit(
        programme, "工程部、环境部内部审核", kind=AuditKind.INTERNAL,
        scope="报修工单处理、设施设备维护记录、保洁绿化作业标准与检查记录",
        estates=[estates["jghy"]], departments=[depts["eng"], depts["env"]],
        clauses=_clauses("7.5.3", "8.5.1", "9.1.2"), lead_auditor=staff["KF008"], auditors=[staff["KF007"]],
        planned_start=dates["first"], planned_end=dates["first"] + dt.timedelta(days=1)
        if dates["first"] + dt.timedelta(days=1) <= today else dates["first"])
    if first.status == AuditStatus.PLANNED:
        services.audit_start(actor=auditor, audit=first, started_on=dates["first"])
        template = ChecklistTemplate.objects.order_by("pk").first()
        if template is not None:
            services.audit_checklist_from_template(actor=auditor, audit=first, template=template)
        first.refresh_from_db()
    if first.status == AuditStatus.IN_PROGRESS:
        answers = {}
        for i, item in enumerate(first.checklist.order_by("sort_order", "id")):
            result = CheckResult.OBSERVATION if i in (1, 7) else CheckResult.CONFORMS
            answers[item.pk] = {"result": result, "evidence": "抽查相关记录，现场询问责任人" if result ==
                                CheckResult.CONFORMS else "部分记录不完整，见观察项"}
        services.audit_checklist_answer(actor=auditor, audit=first, answers=answers)
        _finding(auditor, first, "电梯维保记录个别月份签字不全", grade="observation",
                 clause=IsoClause.objects.get(number="7.5.3"), department=depts["eng"],
                 evidence="抽查金桂花园2号楼电梯维保记录12份，其中2份缺维保人员签字", found_on=dates["first"])
        _finding(auditor, first, "保洁质量检查表未注明检查时间", grade="observation",
                 clause=IsoClause.objects.get(number="8.5.1"), department=depts["env"],
                 evidence="环境部上月保洁检查表8份均只有日期，无检查时间", found_on=dates["first"])
        services.audit_report(actor=auditor, audit=first, reported_on=dates["first"],
                              summary="工程部、环境部质量管理体系运行基本有效，未发现不合格项；提出观察项2项，"
                                      "请相关部门关注记录的完整性。")
        first.refresh_from_db()
    if first.status == AuditStatus.REPORTED:
        services.audit_close(actor=auditor, audit=first, closed_on=dates["first"])

    # internal audit 2: 客户服务部, planned, led by someone of another department
    _audit(programme, "客户服务部内部审核", kind=AuditKind.INTERNAL,
           scope="客户服务全过程：报修投诉受理、回访、客户档案、文件与记录控制、沟通",
           estates=[estates["jghy"], estates["qtmzy"], estates["yqya"]], departments=[depts["cs"]],
           clauses=_clauses("7.4", "7.5.3", "8.2.1", "9.1.2", "10.2"), lead_auditor=staff["ZJ001"],
           auditors=[staff["BG001"]], planned_start=dates["planned"], planned_end=dates["planned"])

    # the external surveillance audit, reported: the minor nonconformity awaits its corrective action
    external, _status = _audit(
        programme, "ISO 9001 年度监督审核", kind=AuditKind.EXTERNAL, certification_body=CERTIFICATION_BODY,
        external_auditors="审核组长 李明；审核员 王芳", scope="物业管理服务（客户服务、工程维修、秩序维护、环境保洁）",
        estates=[estates["jghy"], estates["qtmzy"]], departments=[depts["cs"], depts["eng"]],
        clauses=_clauses("8.2.1", "8.5.1", "9.1.2", "10.2"), lead_auditor=None, planned_start=dates["external"],
        planned_end=dates["external"] + dt.timedelta(days=1)
        if dates["external"] + dt.timedelta(days=1) <= today else dates["external"])
    if external.status == AuditStatus.PLANNED:
        services.audit_start(actor=auditor, audit=external, started_on=dates["external"])
        external.refresh_from_db()
    if external.status == AuditStatus.IN_PROGRESS:
        on = dates["external"]
        _finding(auditor, external, "投诉回访记录不完整", grade="minor", clause=IsoClause.objects.get(number="8.2.1"),
                 estate=estates["jghy"], department=depts["cs"], found_on=on,
                 evidence="抽查金桂花园近三个月投诉工单20份，其中4份办结后未回访，不符合公司回访规定")
        _finding(auditor, external, "公告栏服务标准未及时更新", grade="observation",
                 clause=IsoClause.objects.get(number="7.4"), estate=estates["jghy"], department=depts["cs"],
                 found_on=on, evidence="金桂花园1号楼大堂公告栏张贴的收费标准为旧版")
        _finding(auditor, external, "维修材料领用记录与工单未关联", grade="observation",
                 clause=IsoClause.objects.get(number="8.5.1"), estate=estates["jghy"], department=depts["eng"],
                 found_on=on, evidence="工程部材料出库单未填写对应工单号")
        _finding(auditor, external, "满意度调查分析未形成改进措施", grade="observation",
                 clause=IsoClause.objects.get(number="9.1.2"), estate=estates["qtmzy"], department=depts["cs"],
                 found_on=on, evidence="钱塘明珠苑上半年满意度调查报告只有统计数据，无原因分析和改进计划")
        services.audit_report(actor=auditor, audit=external, reported_on=on,
                              summary="认证机构现场审核结论：质量管理体系运行有效，推荐保持认证；开具轻微不合格项1项、"
                                      "观察项3项，不合格项须在30天内提交纠正措施。")

    if not FindingLimit.objects.filter(year=today.year).exists():
        services.finding_limit_create(actor=executive, year=today.year, limit=LIMIT, note=LIMIT_NOTE)

    stdout.write(f"quality audits: programme {programme.year}, {programme.audits.count()} audits, "
                 f"{sum(a.findings.count() for a in programme.audits.all())} findings")
    return []
