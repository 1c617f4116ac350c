"""Pages of the estates app: the 360° customer page, the quick lookup, forms with bad input, history, lists."""

import datetime as dt

import pytest
from django.template import Template
from django.urls import reverse

from wuye.estates.models import Customer, Occupancy, Unit
from wuye.estates.panels import register_customer_panel, unregister_customer_panel
from wuye.estates.tests.factories import CustomerFactory, OccupancyFactory, UnitFactory

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


# --- the customer page ------------------------------------------------------------------------------------------


def test_customer_page_is_a_360_view(world, client_for):
    services_unit = UnitFactory(building=world.building_a, entrance="1", number="0101")
    OccupancyFactory(unit=services_unit, customer=world.customer_a, start_date=dt.date(2010, 1, 1),
                     end_date=dt.date(2015, 1, 1))
    page = html(client_for("agent").get(reverse("estates:customer", args=[world.customer_a.pk])))
    assert "王芳" in page and "业主" in page
    assert "当前房屋" in page and "3-2-1201" in page
    assert "入住历史" in page and "3-1-0101" in page
    assert "业委会任职" in page and "第1届业主委员会" in page
    assert "变更历史" in page


def test_customer_page_shows_registered_panels(world, client_for):
    def panel(request, customer):
        return {"title": "工单", "template": Template('<div class="panel-from-another-app">{{ panel.count }}</div>'),
                "order": 1, "count": 2}

    def hidden(request, customer):
        return None

    register_customer_panel(panel)
    register_customer_panel(hidden)
    try:
        page = html(client_for("agent").get(reverse("estates:customer", args=[world.customer_a.pk])))
    finally:
        unregister_customer_panel(panel)
        unregister_customer_panel(hidden)
    assert "工单" in page and "panel-from-another-app" in page


# --- the quick lookup --------------------------------------------------------------------------------------------


def test_lookup_enter_with_one_match_opens_the_customer(world, client_for):
    response = client_for("agent").get(reverse("estates:lookup"), {"q": "5678"})
    assert response.status_code == 302
    assert response["Location"] == world.customer_a.get_absolute_url()


def test_lookup_as_you_type_answers_the_list(world, client_for):
    response = client_for("agent").get(reverse("estates:lookup"), {"q": "5678"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in html(response)
    assert "王芳" in html(response) and "138****5678" in html(response)
    assert "13812345678" not in html(response)


def test_lookup_with_several_matches_lists_them(world, client_for):
    CustomerFactory(estate=world.estate_a, name="王强", mobile="13911115678")
    response = client_for("agent").get(reverse("estates:lookup"), {"q": "5678"})
    assert response.status_code == 200
    assert "王芳" in html(response) and "王强" in html(response) and "2 位客户" in html(response)


def test_lookup_nothing_found(world, client_for):
    response = client_for("agent").get(reverse("estates:lookup"), {"q": "4321"})  # B's customer: out of scope
    assert response.status_code == 200
    assert "没有找到“4321”对应的客户" in html(response)


def test_navbar_search_jumps_to_the_customer(world, client_for):
    client = client_for("agent")
    for q in ("5678", "13812345678", "3-2-1201"):
        response = client.get(reverse("search"), {"q": q})
        assert response.status_code == 302, q
        assert response["Location"] == world.customer_a.get_absolute_url()
    response = client.get(reverse("search"), {"q": "王芳"})  # a name: the full search page
    assert response.status_code == 200 and "王芳" in html(response)


def test_dashboard_panel_for_agents(world, client_for):
    assert "lookup-panel" in html(client_for("agent").get(reverse("home")))
    assert "lookup-panel" not in html(client_for("executive").get(reverse("home")))


def test_pick_a_customer_for_an_occupancy(world, client_for):
    client = client_for("agent")
    page = html(client.get(reverse("estates:occupancy_add"), {"unit": world.unit_a.pk}))
    assert 'name="mode" value="occupancy"' in page
    results = html(client.get(reverse("estates:lookup"), {"q": "5678", "mode": "occupancy", "unit": world.unit_a.pk},
                              HTTP_HX_REQUEST="true"))
    assert f"/estates/occupancies/add/?customer={world.customer_a.pk}&amp;unit={world.unit_a.pk}" in results


# --- forms: good and bad input -------------------------------------------------------------------------------------


def test_add_customer_with_unit(world, client_for):
    response = client_for("agent").post(reverse("estates:customer_add"), {
        "estate": world.estate_a.pk, "kind": "tenant", "name": "陈晨", "mobile": "137 0000 2222",
        "id_type": "resident_id", "unit_code": "3栋2单元1201", "occupancy_role": "tenant"})
    customer = Customer.objects.get(name="陈晨")
    assert response.status_code == 302 and response["Location"] == customer.get_absolute_url()
    assert customer.occupancies.get().unit == world.unit_a


@pytest.mark.parametrize(("data", "message"), [
    ({"mobile": "12345"}, "请输入有效的手机号码"),
    ({"mobile": "13700002222", "id_number": "110105198503120001"}, "校验位不正确"),
    ({"mobile": "13700002222", "unit_code": "9-9-999"}, "丽景园没有房号为 9-9-999 的房屋"),
])
def test_add_customer_bad_input_changes_nothing(world, client_for, data, message):
    before = (Customer.objects.count(), Occupancy.objects.count())
    response = client_for("agent").post(reverse("estates:customer_add"), {
        "estate": world.estate_a.pk, "kind": "owner", "name": "错误", "id_type": "resident_id",
        "occupancy_role": "owner", **data})
    assert response.status_code == 400
    assert message in html(response)
    assert 'invalid-feedback' in html(response)
    assert (Customer.objects.count(), Occupancy.objects.count()) == before


def test_agent_cannot_add_a_customer_to_another_estate(world, client_for):
    response = client_for("agent").post(reverse("estates:customer_add"), {
        "estate": world.estate_b.pk, "kind": "owner", "name": "越权", "mobile": "13700003333",
        "id_type": "resident_id", "occupancy_role": "owner"})
    assert response.status_code == 400
    assert not Customer.objects.filter(name="越权").exists()


def test_edit_keeps_personal_data_and_history_shows_before_after(world, client_for):
    client = client_for("agent")
    form = html(client.get(reverse("estates:customer_edit", args=[world.customer_a.pk])))
    assert "13812345678" not in form and 'placeholder="138****5678"' in form
    response = client.post(reverse("estates:customer_edit", args=[world.customer_a.pk]), {
        "kind": "owner", "name": "王芳华", "id_type": "resident_id", "notes": "下午方便接电话"})
    assert response.status_code == 302
    customer = Customer.objects.get(pk=world.customer_a.pk)
    assert customer.name == "王芳华" and customer.mobile == "13812345678"
    assert customer.id_number == world.customer_a.id_number
    page = html(client.get(customer.get_absolute_url()))
    assert "<del class=\"text-danger\">王芳</del>" in page and "<ins class=\"text-success\">王芳华</ins>" in page
    history = html(client.get(reverse("estates:customer_history", args=[customer.pk])))
    assert "下午方便接电话" in history


def test_edit_mobile_history_is_masked(world, client_for):
    client = client_for("agent")
    client.post(reverse("estates:customer_edit", args=[world.customer_a.pk]), {
        "kind": "owner", "name": "王芳", "id_type": "resident_id", "mobile": "13900001234"})
    page = html(client.get(world.customer_a.get_absolute_url()))
    assert "139****1234" in page and "13900001234" not in page


def test_duplicate_unit_number_is_a_field_error(world, client_for):
    before = Unit.objects.count()
    response = client_for("cs_manager").post(reverse("estates:unit_add"), {
        "building": world.building_a.pk, "entrance": "2", "number": "1201", "usage": "residential",
        "status": "occupied"})
    assert response.status_code == 400
    page = html(response)
    assert "该楼栋已有相同房号的房屋" in page
    assert page.index("该楼栋已有相同房号的房屋") > page.index('name="number"')  # under the room number field
    assert Unit.objects.count() == before


def test_occupancy_ending_before_it_starts(world, client_for):
    response = client_for("agent").post(reverse("estates:occupancy_end", args=[world.occupancy_a.pk]),
                                        {"end_date": "2019-01-01"})
    assert response.status_code == 400
    assert "结束日期早于开始日期" in html(response)
    assert Occupancy.objects.get(pk=world.occupancy_a.pk).end_date is None


def test_occupancy_edit_end_before_start(world, client_for):
    response = client_for("agent").post(reverse("estates:occupancy_edit", args=[world.occupancy_a.pk]), {
        "role": "owner", "start_date": "2020-01-01", "end_date": "2019-01-01"})
    assert response.status_code == 400
    assert html(response).count("结束日期早于开始日期") == 1


def test_start_occupancy_by_unit_number(world, client_for):
    unit = UnitFactory(building=world.building_a, entrance="1", number="0502")
    response = client_for("agent").post(reverse("estates:occupancy_add"), {
        "customer": world.customer_a.pk, "unit_code": "3-1-0502", "role": "owner", "start_date": "2026-01-01"})
    assert response.status_code == 302
    assert Occupancy.objects.filter(unit=unit, customer=world.customer_a).exists()


def test_archive_and_reactivate(world, client_for):
    client = client_for("agent")
    response = client.post(reverse("estates:customer_archive", args=[world.customer_a.pk]), {"reason": "已售房"})
    assert response.status_code == 302
    assert Customer.objects.get(pk=world.customer_a.pk).status == "archived"
    page = html(client.get(world.customer_a.get_absolute_url()))
    assert "已归档" in page and "恢复" in page
    assert client.post(reverse("estates:customer_reactivate", args=[world.customer_a.pk])).status_code == 302
    assert Customer.objects.get(pk=world.customer_a.pk).status == "active"


def test_committee_member_flow(world, client_for):
    client = client_for("cs_manager")
    newcomer = CustomerFactory(estate=world.estate_a, name="马力", mobile="13700004444")
    page = html(client.get(reverse("estates:committeemember_add"), {"committee": world.committee_a.pk}))
    assert 'name="mode" value="member"' in page
    form = client.get(reverse("estates:committeemember_add"),
                      {"committee": world.committee_a.pk, "customer": newcomer.pk})
    assert form.status_code == 200 and "马力" in html(form)
    response = client.post(reverse("estates:committeemember_add"), {
        "committee": world.committee_a.pk, "customer": newcomer.pk, "position": "deputy"})
    assert response.status_code == 302
    again = client.post(reverse("estates:committeemember_add"), {
        "committee": world.committee_a.pk, "customer": newcomer.pk, "position": "member"})
    assert again.status_code == 400 and "该客户已是本届业主委员会成员" in html(again)


def test_estate_page(world, client_for):
    page = html(client_for("agent").get(world.estate_a.get_absolute_url()))
    assert "3号楼" in page and "服务人员" in page and "第1届业主委员会" in page


# --- lists: constant number of queries ------------------------------------------------------------------------


LISTS = ["estates:customer_list", "estates:unit_list", "estates:estate_list", "estates:building_list",
         "estates:occupancy_list", "estates:ownerscommittee_list"]


def _grow(world, n, start=0):
    for i in range(start, start + n):
        unit = UnitFactory(building=world.building_a, entrance="9", number=f"{i:04d}")
        OccupancyFactory(unit=unit, customer=CustomerFactory(estate=world.estate_a, mobile=f"1370001{i:04d}"))


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", LISTS)
def test_list_pages_constant_queries(world, client_for, name, django_assert_max_num_queries):
    client = client_for("agent")
    url = reverse(name)
    _grow(world, 2)
    few = _count_queries(client, url)
    _grow(world, 15, start=100)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200


def test_customer_list_filters(world, client_for):
    CustomerFactory(estate=world.estate_a, name="租客甲", kind="tenant", mobile="13700005555")
    client = client_for("agent")
    page = html(client.get(reverse("estates:customer_list"), {"kind": "tenant"}))
    assert "租客甲" in page and "王芳" not in page
    page = html(client.get(reverse("estates:customer_list"), {"q": "5678"}))
    assert "王芳" in page and "租客甲" not in page
    page = html(client.get(reverse("estates:customer_list"), {"unit": "3-2-1201"}))
    assert "王芳" in page and "租客甲" not in page
