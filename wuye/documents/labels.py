"""Labels for folders, boxes and cabinets (seed 2.8): A4 sheets of labels as PDF.

Each label shows the document's code, title, category, confidentiality and where its paper original lies, and a
QR code (segno, inline SVG) that opens the record's page (``WUYE_SITE_URL`` + its path). The documents are those
named by ``?ids=1,2,3``, or else those the register's filters select (``DocumentFilterSet``: ``q``, category,
status …), always through ``restrict()``: a label is printed only for a document the user may see.
``?kind=folder|box|cabinet`` chooses the label size.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.pdf import PdfResponse, render_html, render_pdf
from wuye.core.views import BaseView

from .filtersets import DocumentFilterSet
from .models import Document

MAX_LABELS = 1000


@dataclass(frozen=True)
class LabelKind:
    name: str
    label: str
    columns: int
    rows: int
    width_mm: float
    height_mm: float
    qr_mm: float
    font_pt: float


KINDS = {
    # folder spines and covers: 3 × 8 = 24 a sheet (62 × 33 mm)
    "folder": LabelKind("folder", gettext_lazy("Folder"), 3, 8, 62, 33, 22, 6.5),
    # archive boxes: 2 × 4 = 8 a sheet
    "box": LabelKind("box", gettext_lazy("Box"), 2, 4, 95, 65, 40, 9),
    # cabinet doors: 1 × 3 = 3 a sheet
    "cabinet": LabelKind("cabinet", gettext_lazy("Cabinet"), 1, 3, 186, 88, 60, 14),
}


def record_url(document: Document) -> str:
    """The absolute address of the document's page, which the QR code opens."""
    return settings.WUYE_SITE_URL.rstrip("/") + document.get_absolute_url()


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an inline SVG element (sized by CSS), titled with the URL."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=1, border=0, omitsize=True, title=url, dark="#000")


def selected_documents(request):
    """The documents to label: ``ids`` or the register's filters, restricted to what the user may see."""
    queryset = Document.objects.restrict(request.user, "view").select_related("category", "location")
    ids = [part for part in request.GET.get("ids", "").replace(" ", "").split(",") if part]
    if ids:
        if not all(part.isdigit() for part in ids):
            raise Http404
        queryset = queryset.filter(pk__in=[int(part) for part in ids])
    else:
        data = request.GET.copy()
        data.pop("kind", None)
        queryset = DocumentFilterSet(data=data, queryset=queryset, request=request).qs
    return list(queryset.order_by("code")[:MAX_LABELS])


def label_context(documents, kind: LabelKind) -> dict:
    labels = [{"document": d, "url": record_url(d), "qr": qr_svg(record_url(d)),
               "location": str(d.location) if d.location_id else ""} for d in documents]
    per_page = kind.columns * kind.rows
    pages = []
    for start in range(0, len(labels), per_page):
        chunk = labels[start:start + per_page]
        pages.append([chunk[row:row + kind.columns] for row in range(0, len(chunk), kind.columns)])
    return {"title": _("Document labels"), "kind": kind, "pages": pages, "count": len(labels)}


def labels_html(documents, kind: str = "folder") -> str:
    return render_html("documents/labels_pdf.html", label_context(documents, KINDS[kind]))


def labels_pdf(documents, kind: str = "folder") -> bytes:
    return render_pdf("documents/labels_pdf.html", label_context(documents, KINDS[kind]))


class LabelSheetView(BaseView):
    """An A4 sheet of labels as PDF (shown in the browser, to print)."""

    permission_required = "documents.print_labels"

    def get(self, request):
        kind = request.GET.get("kind") or "folder"
        if kind not in KINDS:
            raise Http404
        documents = selected_documents(request)
        if not documents:
            raise Http404(_("No documents to label."))
        pdf = labels_pdf(documents, kind)
        name = f"{_('Document labels')}-{KINDS[kind].label}-{timezone.localtime():%Y%m%d-%H%M}.pdf"
        return PdfResponse(pdf, name)
