"""Excel import: a downloadable template, row-by-row validation with messages in the user's language,
and all-or-nothing saving (one bad row and nothing is saved).

An importer lists its columns and says how to turn one row into saved objects::

    class CustomerImporter(ExcelImporter):
        columns = [ImportColumn("name", _("Name"), required=True, example="王芳"), ...]
        def import_row(self, values, *, actor): ...   # raise ValidationError({"name": [...]}) on bad input

Rows are saved inside one transaction as they are read, so a duplicate within the file is caught like a
duplicate in the database; if any row failed, the whole transaction is rolled back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import FileResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from .audit import audit


@dataclass
class ImportColumn:
    key: str
    header: object  # lazy translatable string
    required: bool = False
    example: str = ""
    help: object = ""


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    saved: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0


class ExcelImporter:
    columns: list[ImportColumn] = []
    title = gettext_lazy("Import")
    event_type = "import"
    max_rows = 50_000

    # --- template ------------------------------------------------------------------------------------------
    def template_response(self, filename: str) -> FileResponse:
        import tempfile

        wb = Workbook()
        ws = wb.active
        ws.title = str(self.title)[:31]
        bold = Font(bold=True)
        required_fill = PatternFill("solid", fgColor="FFF2CC")
        ws.append([str(c.header) for c in self.columns])
        for cell, col in zip(ws[1], self.columns, strict=True):
            cell.font = bold
            if col.required:
                cell.fill = required_fill
        ws.append([c.example for c in self.columns])
        for i, col in enumerate(self.columns, start=1):
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(12, len(str(col.header)) * 2 + 4)
        notes = wb.create_sheet(_("Instructions"))
        notes.append([_("Column"), _("Required"), _("Notes")])
        for c in notes[1]:
            c.font = bold
        for col in self.columns:
            notes.append([str(col.header), _("Yes") if col.required else _("No"), str(col.help)])
        notes.append([])
        notes.append([_("Delete the example row before importing. Required columns are highlighted. "
                        "If any row has an error, nothing is imported.")])
        tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to the response, which closes it
        wb.save(tmp)
        tmp.seek(0)
        return FileResponse(tmp, as_attachment=True, filename=f"{filename}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    # --- reading ------------------------------------------------------------------------------------------
    def _header_map(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for col in self.columns:
            names[col.key.lower()] = col.key
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    names[str(col.header).strip().lower()] = col.key
        return names

    @staticmethod
    def _cell(value):
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return value.date() if value.time() == dt.time(0) else value
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, dt.date):
            return value
        return str(value).strip()

    def read(self, file) -> tuple[list[tuple[int, dict]], list[RowError]]:
        try:
            wb = load_workbook(file, read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable upload is the same user error
            return [], [RowError(0, "", _("The file could not be read as an Excel workbook (.xlsx)."))]
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        try:
            header = next(rows)
        except StopIteration:
            return [], [RowError(1, "", _("The sheet is empty."))]
        mapping = self._header_map()
        keys = [mapping.get(str(h or "").strip().lower()) for h in header]
        errors = []
        present = set(filter(None, keys))
        for col in self.columns:
            if col.required and col.key not in present:
                errors.append(RowError(1, str(col.header), _("Required column is missing.")))
        unknown = [str(h) for h, k in zip(header, keys, strict=False) if h and not k]
        for h in unknown:
            errors.append(RowError(1, h, _("Unknown column; use the template's headers.")))
        data = []
        for number, values in enumerate(rows, start=2):
            if values is None or all(v in (None, "") for v in values):
                continue
            if len(data) >= self.max_rows:
                errors.append(RowError(number, "", _("Too many rows: at most %(n)s per file.") % {"n": self.max_rows}))
                break
            row = {k: self._cell(v) for k, v in zip(keys, values, strict=False) if k}
            data.append((number, row))
        wb.close()
        if not data and not errors:
            errors.append(RowError(2, "", _("There are no rows to import.")))
        return data, errors

    # --- running ------------------------------------------------------------------------------------------
    def header_of(self, key: str) -> str:
        for col in self.columns:
            if col.key == key:
                return str(col.header)
        return key if key not in ("__all__", "non_field_errors") else ""

    def import_row(self, values: dict, *, actor) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def run(self, file, *, actor) -> ImportResult:
        rows, errors = self.read(file)
        result = ImportResult(rows=len(rows), errors=list(errors))
        if errors and not rows:
            return result
        with transaction.atomic():
            for number, values in rows:
                missing = [c for c in self.columns if c.required and values.get(c.key) in (None, "")]
                if missing:
                    for col in missing:
                        result.errors.append(RowError(number, str(col.header), _("This field is required.")))
                    continue
                try:
                    with transaction.atomic():
                        self.import_row(values, actor=actor)
                    result.saved += 1
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for key, messages in exc.message_dict.items():
                            for message in messages:
                                result.errors.append(RowError(number, self.header_of(key), message))
                    else:
                        for message in exc.messages:
                            result.errors.append(RowError(number, "", message))
                except IntegrityError:
                    result.errors.append(RowError(number, "", _("This row conflicts with existing data.")))
            if result.errors:
                transaction.set_rollback(True)
                result.saved = 0
            else:
                audit(self.event_type, actor=actor, rows=result.saved)
        return result
