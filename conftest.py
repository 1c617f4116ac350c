"""Fixtures shared by every app: a small world of two estates and one user per role."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from django.test import Client
from rest_framework.test import APIClient

from wuye.core.roles import Role
from wuye.core.testing import s3


@dataclass
class World:
    company: object
    department: object
    post: object
    estate_a: object
    estate_b: object
    building_a: object
    building_b: object
    unit_a: object
    unit_b: object
    customer_a: object
    customer_b: object
    occupancy_a: object
    occupancy_b: object
    committee_a: object
    committee_b: object
    member_a: object
    member_b: object
    users: dict
    staff: dict


def build_world() -> World:
    from wuye.estates.tests.factories import (
        BuildingFactory,
        CommitteeMemberFactory,
        CustomerFactory,
        EstateFactory,
        OccupancyFactory,
        OwnersCommitteeFactory,
        UnitFactory,
    )
    from wuye.org.tests.factories import (
        CompanyFactory,
        DepartmentFactory,
        PostFactory,
        StaffFactory,
        UserFactory,
    )

    company = CompanyFactory()
    department = DepartmentFactory(company=company, name="客户服务部", code="cs")
    post = PostFactory(department=department, name="客服专员", code="agent")
    estate_a = EstateFactory(company=company, name="丽景园", code="ljy")
    estate_b = EstateFactory(company=company, name="翠湖苑", code="chy")
    building_a = BuildingFactory(estate=estate_a, number="3")
    building_b = BuildingFactory(estate=estate_b, number="5")
    unit_a = UnitFactory(building=building_a, entrance="2", number="1201")
    unit_b = UnitFactory(building=building_b, entrance="1", number="0801")
    customer_a = CustomerFactory(estate=estate_a, name="王芳", mobile="13812345678")
    customer_b = CustomerFactory(estate=estate_b, name="李强", mobile="13987654321")
    occupancy_a = OccupancyFactory(unit=unit_a, customer=customer_a)
    occupancy_b = OccupancyFactory(unit=unit_b, customer=customer_b)
    committee_a = OwnersCommitteeFactory(estate=estate_a)
    committee_b = OwnersCommitteeFactory(estate=estate_b)
    member_a = CommitteeMemberFactory(committee=committee_a, customer=customer_a)
    member_b = CommitteeMemberFactory(committee=committee_b, customer=customer_b)
    users, staff = {}, {}
    for role in Role:
        user = UserFactory(username=f"t_{role.value}", roles=[role])
        users[role.value] = user
        if role == Role.RESIDENT:
            customer_a.user = user
            customer_a.save()
        else:
            staff[role.value] = StaffFactory(user=user, post=post, estates=[estate_a])
    return World(company, department, post, estate_a, estate_b, building_a, building_b, unit_a, unit_b,
                 customer_a, customer_b, occupancy_a, occupancy_b, committee_a, committee_b, member_a, member_b,
                 users, staff)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(world):
    """``client_for("agent")`` -> a logged-in test client; ``api=True`` gives DRF's APIClient."""

    def make(role: str | None, api: bool = False):
        client = APIClient() if api else Client()
        if role is not None:
            client.force_login(world.users[str(role)])
        return client

    return make


@pytest.fixture(autouse=True)
def _language_zh(settings):
    settings.LANGUAGE_CODE = "zh-hans"


# --- DJANGO_STORAGE=s3: the same tests against a real S3-compatible server (.ci/run starts Ceph's RADOS Gateway,
# scripts/ci_s3.sh, and runs the modules that store files this way: `make test-s3`). Each test gets a folder of
# its own in the bucket (the storage's `location`), as a test with a temporary MEDIA_ROOT gets an empty folder.


@pytest.fixture(scope="session", autouse=True)
def _s3_bucket():
    return s3.create_bucket() if s3.S3_TESTS else None


@pytest.fixture(autouse=True)
def _s3_folder(request):
    if not s3.S3_TESTS:
        yield None
        return
    settings = request.getfixturevalue("settings")
    default = settings.STORAGES["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage", default
    folder = f"tests/{uuid.uuid4().hex}"
    settings.STORAGES = {**settings.STORAGES, "default": {**default, "OPTIONS": {**default["OPTIONS"],
                                                                                "location": folder}}}
    yield folder
    s3.delete_folder(folder)
