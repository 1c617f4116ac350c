"""Excel import of customers and units: templates, a good file, and all-or-nothing with Chinese row errors."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from wuye.core.models import AuditEvent
from wuye.estates.models import Building, Customer, Occupancy, Unit
from wuye.estates.tests.factories import resident_id

pytestmark = pytest.mark.django_db


def xlsx(rows, name="import.xlsx"):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def _read(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


CUSTOMER_HEADER = ["项目编码", "姓名/名称", "客户类型", "手机", "证件号码", "房号", "入住身份", "入住日期"]


def test_customer_template_download(world, client_for):
    response = client_for("agent").get(reverse("estates:customer_import_template"))
    assert response.status_code == 200
    assert ".xlsx" in response["Content-Disposition"]
    wb = _read(response)
    header = [c.value for c in wb.worksheets[0][1]]
    assert header[:4] == ["项目编码", "姓名/名称", "客户类型", "手机"]
    assert "房号" in header
    assert len(wb.worksheets) == 2  # the instructions sheet


def test_unit_template_download(world, client_for):
    wb = _read(client_for("cs_manager").get(reverse("estates:unit_import_template")))
    assert [c.value for c in wb.worksheets[0][1]][:5] == ["项目编码", "楼栋号", "单元", "楼层", "室号"]


def test_good_customer_file_imports(world, client_for):
    rows = [CUSTOMER_HEADER,
            ["ljy", "赵敏", "租户", "13700001111", "", "3-2-1201", "租户", "2025-03-01"],
            ["LJY", "钱进", "owner", 13700002222, resident_id(501), "", "", ""],
            ["ljy", "物业开发公司", "开发商", "", "", "", "", ""]]
    response = client_for("agent").post(reverse("estates:customer_import"), {"file": xlsx(rows)})
    assert response.status_code == 302
    assert set(Customer.objects.filter(estate=world.estate_a).values_list("name", flat=True)) == {
        "王芳", "赵敏", "钱进", "物业开发公司"}
    zhao = Customer.objects.get(name="赵敏")
    assert zhao.kind == "tenant"
    assert Occupancy.objects.get(customer=zhao).unit == world.unit_a
    assert Customer.objects.get(name="钱进").mobile == "13700002222"
    assert AuditEvent.objects.filter(event_type="customer.import", data__rows=3).exists()


def test_customer_file_with_one_bad_row_saves_nothing(world, client_for):
    rows = [CUSTOMER_HEADER,
            ["ljy", "赵敏", "租户", "13700001111", "", "3-2-1201", "租户", ""],
            ["ljy", "钱进", "业主", "1370000", "", "", "", ""],
            ["ljy", "孙立", "业主", "13700003333", "110105198503120001", "", "", ""],
            ["chy", "越权", "业主", "13700004444", "", "", "", ""],
            ["ljy", "李四", "房东", "13700005555", "", "9-9-9", "", ""],
            ["ljy", "", "业主", "13700006666", "", "", "", ""]]
    before = (Customer.objects.count(), Occupancy.objects.count())
    response = client_for("agent").post(reverse("estates:customer_import"), {"file": xlsx(rows)})
    assert response.status_code == 400
    assert (Customer.objects.count(), Occupancy.objects.count()) == before
    errors = {(e.row, e.column): e.message for e in response.context["result"].errors}
    assert "请输入有效的手机号码" in errors[(3, "手机")]
    assert "校验位不正确" in errors[(4, "证件号码")]
    assert "没有编码为“chy”的项目" in errors[(5, "项目编码")]
    assert "“房东”不在可选值中" in errors[(6, "客户类型")]
    assert "丽景园没有房号为 9-9-9 的房屋" in errors[(6, "房号")]
    assert errors[(7, "姓名/名称")] == "此项为必填项。"
    page = response.content.decode()
    assert "未导入任何数据" in page and "请输入有效的手机号码" in page
    assert not AuditEvent.objects.filter(event_type="customer.import").exists()


def test_duplicate_within_the_file_is_caught(world, client_for):
    number = resident_id(600)
    rows = [CUSTOMER_HEADER, ["ljy", "甲", "业主", "13700001111", number, "", "", ""],
            ["ljy", "乙", "业主", "13700002222", number, "", "", ""]]
    response = client_for("agent").post(reverse("estates:customer_import"), {"file": xlsx(rows)})
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["result"].errors] == [(3, "证件号码")]
    assert not Customer.objects.filter(name__in=["甲", "乙"]).exists()


def test_good_unit_file_creates_missing_buildings(world, client_for):
    rows = [["项目编码", "楼栋号", "单元", "楼层", "室号", "用途", "状态", "建筑面积（㎡）"],
            ["ljy", 3, 2, 12, 1202, "住宅", "", 89.5],
            ["ljy", "7", "", 1, "S101", "商铺", "出租", "45"],
            ["ljy", "7", "", 1, "S102", "shop", "", ""]]
    response = client_for("cs_manager").post(reverse("estates:unit_import"), {"file": xlsx(rows)})
    assert response.status_code == 302
    assert Unit.objects.get(code="3-2-1202").floor_area == pytest.approx(89.5)
    shop = Unit.objects.get(code="7-S101")
    assert shop.usage == "shop" and shop.status == "let"
    assert Building.objects.get(estate=world.estate_a, number="7").name == "7号楼"


def test_unit_file_with_duplicate_saves_nothing(world, client_for):
    rows = [["项目编码", "楼栋号", "单元", "楼层", "室号"],
            ["ljy", "8", "1", "1", "101"],
            ["ljy", "3", "2", "12", "1201"]]
    response = client_for("cs_manager").post(reverse("estates:unit_import"), {"file": xlsx(rows)})
    assert response.status_code == 400
    errors = [(e.row, e.column, e.message) for e in response.context["result"].errors]
    assert errors == [(3, "室号", "该楼栋已有相同房号的房屋。")]
    assert not Building.objects.filter(number="8").exists()
    assert not Unit.objects.filter(code="8-1-101").exists()


def test_unreadable_file_and_missing_columns(world, client_for):
    client = client_for("agent")
    bad = SimpleUploadedFile("x.xlsx", b"not a workbook")
    response = client.post(reverse("estates:customer_import"), {"file": bad})
    assert response.status_code == 400  # refused by its content before any row is read
    assert response.context["form"].errors["file"] == ["请上传 Excel 工作簿（.xlsx）。"]
    assert response.context.get("result") is None
    response = client.post(reverse("estates:customer_import"), {"file": xlsx([["手机"], ["13700001111"]])})
    assert response.status_code == 400
    columns = {e.column for e in response.context["result"].errors}
    assert {"项目编码", "姓名/名称"} <= columns


def test_agent_imports_only_into_served_estates(world, client_for):
    rows = [CUSTOMER_HEADER, ["chy", "越权", "业主", "13700004444", "", "", "", ""]]
    assert client_for("agent").post(reverse("estates:customer_import"), {"file": xlsx(rows)}).status_code == 400
    assert client_for("cs_manager").post(reverse("estates:customer_import"), {"file": xlsx(rows)}).status_code == 302
