"""The default review checklist (seed 2.12, 2.14). Idempotent: ``apps.ensure_defaults`` runs it again after every
migrate and adds a point only when the checklist is empty (the company's edits are kept)."""

from django.db import migrations

POINTS = [
    ("合同内容完整、有效，权利义务与服务标准明确", "服务内容、标准、费用、违约责任齐全，与招投标或洽谈结果一致（2.12）"),
    ("合同期限明确、合理，起止日期有效", "起止日期齐全，不与本项目其他在执行的同类合同重叠（2.12）"),
    ("签约主体与签约人合法有效", "对方主体资格（营业执照、业委会备案）与签约人授权委托书已核实（2.12）"),
    ("符合公司利益", "价格、付款条件、责任限额、解约条款不损害公司利益（2.14）"),
    ("符合法律法规要求", "符合《民法典》《物业管理条例》及地方规定（2.14）"),
]


def forwards(apps, schema_editor):
    Item = apps.get_model("contracts", "ReviewChecklistItem")
    if Item.objects.exists():
        return
    for order, (text, guidance) in enumerate(POINTS, start=1):
        Item.objects.create(text=text, guidance=guidance, sort_order=order * 10)


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
