"""Reading the change history (django-simple-history) as before/after rows for an object's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .personal import mask

TYPE_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
HIDDEN_FIELDS = {"created_at", "updated_at", "created_by", "updated_by", "id"}


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    when: object
    user: object
    kind: str
    kind_label: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _hidden(name: str) -> bool:
    """Bookkeeping columns and keyed digests of personal data (``id_number_digest``) are not shown."""
    return name in HIDDEN_FIELDS or name.endswith("_digest")


def _display(model, name: str, value) -> str:
    if value in (None, ""):
        return "—"
    try:
        f = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if name in getattr(model, "personal_fields", ()):
        return mask(str(value))
    if f.is_relation and f.many_to_one:
        related = f.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value,
                                   "Y-m-d H:i")
    if isinstance(value, dt.date):
        return formats.date_format(value, "Y-m-d")
    return str(value)


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def history_rows(obj, limit: int | None = None) -> list[HistoryRow]:
    """Newest first. Each row lists the fields that changed from the previous version."""
    model = type(obj)
    qs = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    records = list(qs[: limit + 1] if limit is not None else qs)
    shown = records[:limit] if limit is not None else records
    rows: list[HistoryRow] = []
    for i, record in enumerate(shown):
        previous = records[i + 1] if i + 1 < len(records) else None
        changes: list[Change] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for c in delta.changes:
                if _hidden(c.field):
                    continue
                changes.append(Change(c.field, _label(model, c.field), _display(model, c.field, c.old),
                                      _display(model, c.field, c.new)))
        elif record.history_type == "+":
            for f in model._meta.fields:
                if _hidden(f.name) or not hasattr(record, f.attname):
                    continue
                value = getattr(record, f.attname)
                if value in (None, ""):
                    continue
                changes.append(Change(f.name, _label(model, f.name), "", _display(model, f.name, value)))
        if record.history_type == "~" and not changes:
            continue
        rows.append(HistoryRow(record.history_date, record.history_user, record.history_type,
                               str(TYPE_LABELS.get(record.history_type, record.history_type)),
                               record.history_change_reason or "", changes))
    return rows
