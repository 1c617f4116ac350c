"""A ticket's contact phone encrypted at rest (issue 10), in the ticket and its change history. The tail column
goes: ticket search finds a phone tail through the search index."""


from django.db import migrations

import wuye.core.personal
from wuye.core.personal import encrypt_plain_columns


def encrypt(apps, schema_editor):
    encrypt_plain_columns(schema_editor, "tickets_ticket", ["contact_phone"], {})
    encrypt_plain_columns(schema_editor, "tickets_historicalticket", ["contact_phone"], {}, pk="history_id")


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0006_stats_index'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='ticket',
            name='contact_phone_tail',
        ),
        migrations.AlterField(
            model_name='historicalticket',
            name='contact_phone',
            field=wuye.core.personal.EncryptedTextField(blank=True, max_length=30, validators=[wuye.core.personal.validate_phone], verbose_name='contact phone'),
        ),
        migrations.AlterField(
            model_name='ticket',
            name='contact_phone',
            field=wuye.core.personal.EncryptedTextField(blank=True, max_length=30, validators=[wuye.core.personal.validate_phone], verbose_name='contact phone'),
        ),
        migrations.RunPython(encrypt, migrations.RunPython.noop, elidable=False),
    ]
