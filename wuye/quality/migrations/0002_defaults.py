"""The ISO 9001:2015 clauses (GB/T 19001-2016 titles) that audits, checklist questions and findings cite, and a
default internal-audit checklist for the customer-service department built from the customer's standard.
Idempotent: ``apps.ensure_defaults`` runs it again after every migrate; a missing clause is added, the template only
when there is none (the company's edits are kept)."""

from django.db import migrations

CLAUSES = [
    ("4", "组织环境"), ("4.1", "理解组织及其环境"), ("4.2", "理解相关方的需求和期望"),
    ("4.3", "确定质量管理体系的范围"), ("4.4", "质量管理体系及其过程"),
    ("5", "领导作用"), ("5.1", "领导作用和承诺"), ("5.1.2", "以顾客为关注焦点"), ("5.2", "方针"),
    ("5.3", "组织的岗位、职责和权限"),
    ("6", "策划"), ("6.1", "应对风险和机遇的措施"), ("6.2", "质量目标及其实现的策划"), ("6.3", "变更的策划"),
    ("7", "支持"), ("7.1", "资源"), ("7.1.5", "监视和测量资源"), ("7.1.6", "组织的知识"), ("7.2", "能力"),
    ("7.3", "意识"), ("7.4", "沟通"), ("7.5", "成文信息"), ("7.5.2", "创建和更新"), ("7.5.3", "成文信息的控制"),
    ("8", "运行"), ("8.1", "运行的策划和控制"), ("8.2", "产品和服务的要求"), ("8.2.1", "顾客沟通"),
    ("8.3", "产品和服务的设计和开发"), ("8.4", "外部提供的过程、产品和服务的控制"), ("8.5", "生产和服务提供"),
    ("8.5.1", "生产和服务提供的控制"), ("8.5.3", "顾客或外部供方的财产"), ("8.5.5", "交付后的活动"),
    ("8.6", "产品和服务的放行"), ("8.7", "不合格输出的控制"),
    ("9", "绩效评价"), ("9.1", "监视、测量、分析和评价"), ("9.1.2", "顾客满意"), ("9.1.3", "分析与评价"),
    ("9.2", "内部审核"), ("9.3", "管理评审"),
    ("10", "改进"), ("10.1", "总则"), ("10.2", "不合格和纠正措施"), ("10.3", "持续改进"),
]

TEMPLATE = "客户服务部内审检查表"
QUESTIONS = [
    ("5.2", "质量方针是否形成文件并经最高管理者批准？员工是否知晓？", "方针文件、批准记录、抽问员工（标准 1.7、1.8）"),
    ("6.2", "质量目标是否可测量，是否有落实的证据？", "目标值与实际统计、证据文件（标准 1.6）"),
    ("6.2", "是否制订年度工作计划和分阶段目标并宣传到全员？", "年度计划、阶段目标、员工确认记录（标准 1.5）"),
    ("5.3", "部门职责、岗位标准是否明确，员工是否有效履行？", "部门职责、岗位工作标准、确认记录（标准 1.1–1.3）"),
    ("7.4", "是否有例会、报告、申诉等沟通形式并保留记录？", "例会纪要、报告与申诉处理记录（标准 1.10）"),
    ("7.5.3", "文件是否编号清晰、分类合理、一分钟内可取阅？作废文件是否有标识？", "文件清单、作废登记、现场抽查（标准 2.1、2.5）"),
    ("7.5.3", "机密文件是否设借阅权限、手续完备？管理人员变动有交接记录？", "借阅登记、交接记录（标准 2.6）"),
    ("8.2.1", "客户报修、投诉是否及时受理、派单、办结并回访？", "工单记录、时限达成、回访记录"),
    ("8.4", "物业管理委托合同是否在接管前签订、有效并登记在合同清单？", "合同清单、接管记录（标准 2.10–2.14）"),
    ("9.1.2", "是否定期开展客户意见调查并分析改进？", "调查记录、满意率统计"),
    ("9.2", "是否按计划定期进行内部审核？", "年度审核方案、审核报告（标准 3.1、3.2）"),
    ("9.3", "是否每年至少一次管理评审，输入详实、输出有效、措施落实？", "评审计划、输入资料、纪要、措施跟踪（标准 1.9）"),
    ("10.2", "投诉与不合格是否采取纠正措施并验证效果？", "纠正措施记录、验证记录"),
]


def _sort_key(number):
    return ".".join(f"{int(p):03d}" for p in number.split("."))


def forwards(apps, schema_editor):
    Clause = apps.get_model("quality", "IsoClause")
    have = set(Clause.objects.values_list("number", flat=True))
    Clause.objects.bulk_create([Clause(number=n, title=t, sort_key=_sort_key(n)) for n, t in CLAUSES if n not in have])
    Template = apps.get_model("quality", "ChecklistTemplate")
    Question = apps.get_model("quality", "TemplateQuestion")
    if Template.objects.exists():
        return
    template = Template.objects.create(name=TEMPLATE, description="按《物业客户服务部岗位服务工作标准》与 ISO 9001 编制")
    clauses = {c.number: c for c in Clause.objects.all()}
    Question.objects.bulk_create([
        Question(template=template, clause=clauses[number], question=question, guidance=guidance, sort_order=i * 10)
        for i, (number, question, guidance) in enumerate(QUESTIONS, start=1)])


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
