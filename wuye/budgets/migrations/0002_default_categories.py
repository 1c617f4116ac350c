"""The default budget categories (办公费, 培训费 …). Idempotent: ``apps.ensure_defaults`` runs it again after every
migrate and adds only the codes that are missing (the company's renames and deactivations are kept)."""

from django.db import migrations

CATEGORIES = [
    ("office", "办公费", 10),
    ("training", "培训费", 20),
    ("telecom", "通讯费", 30),
    ("transport", "交通费", 40),
    ("hospitality", "业务招待费", 50),
    ("materials", "维修材料费", 60),
    ("publicity", "宣传费", 70),
    ("other", "其他", 80),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("budgets", "BudgetCategory")
    taken = set(Category.objects.values_list("code", flat=True))
    names = set(Category.objects.values_list("name", flat=True))
    for code, name, order in CATEGORIES:
        if code not in taken and name not in names:
            Category.objects.create(code=code, name=name, sort_order=order)


class Migration(migrations.Migration):
    dependencies = [("budgets", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
