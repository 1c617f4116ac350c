"""Excel export of any list: the table's columns, the filtered queryset, streamed (openpyxl write-only)."""

from __future__ import annotations

import datetime as dt
import tempfile

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from django_tables2.rows import BoundRow
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .audit import audit


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, dt.date)):
        return value
    return str(value)


def write_rows(headers: list[str], rows, *, title: str = "Sheet1"):
    """Write an .xlsx to a temporary file (constant memory) and return the open file object."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Sheet1")
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=str(h))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([_plain(v) for v in row])
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to the response, which closes it
    wb.save(tmp)
    tmp.seek(0)
    return tmp


def table_rows(table_class, queryset, *, request=None, chunk_size: int = 2000):
    table = table_class(queryset.none(), request=None, all_columns=True)
    columns = [c for c in table.columns if c.name not in getattr(table_class.Meta, "exclude_from_export", ())
               and c.name not in ("actions", "selection")]
    headers = [str(c.header) for c in columns]
    limit = getattr(settings, "WUYE_LIST_EXPORT_MAX_ROWS", 1_000_000)

    def generate():
        for n, record in enumerate(queryset.iterator(chunk_size=chunk_size)):
            if n >= limit:
                break
            row = BoundRow(record, table=table)
            yield [row.get_cell_value(c.name) for c in columns]

    return headers, generate()


def export_table_response(table_class, queryset, *, request, filename: str):
    headers, rows = table_rows(table_class, queryset, request=request)
    count = {"n": 0}

    def counted():
        for r in rows:
            count["n"] += 1
            yield r

    f = write_rows(headers, counted(), title=filename)
    audit("list.export", actor=request.user, model=queryset.model._meta.label_lower, rows=count["n"],
          query=request.GET.urlencode()[:500])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(f, as_attachment=True, filename=f"{filename}-{stamp}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
