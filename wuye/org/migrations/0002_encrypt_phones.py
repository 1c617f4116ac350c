"""A staff member's mobile number encrypted at rest (issue 10), in the register and its change history."""


from django.db import migrations

import wuye.core.personal
from wuye.core.personal import encrypt_plain_columns


def encrypt(apps, schema_editor):
    encrypt_plain_columns(schema_editor, "org_staff", ["mobile"], {})
    encrypt_plain_columns(schema_editor, "org_historicalstaff", ["mobile"], {}, pk="history_id")


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalstaff',
            name='mobile',
            field=wuye.core.personal.EncryptedTextField(blank=True, max_length=20, validators=[wuye.core.personal.validate_mobile], verbose_name='mobile'),
        ),
        migrations.AlterField(
            model_name='staff',
            name='mobile',
            field=wuye.core.personal.EncryptedTextField(blank=True, max_length=20, validators=[wuye.core.personal.validate_mobile], verbose_name='mobile'),
        ),
        migrations.RunPython(encrypt, migrations.RunPython.noop, elidable=False),
    ]
