"""The defaults that ship with the product: the service dimensions (总体满意度 first, then 客服, 工程维修, 秩序维护,
环境卫生, 绿化, 收费, 停车管理) and the built-in property-satisfaction questionnaire (物业服务满意度调查问卷), version 1
in use: 一、服务满意度 (the overall question, then one satisfaction question per service dimension), 二、服务评价 (a
single and a multiple choice), 三、推荐与建议 (the recommendation score and free text).

Idempotent: a dimension whose code (or name) exists and a questionnaire whose code exists are left alone
(``SurveysConfig.ensure_defaults`` runs ``forwards`` again after every migrate and after a test database flush).
"""

from django.db import migrations
from django.utils import timezone

# (code, name) in the order they are shown; "overall" first.
DIMENSIONS = [
    ("overall", "总体满意度"),
    ("kefu", "客服"),
    ("repair", "工程维修"),
    ("security", "秩序维护"),
    ("cleaning", "环境卫生"),
    ("greening", "绿化"),
    ("charges", "收费"),
    ("parking", "停车管理"),
]

SATISFACTION_QUESTIONS = [
    ("overall", "总体而言，您对本小区物业服务是否满意？"),
    ("kefu", "您对客服中心的服务态度和办事效率是否满意？"),
    ("repair", "您对报修的响应速度和维修质量是否满意？"),
    ("security", "您对小区门岗、巡逻和安全防范是否满意？"),
    ("cleaning", "您对公共区域的清洁卫生和垃圾清运是否满意？"),
    ("greening", "您对小区绿化的养护是否满意？"),
    ("charges", "您对物业收费的合理性和公开透明是否满意？"),
    ("parking", "您对小区停车管理和车辆秩序是否满意？"),
]

BUILTIN_CODE = "property-satisfaction"
BUILTIN_NAME = "物业服务满意度调查问卷"
INTRODUCTION = ("尊敬的业主：您好！为了解您对我们物业服务的意见，不断改进服务质量，特开展本次满意度调查。"
                "问卷约需3分钟，请根据您的真实感受作答。感谢您的支持！")
CONTACT_OPTIONS = ["电话", "前台", "业主端", "微信群"]


def forwards(apps, schema_editor):
    try:
        Dimension = apps.get_model("surveys", "Dimension")
        Questionnaire = apps.get_model("surveys", "Questionnaire")
        QuestionnaireVersion = apps.get_model("surveys", "QuestionnaireVersion")
        QuestionSection = apps.get_model("surveys", "QuestionSection")
        Question = apps.get_model("surveys", "Question")
    except LookupError:  # migrated back before this app's tables
        return
    for order, (code, name) in enumerate(DIMENSIONS, start=1):
        if not Dimension.objects.filter(code=code).exists() and not Dimension.objects.filter(name=name).exists():
            Dimension.objects.create(code=code, name=name, sort_order=order)
    if Questionnaire.objects.filter(code=BUILTIN_CODE).exists():
        return
    dimensions = {d.code: d for d in Dimension.objects.filter(code__in=[code for code, _name in DIMENSIONS])}
    if len(dimensions) != len(DIMENSIONS):  # a name taken by another code: leave the questionnaire to the company
        return
    questionnaire = Questionnaire.objects.create(
        code=BUILTIN_CODE, name=BUILTIN_NAME, is_builtin=True,
        description="产品自带的物业服务满意度调查问卷：总体满意度及各项服务满意度、联系方式、改进方面、推荐度和意见建议。")
    version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, status="active",
                                                  title=BUILTIN_NAME, introduction=INTRODUCTION,
                                                  published_at=timezone.now())
    first = QuestionSection.objects.create(version=version, title="一、服务满意度", sort_order=1)
    Question.objects.bulk_create([
        Question(section=first, sort_order=order, text=text, kind="satisfaction", dimension=dimensions[code],
                 required=True, options=[])
        for order, (code, text) in enumerate(SATISFACTION_QUESTIONS, start=1)])
    second = QuestionSection.objects.create(version=version, title="二、服务评价", sort_order=2)
    Question.objects.bulk_create([
        Question(section=second, sort_order=1, text="您最常通过哪种方式联系物业？", kind="single", required=True,
                 options=list(CONTACT_OPTIONS)),
        Question(section=second, sort_order=2, text="您认为最需要改进的方面（可多选）", kind="multiple",
                 required=False, options=[name for code, name in DIMENSIONS if code != "overall"]),
    ])
    third = QuestionSection.objects.create(version=version, title="三、推荐与建议", sort_order=3)
    Question.objects.bulk_create([
        Question(section=third, sort_order=1, text="您向亲友推荐本物业服务的可能性有多大？", kind="recommend",
                 required=True, options=[]),
        Question(section=third, sort_order=2, text="您对物业服务还有哪些意见和建议？", kind="text", required=False,
                 options=[]),
    ])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
