"""The seed's classification tree (质量手册 … 物业档案) with numbering prefixes, and the archives' required
document types. Idempotent: ``apps.ensure_defaults`` runs it again after every migrate and fills only what is
missing (names and numbering the document controller changed are kept)."""

from django.db import migrations

# (name, prefix, default confidentiality, retention years or None, archive type, children [(name, prefix)])
TREE = [
    ("质量手册", "QM", "internal", None, "", []),
    ("程序文件", "QP", "internal", None, "", []),
    ("作业指导书", "WI", "internal", None, "", []),
    ("表单与记录", "QR", "internal", 3, "", []),
    ("外来文件", "EF", "internal", None, "", []),
    ("合同", "HT", "secret", 10, "", []),
    ("客户档案", "KH", "internal", None, "customer", [("入伙资料", "KH-RH"), ("身份证明", "KH-SF"),
                                                  ("收楼资料", "KH-SL")]),
    ("工程档案", "GC", "internal", None, "engineering", [("竣工图纸", "GC-TZ"), ("设备资料", "GC-SB"),
                                                     ("验收资料", "GC-YS")]),
    ("物业档案", "WY", "internal", None, "property", [("承接查验资料", "WY-CJ"), ("管理规约", "WY-GY"),
                                                  ("业主名册", "WY-MC")]),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("documents", "DocumentCategory")
    Requirement = apps.get_model("documents", "ArchiveRequirement")
    for order, (name, prefix, confidentiality, years, archive, children) in enumerate(TREE, start=1):
        parent = Category.objects.filter(path=name).first()
        if parent is None:
            parent = Category.objects.create(name=name, path=name, prefix=prefix, sort_order=order * 10,
                                             default_confidentiality=confidentiality, retention_years=years,
                                             archive_type=archive)
        for child_order, (child, child_prefix) in enumerate(children, start=1):
            path = f"{name}/{child}"
            node = Category.objects.filter(path=path).first()
            if node is None:
                node = Category.objects.create(name=child, parent=parent, path=path, prefix=child_prefix,
                                               sort_order=child_order * 10, default_confidentiality=confidentiality,
                                               retention_years=years, archive_type=archive)
            if archive and not Requirement.objects.filter(archive_type=archive, category=node).exists():
                Requirement.objects.create(archive_type=archive, category=node, sort_order=child_order * 10)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
