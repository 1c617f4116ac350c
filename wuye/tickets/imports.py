"""Historical import of tickets from another system (``manage.py import_tickets`` and the import page).

Three formats:

- **Excel (.xlsx) and CSV** with the downloadable template (``TicketTemplate``): one ticket a row, the
  columns of ``COLUMNS`` (headers in any of the site's languages, or the usual Chinese names of ``ALIASES``);
  CSV in UTF-8 (with or without BOM) or GB18030, as Chinese Excel saves it.
- **JSON Lines** (plain or gzip) in the reference format of ``../shared/bench/README.md``: one estate's
  repairs and complaints, the estate given by the caller; statuses mapped (open → accepted, reopened →
  reopened, resolved → resolved, closed → closed, duplicate → cancelled as duplicate), follow-ups as
  progress notes with their dates, priority 1–2 urgent and 3–5 normal; the kind, category and channel are
  recognised from the text; Traditional Chinese is kept as given (the search index normalises it).

All or nothing: a first pass reads and checks every row (``check``) and collects every error with its line and
reason in the user's language; only when there is none does the second pass (``write``) read the file again
and save everything in one transaction. Original dates are kept (reported at, step times, note times,
``created_at``). Tickets are numbered ``GD<local date of reporting>-NNNN`` in reporting order, continuing each
day's ``DailySequence`` (which is moved on, so later intake does not collide); the original number is kept in
``legacy_ref`` (and found by the search).

Fast: rows are written in batches with ``core.management.bulk.insert_rows`` (one ``executemany`` per table and
batch; no ``save()``, signals or per-row change history), time limits come from ``services.apply_deadlines``
with the service levels read once, and the search index rows are computed here and inserted in bulk. One
audit event records the import. Memory stays bounded: the rows are never all held at once.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import json
import re
import time
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from wuye.core import search
from wuye.core.audit import audit
from wuye.core.imports import ExcelImporter, ImportColumn, RowError
from wuye.core.management.bulk import insert_rows
from wuye.core.models import SearchEntry
from wuye.core.personal import normalize_phone, validate_phone

from . import services
from .choices import (
    OPEN_STATUSES,
    CallbackMethod,
    CallbackOutcome,
    CancelReason,
    Channel,
    Limit,
    NoteVisibility,
    Priority,
    Satisfaction,
    Step,
    TicketKind,
    TicketStatus,
)
from .models import (
    Callback,
    DailySequence,
    ProgressNote,
    ServiceLevel,
    Ticket,
    TicketCategory,
    TicketEvent,
    TicketSettings,
)

FORMATS = ("xlsx", "csv", "jsonl")
MAX_ERRORS = 500  # errors kept (all are counted)
S = TicketStatus

# --- the template --------------------------------------------------------------------------------------------

COLUMNS = [
    ImportColumn("legacy_ref", gettext_lazy("Original number"), example="WX-2024-000123",
                 help=gettext_lazy("The ticket's number in the old system; kept and searchable.")),
    ImportColumn("estate", gettext_lazy("Estate code"), example="ljy",
                 help=gettext_lazy("Optional when the estate is chosen for the whole file.")),
    ImportColumn("unit", gettext_lazy("Unit number"), example="3-2-1201",
                 help=gettext_lazy("Building-entrance-room; empty for common areas.")),
    ImportColumn("kind", pgettext_lazy("ticket", "Kind"), required=True, example="报修",
                 help=gettext_lazy("Repair, complaint, consultation, suggestion or praise.")),
    ImportColumn("category", gettext_lazy("Category"), example="工程维修/水电",
                 help=gettext_lazy("The full name in the category tree, e.g. 工程维修/水电.")),
    ImportColumn("channel", gettext_lazy("Channel"), example="电话",
                 help=gettext_lazy("Phone, walk-in, owner portal, WeChat, email, patrol or other.")),
    ImportColumn("priority", gettext_lazy("Priority"), example="一般", help=gettext_lazy("Urgent or normal.")),
    ImportColumn("title", gettext_lazy("Summary"), required=True, example="厨房水管漏水"),
    ImportColumn("description", gettext_lazy("Description"), example="厨房水槽下方水管接头漏水，地面有积水。"),
    ImportColumn("location", gettext_lazy("Location"), example="厨房"),
    ImportColumn("contact_name", gettext_lazy("Contact name"), example="王芳"),
    ImportColumn("contact_phone", gettext_lazy("Contact phone"), example="13812345678"),
    ImportColumn("reported_at", gettext_lazy("Reported at"), required=True, example="2024-03-05 09:12",
                 help=gettext_lazy("Date and time, e.g. 2024-03-05 09:12.")),
    ImportColumn("status", gettext_lazy("Status"), required=True, example="已归档",
                 help=gettext_lazy("Accepted, assigned, in progress, resolved, called back, closed, reopened or "
                                   "cancelled.")),
    ImportColumn("handler", gettext_lazy("Handler employee number"), example="KF003"),
    ImportColumn("resolved_at", gettext_lazy("Resolved at"), example="2024-03-05 15:40",
                 help=gettext_lazy("Required for resolved, called-back and closed tickets (closing time if "
                                   "empty).")),
    ImportColumn("resolution", gettext_lazy("Result"), example="已更换水管接头，试水正常。"),
    ImportColumn("satisfaction", gettext_lazy("Callback satisfaction"), example="满意",
                 help=gettext_lazy("1–5 or very satisfied … very dissatisfied; empty if there was no callback.")),
    ImportColumn("closed_at", gettext_lazy("Closed at"), example="2024-03-08 10:00"),
]
COLUMN_KEYS = [c.key for c in COLUMNS]

# The names old systems (and people) give these columns; matched as well as the translated headers.
ALIASES = {
    "legacy_ref": ["原单号", "原工单号", "工单号", "单号", "原编号", "编号", "legacy number"],
    "estate": ["项目编号", "项目代码", "小区编号", "管理项目编号", "项目", "小区"],
    "unit": ["房号", "房屋编号", "房屋", "单元号"],
    "kind": ["类型", "工单类型", "类别类型", "报事类型"],
    "category": ["类别", "分类", "类别路径", "问题分类"],
    "channel": ["渠道", "来源", "受理渠道", "报事渠道"],
    "priority": ["优先级", "紧急程度", "紧急度"],
    "title": ["标题", "摘要", "事由", "主题"],
    "description": ["描述", "内容", "详细描述", "问题描述"],
    "location": ["位置", "地点", "具体位置"],
    "contact_name": ["联系人", "报事人", "客户姓名", "姓名"],
    "contact_phone": ["联系电话", "电话", "手机", "手机号"],
    "reported_at": ["报事时间", "受理时间", "反映时间", "报修时间", "投诉时间", "创建时间"],
    "status": ["状态", "工单状态"],
    "handler": ["处理人工号", "处理人", "工号", "维修人工号"],
    "resolved_at": ["办结时间", "完成时间", "处理完成时间"],
    "resolution": ["处理结果", "结果", "办结情况"],
    "satisfaction": ["回访满意度", "满意度", "回访结果"],
    "closed_at": ["归档时间", "关闭时间", "结案时间"],
}

# Words for the choices as old systems write them (besides the codes and the translated labels).
CHOICE_WORDS = {
    TicketKind: {"报修": "repair", "维修": "repair", "报事": "repair", "投诉": "complaint", "咨询": "consultation",
                 "建议": "suggestion", "表扬": "praise", "求助": "consultation"},
    Channel: {"电话": "phone", "来电": "phone", "上门": "walk_in", "来访": "walk_in", "前台": "walk_in",
              "业主门户": "portal", "app": "portal", "小程序": "portal", "网上": "portal", "微信": "wechat",
              "邮件": "email", "电子邮件": "email", "巡查": "patrol", "巡检": "patrol", "其他": "other"},
    Priority: {"紧急": "urgent", "加急": "urgent", "一般": "normal", "普通": "normal", "正常": "normal",
               "1": "urgent", "2": "urgent", "3": "normal", "4": "normal", "5": "normal"},
    TicketStatus: {"待受理": "submitted", "已提交": "submitted", "受理": "accepted", "已受理": "accepted",
                   "待派单": "accepted", "派单": "assigned", "已派单": "assigned", "处理中": "in_progress",
                   "处理": "in_progress", "办结": "resolved", "已办结": "resolved", "已完成": "resolved",
                   "已解决": "resolved", "回访": "called_back", "已回访": "called_back", "归档": "closed",
                   "已归档": "closed", "已关闭": "closed", "关闭": "closed", "结案": "closed",
                   "重新打开": "reopened", "重开": "reopened", "已重开": "reopened", "取消": "cancelled",
                   "已取消": "cancelled", "作废": "cancelled", "已作废": "cancelled"},
    Satisfaction: {"非常满意": 5, "满意": 4, "基本满意": 3, "一般": 3, "不满意": 2, "非常不满意": 1},
}

# The reference (JSON Lines) format: what its neutral statuses become here.
REFERENCE_STATUS = {"open": S.ACCEPTED, "reopened": S.REOPENED, "resolved": S.RESOLVED, "closed": S.CLOSED,
                    "duplicate": S.CANCELLED}

# Recognising kind, category and channel from free text (matched on the Simplified form, first rule wins).
KIND_WORDS = [(("投诉", "举报", "扰民"), TicketKind.COMPLAINT), (("查询", "咨询", "请问"), TicketKind.CONSULTATION),
              (("建议",), TicketKind.SUGGESTION), (("表扬", "感谢", "锦旗"), TicketKind.PRAISE)]
CATEGORY_WORDS = [
    (("电梯",), "工程维修/电梯"),
    (("装修",), "装修管理"),
    (("漏水", "渗水", "滴水", "渗漏"), "工程维修/房屋渗漏"),
    (("水管", "下水道", "热水", "水压", "停水", "停电", "灯", "电路", "跳闸"), "工程维修/水电"),
    (("窗", "门锁"), "工程维修/门窗"),
    (("门禁", "对讲", "道闸", "监控", "快递柜", "信箱", "游乐", "泳池", "设施"), "工程维修/公共设施"),
    (("噪音", "狗吠", "邻居", "宠物"), "邻里纠纷"),
    (("停车", "车位"), "停车"),
    (("垃圾", "异味", "蟑螂", "鼠", "卫生"), "环境卫生"),
    (("绿化", "杂草", "树"), "绿化"),
    (("消防", "违章", "高空抛物", "电动车", "治安", "保安"), "秩序维护"),
    (("物业费", "缴费", "收费"), "收费"),
    (("态度",), "服务态度"),
]
CHANNEL_WORDS = [(("来电", "电话"), Channel.PHONE), (("app", "小程序", "门户"), Channel.PORTAL),
                 (("微信",), Channel.WECHAT), (("邮件", "email"), Channel.EMAIL), (("巡查", "巡检"), Channel.PATROL),
                 (("前台", "管理处", "上门", "来访"), Channel.WALK_IN)]
PHONE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
DATETIME_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                         r"(?:[\sT]+(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:\.\d+)?)?\s*秒?)?\s*$")


def detect_format(name: str) -> str | None:
    """``xlsx``, ``csv`` or ``jsonl`` from a file name (``.jsonl.gz``, ``.json.gz``, ``.gz`` are JSON Lines)."""
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith((".jsonl", ".jsonl.gz", ".json.gz", ".ndjson", ".ndjson.gz", ".gz", ".json")):
        return "jsonl"
    return None


_MARKUP = re.compile(rb"^\s*<(!doctype|html|head|body|script|svg|\?xml|iframe|object|embed)", re.IGNORECASE)


def check_upload(upload, fmt: str) -> None:
    """Refuse a file whose content is not the format it claims (``ValidationError``), before it is stored: an Excel
    file must be a zip holding a workbook and pass ``core.uploads.check_archive`` (no zip bomb, no unsafe member
    names); a CSV must be text (UTF-8 or GB18030), not markup; JSON Lines must be gzip or start with ``{``. Only
    the head of the file is read; the file is left at its start."""
    import zipfile

    from wuye.core.uploads import check_archive

    name = getattr(upload, "name", "") or ""
    refuse = ValidationError(_("“%(name)s” is not a valid %(format)s file.")
                             % {"name": name, "format": {"xlsx": "Excel (.xlsx)", "csv": "CSV",
                                                         "jsonl": "JSON Lines"}.get(fmt, fmt)})
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    try:
        if fmt == "xlsx":
            if not head.startswith(b"PK\x03\x04"):
                raise refuse
            try:
                archive = zipfile.ZipFile(upload)
                names = set(archive.namelist())
            except (zipfile.BadZipFile, OSError, ValueError):
                raise refuse from None
            try:
                check_archive(archive, name)
            except ValidationError as error:
                raise ValidationError(error.messages) from None
            if "xl/workbook.xml" not in names:
                raise refuse
        elif fmt == "csv":
            text = head.removeprefix(codecs.BOM_UTF8)
            if b"\x00" in text or _MARKUP.match(text) or text.startswith(b"PK\x03\x04"):
                raise refuse
            for encoding in ("utf-8", "gb18030"):
                try:
                    codecs.getincrementaldecoder(encoding)().decode(text, final=False)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise refuse
        elif fmt == "jsonl":
            if head.startswith(b"\x1f\x8b"):
                try:
                    head = gzip.GzipFile(fileobj=upload, mode="rb").read(4096)
                except (OSError, EOFError):
                    raise refuse from None
            text = head.removeprefix(codecs.BOM_UTF8).lstrip()
            if text and not text.startswith(b"{"):
                raise refuse
    finally:
        upload.seek(0)


class TicketTemplate(ExcelImporter):
    """The Excel template (and its CSV twin) with the columns of ``COLUMNS``; reads headers for ``TicketImport``."""

    columns = COLUMNS
    title = gettext_lazy("Tickets")

    def csv_response(self, filename: str) -> HttpResponse:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow([str(c.header) for c in self.columns])
        writer.writerow([c.example for c in self.columns])
        response = HttpResponse(codecs.BOM_UTF8 + buf.getvalue().encode("utf-8"), content_type="text/csv")
        response["Content-Disposition"] = content_disposition_header(True, f"{filename}.csv")
        return response

    def header_map(self) -> dict[str, str]:
        names = self._header_map()
        for key, aliases in ALIASES.items():
            for alias in aliases:
                names.setdefault(alias.lower(), key)
        return names


# --- reading -------------------------------------------------------------------------------------------------


class Source:
    """A file to import, which can be opened more than once (the rows are read twice): a path, bytes, or a file
    in a storage."""

    def __init__(self, opener: Callable[[], io.BufferedIOBase], name: str, size: int | None = None):
        self.open, self.name, self.size = opener, name, size

    @classmethod
    def from_path(cls, path: str) -> Source:
        import os

        return cls(lambda: open(path, "rb"), os.path.basename(path), os.path.getsize(path))  # noqa: SIM115

    @classmethod
    def from_bytes(cls, data: bytes, name: str) -> Source:
        return cls(lambda: io.BytesIO(data), name, len(data))

    @classmethod
    def from_storage(cls, fieldfile, name: str | None = None) -> Source:
        storage, stored = fieldfile.storage, fieldfile.name
        return cls(lambda: storage.open(stored, "rb"), name or stored, storage.size(stored))


class FileProblem(Exception):
    """The file as a whole cannot be read (wrong format, missing columns)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def _text_stream(raw) -> io.TextIOBase:
    """CSV text: UTF-8 (BOM or not), else GB18030 (what Chinese Excel writes)."""
    head = raw.read(1 << 16)
    raw.seek(0)
    try:
        head.decode("utf-8")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        encoding = "utf-8-sig" if exc.start > len(head) - 4 else "gb18030"  # a character cut at the buffer end
    return io.TextIOWrapper(raw, encoding=encoding, newline="")


def _tabular_rows(source: Source, fmt: str, state: dict) -> Iterator[tuple[int, dict]]:
    """``(line number, {column key: value})`` of an Excel sheet or a CSV file; checks the header first."""
    template = TicketTemplate()
    mapping = template.header_map()
    raw = source.open()
    wb = None
    try:
        if fmt == "xlsx":
            from openpyxl import load_workbook

            try:
                wb = load_workbook(raw, read_only=True, data_only=True)
            except Exception:  # noqa: BLE001 - any unreadable upload is the same user error
                raise FileProblem([RowError(0, "", _("The file could not be read as an Excel workbook (.xlsx)."))]) \
                    from None
            sheet = wb.worksheets[0]
            state["total"] = max(0, (sheet.max_row or 1) - 1) or None
            rows = sheet.iter_rows(values_only=True)
            cell = ExcelImporter._cell
        else:
            try:
                rows = csv.reader(_text_stream(raw))
            except UnicodeDecodeError:
                raise FileProblem([RowError(0, "", _("The file could not be read as CSV text."))]) from None
            cell = _csv_cell
        try:
            header = next(rows)
        except StopIteration:
            raise FileProblem([RowError(1, "", _("The sheet is empty."))]) from None
        except (UnicodeDecodeError, csv.Error):
            raise FileProblem([RowError(1, "", _("The file could not be read as CSV text."))]) from None
        keys = [mapping.get(str(h or "").strip().lower()) for h in header]
        errors = [RowError(1, str(h), _("Unknown column; use the template's headers."))
                  for h, k in zip(header, keys, strict=False) if h not in (None, "") and not k]
        present = set(filter(None, keys))
        errors += [RowError(1, str(c.header), _("Required column is missing.")) for c in COLUMNS
                   if c.required and c.key not in present]
        if errors:
            raise FileProblem(errors)
        line = 1
        try:
            for values in rows:
                line += 1
                if values is None or all(v in (None, "") for v in values):
                    continue
                yield line, {k: cell(v) for k, v in zip(keys, values, strict=False) if k}
                if fmt == "csv" and source.size:
                    state["fraction"] = raw.tell() / source.size
        except (UnicodeDecodeError, csv.Error) as exc:
            raise FileProblem([RowError(line, "", _("The file could not be read as CSV text.") + f" ({exc})")]) \
                from None
    finally:
        if wb is not None:
            wb.close()
        raw.close()


def _csv_cell(value):
    return (value or "").strip()


def _reference_rows(source: Source, state: dict) -> Iterator[tuple[int, dict]]:
    """``(line number, record)`` of a JSON Lines file, gzip-compressed or not."""
    raw = source.open()
    try:
        magic = raw.read(2)
        raw.seek(0)
        stream = gzip.GzipFile(fileobj=raw, mode="rb") if magic == b"\x1f\x8b" else raw
        line = 0
        try:
            for chunk in stream:
                line += 1
                if not chunk.strip():
                    continue
                try:
                    record = json.loads(chunk)
                except ValueError:
                    yield line, None
                    continue
                yield line, record
                if source.size and line % 1000 == 0:
                    state["fraction"] = raw.tell() / source.size
        except (OSError, EOFError):
            raise FileProblem([RowError(line + 1, "", _("The file could not be read as JSON Lines (plain or "
                                                        "gzip)."))]) from None
    finally:
        raw.close()


# --- checking one row ----------------------------------------------------------------------------------------


class RowProblem(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(m for _k, m in problems))
        self.problems = problems


@dataclass(slots=True)
class Row:
    """One checked ticket, ready to be written."""

    line: int
    legacy_ref: str
    estate_id: int
    unit_id: int | None
    unit_code: str
    customer_id: int | None
    kind: str
    category_id: int | None
    channel: str
    priority: str
    title: str
    description: str
    location: str
    contact_name: str
    contact_phone: str
    reported_at: dt.datetime
    status: str
    assignee_id: int | None = None
    department_id: int | None = None
    resolved_at: dt.datetime | None = None
    resolution: str = ""
    satisfaction: int | None = None
    closed_at: dt.datetime | None = None
    cancelled_at: dt.datetime | None = None
    cancel_reason: str = ""
    cancel_comment: str = ""
    reopened_at: dt.datetime | None = None
    notes: list = field(default_factory=list)   # [(at, body)]
    extra: dict = field(default_factory=dict)    # kept in the CREATE event: what has no field here


class Lookups:
    """Everything a row refers to, read once (per estate where it is per estate)."""

    def __init__(self, actor):
        from wuye.estates.models import Estate
        from wuye.org.models import Staff

        estates = Estate.objects.restrict(actor, "view") if actor is not None else Estate.objects.all()
        self.estates = {e.code.lower(): e for e in estates}
        self.categories: dict[str, int] = {}
        leaves: dict[str, list[int]] = {}
        for pk, path, name in TicketCategory.objects.values_list("pk", "path", "name"):
            self.categories[path.lower()] = pk
            leaves.setdefault(name.lower(), []).append(pk)
        for name, pks in leaves.items():
            if len(pks) == 1:
                self.categories.setdefault(name, pks[0])
        self.staff: dict[str, tuple[int, int]] = {}
        self.staff_logins: dict[str, tuple[int, int]] = {}
        for pk, number, department, username in Staff.objects.values_list("pk", "employee_no", "department_id",
                                                                          "user__username"):
            self.staff[number.lower()] = (pk, department)
            if username:
                self.staff_logins[username.lower()] = (pk, department)
        self.levels = {(sl.kind, sl.priority): sl for sl in ServiceLevel.objects.all()}
        self.policy = TicketSettings.current()
        self._units: dict[int, dict[str, int]] = {}
        self._occupants: dict[int, dict[int, list[tuple[int, str, str]]]] = {}
        self._legacy: dict[int, set[str]] = {}
        self.choices = {cls: _choice_map(cls) for cls in CHOICE_WORDS}

    def units(self, estate_id: int) -> dict[str, int]:
        from wuye.estates.models import Unit

        if estate_id not in self._units:
            self._units[estate_id] = dict(Unit.objects.filter(estate_id=estate_id).values_list("code", "pk"))
        return self._units[estate_id]

    def occupants(self, estate_id: int) -> dict[int, list[tuple[int, str, str]]]:
        from wuye.estates.models import Occupancy

        if estate_id not in self._occupants:
            found: dict[int, list[tuple[int, str, str]]] = {}
            rows = Occupancy.objects.filter(unit__estate_id=estate_id).values_list(
                "unit_id", "customer_id", "customer__name", "customer__mobile")
            for unit_id, customer_id, name, mobile in rows:
                found.setdefault(unit_id, []).append((customer_id, name, mobile))
            self._occupants[estate_id] = found
        return self._occupants[estate_id]

    def imported_refs(self, estate_id: int) -> set[str]:
        if estate_id not in self._legacy:
            self._legacy[estate_id] = set(Ticket.objects.filter(estate_id=estate_id).exclude(legacy_ref="")
                                          .values_list("legacy_ref", flat=True))
        return self._legacy[estate_id]


def _choice_map(cls) -> dict[str, object]:
    """Every way to write a choice: its code, its label in every language, the words of ``CHOICE_WORDS``."""
    names: dict[str, object] = {}
    for value, label in cls.choices:
        names[str(value).lower()] = value
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names.setdefault(str(label).strip().lower(), value)
    for word, value in CHOICE_WORDS.get(cls, {}).items():
        names.setdefault(word.lower(), value)
    return names


def _choice(lookups: Lookups, cls, value, key: str, problems: list, default=None):
    text = str(value or "").strip()
    if not text:
        if default is None:
            problems.append((key, _("This field is required.")))
        return default
    found = lookups.choices[cls].get(text.lower())
    if found is None:
        allowed = "、".join(str(label) for _v, label in cls.choices)
        problems.append((key, _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}))
    return found


def parse_datetime(value) -> dt.datetime | None:
    """An aware datetime from a cell: datetime/date objects, ISO 8601, ``2024/3/5 9:12``, ``2024年3月5日``.
    Naive values are local time. Raises ValueError."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        try:
            result = dt.datetime.fromisoformat(text)
        except ValueError:
            match = DATETIME_RE.match(text)
            if not match:
                raise
            parts = [int(p) if p else 0 for p in match.groups()]
            result = dt.datetime(*parts)
    if timezone.is_naive(result):
        result = timezone.make_aware(result)
    return result


def _when(value, key: str, problems: list, now: dt.datetime, *, required=False) -> dt.datetime | None:
    if value in (None, ""):
        if required:
            problems.append((key, _("This field is required.")))
        return None
    try:
        result = parse_datetime(value)
    except (ValueError, OverflowError):
        problems.append((key, _("Enter a date and time like 2024-03-05 09:12.")))
        return None
    if result > now:
        problems.append((key, _("This time is in the future.")))
    elif result.year < 1990:
        problems.append((key, _("This time is too long ago.")))
    return result


def _normal(text: str) -> str:
    return search._normalize(text)


def _recognise(rules, text: str, default=None):
    for words, value in rules:
        if any(w in text for w in words):
            return value
    return default


def _text(value, key: str, limit: int, problems: list) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        problems.append((key, _("At most %(n)s characters (this has %(m)s).") % {"n": limit, "m": len(text)}))
    return text


def _check_times(row: Row, problems: list) -> None:
    """Step times in order, and the times each status needs."""
    if row.resolved_at and row.resolved_at < row.reported_at:
        problems.append(("resolved_at", _("The resolution time is before the reporting time.")))
    if row.closed_at and row.closed_at < (row.resolved_at or row.reported_at):
        problems.append(("closed_at", _("The closing time is before the resolution time.")))


def parse_tabular(values: dict, lookups: Lookups, *, default_estate, now: dt.datetime) -> Row:
    """A row of the Excel/CSV template; raises RowProblem with every problem of the row."""
    problems: list[tuple[str, str]] = []
    code = str(values.get("estate") or "").strip()
    estate = lookups.estates.get(code.lower()) if code else default_estate
    if estate is None:
        problems.append(("estate", _("No estate with the code “%(code)s” (among the estates you serve).")
                         % {"code": code} if code else _("Give the estate code (or choose the estate for the file).")))
    kind = _choice(lookups, TicketKind, values.get("kind"), "kind", problems)
    channel = _choice(lookups, Channel, values.get("channel"), "channel", problems, default=Channel.OTHER)
    priority = _choice(lookups, Priority, values.get("priority"), "priority", problems, default=Priority.NORMAL)
    status = _choice(lookups, TicketStatus, values.get("status"), "status", problems)
    title = _text(values.get("title"), "title", 200, problems)
    description = _text(values.get("description"), "description", 10_000, problems)
    if not title:
        title = description[:40]
        if not title:
            problems.append(("title", _("This field is required.")))
    legacy_ref = _text(values.get("legacy_ref"), "legacy_ref", 50, problems)
    location = _text(values.get("location"), "location", 200, problems)
    contact_name = _text(values.get("contact_name"), "contact_name", 50, problems)
    contact_phone = normalize_phone(str(values.get("contact_phone") or ""))
    if contact_phone:
        try:
            validate_phone(contact_phone)
        except ValidationError as exc:
            problems.append(("contact_phone", exc.messages[0]))
    category_id = None
    category = str(values.get("category") or "").strip().strip("/")
    if category:
        category_id = lookups.categories.get(re.sub(r"\s*[/／>]\s*", "/", category).lower())
        if category_id is None:
            problems.append(("category", _("No category “%(name)s”; use the full name from the category tree.")
                             % {"name": category}))
    reported_at = _when(values.get("reported_at"), "reported_at", problems, now, required=True)
    resolved_at = _when(values.get("resolved_at"), "resolved_at", problems, now)
    closed_at = _when(values.get("closed_at"), "closed_at", problems, now)
    assignee = None
    handler = str(values.get("handler") or "").strip()
    if handler:
        assignee = lookups.staff.get(handler.lower())
        if assignee is None:
            problems.append(("handler", _("No staff member with the employee number “%(number)s”.")
                             % {"number": handler}))
    satisfaction = None
    raw = str(values.get("satisfaction") or "").strip()
    if raw:
        satisfaction = lookups.choices[Satisfaction].get(raw.lower())
        if satisfaction is None:
            problems.append(("satisfaction", _("Satisfaction is rated from 1 to 5.")))
    unit_id = customer_id = None
    unit_code = str(values.get("unit") or "").strip()
    if estate is not None and unit_code:
        unit_id = lookups.units(estate.pk).get(unit_code)
        if unit_id is None:
            problems.append(("unit", _("No unit “%(unit)s” in %(estate)s.") % {"unit": unit_code,
                                                                             "estate": estate.name}))
        elif contact_phone or contact_name:
            for pk, name, mobile in lookups.occupants(estate.pk).get(unit_id, ()):
                if (contact_phone and mobile == contact_phone) or (contact_name and name == contact_name):
                    customer_id = pk
                    break
    if problems:
        raise RowProblem(problems)
    row = Row(line=0, legacy_ref=legacy_ref, estate_id=estate.pk, unit_id=unit_id, unit_code=unit_code,
              customer_id=customer_id, kind=kind, category_id=category_id, channel=channel, priority=priority,
              title=title, description=description, location=location, contact_name=contact_name,
              contact_phone=contact_phone, reported_at=reported_at, status=status,
              resolution=str(values.get("resolution") or "").strip(), satisfaction=satisfaction)
    if assignee is not None:
        row.assignee_id, row.department_id = assignee
    if status in (S.RESOLVED, S.CALLED_BACK, S.CLOSED):
        row.resolved_at = resolved_at or closed_at
        if row.resolved_at is None:
            problems.append(("resolved_at", _("A resolved or closed ticket needs the time it was resolved.")))
        if status == S.CLOSED:
            row.closed_at = closed_at or row.resolved_at
    elif status == S.CANCELLED:
        row.cancelled_at = closed_at or reported_at
        row.cancel_reason = CancelReason.OTHER
        row.cancel_comment = row.resolution[:300] or _("Cancelled in the previous system.")
        row.resolution = ""
    elif resolved_at or closed_at:
        problems.append(("status", _("A ticket with a resolution or closing time cannot be “%(status)s”.")
                         % {"status": TicketStatus(status).label}))
    if satisfaction is not None and status not in (S.RESOLVED, S.CALLED_BACK, S.CLOSED):
        problems.append(("satisfaction", _("Only a resolved ticket has a callback satisfaction.")))
    if status == S.CALLED_BACK and satisfaction is None:
        problems.append(("satisfaction", _("A called-back ticket needs the customer's satisfaction.")))
    _check_times(row, problems)
    if problems:
        raise RowProblem(problems)
    return row


def parse_reference(record, lookups: Lookups, *, estate, now: dt.datetime, warnings: dict) -> Row:
    """A line of the reference JSON Lines format; raises RowProblem."""
    problems: list[tuple[str, str]] = []
    if not isinstance(record, dict):
        raise RowProblem([("", _("This line is not a JSON object."))])
    number = record.get("n")
    if number in (None, ""):
        problems.append(("n", _("This field is required.")))
    legacy_ref = str(number if number is not None else "")[:50]
    title = _text(record.get("title"), "title", 200, problems)
    description = _text(record.get("description"), "description", 10_000, problems)
    if not title:
        problems.append(("title", _("This field is required.")))
    status = REFERENCE_STATUS.get(str(record.get("status") or "").strip().lower())
    if status is None:
        problems.append(("status", _("“%(value)s” is not one of: %(allowed)s.")
                         % {"value": record.get("status"), "allowed": ", ".join(REFERENCE_STATUS)}))
    try:
        level = int(record.get("priority") or 3)
    except (TypeError, ValueError):
        problems.append(("priority", _("Enter a whole number from 1 to 5.")))
        level = 3
    reported_at = _when(record.get("created"), "created", problems, now, required=True)
    modified = _when(record.get("modified"), "modified", problems, now) or reported_at
    notes = []
    resolved_by_note = None
    for n, follow in enumerate(record.get("followups") or (), start=1):
        if not isinstance(follow, dict):
            problems.append((f"followups[{n}]", _("This line is not a JSON object.")))
            continue
        at = _when(follow.get("date"), f"followups[{n}].date", problems, now, required=True)
        body = "：".join(p for p in (str(follow.get("title") or "").strip(),
                                     str(follow.get("comment") or "").strip()) if p)
        if at is not None and body:
            notes.append((at, body))
        if follow.get("new_status") in ("resolved", "closed") and at is not None:
            resolved_by_note = (at, body)
    if problems:
        raise RowProblem(problems)
    if reported_at is None:  # pragma: no cover - reported as a problem above
        raise RowProblem([("created", _("This field is required."))])
    simple = _normal(title)
    opener = _normal(description.split("：", 1)[0][:20]) if "：" in description[:20] else ""
    kind = _recognise(KIND_WORDS, simple, TicketKind.REPAIR)
    path = _recognise(CATEGORY_WORDS, simple)
    phone = PHONE_IN_TEXT.search(description)
    row = Row(line=0, legacy_ref=legacy_ref, estate_id=estate.pk, unit_id=None, unit_code="", customer_id=None,
              kind=kind, category_id=lookups.categories.get(path.lower()) if path else None,
              channel=_recognise(CHANNEL_WORDS, opener, Channel.OTHER), priority=Priority.URGENT if level <= 2
              else Priority.NORMAL, title=title, description=description, location="", contact_name="",
              contact_phone=phone.group(1) if phone else "", reported_at=reported_at, status=status, notes=notes)
    if record.get("submitter_email"):
        row.extra["submitter_email"] = str(record["submitter_email"])[:200]
    legacy_assignee = str(record.get("assignee") or "").strip()
    if legacy_assignee:
        found = lookups.staff_logins.get(legacy_assignee.lower()) or lookups.staff.get(legacy_assignee.lower())
        if found is None:
            row.extra["legacy_assignee"] = legacy_assignee
            warnings[legacy_assignee] = warnings.get(legacy_assignee, 0) + 1
        else:
            row.assignee_id, row.department_id = found
    end = max(modified, reported_at)
    if status in (S.RESOLVED, S.CLOSED):
        row.resolved_at = max(reported_at, min(resolved_by_note[0], end)) if resolved_by_note else end
        row.resolution = resolved_by_note[1] if resolved_by_note else ""
        if status == S.CLOSED:
            row.closed_at = max(end, row.resolved_at)
    elif status == S.CANCELLED:
        row.cancelled_at, row.cancel_reason = end, CancelReason.DUPLICATE
    elif status == S.REOPENED:
        row.reopened_at = end
    return row


# --- the import ----------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    name: str = ""
    format: str = ""
    rows: int = 0
    imported: int = 0
    notes: int = 0
    events: int = 0
    callbacks: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    unknown_handlers: dict = field(default_factory=dict)
    dry_run: bool = False
    first_number: str = ""
    last_number: str = ""
    timings: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and self.rows > 0

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, message))

    def as_dict(self) -> dict:
        return {"name": self.name, "format": self.format, "rows": self.rows, "imported": self.imported,
                "notes": self.notes, "events": self.events, "callbacks": self.callbacks,
                "error_count": self.error_count, "unknown_handlers": self.unknown_handlers,
                "dry_run": self.dry_run, "first_number": self.first_number, "last_number": self.last_number,
                "timings": self.timings}


TICKET_COLUMNS = (
    "number", "legacy_ref", "kind", "status", "priority", "channel", "estate", "unit", "customer", "contact_name",
    "contact_phone", "location", "category", "title", "description", "reported_at", "assignee", "department",
    "resolution", "accepted_at", "assigned_at", "responded_at", "resolved_at", "called_back_at", "closed_at",
    "cancelled_at", "cancel_reason", "cancel_comment", "response_due", "onsite_due", "resolution_due",
    "response_met", "resolution_met", "is_overdue", "overdue_limits", "handling_minutes", "callback_required",
    "callback_due", "satisfaction", "reopen_count", "created_at", "created_by", "updated_by",
)
EVENT_COLUMNS = ("ticket", "step", "at", "actor", "from_status", "to_status", "comment", "data")
NOTE_COLUMNS = ("ticket", "body", "visibility", "noted_at", "created_at", "created_by", "updated_by")
CALLBACK_COLUMNS = ("ticket", "called_at", "method", "outcome", "satisfaction", "comment", "created_at",
                    "created_by", "updated_by")
SEARCH_COLUMNS = ("content_type", "object_id", "estate_id", "title", "subtitle", "tokens")

Progress = Callable[[str, int, int | None, float], None]


class TicketImport:
    """One import run: ``run()`` checks every row, then (when there is no error) writes them all in one
    transaction. ``progress(phase, done, total, fraction)`` is called every batch."""

    def __init__(self, source: Source, *, fmt: str | None = None, actor=None, estate=None,
                 progress: Progress | None = None, batch_size: int = 5000, now: dt.datetime | None = None):
        self.source = source
        self.fmt = fmt or detect_format(source.name)
        self.actor = actor
        self.estate_code = estate.code if hasattr(estate, "code") else (estate or "")
        self.progress = progress or (lambda phase, done, total, fraction: None)
        self.batch_size = batch_size
        self.now = now or timezone.now()
        self.report = ImportReport(name=source.name, format=self.fmt or "")

    # -- reading, shared by both passes --
    def _rows(self, lookups: Lookups, state: dict, warnings: dict) -> Iterator[tuple[int, Row | None]]:
        """Every row as ``(line, Row)``, or ``(line, None)`` after recording its problems in the report."""
        report = self.report
        estate = lookups.estates.get(self.estate_code.lower()) if self.estate_code else None
        if self.fmt == "jsonl":
            records = _reference_rows(self.source, state)
            for line, record in records:
                try:
                    row = parse_reference(record, lookups, estate=estate, now=self.now,
                                          warnings=warnings)
                except RowProblem as exc:
                    for key, message in exc.problems:
                        report.add_error(line, key, message)
                    yield line, None
                    continue
                row.line = line
                yield line, row
        else:
            for line, values in _tabular_rows(self.source, self.fmt, state):
                try:
                    row = parse_tabular(values, lookups, default_estate=estate, now=self.now)
                except RowProblem as exc:
                    for key, message in exc.problems:
                        report.add_error(line, _header(key), message)
                    yield line, None
                    continue
                row.line = line
                yield line, row

    def _file_checks(self, lookups: Lookups) -> bool:
        if self.fmt not in FORMATS:
            self.report.add_error(0, "", _("Unknown file type: upload .xlsx, .csv or .jsonl (.jsonl.gz)."))
            return False
        if self.estate_code and self.estate_code.lower() not in lookups.estates:
            self.report.add_error(0, "", _("No estate with the code “%(code)s” (among the estates you serve).")
                                  % {"code": self.estate_code})
            return False
        if self.fmt == "jsonl" and not self.estate_code:
            self.report.add_error(0, "", _("Choose the estate the JSON Lines file belongs to."))
            return False
        return True

    # -- pass 1 --
    def check(self, lookups: Lookups) -> tuple[array, array, dict]:
        """Read and check every row. Returns, per valid row in file order, its local reporting day (ordinal) and
        its rank within that day (numbers follow reporting order), and the number of rows per day."""
        report = self.report
        days, stamps = array("i"), array("d")
        seen: dict[tuple[int, str], int] = {}
        state: dict = {"fraction": 0.0}
        count = 0
        try:
            for line, row in self._rows(lookups, state, report.unknown_handlers):
                count += 1
                if row is not None:
                    if row.legacy_ref:
                        key = (row.estate_id, row.legacy_ref)
                        if key in seen:
                            report.add_error(line, _header("legacy_ref"),
                                             _("The original number %(ref)s is also on line %(line)s.")
                                             % {"ref": row.legacy_ref, "line": seen[key]})
                        elif row.legacy_ref in lookups.imported_refs(row.estate_id):
                            report.add_error(line, _header("legacy_ref"),
                                             _("The original number %(ref)s has already been imported.")
                                             % {"ref": row.legacy_ref})
                        else:
                            seen[key] = line
                    days.append(timezone.localtime(row.reported_at).date().toordinal())
                    stamps.append(row.reported_at.timestamp())
                if count % self.batch_size == 0:
                    self.progress("checking", count, state.get("total"), state.get("fraction", 0.0))
        except FileProblem as exc:
            for error in exc.errors:
                report.add_error(error.row, error.column, error.message)
        report.rows = count
        if not count and not report.error_count:
            report.add_error(0, "", _("There are no rows to import."))
        self.progress("checking", count, count, 1.0)
        order = sorted(range(len(days)), key=lambda i: (days[i], stamps[i], i))
        ranks, per_day = array("I", bytes(4 * len(days))), {}
        for i in order:
            per_day[days[i]] = per_day.get(days[i], 0) + 1
            ranks[i] = per_day[days[i]]
        return days, ranks, per_day

    # -- pass 2 --
    def write(self, lookups: Lookups, days: array, ranks: array, per_day: dict) -> None:
        report = self.report
        base = _reserve_numbers(per_day)
        ct = ContentType.objects.get_for_model(Ticket)
        reg = search.registration(Ticket)
        actor_id = self.actor.pk if self.actor is not None and self.actor.is_authenticated else None
        imported_note = _("Imported from %(file)s") % {"file": self.source.name}
        state: dict = {}
        batch: list[tuple[str, Row]] = []
        total = len(days)
        t_index = 0.0

        def flush():
            nonlocal t_index
            t_index += self._write_batch(batch, ct, reg, actor_id, imported_note)
            report.imported += len(batch)
            batch.clear()
            self.progress("writing", report.imported, total, report.imported / total if total else 1.0)

        for index, (_line, row) in enumerate(self._rows(lookups, state, {})):
            if row is None:  # pragma: no cover - the check pass found no problem
                raise RuntimeError("a row that passed the check failed on the second reading")
            day = dt.date.fromordinal(days[index])
            number = f"GD{day:%Y%m%d}-{base.get(days[index], 0) + ranks[index]:04d}"
            batch.append((number, row))
            if len(batch) >= self.batch_size:
                flush()
        if batch:
            flush()
        if per_day:
            first, last = min(per_day), max(per_day)
            report.first_number = f"GD{dt.date.fromordinal(first):%Y%m%d}-{base.get(first, 0) + 1:04d}"
            report.last_number = f"GD{dt.date.fromordinal(last):%Y%m%d}-{base.get(last, 0) + per_day[last]:04d}"
        _move_sequences(per_day, base)
        report.timings["index_s"] = round(t_index, 2)
        audit("ticket.import", actor=self.actor, file=self.source.name, format=self.fmt, rows=report.rows,
              imported=report.imported, first=report.first_number, last=report.last_number,
              estate=self.estate_code or None)

    def _write_batch(self, batch, ct, reg, actor_id, imported_note) -> float:
        levels, policy, now = self._levels, self._policy, self.now
        tickets, derived = [], []
        for number, row in batch:
            tickets.append(_ticket_values(number, row, levels, policy, now, actor_id))
        insert_rows(Ticket, TICKET_COLUMNS, tickets, batch_size=len(tickets) + 1)
        ids = dict(Ticket.objects.filter(number__in=[n for n, _r in batch]).values_list("number", "pk"))
        events, notes, callbacks = [], [], []
        for (number, row), values in zip(batch, tickets, strict=True):
            pk = ids[number]
            derived.append((pk, number, row))
            events.extend(_events(pk, row, values, actor_id, imported_note))
            for at, body in row.notes:
                notes.append((pk, body, NoteVisibility.INTERNAL, at, at, actor_id, actor_id))
            if row.satisfaction is not None:
                at = values[TICKET_COLUMNS.index("called_back_at")]
                callbacks.append((pk, at, CallbackMethod.PHONE, CallbackOutcome.REACHED, row.satisfaction, "", at,
                                  actor_id, actor_id))
        insert_rows(TicketEvent, EVENT_COLUMNS, events, batch_size=len(events) + 1)
        if notes:
            insert_rows(ProgressNote, NOTE_COLUMNS, notes, batch_size=len(notes) + 1)
        if callbacks:
            insert_rows(Callback, CALLBACK_COLUMNS, callbacks, batch_size=len(callbacks) + 1)
        self.report.events += len(events)
        self.report.notes += len(notes)
        self.report.callbacks += len(callbacks)
        started = time.perf_counter()
        insert_rows(SearchEntry, SEARCH_COLUMNS, (_search_values(reg, ct, pk, number, row)
                                                  for pk, number, row in derived), batch_size=len(derived) + 1)
        return time.perf_counter() - started

    def run(self, *, dry_run: bool = False) -> ImportReport:
        """Check, then write in one transaction (rolled back when ``dry_run``); the report says what happened."""
        if self.actor is not None and not self.actor.has_perm("tickets.import_tickets"):
            raise PermissionDenied(_("You may not import tickets."))
        report = self.report
        report.dry_run = dry_run
        started = time.perf_counter()
        lookups = Lookups(self.actor)
        self._levels, self._policy = lookups.levels, lookups.policy
        if not self._file_checks(lookups):
            return report
        days, ranks, per_day = self.check(lookups)
        report.timings["check_s"] = round(time.perf_counter() - started, 2)
        if report.error_count or not report.rows:
            report.timings["total_s"] = report.timings["check_s"]
            return report
        t_write = time.perf_counter()
        with transaction.atomic():
            self.write(lookups, days, ranks, per_day)
            if dry_run:
                transaction.set_rollback(True)
        if connection.vendor == "postgresql" and not dry_run and report.imported >= 1000:
            # Planner statistics for the new rows now, not when autovacuum gets to them: the lists and the
            # search would otherwise run on plans made for the tables before the import.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE tickets_ticket, tickets_ticketevent, tickets_progressnote, core_searchentry")
        report.timings["write_s"] = round(time.perf_counter() - t_write, 2)
        report.timings["total_s"] = round(time.perf_counter() - started, 2)
        return report


def _header(key: str) -> str:
    for col in COLUMNS:
        if col.key == key:
            return str(col.header)
    return key


def _reserve_numbers(per_day: dict) -> dict[int, int]:
    """Lock (or create) the sequence row of every day the import numbers tickets on, and return each day's last
    number so far. Intake on those days waits for the import's transaction instead of colliding with it."""
    day_objs = [dt.date.fromordinal(d) for d in per_day]
    base: dict[int, int] = {}
    for start in range(0, len(day_objs), 500):
        chunk = day_objs[start:start + 500]
        DailySequence.objects.bulk_create([DailySequence(day=d, last=0) for d in chunk], ignore_conflicts=True)
        for seq in DailySequence.objects.select_for_update().filter(day__in=chunk):
            base[seq.day.toordinal()] = seq.last
    return base


def _move_sequences(per_day: dict, base: dict) -> None:
    rows = [DailySequence(day=dt.date.fromordinal(d), last=base.get(d, 0) + n) for d, n in per_day.items()]
    DailySequence.objects.bulk_update(rows, ["last"], batch_size=500)


def _ticket_values(number: str, row: Row, levels: dict, policy, now, actor_id) -> tuple:
    """The Ticket columns of one row, with what the services would have derived: time limits and whether they
    were met, the response time, the handling time, callback and overdue flags."""
    due = SimpleNamespace(reported_at=row.reported_at)
    level = levels.get((row.kind, row.priority))
    if level is not None:
        services.apply_deadlines(due, level)
    else:
        due.response_due = due.onsite_due = due.resolution_due = None
    note_times = [at for at, _b in row.notes]
    responded = min([*note_times, row.resolved_at] if row.resolved_at else note_times, default=None)
    response_met = None if responded is None or due.response_due is None else responded <= due.response_due
    resolution_met = None if row.resolved_at is None or due.resolution_due is None \
        else row.resolved_at <= due.resolution_due
    handling = None if row.resolved_at is None else max(0, int((row.resolved_at - row.reported_at).total_seconds()
                                                                // 60))
    callback_required = row.satisfaction is not None or (
        row.status == S.RESOLVED and (row.kind == TicketKind.COMPLAINT or bool(level and level.callback_required)))
    callback_due = row.resolved_at + dt.timedelta(days=policy.callback_within_days) \
        if callback_required and row.satisfaction is None and row.status == S.RESOLVED else None
    called_back_at = None
    if row.satisfaction is not None:
        called_back_at = row.closed_at or row.resolved_at
    overdue = []
    if row.status in OPEN_STATUSES:
        for limit, done in (("response", responded), ("onsite", None), ("resolution", row.resolved_at)):
            limit_due = getattr(due, f"{limit}_due")
            if limit_due is not None and limit_due < now and done is None:
                overdue.append(Limit(limit).value)
    accepted_at = None if row.status == S.SUBMITTED else row.reported_at
    return (
        number, row.legacy_ref, row.kind, row.status, row.priority, row.channel, row.estate_id, row.unit_id,
        row.customer_id, row.contact_name, row.contact_phone, row.location, row.category_id, row.title,
        row.description, row.reported_at, row.assignee_id, row.department_id, row.resolution, accepted_at, None,
        responded, row.resolved_at, called_back_at, row.closed_at, row.cancelled_at, row.cancel_reason,
        row.cancel_comment, due.response_due, due.onsite_due, due.resolution_due, response_met, resolution_met,
        bool(overdue), overdue,
        handling, callback_required, callback_due, row.satisfaction, 1 if row.status == S.REOPENED else 0,
        row.reported_at, actor_id, actor_id,
    )


_CALLED_BACK_AT = TICKET_COLUMNS.index("called_back_at")


def _events(pk: int, row: Row, values: tuple, actor_id, imported_note: str) -> list[tuple]:
    """The timeline of an imported ticket: its creation, then each step whose time is known."""
    first = S.SUBMITTED if row.status == S.SUBMITTED else S.ACCEPTED
    data = {"channel": row.channel, "imported": True, **({"legacy_ref": row.legacy_ref} if row.legacy_ref else {}),
            **row.extra}
    events = [(pk, Step.CREATE, row.reported_at, actor_id, "", first, imported_note, data)]
    status = first
    if row.resolved_at is not None:
        events.append((pk, Step.RESOLVE, row.resolved_at, actor_id, status, S.RESOLVED, row.resolution,
                       {"imported": True}))
        status = S.RESOLVED
    if values[_CALLED_BACK_AT] is not None:
        events.append((pk, Step.CALLBACK, values[_CALLED_BACK_AT], actor_id, status, S.CALLED_BACK, "",
                       {"imported": True, "outcome": CallbackOutcome.REACHED, "satisfaction": row.satisfaction}))
        status = S.CALLED_BACK
    if row.closed_at is not None:
        events.append((pk, Step.CLOSE, row.closed_at, actor_id, status, S.CLOSED, "", {"imported": True}))
    if row.cancelled_at is not None:
        events.append((pk, Step.CANCEL, row.cancelled_at, actor_id, status, S.CANCELLED, "",
                       {"imported": True, "reason": row.cancel_reason}))
    if row.reopened_at is not None:
        events.append((pk, Step.REOPEN, row.reopened_at, actor_id, S.RESOLVED, S.REOPENED, "", {"imported": True}))
    return events


def _search_values(reg, ct, pk: int, number: str, row: Row) -> tuple:
    """The search entry ``core.search.index_object`` would write, from the row in memory."""
    obj = SimpleNamespace(pk=pk, number=number, title=row.title, description=row.description,
                          location=row.location, unit_id=row.unit_id, unit=SimpleNamespace(code=row.unit_code),
                          contact_phone=row.contact_phone, contact_name=row.contact_name,
                          legacy_ref=row.legacy_ref, estate_id=row.estate_id)
    values = search._entry_values(reg, obj, ct.pk)
    return ct.pk, pk, values["estate_id"], values["title"], values["subtitle"], values["tokens"]
