"""Excel export of any list: the table's columns, the filtered queryset, streamed (openpyxl write-only)."""

from __future__ import annotations

import datetime as dt
import inspect
import re
import tempfile

import django_tables2 as tables
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.http import FileResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django_tables2 import A
from django_tables2.rows import BoundRow
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .audit import audit

# A text cell starting with one of these is read as a formula by Excel or LibreOffice (formula injection: a
# customer naming themselves "=HYPERLINK(...)" or "@SUM(...)"); such a text is written with a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """The text as Excel must show it, never as a formula: ``'=1+1`` for ``=1+1`` (OWASP's rule)."""
    return f"'{text}" if len(text) > 1 and text.startswith(FORMULA_PREFIXES) else text


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, dt.date)):
        return value
    return neutralise(str(value))


def sheet_title(title: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of ``[]:*?/\\`` (e.g. 报告/申诉 → 报告-申诉)."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", str(title)).strip("'")
    return cleaned[:31] or "Sheet1"


def write_rows(headers: list[str], rows, *, title: str = "Sheet1"):
    """Write an .xlsx to a temporary file (constant memory) and return the open file object."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title(title))
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


def _choices_map(model, accessor: str) -> dict | None:
    """{stored value: label} of the model field the accessor ends at, if it has choices (translated once)."""
    opts = model._meta
    parts = accessor.split(".")
    for i, part in enumerate(parts):
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            return None
        if i == len(parts) - 1:
            return {k: str(v) for k, v in field.flatchoices} if field.choices else None
        if not field.is_relation or field.related_model is None:
            return None
        opts = field.related_model._meta
    return None


_KWARGS = {"value", "record"}


def _extractor(table, bound_column):
    """A function record -> the cell's export value, with the column's work (accessor, choices labels,
    signature of a ``value_<name>``/``render_<name>`` method) done once per column instead of once per cell."""
    name = bound_column.name
    column = bound_column.column
    accessor = A(bound_column.accessor)
    choices = _choices_map(table._meta.model, str(bound_column.accessor)) if table._meta.model else None
    empty = column.empty_values

    def resolve(record):
        try:
            value = accessor.resolve(record, quiet=True)
        except Exception:  # noqa: BLE001 - like django-tables2: a column without a field is empty
            return None
        return choices.get(value, value) if choices is not None else value

    def slow(record):
        return BoundRow(record, table=table).get_cell_value(name)

    custom = getattr(table, f"value_{name}", None) or getattr(table, f"render_{name}", None)
    if custom is not None:
        params = set(inspect.signature(custom).parameters)
        if not params <= _KWARGS:
            return slow
        is_render = custom.__name__.startswith("render_")

        def call(record):
            value = resolve(record)
            if value in empty and "value" in params:
                return None
            kwargs = {"record": record, "value": value}
            result = custom(**{k: kwargs[k] for k in params})
            return strip_tags(str(result)) if is_render and result is not None else result

        return call
    export_value = getattr(column, "export_value", None)
    if export_value is not None:
        return lambda record: (None if (v := resolve(record)) in empty else export_value(v))
    if isinstance(column, tables.BooleanColumn):
        yes, no = str(_("Yes")), str(_("No"))
        return lambda record: None if (v := resolve(record)) is None else (yes if v else no)
    if type(column) in (tables.Column, tables.DateColumn, tables.DateTimeColumn):
        return lambda record: None if (v := resolve(record)) in empty else v
    return slow


def table_rows(table_class, queryset, *, request=None, chunk_size: int | None = None):
    """Headers and a generator of rows: every column of the table (not only the shown ones), streamed."""
    table = table_class(queryset.none(), request=None, all_columns=True)
    columns = [c for c in table.columns if c.name not in getattr(table_class.Meta, "exclude_from_export", ())
               and c.name not in ("actions", "selection")]
    headers = [str(c.header) for c in columns]
    extractors = [_extractor(table, c) for c in columns]
    limit = getattr(settings, "WUYE_LIST_EXPORT_MAX_ROWS", 1_000_000)
    if chunk_size is None:
        # SQLite refuses prefetch queries over ~1000 objects (see docs/benchmarks.md)
        chunk_size = 500 if connection.vendor == "sqlite" else 2000

    def generate():
        for n, record in enumerate(queryset.iterator(chunk_size=chunk_size)):
            if n >= limit:
                break
            yield [extract(record) for extract in extractors]

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
