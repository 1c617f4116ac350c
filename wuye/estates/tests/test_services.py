"""Services of the estates app: validation with field-level Chinese messages, audit events, no deletes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from wuye.core.models import AuditEvent
from wuye.estates import services
from wuye.estates.choices import CommitteeStatus, CustomerStatus
from wuye.estates.models import Building, CommitteeMember, Customer, Occupancy, OwnersCommittee, Unit
from wuye.estates.tests.factories import CustomerFactory, EstateFactory, resident_id

pytestmark = pytest.mark.django_db


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


def test_unit_create_derives_code_and_estate(world):
    admin = world.users["admin"]
    unit = services.unit_create(actor=admin, building=world.building_a, entrance="1", floor=5, number="502")
    assert unit.code == "3-1-502"
    assert unit.estate == world.estate_a
    assert unit.created_by == admin
    assert AuditEvent.objects.filter(event_type="unit.create", object_id=str(unit.pk)).exists()


def test_unit_create_duplicate_number_is_a_field_error_in_chinese(world):
    before = Unit.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.unit_create(actor=world.users["admin"], building=world.building_a, entrance="2", number="1201")
    assert "该楼栋已有相同房号的房屋" in " ".join(_errors(exc)["number"])
    assert Unit.objects.count() == before


def test_customer_create_with_unit_starts_occupancy(world):
    agent = world.users["agent"]
    customer = services.customer_create(actor=agent, estate=world.estate_a, name=" 赵敏 ", mobile="137 0000 1111",
                                        unit=world.unit_a, occupancy_role="tenant",
                                        moved_in_on=dt.date(2025, 3, 1))
    customer.refresh_from_db()
    assert customer.name == "赵敏"
    assert customer.mobile == "13700001111"
    assert customer.mobile_tail == "1111"
    occupancy = customer.occupancies.get()
    assert occupancy.unit == world.unit_a and occupancy.role == "tenant"
    assert occupancy.start_date == dt.date(2025, 3, 1)
    assert set(AuditEvent.objects.filter(actor=agent).values_list("event_type", flat=True)) >= {
        "customer.create", "occupancy.start"}


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"mobile": "1381234567"}, "mobile", "请输入有效的手机号码"),
    ({"mobile": "13812345678", "id_number": "110105198503120001"}, "id_number", "校验位"),
    ({"kind": "owner"}, "mobile", "至少"),
])
def test_customer_create_bad_input(world, fields, field, message):
    before = Customer.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.customer_create(actor=world.users["agent"], estate=world.estate_a, name="钱多多", **fields)
    assert message in " ".join(_errors(exc)[field])
    assert Customer.objects.count() == before
    assert not AuditEvent.objects.filter(event_type="customer.create").exists()


def test_customer_create_duplicate_id_number_in_estate(world):
    number = resident_id(77)
    services.customer_create(actor=world.users["agent"], estate=world.estate_a, name="孙一", mobile="13700000001",
                             id_number=number)
    with pytest.raises(ValidationError) as exc:
        services.customer_create(actor=world.users["agent"], estate=world.estate_a, name="孙二",
                                 mobile="13700000002", id_number=number)
    assert "身份证" in " ".join(_errors(exc)["id_number"]) or "证件号码" in " ".join(_errors(exc)["id_number"])
    # another estate may have the same person
    services.customer_create(actor=world.users["admin"], estate=world.estate_b, name="孙一", mobile="13700000001",
                             id_number=number)


def test_customer_update_audits_field_names_not_values(world):
    customer = services.customer_update(actor=world.users["agent"], customer=world.customer_a, mobile="13900001234",
                                        notes="晚上联系")
    assert customer.mobile == "13900001234"
    event = AuditEvent.objects.get(event_type="customer.update")
    assert event.data["fields"] == ["mobile", "notes"]
    assert "13900001234" not in str(event.data)


def test_customer_archive_ends_occupancies_and_seats(world):
    on = dt.date(2026, 11, 1)
    customer = services.customer_archive(actor=world.users["agent"], customer=world.customer_a, on=on, reason="售房")
    assert customer.status == CustomerStatus.ARCHIVED
    assert Customer.objects.filter(pk=customer.pk).exists()  # never deleted
    assert world.occupancy_a.__class__.objects.get(pk=world.occupancy_a.pk).end_date == on
    assert CommitteeMember.objects.get(pk=world.member_a.pk).left_on == on
    assert AuditEvent.objects.filter(event_type="customer.archive", object_id=str(customer.pk)).exists()
    with pytest.raises(ValidationError):
        services.customer_archive(actor=world.users["agent"], customer=customer)
    services.customer_reactivate(actor=world.users["agent"], customer=customer)
    assert Customer.objects.get(pk=customer.pk).status == CustomerStatus.ACTIVE


def test_occupancy_end_before_start_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.occupancy_end(actor=world.users["agent"], occupancy=world.occupancy_a, end_date=dt.date(2019, 12, 31))
    assert "结束日期早于开始日期" in " ".join(_errors(exc)["end_date"])
    assert Occupancy.objects.get(pk=world.occupancy_a.pk).end_date is None


def test_occupancy_end_and_start_again(world):
    services.occupancy_end(actor=world.users["agent"], occupancy=world.occupancy_a, end_date=dt.date(2025, 6, 30))
    assert not Occupancy.objects.get(pk=world.occupancy_a.pk).is_current
    again = services.occupancy_start(actor=world.users["agent"], unit=world.unit_a, customer=world.customer_a,
                                     start_date=dt.date(2026, 1, 1), role="owner", is_primary_contact=True)
    assert again.is_current


def test_occupancy_start_refuses_duplicates_and_other_estates(world):
    with pytest.raises(ValidationError) as exc:
        services.occupancy_start(actor=world.users["agent"], unit=world.unit_a, customer=world.customer_a,
                                 start_date=dt.date(2024, 1, 1), role="owner")
    assert "unit" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.occupancy_start(actor=world.users["admin"], unit=world.unit_b, customer=world.customer_a,
                                 start_date=dt.date(2024, 1, 1))
    assert "不同的管理项目" in " ".join(_errors(exc)["unit"])


def test_committee_terms(world):
    admin = world.users["admin"]
    with pytest.raises(ValidationError) as exc:
        services.committee_create(actor=admin, estate=world.estate_a, established_on=dt.date(2027, 5, 1),
                                  term_start=dt.date(2027, 5, 1), term_end=dt.date(2032, 4, 30))
    assert "estate" in _errors(exc)
    services.committee_end(actor=admin, committee=world.committee_a, ended_on=dt.date(2027, 4, 30))
    assert OwnersCommittee.objects.get(pk=world.committee_a.pk).status == CommitteeStatus.ENDED
    assert CommitteeMember.objects.get(pk=world.member_a.pk).left_on == dt.date(2027, 4, 30)
    second = services.committee_create(actor=admin, estate=world.estate_a, established_on=dt.date(2027, 5, 1),
                                       term_start=dt.date(2027, 5, 1), term_end=dt.date(2032, 4, 30))
    assert second.term_number == 2
    member = services.committee_member_add(actor=admin, committee=second, customer=world.customer_a,
                                           position="director")
    assert member.joined_on == dt.date(2027, 5, 1)
    with pytest.raises(ValidationError) as exc:
        services.committee_member_add(actor=admin, committee=second, customer=world.customer_a, position="member")
    assert "customer" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.committee_member_add(actor=admin, committee=second, customer=world.customer_b, position="member")
    assert "customer" in _errors(exc)


def test_committee_term_must_end_after_start(world):
    estate = EstateFactory(company=world.company)
    with pytest.raises(ValidationError) as exc:
        services.committee_create(actor=world.users["admin"], estate=estate, established_on=dt.date(2025, 1, 1),
                                  term_start=dt.date(2025, 1, 1), term_end=dt.date(2024, 1, 1))
    assert "term_end" in _errors(exc)


def test_building_get_or_create(world):
    building, created = services.building_get_or_create(actor=world.users["admin"], estate=world.estate_a,
                                                        number="3")
    assert building == world.building_a and not created
    building, created = services.building_get_or_create(actor=world.users["admin"], estate=world.estate_a,
                                                        number="12")
    assert created and building.name == "12号楼"
    with pytest.raises(ValidationError):
        services.building_get_or_create(actor=world.users["agent"], estate=world.estate_a, number="13")
    assert not Building.objects.filter(number="13").exists()


@pytest.mark.parametrize(("typed", "code"), [
    ("3-2-1201", "3-2-1201"), (" 3－2－1201 ", "3-2-1201"), ("3栋2单元1201室", "3-2-1201"), ("a-1201", "A-1201"),
    ("3号楼2单元1201", "3-2-1201"),
])
def test_normalize_unit_code(typed, code):
    assert services.normalize_unit_code(typed) == code


def test_customer_factory_and_service_agree(world):
    c = CustomerFactory(estate=world.estate_a)
    c.full_clean()
