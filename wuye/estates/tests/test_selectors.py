"""The quick lookup for a phone call: full number, last 4 digits, unit number, name; always in scope."""

import datetime as dt

import pytest

from wuye.estates import selectors, services
from wuye.estates.tests.factories import CustomerFactory, OccupancyFactory, UnitFactory

pytestmark = pytest.mark.django_db


def names(result):
    return sorted(c.name for c in result.customers)


@pytest.mark.parametrize(("typed", "kind"), [
    ("13812345678", selectors.PHONE), ("+86 138 1234 5678", selectors.PHONE), ("010-88886666", selectors.PHONE),
    ("5678", selectors.TAIL), ("3-2-1201", selectors.UNIT), ("3栋2单元1201", selectors.UNIT),
    ("12-3-1201", selectors.UNIT), ("A-1201", selectors.UNIT), ("王芳", selectors.NAME), ("王", selectors.NAME),
    ("wang", selectors.NAME), ("", None),
])
def test_classify(typed, kind):
    assert selectors.classify(typed)[0] == kind


def test_lookup_by_full_mobile(world):
    result = selectors.customer_lookup(user=world.users["agent"], q="138 1234 5678")
    assert result.kind == selectors.PHONE
    assert result.single == world.customer_a


def test_lookup_by_other_phone_with_or_without_dash(world):
    customer = CustomerFactory(estate=world.estate_a, name="周到", mobile="", phone="0571-87651234")
    for typed in ("0571-87651234", "057187651234"):
        assert selectors.customer_lookup(user=world.users["agent"], q=typed).single == customer


def test_lookup_by_tail_uses_mobile_and_phone(world):
    other = CustomerFactory(estate=world.estate_a, name="吴用", mobile="13600000000", phone="010-66665678")
    result = selectors.customer_lookup(user=world.users["agent"], q="5678")
    assert result.kind == selectors.TAIL
    assert names(result) == sorted(["王芳", other.name])
    assert result.single is None


def test_lookup_by_unit_code_finds_current_occupants_only(world):
    family = CustomerFactory(estate=world.estate_a, name="王小明", mobile="13700009999")
    OccupancyFactory(unit=world.unit_a, customer=family, role="family")
    former = CustomerFactory(estate=world.estate_a, name="前业主", mobile="13700008888")
    OccupancyFactory(unit=world.unit_a, customer=former, start_date=dt.date(2010, 1, 1),
                     end_date=dt.date(2019, 12, 31))
    result = selectors.customer_lookup(user=world.users["agent"], q="3栋2单元1201室")
    assert result.kind == selectors.UNIT
    assert names(result) == ["王小明", "王芳"]


def test_lookup_by_name_through_the_search_index(world):
    CustomerFactory(estate=world.estate_a, name="欧阳芳华", mobile="13700007777")
    assert names(selectors.customer_lookup(user=world.users["agent"], q="王芳")) == ["王芳"]
    assert names(selectors.customer_lookup(user=world.users["agent"], q="芳华")) == ["欧阳芳华"]
    assert names(selectors.customer_lookup(user=world.users["agent"], q="王")) == ["王芳"]  # one character: prefix
    assert selectors.customer_lookup(user=world.users["agent"], q="张三丰").customers == []


def test_lookup_name_does_not_scan_with_like(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        selectors.customer_lookup(user=world.users["agent"], q="王芳")
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "LIKE" not in sql.upper()


def test_agent_of_a_never_finds_b(world):
    agent = world.users["agent"]
    for typed in ("13987654321", "4321", "5-1-0801", "李强", "李"):
        assert selectors.customer_lookup(user=agent, q=typed).customers == [], typed
    manager = world.users["cs_manager"]  # sees every estate
    assert selectors.customer_lookup(user=manager, q="4321").single == world.customer_b


def test_same_unit_code_in_two_estates_is_scoped(world):
    unit = UnitFactory(building=world.building_b, entrance="2", number="1201")
    b_owner = CustomerFactory(estate=world.estate_b, name="赵六", mobile="13500001111")
    OccupancyFactory(unit=unit, customer=b_owner)
    assert selectors.customer_lookup(user=world.users["agent"], q="3-2-1201").customers == [world.customer_a]


def test_archived_customers_come_last_and_limit(world):
    for i in range(5):
        CustomerFactory(estate=world.estate_a, name=f"王{i}", mobile=f"1370000{i:04d}")
    services.customer_archive(actor=world.users["agent"], customer=world.customer_a)
    result = selectors.customer_lookup(user=world.users["agent"], q="王", limit=3)
    assert result.truncated and len(result.customers) == 3
    result = selectors.customer_lookup(user=world.users["agent"], q="王")
    assert result.customers[-1] == world.customer_a


def test_resident_finds_only_themselves(world):
    assert selectors.customer_lookup(user=world.users["resident"], q="5678").single == world.customer_a
    assert selectors.customer_lookup(user=world.users["resident"], q="4321").customers == []


def test_customer_overview(world):
    services.occupancy_end(actor=world.users["agent"], occupancy=world.occupancy_a, end_date=dt.date(2024, 12, 31))
    unit = UnitFactory(building=world.building_a, entrance="1", number="0301")
    services.occupancy_start(actor=world.users["agent"], unit=unit, customer=world.customer_a,
                             start_date=dt.date(2025, 1, 1))
    partner = CustomerFactory(estate=world.estate_a, name="李娜", mobile="13700006666")
    OccupancyFactory(unit=unit, customer=partner, role="family")
    overview = selectors.customer_overview(user=world.users["agent"], customer=world.customer_a)
    assert [o.unit for o in overview["current_occupancies"]] == [unit]
    assert [o.unit for o in overview["past_occupancies"]] == [world.unit_a]
    assert [m.committee for m in overview["committee_seats"]] == [world.committee_a]
    assert [o.customer for o in overview["co_occupants"]] == [partner]


def test_estate_figures(world):
    figures = selectors.estate_figures(user=world.users["agent"], estate=world.estate_a)
    assert figures == {"buildings": 1, "units": 1, "occupied_units": 1, "customers": 1, "archived_customers": 0}
