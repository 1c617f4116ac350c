"""Phone numbers encrypted at rest (issue 10): mobile, other phone and emergency phone of a customer, in the archive
and in its change history. The last 4 digits and a keyed digest are kept beside each number for the lookup."""

from django.db import migrations

import wuye.core.personal
from wuye.core.personal import encrypt_plain_columns, phone_digest, phone_digits

PHONES = ["mobile", "phone", "emergency_phone"]


def _tail(value):
    return phone_digits(value)[-4:]


def encrypt(apps, schema_editor):
    encrypt_plain_columns(schema_editor, "estates_customer", PHONES, {
        "mobile_tail": ("mobile", _tail), "phone_tail": ("phone", _tail),
        "mobile_digest": ("mobile", phone_digest), "phone_digest": ("phone", phone_digest)})
    encrypt_plain_columns(schema_editor, "estates_historicalcustomer", PHONES, {}, pk="history_id")


def _alter(model, name, max_length, validator, verbose_name):
    return migrations.AlterField(model_name=model, name=name, field=wuye.core.personal.EncryptedTextField(
        blank=True, max_length=max_length, validators=[validator], verbose_name=verbose_name))


class Migration(migrations.Migration):
    dependencies = [
        ("estates", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="customer", name="mobile_tail"),
        migrations.RemoveField(model_name="customer", name="phone_tail"),
        *[_alter(model, *args) for model in ("customer", "historicalcustomer") for args in (
            ("mobile", 20, wuye.core.personal.validate_mobile, "mobile"),
            ("phone", 30, wuye.core.personal.validate_phone, "other phone"),
            ("emergency_phone", 30, wuye.core.personal.validate_phone, "emergency phone"))],
        migrations.AddField(
            model_name="customer", name="mobile_tail",
            field=wuye.core.personal.PhoneTailField(blank=True, db_index=True, default="", max_length=4,
                                                    source="mobile")),
        migrations.AddField(
            model_name="customer", name="phone_tail",
            field=wuye.core.personal.PhoneTailField(blank=True, db_index=True, default="", max_length=4,
                                                    source="phone")),
        migrations.AddField(
            model_name="customer", name="mobile_digest",
            field=wuye.core.personal.PhoneDigestField(blank=True, db_index=True, default="", max_length=64,
                                                      source="mobile")),
        migrations.AddField(
            model_name="customer", name="phone_digest",
            field=wuye.core.personal.PhoneDigestField(blank=True, db_index=True, default="", max_length=64,
                                                      source="phone")),
        migrations.RunPython(encrypt, migrations.RunPython.noop, elidable=False),
    ]
