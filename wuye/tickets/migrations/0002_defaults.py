"""Ship the default category tree, the common-practice time limits and the ticket settings row.

Category names are company data (in Chinese, editable by the manager), not interface text.
"""

from django.db import migrations

CATEGORIES = [
    ("工程维修", ["水电", "电梯", "门窗", "公共设施", "房屋渗漏", "其他维修"]),
    ("秩序维护", []),
    ("环境卫生", []),
    ("绿化", []),
    ("停车", []),
    ("收费", []),
    ("服务态度", []),
    ("邻里纠纷", []),
    ("装修管理", []),
    ("其他", []),
]

# (kind, priority): response, on site, resolution as (value, unit); callback for every ticket
LEVELS = {
    ("repair", "urgent"): ((15, "minutes"), (30, "minutes"), (24, "hours"), False),
    ("repair", "normal"): ((2, "hours"), (24, "hours"), (3, "working_days"), False),
    ("complaint", "urgent"): ((2, "hours"), (None, "hours"), (24, "hours"), True),
    ("complaint", "normal"): ((48, "hours"), (None, "hours"), (7, "working_days"), True),
    ("consultation", "urgent"): ((2, "hours"), (None, "hours"), (24, "hours"), False),
    ("consultation", "normal"): ((24, "hours"), (None, "hours"), (24, "hours"), False),
    ("suggestion", "urgent"): ((24, "hours"), (None, "hours"), (3, "working_days"), False),
    ("suggestion", "normal"): ((48, "hours"), (None, "hours"), (7, "working_days"), False),
    ("praise", "urgent"): ((24, "hours"), (None, "hours"), (None, "hours"), False),
    ("praise", "normal"): ((48, "hours"), (None, "hours"), (None, "hours"), False),
}


def forwards(apps, schema_editor):
    Category = apps.get_model("tickets", "TicketCategory")
    ServiceLevel = apps.get_model("tickets", "ServiceLevel")
    Settings = apps.get_model("tickets", "TicketSettings")
    for order, (name, children) in enumerate(CATEGORIES, start=1):
        parent, _ = Category.objects.get_or_create(path=name, defaults={"name": name, "sort_order": order * 10})
        for child_order, child in enumerate(children, start=1):
            Category.objects.get_or_create(path=f"{name}/{child}", defaults={
                "name": child, "parent": parent, "sort_order": child_order * 10})
    for (kind, priority), (response, onsite, resolution, callback) in LEVELS.items():
        ServiceLevel.objects.get_or_create(kind=kind, priority=priority, defaults={
            "response_value": response[0], "response_unit": response[1],
            "onsite_value": onsite[0], "onsite_unit": onsite[1],
            "resolution_value": resolution[0], "resolution_unit": resolution[1],
            "callback_required": callback,
        })
    if not Settings.objects.exists():
        Settings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
