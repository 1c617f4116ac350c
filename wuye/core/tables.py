"""Base table (django-tables2) and the columns every app needs."""

from __future__ import annotations

import html

import django_tables2 as tables
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, BackupRun
from .personal import mask

# django-tables2 asks inspect.signature() which arguments a render/value/linkify function takes, once per cell
# (hundreds of times a page, a sixth of a list's time). The answer depends only on the function: remember it.
_signature = tables.utils.signature
_signatures: dict = {}


def _cached_signature(fn):
    func = getattr(fn, "__func__", fn)
    key = (func, getattr(fn, "__self__", None) is not None)
    try:
        return _signatures[key]
    except KeyError:
        if len(_signatures) > 5000:  # functions made per request (lambdas) must not grow it for ever
            _signatures.clear()
        result = _signatures[key] = _signature(fn)
        return result
    except TypeError:  # an unhashable callable
        return _signature(fn)


tables.utils.signature = _cached_signature


def _escape(value) -> str:
    """``conditional_escape`` without its lazy-string wrapper (a few thousand calls a page)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class BaseTable(tables.Table):
    """Bootstrap styling; ``Meta.default_columns`` names the columns shown (others stay exportable)."""

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}
        template_name = "core/table.html"
        empty_text = _("Nothing here yet.")

    def __init__(self, *args, request=None, all_columns=False, **kwargs):
        self.request = request
        default_columns = getattr(self.Meta, "default_columns", None)
        if default_columns and not all_columns and "exclude" not in kwargs:
            kwargs["exclude"] = [name for name in self.base_columns if name not in default_columns]
        super().__init__(*args, **kwargs)

    # A busy list may render its rows itself: ``fast_row(record)`` returns the cells' (td class, HTML) in the
    # order of ``fast_columns``; a plain ``str`` is escaped here, a safe string is used as it is. django-tables2's
    # per-cell machinery costs about 1.5 ms a row; string building a twentieth of that. Used only when the
    # visible columns are exactly ``fast_columns``; a test of the table compares both renderings.
    fast_columns: tuple[str, ...] = ()

    def fast_row(self, record) -> list[tuple[str, str]]:
        raise NotImplementedError

    def fast_row_class(self, record) -> str:
        return ""

    @property
    def fast_tbody(self):
        """The rows of the current page as HTML, or None to let django-tables2 render them."""
        if not self.fast_columns or tuple(c.name for c in self.columns) != self.fast_columns:
            return None
        page = getattr(self, "page", None)
        bound = page.object_list if page is not None else self.rows
        # the records themselves: iterating BoundRows would wrap each in a BoundRow first
        data = getattr(bound, "data", bound)
        records = list(getattr(data, "data", data))
        if not records:
            return None
        rows = []
        for index, record in enumerate(records):
            css = f"{self.fast_row_class(record)} {'odd' if index % 2 else 'even'}".strip()
            cells = "".join(f'<td class="{c}">{_escape(html)}</td>' if c else f"<td>{_escape(html)}</td>"
                            for c, html in self.fast_row(record))
            rows.append(f'<tr class="{_escape(css)}">{cells}</tr>')
        return mark_safe("".join(rows))  # noqa: S308  # nosec  # every cell is escaped or built by format_html


class MaskedColumn(tables.Column):
    """Phone or ID number: always masked in lists and exports (reveal is per record, audited). Not sortable: the
    column holds ciphertext."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return mask(value)

    def value(self, value):
        return mask(value)

    def export_value(self, value):
        return mask(value)


class ChoiceBadgeColumn(tables.Column):
    """A choice field shown as a coloured badge; colours from ``colors={value: "success"}``."""

    def __init__(self, *args, colors=None, **kwargs):
        self.colors = colors or {}
        super().__init__(*args, **kwargs)

    def render(self, value, record, bound_column):
        raw = getattr(record, bound_column.accessor.split(".")[-1], None) if bound_column.accessor else None
        color = self.colors.get(raw, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', color, value)

    def value(self, value):
        return value

    def export_value(self, value):
        return value


class AuditEventTable(BaseTable):
    occurred_at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    actor = tables.Column()
    event_type = tables.Column()
    object_repr = tables.Column()
    data = tables.Column(orderable=False)
    ip = tables.Column()

    class Meta(BaseTable.Meta):
        model = AuditEvent
        fields = ("occurred_at", "actor", "event_type", "content_type", "object_repr", "data", "ip")
        default_columns = ("occurred_at", "actor", "event_type", "object_repr", "data")


class BackupRunTable(BaseTable):
    """The backup log: when, what, which file, how large, whether it worked (``manage.py backup``/``restore``)."""

    started_at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    duration = tables.Column(_("duration (s)"), accessor="duration_seconds", orderable=False)
    kind = tables.Column()
    file_name = tables.Column()
    size_bytes = tables.Column(_("size"))
    ok = tables.Column()
    counts = tables.Column(orderable=False)
    message = tables.Column(orderable=False)

    class Meta(BaseTable.Meta):
        model = BackupRun
        fields = ("started_at", "finished_at", "duration", "kind", "file_name", "size_bytes", "ok", "counts",
                  "message")
        default_columns = ("started_at", "duration", "kind", "file_name", "size_bytes", "ok", "counts", "message")

    def render_duration(self, value):
        return f"{value:.1f}"

    def value_duration(self, value):
        return round(value, 1)

    def render_size_bytes(self, value):
        return filesizeformat(value)

    def value_size_bytes(self, value):
        return value

    def render_ok(self, value):
        if value:
            return format_html('<span class="badge text-bg-success">{}</span>', _("succeeded"))
        return format_html('<span class="badge text-bg-danger">{}</span>', _("failed"))

    def value_ok(self, value):
        return str(_("succeeded") if value else _("failed"))

    def render_counts(self, value):
        if not value:
            return "—"
        return _("%(rows)s rows in %(tables)s tables, %(files)s files") % {
            "rows": f"{value.get('rows', 0):,}", "tables": value.get("tables", 0), "files": value.get("files", 0)}

    def value_counts(self, value):
        return self.render_counts(value)
