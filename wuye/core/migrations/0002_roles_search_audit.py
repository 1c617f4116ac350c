"""Roles as groups; the full-text search schema; audit events cannot be updated, even in SQL."""

from django.db import migrations

from wuye.core import search

ROLES = ["agent", "cs_manager", "document_controller", "quality_auditor", "executive", "resident", "admin"]

AUDIT_NO_UPDATE = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION core_auditevent_no_update() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
        "FOR EACH ROW EXECUTE FUNCTION core_auditevent_no_update()",
    ],
}
AUDIT_NO_UPDATE_REVERSE = {
    "sqlite": ["DROP TRIGGER IF EXISTS core_auditevent_no_update"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent",
        "DROP FUNCTION IF EXISTS core_auditevent_no_update()",
    ],
}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.using(schema_editor.connection.alias).get_or_create(name=name)


def audit_forward(apps, schema_editor):
    for sql in AUDIT_NO_UPDATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def audit_reverse(apps, schema_editor):
    for sql in AUDIT_NO_UPDATE_REVERSE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(search.create_schema, search.drop_schema),
        migrations.RunPython(audit_forward, audit_reverse),
    ]
