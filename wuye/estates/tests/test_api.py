"""The estates API: scope (404), bad input (400 with Chinese field errors, nothing created), filters, no
DELETE, constant query counts."""

import pytest
from django.urls import reverse

from wuye.core.models import AuditEvent
from wuye.estates.models import Building, Customer, Occupancy, Unit
from wuye.estates.tests.factories import CustomerFactory, OccupancyFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_paths_are_the_published_ones():
    assert reverse("api:estates-estate-list") == "/api/v1/estates/"
    assert reverse("api:estates-building-list") == "/api/v1/buildings/"
    assert reverse("api:estates-unit-list") == "/api/v1/units/"
    assert reverse("api:estates-customer-list") == "/api/v1/customers/"
    assert reverse("api:estates-occupancy-list") == "/api/v1/occupancies/"
    assert reverse("api:estates-ownerscommittee-list") == "/api/v1/owners-committees/"
    assert reverse("api:estates-committeemember-list") == "/api/v1/committee-members/"


def test_agent_gets_404_for_estate_b(world, client_for):
    api = client_for("agent", api=True)
    assert api.get(reverse("api:estates-customer-detail", args=[world.customer_b.pk])).status_code == 404
    assert api.get(reverse("api:estates-unit-detail", args=[world.unit_b.pk])).status_code == 404
    ids = [row["id"] for row in api.get(reverse("api:estates-customer-list")).json()["results"]]
    assert ids == [world.customer_a.pk]


def test_customer_resource_shape(world, client_for):
    data = client_for("agent", api=True).get(reverse("api:estates-customer-detail", args=[world.customer_a.pk])).json()
    assert {"id", "url", "display", "estate", "kind", "name", "mobile", "status", "current_units"} <= set(data)
    assert data["current_units"] == [{"unit": world.unit_a.pk, "code": "3-2-1201", "role": "owner"}]
    assert data["url"].endswith(f"/api/v1/customers/{world.customer_a.pk}/")


@pytest.mark.parametrize("estate", ["unknown", "other"])
def test_unknown_or_out_of_scope_estate_is_a_400_in_chinese(world, client_for, estate):
    pk = 999999 if estate == "unknown" else world.estate_b.pk
    before = Customer.objects.count()
    response = client_for("agent", api=True).post(reverse("api:estates-customer-list"), {
        "estate": pk, "name": "赵六", "mobile": "13700001234", "kind": "owner"}, format="json")
    assert response.status_code == 400
    message = " ".join(response.json()["estate"])
    assert "无效主键" in message and "对象不存在" in message
    assert Customer.objects.count() == before


@pytest.mark.parametrize(("payload", "field", "message"), [
    ({"mobile": "123"}, "mobile", "请输入有效的手机号码"),
    ({"mobile": "13700001234", "id_number": "110105198503120001"}, "id_number", "校验位不正确"),
    ({"kind": "owner"}, "mobile", "至少需要填写一个联系电话"),
])
def test_customer_bad_input(world, client_for, payload, field, message):
    before = Customer.objects.count()
    response = client_for("agent", api=True).post(reverse("api:estates-customer-list"), {
        "estate": world.estate_a.pk, "name": "钱七", **payload}, format="json")
    assert response.status_code == 400, response.json()
    assert message in " ".join(response.json()[field])
    assert Customer.objects.count() == before


def test_create_customer_is_audited(world, client_for):
    response = client_for("agent", api=True).post(reverse("api:estates-customer-list"), {
        "estate": world.estate_a.pk, "name": "孙八", "mobile": "13700004321", "kind": "tenant"}, format="json")
    assert response.status_code == 201
    assert response.json()["mobile"] == "137****4321"
    customer = Customer.objects.get(name="孙八")
    assert AuditEvent.objects.filter(event_type="customer.create", object_id=str(customer.pk)).exists()


def test_duplicate_unit_number_in_api(world, client_for):
    before = Unit.objects.count()
    response = client_for("cs_manager", api=True).post(reverse("api:estates-unit-list"), {
        "building": world.building_a.pk, "entrance": "2", "number": "1201"}, format="json")
    assert response.status_code == 400
    assert "该楼栋已有相同房号的房屋" in " ".join(response.json()["number"])
    assert Unit.objects.count() == before


def test_occupancy_end_before_start_in_api(world, client_for):
    response = client_for("agent", api=True).post(
        reverse("api:estates-occupancy-end", args=[world.occupancy_a.pk]), {"end_date": "2019-01-01"}, format="json")
    assert response.status_code == 400
    assert "结束日期早于开始日期" in " ".join(response.json()["end_date"])
    assert Occupancy.objects.get(pk=world.occupancy_a.pk).end_date is None


def test_occupancy_of_a_unit_in_another_estate(world, client_for):
    response = client_for("cs_manager", api=True).post(reverse("api:estates-occupancy-list"), {
        "unit": world.unit_b.pk, "customer": world.customer_a.pk, "role": "tenant", "start_date": "2025-01-01"},
        format="json")
    assert response.status_code == 400
    assert "不同的管理项目" in " ".join(response.json()["unit"])


def test_no_delete(world, client_for):
    api = client_for("admin", api=True)
    assert api.delete(reverse("api:estates-customer-detail", args=[world.customer_a.pk])).status_code == 405
    assert api.delete(reverse("api:estates-estate-detail", args=[world.estate_a.pk])).status_code == 405
    assert Customer.objects.filter(pk=world.customer_a.pk).exists()


def test_filters_and_q(world, client_for):
    CustomerFactory(estate=world.estate_a, name="租客甲", kind="tenant", mobile="13700005555")
    api = client_for("agent", api=True)
    url = reverse("api:estates-customer-list")

    def names(**params):
        return sorted(row["name"] for row in api.get(url, params).json()["results"])

    assert names(kind="tenant") == ["租客甲"]
    assert names(q="5678") == ["王芳"]
    assert names(q="13700005555") == ["租客甲"]
    assert names(q="3-2-1201") == ["王芳"]
    assert names(q="租客") == ["租客甲"]
    assert names(estate=world.estate_a.pk, status="active") == ["王芳", "租客甲"]
    units = api.get(reverse("api:estates-unit-list"), {"code": "3栋2单元1201"}).json()["results"]
    assert [u["code"] for u in units] == ["3-2-1201"]


def test_archive_action(world, client_for):
    response = client_for("agent", api=True).post(
        reverse("api:estates-customer-archive", args=[world.customer_a.pk]), {"reason": "售房"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "archived"
    assert Customer.objects.get(pk=world.customer_a.pk).status == "archived"


def test_unit_create_derives_code(world, client_for):
    response = client_for("cs_manager", api=True).post(reverse("api:estates-unit-list"), {
        "building": world.building_a.pk, "entrance": "1", "floor": 8, "number": "801", "estate": world.estate_b.pk,
        "code": "x"}, format="json")
    assert response.status_code == 201
    assert response.json()["code"] == "3-1-801" and response.json()["estate"] == world.estate_a.pk
    assert Building.objects.count() == 2


def test_committee_create_requires_previous_term_ended(world, client_for):
    response = client_for("cs_manager", api=True).post(reverse("api:estates-ownerscommittee-list"), {
        "estate": world.estate_a.pk, "established_on": "2027-05-01", "term_start": "2027-05-01",
        "term_end": "2032-04-30"}, format="json")
    assert response.status_code == 400
    assert "请先结束其任期" in " ".join(response.json()["estate"])


def _grow(world, n, start):
    for i in range(start, start + n):
        unit = UnitFactory(building=world.building_a, entrance="9", number=f"{i:04d}")
        OccupancyFactory(unit=unit, customer=CustomerFactory(estate=world.estate_a, mobile=f"1370001{i:04d}"))


ENDPOINTS = ["api:estates-customer-list", "api:estates-unit-list", "api:estates-estate-list",
             "api:estates-building-list", "api:estates-occupancy-list", "api:estates-ownerscommittee-list",
             "api:estates-committeemember-list"]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_api_lists_constant_queries(world, client_for, name, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = client_for("agent", api=True)
    url = reverse(name)
    _grow(world, 2, 0)
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url).status_code == 200
    _grow(world, 15, 100)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        assert api.get(url).status_code == 200
