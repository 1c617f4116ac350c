"""Demo data of the questionnaires (``manage.py load_demo``, before the campaigns). The default dimensions and the
built-in 物业服务满意度调查问卷 ship by data migration; here the customer-service manager (cs_manager), through the
services, adds a dimension of her own (电梯运行) and a second questionnaire, 装修服务回访问卷 (asked of households
after a renovation), published as version 1. Found by their codes: a second run adds and changes nothing."""

from __future__ import annotations

from wuye.core.demo import demo_user

from .. import services
from ..choices import QuestionKind
from ..models import Dimension, Questionnaire

__all__ = ["load"]

CODE = "renovation-followup"
SECTIONS = [
    ("一、装修管理满意度", [
        ("您对装修申请和审批的办理效率是否满意？", QuestionKind.SATISFACTION, "kefu", None, True),
        ("您对装修期间的巡查和垃圾清运是否满意？", QuestionKind.SATISFACTION, "cleaning", None, True),
        ("您对装修期间电梯的保护和运行是否满意？", QuestionKind.SATISFACTION, "elevator", None, True),
    ]),
    ("二、意见", [
        ("装修期间您遇到的主要问题（可多选）", QuestionKind.MULTIPLE, None,
         ["噪音时间", "垃圾清运", "电梯使用", "施工人员出入", "其他"], False),
        ("您向亲友推荐本物业服务的可能性有多大？", QuestionKind.RECOMMEND, None, None, True),
        ("您对装修管理还有哪些建议？", QuestionKind.TEXT, None, None, False),
    ]),
]


def load(*, stdout, style) -> list:
    manager = demo_user("cs_manager")
    added = 0
    if not Dimension.objects.filter(code="elevator").exists():
        services.dimension_create(actor=manager, code="elevator", name="电梯运行", sort_order=9)
        added += 1
    if not Questionnaire.objects.filter(code=CODE).exists():
        questionnaire = services.questionnaire_create(
            actor=manager, code=CODE, name="装修服务回访问卷", title="装修服务回访问卷",
            description="业主装修完成后的回访：装修管理各环节的满意度和建议。")
        version = questionnaire.versions.get()
        services.questionnaire_version_update(
            actor=manager, version=version,
            introduction="您好！您家的装修已经完成，请花一分钟告诉我们装修期间物业服务的情况，谢谢！")
        dimensions = {d.code: d for d in Dimension.objects.all()}
        for title, questions in SECTIONS:
            section = services.question_section_add(actor=manager, version=version, title=title)
            for text, kind, dimension, options, required in questions:
                services.question_add(actor=manager, section=section, text=text, kind=kind,
                                      dimension=dimensions.get(dimension) if dimension else None,
                                      options=options, required=required)
        services.questionnaire_version_publish(actor=manager, version=version)
        added += 1
    stdout.write(f"surveys: questionnaires ({added} added)")
    return []
