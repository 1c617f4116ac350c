"""Checking document uploads and reading their text.

A file is accepted by what it is, not by its name: PDF, Word (.docx), Excel (.xlsx), plain text, and photos
(JPEG, PNG). HTML, SVG and anything else is refused, also when renamed .pdf or .txt. The original name is kept
(sanitised) for display and downloads; the stored name is random. The text of PDF, Word and plain-text files
goes into the search index (pypdf, python-docx).
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wuye.core.uploads import check_archive, check_image_size

PDF, DOCX, XLSX, TEXT = ("application/pdf",
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/plain")
IMAGES = {"JPEG": "image/jpeg", "PNG": "image/png"}
# characters of extracted text kept per file: the beginning (title, purpose, scope), which the search index and
# the page's preview read; the file itself stays whole
TEXT_LIMIT = 2_000
_MARKUP = re.compile(rb"<\s*(!doctype|html|svg|script|iframe|body|head|\?xml)", re.IGNORECASE)


@dataclass(frozen=True)
class UploadInfo:
    name: str
    content_type: str
    size: int
    sha256: str
    text: str


def safe_name(name: str) -> str:
    """The file's own name without any path, control characters or characters that trouble file systems and
    headers; never empty."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    name = re.sub(r'[<>:"/\\|?*]', "_", name).strip(" .")
    return name[:200] or "file"


def _refuse(name: str):
    return ValidationError({"files": _("“%(name)s” is not a PDF, Word, Excel, plain-text file or photo.")
                            % {"name": name}})


def _sniff(data: bytes, name: str) -> str:
    head = data[:1024]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise _refuse(name) from None
        check_archive(archive, name)  # a zip bomb or unsafe member names: refused before anything expands it
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        raise _refuse(name)
    found = None
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            fmt, size = image.format, image.size
            image.verify()
        if fmt in IMAGES:
            found = IMAGES[fmt]
    except Exception:  # noqa: BLE001 - not an image Pillow can read
        pass
    if found:
        check_image_size(*size, name)  # a decompression bomb: refused before anything decodes it
        return found
    if b"\x00" in head or _MARKUP.search(data[:4096]):
        raise _refuse(name)
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return TEXT
        except UnicodeDecodeError:
            continue
    raise _refuse(name)


def extract_text(data: bytes, content_type: str) -> str:
    """The readable text of a PDF, Word or plain-text file ("" if there is none or it cannot be read)."""
    try:
        if content_type == PDF:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            parts, size = [], 0
            for page in reader.pages:
                text = page.extract_text() or ""
                parts.append(text)
                size += len(text)
                if size >= TEXT_LIMIT:
                    break
            return "\n".join(parts)[:TEXT_LIMIT]
        if content_type == DOCX:
            import docx

            document = docx.Document(io.BytesIO(data))
            parts = [p.text for p in document.paragraphs]
            for table in document.tables:
                for row in table.rows:
                    parts.extend(cell.text for cell in row.cells)
            return "\n".join(p for p in parts if p)[:TEXT_LIMIT]
        if content_type == TEXT:
            for encoding in ("utf-8", "gb18030"):
                try:
                    return data.decode(encoding)[:TEXT_LIMIT]
                except UnicodeDecodeError:
                    continue
    except Exception:  # noqa: BLE001 - a damaged file is still kept; it is only not searchable by its text
        return ""
    return ""


def inspect_upload(upload) -> UploadInfo:
    """Check an upload (size, type by content) and read its checksum and text; ValidationError if refused."""
    name = safe_name(getattr(upload, "name", ""))
    limit = settings.WUYE_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError({"files": _("“%(name)s” is larger than %(mb)s MB.")
                               % {"name": name, "mb": limit // (1024 * 1024)}})
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data:
        raise ValidationError({"files": _("“%(name)s” is empty.") % {"name": name}})
    content_type = _sniff(data, name)
    return UploadInfo(name=name, content_type=content_type, size=len(data),
                      sha256=hashlib.sha256(data).hexdigest(), text=extract_text(data, content_type))


# --- the 作废 (obsolete) mark on served files (seed 2.5) ----------------------------------------------------------

MARK_TEXT = "作废 OBSOLETE"
OBSOLETE_PREFIX = "作废-"
MARK_COLOR = (200, 0, 0)


def obsolete_name(name: str) -> str:
    """The download name of a file of a withdrawn revision: ``作废-`` in front (once)."""
    return name if name.startswith(OBSOLETE_PREFIX) else f"{OBSOLETE_PREFIX}{name}"


def stamp_obsolete(data: bytes, content_type: str) -> bytes:
    """The file with a visible 作废 mark: a PDF gets a large red diagonal "作废 OBSOLETE" on every page, a photo the
    same drawn into it (same size), a text file a first line "【作废 OBSOLETE】". Word and Excel files cannot be
    marked inside: they are returned as they are (the download name says 作废, see ``obsolete_name``)."""
    if content_type == PDF:
        return _stamp_pdf(data)
    if content_type in IMAGES.values():
        return _stamp_image(data, content_type)
    if content_type == TEXT:
        return _stamp_text(data)
    return data


def _overlay_pdf(width_pt: float, height_pt: float) -> bytes:
    """One transparent page of the given size carrying the mark, made by WeasyPrint with the CJK font."""
    from weasyprint import HTML

    from wuye.core.pdf import BASE_URL, CJK_FONT_STACK, url_fetcher

    diagonal = (width_pt ** 2 + height_pt ** 2) ** 0.5
    angle = -math.degrees(math.atan2(height_pt, width_pt))
    size = max(12.0, diagonal / 13)  # about 78 pt on A4
    html = f"""<!doctype html><html><head><meta charset="utf-8"><style>
      @page {{ size: {width_pt:.2f}pt {height_pt:.2f}pt; margin: 0; }}
      html, body {{ margin: 0; height: 100%; background: transparent; }}
      .mark {{ position: absolute; left: 50%; top: 50%; width: {diagonal:.0f}pt; margin-left: -{diagonal / 2:.0f}pt;
               margin-top: -{size * 0.7:.0f}pt; text-align: center; white-space: nowrap;
               transform: rotate({angle:.2f}deg); font-family: {CJK_FONT_STACK}; font-weight: bold;
               font-size: {size:.0f}pt; color: rgba(200, 0, 0, 0.45); }}
      .mark span {{ border: {size / 16:.1f}pt solid rgba(200, 0, 0, 0.45); padding: 0 {size / 5:.0f}pt; }}
    </style></head><body><div class="mark"><span>{MARK_TEXT}</span></div></body></html>"""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).write_pdf()


def _stamp_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    overlays: dict[tuple[float, float], object] = {}
    for page in writer.pages:
        if page.rotation % 360:  # a page shown turned: the mark goes on what the reader sees
            page.transfer_rotation_to_content()
        box = page.mediabox
        key = (round(float(box.width), 1), round(float(box.height), 1))
        if key not in overlays:
            overlays[key] = PdfReader(io.BytesIO(_overlay_pdf(*key))).pages[0]
        page.merge_translated_page(overlays[key], float(box.left), float(box.bottom), over=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def cjk_font_path() -> str | None:
    """A file of the system CJK font (Debian's fonts-noto-cjk, the font core/pdf.py prints with)."""
    import glob
    import shutil
    import subprocess

    for pattern in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
                    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                    "/usr/share/fonts/**/NotoSansCJK*.tt[cf]", "/usr/share/fonts/**/NotoSansSC*.[ot]tf"):
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            return found[0]
    if shutil.which("fc-match"):
        try:
            path = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"], capture_output=True,
                                  text=True, timeout=5, check=False).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            path = ""
        if path and os.path.exists(path):
            return path
    return None


def _stamp_image(data: bytes, content_type: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGBA")
    width, height = image.size
    diagonal = int((width ** 2 + height ** 2) ** 0.5)
    size = max(10, diagonal // 13)
    path = cjk_font_path()
    font = ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)
    layer = Image.new("RGBA", (diagonal, diagonal), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    left, top, right, bottom = draw.textbbox((0, 0), MARK_TEXT, font=font)
    x, y = (diagonal - (right - left)) // 2 - left, (diagonal - (bottom - top)) // 2 - top
    pad = max(2, size // 6)
    draw.rectangle((x + left - pad, y + top - pad, x + right + pad, y + bottom + pad),
                   outline=(*MARK_COLOR, 150), width=max(1, size // 16))
    draw.text((x, y), MARK_TEXT, font=font, fill=(*MARK_COLOR, 150))
    layer = layer.rotate(math.degrees(math.atan2(height, width)), resample=Image.BICUBIC)
    layer = layer.crop(((diagonal - width) // 2, (diagonal - height) // 2,
                        (diagonal - width) // 2 + width, (diagonal - height) // 2 + height))
    stamped = Image.alpha_composite(image, layer)
    out = io.BytesIO()
    if content_type == IMAGES["JPEG"]:
        stamped.convert("RGB").save(out, "JPEG", quality=90)
    else:
        stamped.save(out, "PNG")
    return out.getvalue()


def _stamp_text(data: bytes) -> bytes:
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return f"【{MARK_TEXT}】{_('This document is withdrawn; do not use it.')}\n{text}".encode()


def is_withdrawn_file(stored) -> bool:
    """A file of a superseded or obsolete revision, or of an obsolete document: served with the 作废 mark."""
    revision = stored.revision
    return revision.is_withdrawn or revision.document.is_obsolete


def file_response(stored, *, withdrawn: bool | None = None):
    """The answer that serves a ``RevisionFile``: always a download (never inline), ``nosniff`` and a sandbox
    policy; a file of a withdrawn revision or document carries the 作废 mark (``stamp_obsolete``) and a name
    starting with 作废-. Http404 when the stored file is gone. Another app's stored file (with ``file``, ``name`` and
``content_type``) says itself whether it is ``withdrawn``."""
    from django.http import FileResponse, Http404, HttpResponse
    from django.utils.http import content_disposition_header

    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    if is_withdrawn_file(stored) if withdrawn is None else withdrawn:
        with handle:
            data = stamp_obsolete(handle.read(), stored.content_type)
        response = HttpResponse(data, content_type=stored.content_type)
        response["Content-Disposition"] = content_disposition_header(True, obsolete_name(stored.name))
        response["Content-Length"] = str(len(data))
    else:
        response = FileResponse(handle, as_attachment=True, filename=stored.name, content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
