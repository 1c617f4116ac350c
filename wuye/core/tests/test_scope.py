"""restrict(user, action): permission first, then the data scope; residents see only their own."""

import pytest

from wuye.core.querysets import restrict
from wuye.core.scope import user_scope
from wuye.estates.models import Customer, Estate, Occupancy, Unit
from wuye.org.models import Department


@pytest.mark.django_db
def test_agent_sees_only_served_estates(world):
    agent = world.users["agent"]
    assert set(Customer.objects.restrict(agent)) == {world.customer_a}
    assert set(Estate.objects.restrict(agent)) == {world.estate_a}
    assert set(Occupancy.objects.restrict(agent)) == {world.occupancy_a}
    assert user_scope(agent).estate_ids == frozenset({world.estate_a.pk})


@pytest.mark.django_db
def test_manager_sees_every_estate(world):
    manager = world.users["cs_manager"]
    assert set(Customer.objects.restrict(manager)) == {world.customer_a, world.customer_b}


@pytest.mark.django_db
def test_without_permission_nothing(world):
    auditor = world.users["quality_auditor"]
    assert Customer.objects.restrict(auditor, "change").count() == 0
    assert Customer.objects.restrict(auditor, "view").count() == 2


@pytest.mark.django_db
def test_resident_sees_own_record_units_and_estate_only(world):
    resident = world.users["resident"]
    assert list(Customer.objects.restrict(resident)) == [world.customer_a]
    assert list(Unit.objects.restrict(resident)) == [world.unit_a]
    assert list(Estate.objects.restrict(resident)) == [world.estate_a]
    assert Department.objects.restrict(resident).count() == 0


@pytest.mark.django_db
def test_resident_loses_sight_of_a_unit_when_the_occupancy_ends(world):
    import datetime as dt

    world.occupancy_a.end_date = dt.date(2021, 1, 1)
    world.occupancy_a.save()
    resident = world.users["resident"]
    assert Unit.objects.restrict(resident).count() == 0
    assert list(Customer.objects.restrict(resident)) == [world.customer_a]  # still their own record


@pytest.mark.django_db
def test_inactive_and_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    agent = world.users["agent"]
    agent.is_active = False
    assert restrict(Customer.objects.all(), agent).count() == 0
    assert restrict(Customer.objects.all(), AnonymousUser()).count() == 0


@pytest.mark.django_db
def test_staff_who_left_serve_no_estate(world):
    import datetime as dt

    from wuye.core.scope import forget
    from wuye.org.services import staff_leave

    staff = world.staff["agent"]
    staff.joined_on = dt.date(2020, 1, 1)
    staff.save()
    staff_leave(actor=world.users["admin"], staff=staff, left_on=dt.date(2026, 11, 1))
    agent = type(world.users["agent"]).objects.get(pk=world.users["agent"].pk)
    forget(agent)
    assert Customer.objects.restrict(agent).count() == 0
