"""PDF prints (DESIGN.md §6): a Django template rendered by WeasyPrint, A4, with the system CJK font.

``render_pdf("app/x_pdf.html", context)`` returns the PDF bytes; ``PdfResponse(pdf, filename)`` sends them.
A PDF template extends ``core/pdf_base.html``: it gets the company name in the page header, the title and the
print date in the footer, and "page n of m". The font stack names Noto Sans CJK SC (Debian's
``fonts-noto-cjk``) first, so Chinese text is real text in the PDF, not boxes.

Nothing is fetched over the network: the URL fetcher serves ``/static/…`` files from the static-file finders
(or the collected static storage) and ``data:`` URIs, and refuses everything else (http, https, other files).
Pictures from the media storage go in as ``data:`` URIs (``image_data_uri``), so S3 storage works the same.
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header

CJK_FONT_STACK = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", '
                  '"WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", sans-serif')
# The base URL relative links in a PDF template are resolved against; "/static/x.css" becomes
# "file:///static/x.css", which the fetcher maps to the static files (never to the real root of the disk).
BASE_URL = "file:///"


class RefusedURL(ValueError):
    """The PDF asked for something outside the static files (a network address, an arbitrary file)."""


def _static_path(url: str) -> str | None:
    """``static/...`` path inside the static files for a ``file:`` URL under STATIC_URL, else None."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = unquote(parts.path)
    prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}"
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix):]
    normal = posixpath.normpath(relative)
    if normal.startswith(("..", "/")) or normal in (".", "") or normal != relative.rstrip("/"):
        return None
    return normal


def _url_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves static files and ``data:`` URIs; refuses the network and every other file."""

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                return super().fetch(url, headers)
            relative = _static_path(url)
            if relative is None:
                raise RefusedURL(f"not fetched in a PDF (only static files): {url}")
            mime_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
            found = finders.find(relative)
            if found:
                with open(found, "rb") as f:
                    body = f.read()
            elif staticfiles_storage.exists(relative):
                with staticfiles_storage.open(relative) as f:
                    body = f.read()
            else:
                raise RefusedURL(f"no such static file: {relative}")
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    return StaticOnlyFetcher


def url_fetcher():
    """A WeasyPrint URL fetcher that only serves static files and ``data:`` URIs."""
    return _url_fetcher_class()(allowed_protocols=("file", "data"), allow_redirects=False)


def image_data_uri(file, content_type: str, *, max_bytes: int = 3 * 1024 * 1024) -> str | None:
    """A ``data:`` URI of a stored picture (a FieldFile), or None if it is too big or cannot be read."""
    try:
        if (getattr(file, "size", 0) or 0) > max_bytes:
            return None
        with file.open("rb") as f:
            data = f.read(max_bytes + 1)
    except (OSError, ValueError):
        return None
    if not data or len(data) > max_bytes:
        return None
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def pdf_context(context: dict, *, landscape: bool = False) -> dict:
    """What ``core/pdf_base.html`` needs besides the page's own context."""
    return {
        "company_name": settings.WUYE_COMPANY_NAME,
        "printed_at": timezone.localtime(),
        "landscape": landscape,
        "font_stack": CJK_FONT_STACK,
        **context,
    }


def render_html(template_name: str, context: dict, *, request=None, landscape: bool = False) -> str:
    return render_to_string(template_name, pdf_context(context, landscape=landscape), request=request)


def render_pdf(template_name: str, context: dict, *, request=None, landscape: bool = False) -> bytes:
    """Render ``template_name`` (extending ``core/pdf_base.html``) to PDF bytes: A4, portrait or landscape."""
    from weasyprint import HTML

    html = render_html(template_name, context, request=request, landscape=landscape)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).write_pdf()


class PdfResponse(HttpResponse):
    """A PDF answer; shown in the browser (``attachment=False``) or downloaded, with a Chinese file name."""

    def __init__(self, pdf: bytes, filename: str, *, attachment: bool = False, **kwargs):
        super().__init__(pdf, content_type="application/pdf", **kwargs)
        if not filename.lower().endswith(".pdf"):
            filename = f"{filename}.pdf"
        self["Content-Disposition"] = content_disposition_header(attachment, filename)
        self["Content-Length"] = str(len(pdf))
