"""The two built-in appraisal forms of the customer's standard (客户服务人员工作绩效测评标准 and 客户服务部经理
绩效测评标准, ``docs/standard/standard.zh-Hans.txt``): every section and item exactly as written there (the text
keeps the standard's own punctuation, ASCII commas included), equal section weights, the default 5-level scale and
grade bands, version 1 in use. No posts: the company assigns them.

Idempotent: a form whose code exists is left alone (``apps.ensure_defaults`` runs this again after every migrate
and after a test database flush). ``tests/test_forms_standard.py`` compares these forms with the file item by item.
"""

from django.db import migrations
from django.utils import timezone

SCALE = [
    {"value": 5, "label": "优秀"}, {"value": 4, "label": "良好"}, {"value": 3, "label": "合格"},
    {"value": 2, "label": "待改进"}, {"value": 1, "label": "不合格"},
]
BANDS = [
    {"min": 4.5, "grade": "优秀"}, {"min": 3.5, "grade": "良好"}, {"min": 2.5, "grade": "合格"},
    {"min": 1.5, "grade": "待改进"}, {"min": 0, "grade": "不合格"},
]

FORMS = [
    {
        "code": "cs-staff",
        "name": "客户服务人员工作绩效测评标准",
        "title": "客户服务人员工作绩效测评标准",
        "sections": [
            ("受命准备", [
                "正确掌握客户服务的内容,并制定相应的工作计划。",
                "正确安排客户咨询的工作步骤,快速准备工作。",
                "迅速、恰当地处理客户服务中遇到的困难,以客户为工作的中心。",
                "正确理解工作会议精神与目的,为达到工作目的有效地运用各种方法。",
                "当接到客户服务请求任务后,能很快的分析其整体情况与结构,制定切实可行的计划。",
                "能在进行客户服务之前拟定阶段性进展报告,联络、协商重点。",
                "著重考虑达到客户服务目标的手段、方法,然后再行动。",
                "进行客户服务前检查和确认工作内容和方法是否对路。",
                "保持良好的态度并积极为客户服务。",
                "注意自身形象并在与客户沟通时维护公司和产品形象。",
            ]),
            ("业务活动", [
                "建立客户服务系统。",
                "制定并实施客户服务政策及规范。",
                "建立完善服务项目和方法。",
                "持续提高服务质量。",
                "倾听客户对公司的产品意见并反馈到高层。",
                "跟踪、分析、总结不合格产品,并进行纠正活动。",
            ]),
            ("成果", [
                "采购工作成果、成效达到预期的目的或计划要求。",
                "及时整理采购工作中的心得体会,为以后工作创造良好条件。",
                "采购工作总结报告及时、准确、真实。",
                "通过工作,大大提高了采购熟练度和技能。",
                "确定出合理的谈判价格、付款方式、交货日期。",
                "处理好退货及索赔案件。",
            ]),
        ],
    },
    {
        "code": "cs-manager",
        "name": "客户服务部经理绩效测评标准",
        "title": "客户服务部经理绩效测评标准",
        "sections": [
            ("业务工作", [
                "定期对客户进行调查,了解客户意见。",
                "紧急处理客户投诉,做到让客户满意。",
                "编制客户投诉案件统计表和客户投诉案件登记追踪表。",
                "建立客户投诉案件资料。",
                "合理调配内部人员,形成一个科学的有层次的人员结构。",
                "制定部门员工教育、培训计划,培养、训练管理人员,为企业发展储备人才。",
                "编制部门年度预算计划,并督促有效的执行。",
            ]),
            ("管理监督", [
                "追踪投诉案件的处理。",
                "监督客户意见调查实施。",
                "用人上发挥个人所长,调动各类人员的积极性,形成集体合力。",
                "有效地进行团队管理工作,共同有效地完成各项任务。",
                "监督管理部门内各项管理制度、细则、计划等的执行。",
                "主持制定、完善管理制度,严格奖惩措施,并监督执行。",
                "善于放手让下属去工作,鼓励他们相互协作的精神。",
                "正确授予下属与其所承担的工作任务相应的责任与权力。",
                "正确教育下属,使其能在规定时间内高效率的工作。",
            ]),
            ("指导协调", [
                "正确协调企业与客户的利益关系,做到企业不亏,客户满意。",
                "协调流通与配送工作,使客户能快速满意得到所需商品。",
                "提高服务速度,建立客户对服务的信赖。",
                "保证客户意见和信息渠道流畅,以便更好的为客户服务和上级了解客户服务信息。",
                "以组织一员的身份与上级、下属和同事及其他有关人员建立协调、和谐的工作环境。",
                "正确、及时使用物质刺激和精神鼓励两种手段,调动部下的工作积极性。",
                "客观的考核下属各方面的工作能力、工作绩效。",
                "积极训练、教育下属,提高他们的工作技能和素质。",
                "教育下属了解企业各方面的政策和规章。",
                "及时指出下属工作中的失误,并提出正确的改正方案。",
                "致力维持良好的内外部人际关系,使工作顺利进行。",
            ]),
            ("审查报告", [
                "提出客户服务计划性报告。",
                "提出客户需求意见报告。",
                "审查客户服务工作报告。",
                "审核客户服务意外事故报告。",
                "审核部门服务经费控制报告。",
                "审查客户服务档案文件编制报告。",
                "工作总结报告及时、准确、真实。",
                "细心听取有关人员关于工作情况的报告,并予以相应的指示。",
                "审核工作成绩是否达到预期目标或计划的要求。",
                "审查下属是否正确认识工作的意义,是否努力取得最佳业绩。",
            ]),
        ],
    },
]


def forwards(apps, schema_editor):
    try:
        AppraisalForm = apps.get_model("appraisals", "AppraisalForm")
        FormVersion = apps.get_model("appraisals", "FormVersion")
        FormSection = apps.get_model("appraisals", "FormSection")
        FormItem = apps.get_model("appraisals", "FormItem")
    except LookupError:  # migrated back before this app's tables
        return
    now = timezone.now()
    for spec in FORMS:
        if AppraisalForm.objects.filter(code=spec["code"]).exists():
            continue
        form = AppraisalForm.objects.create(code=spec["code"], name=spec["name"], is_builtin=True)
        version = FormVersion.objects.create(form=form, number=1, status="active", title=spec["title"],
                                             scale=[dict(level) for level in SCALE],
                                             bands=[dict(band) for band in BANDS],
                                             published_at=now)
        for order, (title, items) in enumerate(spec["sections"], start=1):
            section = FormSection.objects.create(version=version, title=title, weight=1, sort_order=order)
            FormItem.objects.bulk_create([FormItem(section=section, number=number, text=text)
                                          for number, text in enumerate(items, start=1)])


class Migration(migrations.Migration):
    dependencies = [("appraisals", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
