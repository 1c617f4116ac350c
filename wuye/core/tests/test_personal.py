"""Validators, masking and encryption at rest of personal data."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from wuye.core import personal
from wuye.estates.tests.factories import CustomerFactory, resident_id


@pytest.mark.parametrize("value", ["13812345678", "+8613812345678", "199 1234 5678"])
def test_valid_mobiles(value):
    personal.validate_mobile(value)


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "138123456789", "abc"])
def test_invalid_mobiles(value):
    with pytest.raises(ValidationError):
        personal.validate_mobile(value)


def test_landline_accepted_as_phone():
    personal.validate_phone("010-88886666")
    personal.validate_phone("0755-1234567")
    with pytest.raises(ValidationError):
        personal.validate_phone("88886666")


def test_resident_id_checksum():
    good = "11010519491231002X"  # the GB 11643 worked example
    personal.validate_resident_id(good)
    personal.validate_resident_id(resident_id(7))
    with pytest.raises(ValidationError) as exc:
        personal.validate_resident_id("110105194912310021")
    assert exc.value.code == "invalid_id_checksum"
    with pytest.raises(ValidationError) as exc:
        personal.validate_resident_id("110105194902300023")  # 30 February
    assert exc.value.code == "invalid_id_birthdate"


def test_masking():
    assert personal.mask("13812345678") == "138****5678"
    assert personal.mask("110105194912310021") == "110***********0021"
    assert personal.mask("") == ""


@pytest.mark.django_db
def test_id_number_is_encrypted_at_rest_and_lookup_by_digest():
    customer = CustomerFactory(id_number="11010519491231002X")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_number_digest FROM estates_customer WHERE id = %s", [customer.pk])
        raw, digest = cursor.fetchone()
        cursor.execute("SELECT id_number FROM estates_historicalcustomer WHERE id = %s", [customer.pk])
        raw_history = cursor.fetchone()[0]
    assert "11010519491231002X" not in raw and "1949" not in raw
    assert "11010519491231002X" not in raw_history
    assert digest == personal.digest("11010519491231002X")
    customer.refresh_from_db()
    assert customer.id_number == "11010519491231002X"


def test_key_rotation_decrypts_old_values(settings):
    old_key = settings.WUYE_FIELD_ENCRYPTION_KEYS[0]
    token = personal.encrypt("secret")
    settings.WUYE_FIELD_ENCRYPTION_KEYS = [personal.generate_key(), old_key]
    assert personal.decrypt(token) == "secret"


@pytest.mark.django_db
def test_a_phones_tail_and_digest_follow_it_through_save_update_fields_and_bulk_inserts():
    from wuye.core.management.bulk import insert_rows
    from wuye.core.personal import phone_digest
    from wuye.estates.models import Customer

    customer = CustomerFactory(mobile="13812340011", phone="")
    customer.mobile = "+86 139 1234 0022"
    customer.save(update_fields=["mobile"])
    row = Customer.objects.filter(pk=customer.pk).values("mobile_tail", "mobile_digest", "phone_tail").get()
    assert row == {"mobile_tail": "0022", "mobile_digest": phone_digest("13912340022"), "phone_tail": ""}
    insert_rows(Customer, ("estate", "kind", "name", "mobile", "status"),
                [(customer.estate_id, customer.kind, "批量客户", "13712340033", customer.status)])
    bulk = Customer.objects.get(name="批量客户")
    assert (bulk.mobile, bulk.mobile_tail, bulk.mobile_digest) == ("13712340033", "0033", phone_digest("13712340033"))
