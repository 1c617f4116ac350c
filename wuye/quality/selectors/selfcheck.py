"""Self-check against the customer's standard (物业客户服务部岗位服务工作标准, sections 1–3): for every clause, the
records in wuye that evidence it and a traffic light.

- ``present`` (green): the evidence is there and fresh;
- ``stale`` (amber): there is evidence, but it is old, partial or has something overdue;
- ``missing`` (red): nothing in wuye evidences the clause yet.

Each check is a small function of ``today`` returning a ``Check``; the figures come from counts in SQL. The page
shows each evidence link only to users who may open it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PRESENT, STALE, MISSING = "present", "stale", "missing"
STATUS_LABELS = {PRESENT: gettext_lazy("Evidence present"), STALE: gettext_lazy("Stale or partial"),
                 MISSING: gettext_lazy("Missing")}

# The clauses of the standard, as written (seed sections 1–3).
CLAUSES = [
    ("1", gettext_lazy("Management responsibility"), [
        ("1.1", "机构健全,部门职责明确,部门间职责接口清晰、工作流程通畅。"),
        ("1.2", "建立、健全内部管理、服务提供、人力资源、质量管理、信息管理、行政后勤管理等各项企"
                "业管理制度,制订各岗位工作标准及其具体的落实和考核办法。"),
        ("1.3", "所有员工对本职范围和职责明确,并有效履行。"),
        ("1.4", "管理项目实行综合一体化管理。"),
        ("1.5", "制订年度工作计划和分阶段实施计划、目标,并进行有效的宣传,使全员熟知。"),
        ("1.6", "对落实企业方针和目标有充足的证据。"),
        ("1.7", "公司质量管理体系满足质量方针要求,整个组织活动满足体系要求。"),
        ("1.8", "质量方针和目标形成文件,由最高管理者批准。"),
        ("1.9", "至少定期按计划进行一次管理评审活动,每年至少不少于一次,并确保管理评审输入的详实"
                ",输出有效,记录完整,评审措施获得落实。"),
        ("1.10", "在不同的层次和职能之间进行有效、充分的沟通,并有明确的沟通形式,如自上而下的例会"
                ";自下而上的报告、申诉等等;横向沟通流程顺畅等。"),
    ]),
    ("2", gettext_lazy("Documents, records and contracts"), [
        ("2.1", "明确文件管理的岗位职责,所有文件、记录标识清晰,存放整齐有序,分类合理,方便检索"
                ",能保证在一分钟内取阅。"),
        ("2.2", "文件资料记录保持完整、清晰、无缺失、无破损。"),
        ("2.3", "对与本企业经营运作有关的法律、法规、行业规定进行收集,并确保完整、有效。"),
        ("2.4", "客户档案、工程档案、物业档案资料齐全、管理完善。"),
        ("2.5", "保持文件的现实有效性,作废文件有适当标识。"),
        ("2.6", "涉及到公司机密的文件确保安全,设置借阅权限,借阅手续完备;文件管理人员变动有重要"
                "文件交接记录。"),
        ("2.7", "为安全起见,存储于电脑中的公司内部及公司与外部单位间的来往审批文件、与业主相关的"
                "资料、行政管理制度等重要电脑文件有备份。"),
        ("2.8", "文件柜内文件摆放整齐,所有文件夹设有明确标识。柜内无尘、无潮、无虫,室内环境适宜"
                "储存。"),
        ("2.9", "文件、资料的编制或收集、发布、更改、作废、保管等符合文件管理要求。"),
        ("2.10", "接管新建物业,在物业正式接管前,与开发公司(或物业所有人)签订(前期)物业管理委"
                "托合同,业主委员会成立后与业委会续签物业管理委托合同。"),
        ("2.11", "接管原有物业,在物业正式接管前,与业主委员会(物业所有人)签订物业管理委托合同。"),
        ("2.12", "物业管理委托合同内容、时间和签约应具有有效性。"),
        ("2.13", "合同及资料应保存完整,设置合同清单,并注明合同有效期限。"),
        ("2.14", "合同应符合公司利益和法律要求,应确保保存的有效性。"),
    ]),
    ("3", gettext_lazy("Quality monitoring"), [
        ("3.1", "建立ISO9000质量管理和运作模式,定期进行内部审核。"),
        ("3.2", "内审符合ISO9000标准要求。"),
        ("3.3", "通过ISO9000外部审核的管理小区,年度累计外部审核中出现的观察项和轻微不合格"
                "项"),
    ]),
]


@dataclass
class Link:
    label: str
    url: str
    permission: str


@dataclass
class Check:
    status: str
    summary: str
    links: list[Link] = field(default_factory=list)


@dataclass
class ClauseRow:
    number: str
    text: str
    check: Check

    @property
    def status_label(self):
        return STATUS_LABELS[self.check.status]


def _year_ago(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def _link(label, name, permission, *args, query: str = "") -> Link:
    url = reverse(name, args=args)
    return Link(str(label), f"{url}?{query}" if query else url, permission)


# --- section 1 -----------------------------------------------------------------------------------------------------


def _c1_1(today):
    from wuye.org.models import Department, DepartmentInterface

    departments = Department.objects.filter(is_active=True)
    total = departments.count()
    described = departments.exclude(responsibilities="").count()
    interfaces = DepartmentInterface.objects.count()
    links = [_link(_("Departments"), "org:department_list", "org.view_department")]
    summary = _("%(described)s of %(total)s departments have written duties; %(interfaces)s interfaces between "
                "departments are recorded.") % {"described": described, "total": total, "interfaces": interfaces}
    if total == 0 or described == 0:
        return Check(MISSING, summary, links)
    return Check(PRESENT if described == total and interfaces else STALE, summary, links)


def _c1_2(today):
    from wuye.org.choices import StandardStatus
    from wuye.org.models import JobStandard, Post

    posts = Post.objects.filter(is_active=True)
    total = posts.count()
    with_standard = posts.filter(Exists(JobStandard.objects.filter(post=OuterRef("pk"),
                                                                   status=StandardStatus.CURRENT))).count()
    summary = _("%(with)s of %(total)s posts have a current written job standard with its assessment method.") % {
        "with": with_standard, "total": total}
    links = [_link(_("Job standards"), "org:jobstandard_list", "org.view_jobstandard")]
    if not with_standard:
        return Check(MISSING, summary, links)
    return Check(PRESENT if with_standard == total else STALE, summary, links)


def _c1_3(today):
    from django.contrib.contenttypes.models import ContentType

    from wuye.org.choices import StaffStatus, StandardStatus
    from wuye.org.models import Acknowledgement, JobStandard, Staff

    ct = ContentType.objects.get_for_model(JobStandard)
    # the current standard of the staff member's post (two levels out: staff → acknowledgement → standard)
    current = (JobStandard.objects.filter(post=OuterRef(OuterRef("post")), status=StandardStatus.CURRENT)
               .values("pk")[:1])
    staff = Staff.objects.filter(status=StaffStatus.ACTIVE).annotate(
        has_standard=Exists(JobStandard.objects.filter(post=OuterRef("post"), status=StandardStatus.CURRENT)),
        acked=Exists(Acknowledgement.objects.filter(staff=OuterRef("pk"), content_type=ct,
                                                    object_id=current)))
    with_standard = staff.filter(has_standard=True)
    total, acked = with_standard.count(), with_standard.filter(acked=True).count()
    summary = _("%(acked)s of %(total)s staff members have confirmed the current standard of their post.") % {
        "acked": acked, "total": total}
    links = [_link(_("Pending confirmations"), "org:acknowledgement_pending", "org.view_acknowledgement")]
    if not acked:
        return Check(MISSING, summary, links)
    return Check(PRESENT if acked == total else STALE, summary, links)


def _c1_4(today):
    from wuye.estates.choices import EstateStatus
    from wuye.estates.models import Estate

    managed = Estate.objects.filter(status=EstateStatus.MANAGED)
    total = managed.count()
    served = managed.filter(staff__isnull=False).distinct().count()
    summary = _("%(served)s of %(total)s managed estates have staff assigned to serve them.") % {
        "served": served, "total": total}
    links = [_link(_("Estates"), "estates:estate_list", "estates.view_estate")]
    if not served:
        return Check(MISSING, summary, links)
    return Check(PRESENT if served == total else STALE, summary, links)


def _c1_5(today):
    from ..choices import PlanStatus
    from ..models import WorkPlan

    plan = WorkPlan.objects.filter(year=today.year, status=PlanStatus.PUBLISHED).order_by("-published_at").first()
    links = [_link(_("Work plans"), "quality:workplan_list", "quality.view_workplan")]
    if plan is None:
        last = WorkPlan.objects.filter(status__in=(PlanStatus.PUBLISHED, PlanStatus.CLOSED)).order_by("-year").first()
        if last is None:
            return Check(MISSING, _("No work plan has been published."), links)
        links.append(Link(str(last), last.get_absolute_url(), "quality.view_workplan"))
        return Check(STALE, _("No work plan is published for %(year)s; the last one is for %(last)s.") % {
            "year": today.year, "last": last.year}, links)
    total, acked = _plan_acknowledgement_counts(plan)
    links.append(Link(str(plan), plan.get_absolute_url(), "quality.view_workplan"))
    summary = _("%(plan)s is published; %(acked)s of %(total)s staff members in scope have acknowledged it.") % {
        "plan": plan, "acked": acked, "total": total}
    return Check(PRESENT if total and acked == total else STALE, summary, links)


def _plan_acknowledgement_counts(plan) -> tuple[int, int]:
    from django.contrib.contenttypes.models import ContentType

    from wuye.org.choices import StaffStatus
    from wuye.org.models import Acknowledgement, Staff

    from ..models import PlanPublication

    publication = plan.publications.order_by("-version").first()
    staff = Staff.objects.filter(status=StaffStatus.ACTIVE)
    departments = list(plan.scope_departments.values_list("pk", flat=True))
    if departments:
        staff = staff.filter(department__in=departments)
    total = staff.count()
    if publication is None:
        return total, 0
    ct = ContentType.objects.get_for_model(PlanPublication)
    acked = staff.filter(Exists(Acknowledgement.objects.filter(staff=OuterRef("pk"), content_type=ct,
                                                               object_id=publication.pk))).count()
    return total, acked


def _published_policy():
    from ..choices import PolicyStatus
    from ..models import QualityPolicy

    return QualityPolicy.objects.filter(status=PolicyStatus.PUBLISHED).select_related("approved_by").first()


def _c1_6(today):
    from ..choices import Metric
    from ..models import ObjectiveMeasurement

    policy = _published_policy()
    links = [_link(_("Quality policy and objectives"), "quality:qualitypolicy_list", "quality.view_qualitypolicy")]
    if policy is None or not policy.objectives.exists():
        return Check(MISSING, _("No published quality objectives."), links)
    objectives = policy.objectives.all()
    manual = objectives.filter(metric=Metric.MANUAL)
    measured = manual.filter(Exists(ObjectiveMeasurement.objects.filter(
        objective=OuterRef("pk"), period_end__gte=_year_ago(today)))).count()
    computed = objectives.exclude(metric=Metric.MANUAL).count()
    summary = _("%(computed)s objectives are measured by wuye from its records; %(measured)s of %(manual)s "
                "measured by hand have a figure with evidence from the last 12 months.") % {
        "computed": computed, "measured": measured, "manual": manual.count()}
    return Check(PRESENT if measured == manual.count() else STALE, summary, links)


def _c1_7(today):
    from ..choices import AuditKind, AuditStatus
    from ..models import Audit

    policy = _published_policy()
    audited = Audit.objects.filter(kind=AuditKind.INTERNAL, status__in=(AuditStatus.REPORTED, AuditStatus.CLOSED),
                                   reported_on__gte=_year_ago(today)).exists()
    links = [_link(_("Audits"), "quality:audit_list", "quality.view_audit")]
    if policy is None:
        return Check(MISSING, _("No published quality policy to measure the system against."), links)
    if not audited:
        return Check(STALE, _("The policy is published, but no internal audit has reported in the last 12 months."),
                     links)
    return Check(PRESENT, _("The policy is published and an internal audit has reported in the last 12 months."),
                 links)


def _c1_8(today):
    policy = _published_policy()
    links = [_link(_("Quality policy and objectives"), "quality:qualitypolicy_list", "quality.view_qualitypolicy")]
    if policy is None:
        return Check(MISSING, _("No quality policy has been approved and published."), links)
    links.append(Link(str(policy), policy.get_absolute_url(), "quality.view_qualitypolicy"))
    return Check(PRESENT, _("Version %(version)s, approved by %(who)s on %(date)s.") % {
        "version": policy.version, "who": policy.approved_by.get_full_name() or policy.approved_by.get_username()
        if policy.approved_by else "—", "date": policy.approved_on or "—"}, links)


def _c1_9(today):
    from ..choices import ActionItemStatus, ReviewStatus
    from ..models import ActionItem, ManagementReview

    links = [_link(_("Management reviews"), "quality:managementreview_list", "quality.view_managementreview")]
    last = (ManagementReview.objects.filter(status__in=(ReviewStatus.HELD, ReviewStatus.CLOSED))
            .order_by("-held_on").first())
    if last is None:
        return Check(MISSING, _("No management review has been held."), links)
    links.append(Link(str(last), last.get_absolute_url(), "quality.view_managementreview"))
    overdue = ActionItem.objects.filter(review__isnull=False, status=ActionItemStatus.OPEN,
                                        due_on__lt=today).count()
    summary = _("The last review was held on %(date)s; %(overdue)s of its follow-up actions are overdue.") % {
        "date": last.held_on, "overdue": overdue}
    fresh = last.held_on >= _year_ago(today)
    return Check(PRESENT if fresh and not overdue else STALE, summary, links)


def _c1_10(today):
    from ..choices import OPEN_SUBMISSION_STATES, MeetingKind, MeetingStatus
    from ..models import Meeting, Submission

    links = [_link(_("Meetings"), "quality:meeting_list", "quality.view_meeting"),
             _link(_("Reports and appeals"), "quality:submission_list", "quality.view_submission")]
    since = today - dt.timedelta(days=92)
    meetings = Meeting.objects.filter(kind=MeetingKind.REGULAR, status=MeetingStatus.HELD,
                                      starts_at__date__gte=since).count()
    ever = Meeting.objects.filter(status=MeetingStatus.HELD).exists()
    waiting = Submission.objects.filter(state__in=OPEN_SUBMISSION_STATES,
                                        created_at__date__lt=today - dt.timedelta(days=30)).count()
    summary = _("%(meetings)s regular meetings with minutes in the last three months; %(waiting)s reports or "
                "appeals have waited more than 30 days.") % {"meetings": meetings, "waiting": waiting}
    if not ever:
        return Check(MISSING, summary, links)
    return Check(PRESENT if meetings and not waiting else STALE, summary, links)


# --- section 2 -----------------------------------------------------------------------------------------------------


def _documents():
    from wuye.documents.choices import DocumentStatus
    from wuye.documents.models import Document

    return Document.objects.filter(status=DocumentStatus.CURRENT)


def _c2_1(today):
    docs = _documents()
    total = docs.count()
    custodian = docs.filter(custodian__isnull=False).count()
    summary = _("%(total)s current documents and records, each with a code and a category; %(custodian)s have a "
                "named custodian. The search finds them by any part of their code, title or text.") % {
        "total": total, "custodian": custodian}
    links = [_link(_("Document register"), "documents:document_list", "documents.view_document")]
    if not total:
        return Check(MISSING, summary, links)
    return Check(PRESENT if custodian == total else STALE, summary, links)


def _c2_2(today):
    docs = _documents()
    total = docs.count()
    with_file = docs.filter(current_revision__files__isnull=False).distinct().count()
    summary = _("%(with)s of %(total)s current documents have their issued revision's file on record.") % {
        "with": with_file, "total": total}
    links = [_link(_("Document register"), "documents:document_list", "documents.view_document")]
    if not total:
        return Check(MISSING, summary, links)
    return Check(PRESENT if with_file == total else STALE, summary, links)


def _c2_3(today):
    from wuye.documents.choices import RegulationStatus
    from wuye.documents.models import Regulation

    regulations = Regulation.objects.exclude(status=RegulationStatus.REPEALED)
    total = regulations.count()
    stale = regulations.filter(Q(last_reviewed_on__isnull=True) | Q(last_reviewed_on__lt=_year_ago(today))).count()
    summary = _("%(total)s laws and regulations in the register; %(stale)s not reviewed in the last 12 months.") % {
        "total": total, "stale": stale}
    links = [_link(_("Regulations register"), "documents:regulation_list", "documents.view_regulation")]
    if not total:
        return Check(MISSING, summary, links)
    return Check(STALE if stale else PRESENT, summary, links)


def _c2_4(today):
    from wuye.estates.choices import EstateStatus
    from wuye.estates.models import Estate

    managed = Estate.objects.filter(status=EstateStatus.MANAGED)
    total = managed.count()
    with_archive = managed.filter(documents__isnull=False).distinct().count()
    with_customers = managed.filter(customers__isnull=False).distinct().count()
    summary = _("%(customers)s of %(total)s managed estates have a customer archive; %(archive)s have filed "
                "estate or engineering records.") % {"customers": with_customers, "archive": with_archive,
                                                      "total": total}
    links = [_link(_("Estates"), "estates:estate_list", "estates.view_estate")]
    if not with_customers and not with_archive:
        return Check(MISSING, summary, links)
    return Check(PRESENT if with_customers == total and with_archive == total else STALE, summary, links)


def _c2_5(today):
    from wuye.documents.choices import DocumentStatus
    from wuye.documents.models import Document

    withdrawn = Document.objects.filter(status=DocumentStatus.OBSOLETE).count()
    summary = _("Withdrawn documents and superseded revisions carry the 作废 mark on every page and file; "
                "%(count)s documents are in the withdrawal register.") % {"count": withdrawn}
    links = [_link(_("Withdrawal register"), "documents:withdrawal_register", "documents.view_document")]
    return Check(PRESENT if _documents().exists() else MISSING, summary, links)


def _c2_6(today):
    from django.utils import timezone

    from wuye.documents.choices import LoanState
    from wuye.documents.models import Handover, Loan

    loans = Loan.objects.count()
    overdue = Loan.objects.filter(state=LoanState.LENT, ends_at__lt=timezone.now()).count()
    handovers = Handover.objects.count()
    summary = _("%(loans)s loans on record (%(overdue)s overdue); %(handovers)s custodian handovers recorded.") % {
        "loans": loans, "overdue": overdue, "handovers": handovers}
    links = [_link(_("Loans"), "documents:loan_list", "documents.view_loan"),
             _link(_("Handovers"), "documents:handover_list", "documents.view_handover")]
    if not loans and not handovers:
        return Check(MISSING, summary, links)
    return Check(STALE if overdue else PRESENT, summary, links)


def _c2_7(today):
    from wuye.core.choices import BackupKind
    from wuye.core.models import BackupRun

    last = BackupRun.objects.filter(kind=BackupKind.BACKUP, ok=True).order_by("-started_at").first()
    links = [_link(_("Backups"), "core:backuprun_list", "core.view_backuprun")]
    if last is None:
        return Check(MISSING, _("No successful backup is recorded."), links)
    summary = _("The last successful backup ran on %(date)s.") % {"date": f"{last.started_at:%Y-%m-%d %H:%M}"}
    return Check(PRESENT if last.started_at.date() >= today - dt.timedelta(days=2) else STALE, summary, links)


def _c2_8(today):
    from wuye.documents.models import Location

    docs = _documents()
    located = docs.filter(location__isnull=False).count()
    summary = _("%(located)s current documents have the place of their paper original (room, cabinet, shelf, box); "
                "%(locations)s storage places carry printable labels.") % {
        "located": located, "locations": Location.objects.count()}
    links = [_link(_("Storage places"), "documents:location_list", "documents.view_location")]
    if not located:
        return Check(MISSING, summary, links)
    return Check(PRESENT, summary, links)


def _c2_9(today):
    from wuye.documents.choices import RevisionState
    from wuye.documents.models import Revision

    issued = Revision.objects.filter(state=RevisionState.ISSUED)
    total = issued.count()
    approved = issued.filter(approver__isnull=False).count()
    summary = _("%(approved)s of %(total)s issued revisions went through review and approval before issue.") % {
        "approved": approved, "total": total}
    links = [_link(_("Document register"), "documents:document_list", "documents.view_document")]
    if not total:
        return Check(MISSING, summary, links)
    return Check(PRESENT if approved == total else STALE, summary, links)


def _takeovers(today):
    from wuye.contracts.models import Takeover
    from wuye.estates.choices import EstateStatus
    from wuye.estates.models import Estate

    managed = Estate.objects.filter(status=EstateStatus.MANAGED).count()
    recorded = Takeover.objects.values("estate").distinct().count()
    summary = _("%(recorded)s of %(managed)s managed estates have their takeover on record, checked against the "
                "contract the rule requires.") % {"recorded": recorded, "managed": managed}
    links = [_link(_("Takeovers"), "contracts:takeover_list", "contracts.view_takeover")]
    if not recorded:
        return Check(MISSING, summary, links)
    return Check(PRESENT if recorded >= managed else STALE, summary, links)


def _contracts_reviewed(today):
    from wuye.contracts.choices import LIVE_STATUSES, ReviewResult
    from wuye.contracts.models import Contract, ContractReview

    live = Contract.objects.filter(status__in=LIVE_STATUSES)
    total = live.count()
    reviewed = live.filter(Exists(ContractReview.objects.filter(contract=OuterRef("pk"),
                                                                result=ReviewResult.PASSED))).count()
    summary = _("%(reviewed)s of %(total)s contracts in force passed the review against the checklist before "
                "signing.") % {"reviewed": reviewed, "total": total}
    links = [_link(_("Contract register"), "contracts:contract_list", "contracts.view_contract")]
    if not total:
        return Check(MISSING, summary, links)
    return Check(PRESENT if reviewed == total else STALE, summary, links)


def _c2_13(today):
    from wuye.contracts.choices import ContractStatus
    from wuye.contracts.models import Contract

    total = Contract.objects.count()
    expired_open = Contract.objects.filter(status=ContractStatus.EXPIRED, renewals__isnull=True).count()
    summary = _("%(total)s contracts in the register with their validity periods; %(expired)s expired without a "
                "renewal.") % {"total": total, "expired": expired_open}
    links = [_link(_("Contract register"), "contracts:contract_list", "contracts.view_contract")]
    if not total:
        return Check(MISSING, summary, links)
    return Check(STALE if expired_open else PRESENT, summary, links)


# --- section 3 -----------------------------------------------------------------------------------------------------


def _c3_1(today):
    from ..choices import AuditKind, AuditStatus
    from ..models import Audit

    links = [_link(_("Audits"), "quality:audit_list", "quality.view_audit")]
    last = (Audit.objects.filter(kind=AuditKind.INTERNAL, status__in=(AuditStatus.REPORTED, AuditStatus.CLOSED))
            .order_by("-reported_on").first())
    if last is None:
        return Check(MISSING, _("No internal audit has been reported."), links)
    links.append(Link(str(last), last.get_absolute_url(), "quality.view_audit"))
    summary = _("The last internal audit reported on %(date)s.") % {"date": last.reported_on}
    return Check(PRESENT if last.reported_on and last.reported_on >= _year_ago(today) else STALE, summary, links)


def _c3_2(today):
    from ..choices import AuditKind, AuditStatus
    from ..models import Audit

    links = [_link(_("Audits"), "quality:audit_list", "quality.view_audit")]
    last = (Audit.objects.filter(kind=AuditKind.INTERNAL, status__in=(AuditStatus.REPORTED, AuditStatus.CLOSED))
            .annotate(items=Count("checklist", distinct=True),
                      answered=Count("checklist", filter=~Q(checklist__result=""), distinct=True),
                      clause_count=Count("clauses", distinct=True))
            .order_by("-reported_on").first())
    if last is None:
        return Check(MISSING, _("No internal audit has been reported."), links)
    links.append(Link(str(last), last.get_absolute_url(), "quality.view_audit"))
    summary = _("The last internal audit cites %(clauses)s ISO 9001 clauses and answered %(answered)s of "
                "%(items)s checklist questions.") % {"clauses": last.clause_count, "answered": last.answered,
                                                      "items": last.items}
    complete = last.clause_count and last.items and last.answered == last.items
    return Check(PRESENT if complete else STALE, summary, links)


def _c3_3(today):
    from ..choices import COUNTED_GRADES, AuditKind
    from ..models import Finding, FindingLimit

    links = [_link(_("External findings per estate"), "quality:finding_counts", "quality.view_finding")]
    limit = FindingLimit.objects.filter(year__lte=today.year).order_by("-year").values_list("limit", flat=True)\
        .first()
    counts = list(Finding.objects.filter(audit__kind=AuditKind.EXTERNAL, grade__in=COUNTED_GRADES,
                                         found_on__year=today.year, estate__isnull=False)
                  .values("estate").annotate(n=Count("pk")).values_list("n", flat=True))
    worst = max(counts, default=0)
    if limit is None:
        return Check(STALE, _("The company has not set its yearly limit (the standard's sentence is cut off); the "
                              "highest count of an estate this year is %(worst)s.") % {"worst": worst}, links)
    reached = sum(1 for n in counts if n >= limit)
    summary = _("Limit %(limit)s per estate this year; %(reached)s estates have reached it (highest count "
                "%(worst)s).") % {"limit": limit, "reached": reached, "worst": worst}
    if any(n > limit for n in counts):
        return Check(MISSING, summary, links)
    return Check(STALE if reached else PRESENT, summary, links)


CHECKS: dict[str, Callable] = {
    "1.1": _c1_1, "1.2": _c1_2, "1.3": _c1_3, "1.4": _c1_4, "1.5": _c1_5, "1.6": _c1_6, "1.7": _c1_7, "1.8": _c1_8,
    "1.9": _c1_9, "1.10": _c1_10,
    "2.1": _c2_1, "2.2": _c2_2, "2.3": _c2_3, "2.4": _c2_4, "2.5": _c2_5, "2.6": _c2_6, "2.7": _c2_7, "2.8": _c2_8,
    "2.9": _c2_9, "2.10": _takeovers, "2.11": _takeovers, "2.12": _contracts_reviewed, "2.13": _c2_13,
    "2.14": _contracts_reviewed,
    "3.1": _c3_1, "3.2": _c3_2, "3.3": _c3_3,
}


def self_check(user=None, today: dt.date | None = None) -> list[tuple[str, str, list[ClauseRow]]]:
    """[(section number, section title, [ClauseRow…])…] for every clause of sections 1–3; links the user may not
    open are left out."""
    from django.utils import timezone

    today = today or timezone.localdate()
    sections = []
    for number, title, clauses in CLAUSES:
        rows = []
        for clause, text in clauses:
            check = CHECKS[clause](today)
            if user is not None:
                check.links = [link for link in check.links if user.has_perm(link.permission)]
            rows.append(ClauseRow(clause, text, check))
        sections.append((number, str(title), rows))
    return sections


def totals(sections) -> dict[str, int]:
    counts = {PRESENT: 0, STALE: 0, MISSING: 0}
    for _number, _title, rows in sections:
        for row in rows:
            counts[row.check.status] += 1
    return counts
