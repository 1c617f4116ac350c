"""The Excel export computes each cell like the page does (django-tables2), only faster; and it streams."""

import datetime as dt
import io

import django_tables2 as tables
import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django_tables2.rows import BoundRow
from openpyxl import load_workbook

from wuye.core.exports import table_rows
from wuye.core.views.generic import ObjectListView


def _list_views(patterns=None):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            yield from _list_views(p.url_patterns)
        elif isinstance(p, URLPattern):
            cls = getattr(p.callback, "view_class", None)
            if cls is not None and issubclass(cls, ObjectListView) and cls.table is not None:
                yield cls


LIST_VIEWS = sorted(set(_list_views()), key=lambda c: c.__qualname__)


def _survey_campaign(world) -> dict:
    from wuye.surveys.tests.factories import open_campaign

    return {"pk": open_campaign(world).pk}


# Lists inside one object (their URL takes its id): how to make that object in the test world.
URL_KWARGS = {"InvitationListView": _survey_campaign}


@pytest.mark.django_db
@pytest.mark.parametrize("view", LIST_VIEWS, ids=[c.__qualname__ for c in LIST_VIEWS])
def test_every_export_cell_equals_the_tables2_value(view, world):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = world.users["admin"]
    instance = view()
    instance.request = request
    instance.kwargs = URL_KWARGS[view.__qualname__](world) if view.__qualname__ in URL_KWARGS else {}
    queryset = instance.get_queryset()
    headers, rows = table_rows(view.table, queryset)
    table = view.table(queryset.none(), all_columns=True)
    columns = [c for c in table.columns if c.name not in getattr(view.table.Meta, "exclude_from_export", ())]
    records = list(queryset[:20])
    fast_rows = list(rows)[:20]
    assert len(fast_rows) == len(records)
    assert headers == [str(c.header) for c in columns]
    for record, fast in zip(records, fast_rows, strict=True):
        slow_row = BoundRow(record, table=table)
        for column, value in zip(columns, fast, strict=True):
            slow = slow_row.get_cell_value(column.name)
            if isinstance(column.column, (tables.DateColumn, tables.DateTimeColumn)):
                assert value is None or isinstance(value, dt.date)  # a real date cell in Excel
            elif isinstance(column.column, tables.BooleanColumn):
                assert value in ("是", "否", None)
            else:
                assert (str(value) if value is not None else None) == (str(slow) if slow is not None else None), (
                    view.__qualname__, column.name)


@pytest.mark.django_db
def test_export_download_is_a_real_workbook_with_masked_personal_data(world, client_for):
    from django.urls import reverse

    response = client_for("cs_manager").get(reverse("estates:customer_list"), {"export": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert "姓名/名称" in rows[0] or "姓名" in "".join(map(str, rows[0]))
    flat = " ".join(str(v) for row in rows for v in row)
    assert "13812345678" not in flat and "138****5678" in flat
    assert "王芳" in flat and "李强" in flat


def test_sheet_title_is_one_excel_accepts():
    """A model's plural name becomes the sheet's name: Excel refuses []:*?/\\ and more than 31 characters."""
    from openpyxl import Workbook

    from wuye.core.exports import sheet_title

    assert sheet_title("报告/申诉") == "报告-申诉"
    assert sheet_title("") == "Sheet1"
    long = "a[b]:c*?d\\e" * 5
    assert len(sheet_title(long)) == 31
    Workbook(write_only=True).create_sheet(title=sheet_title(long))  # openpyxl raises on an invalid title
