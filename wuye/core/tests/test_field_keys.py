"""Encryption keys can be rotated and the digest key changed without losing a single ID number."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from wuye.core import personal
from wuye.estates.models import Customer
from wuye.estates.tests.factories import CustomerFactory


def _raw(customer):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_number_digest FROM estates_customer WHERE id = %s", [customer.pk])
        return cursor.fetchone()


@pytest.mark.django_db
def test_rotate_encryption_key_then_drop_the_old_one(settings):
    customer = CustomerFactory(id_number="11010519491231002X")
    old_token, old_digest = _raw(customer)
    old_key = settings.WUYE_FIELD_ENCRYPTION_KEYS[0]
    settings.WUYE_FIELD_ENCRYPTION_KEYS = [personal.generate_key(), old_key]
    call_command("rotate_field_keys", stdout=io.StringIO())
    new_token, new_digest = _raw(customer)
    assert new_token != old_token and new_digest == old_digest  # digests survive encryption-key rotation
    settings.WUYE_FIELD_ENCRYPTION_KEYS = settings.WUYE_FIELD_ENCRYPTION_KEYS[:1]
    assert Customer.objects.get(pk=customer.pk).id_number == "11010519491231002X"
    # the history copy was re-encrypted too
    assert customer.history.first().id_number == "11010519491231002X"


@pytest.mark.django_db
def test_changing_the_digest_key_recomputes_digests(settings):
    customer = CustomerFactory(id_number="11010519491231002X")
    settings.WUYE_FIELD_DIGEST_KEY = "another-digest-key-another-digest-key-0001"
    call_command("rotate_field_keys", stdout=io.StringIO())
    assert _raw(customer)[1] == personal.digest("11010519491231002X")
    assert Customer.objects.filter(id_number_digest=personal.digest("11010519491231002X")).get() == customer


@pytest.mark.django_db
def test_changing_the_digest_key_recomputes_phone_digests_and_the_lookup_still_finds_them(settings):
    from wuye.estates.selectors import filter_customers

    customer = CustomerFactory(mobile="13812349876", phone="0571-88886666")
    settings.WUYE_FIELD_DIGEST_KEY = "another-digest-key-another-digest-key-0002"
    assert not filter_customers(Customer.objects.all(), "13812349876").exists()  # stale digests: not found
    call_command("rotate_field_keys", stdout=io.StringIO())
    for typed in ("13812349876", "+86 138 1234 9876", "057188886666", "0571-88886666"):
        assert list(filter_customers(Customer.objects.all(), typed)) == [customer], typed
