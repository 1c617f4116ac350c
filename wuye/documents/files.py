"""Checking document uploads and reading their text.

A file is accepted by what it is, not by its name: PDF, Word (.docx), Excel (.xlsx), plain text, and photos
(JPEG, PNG). HTML, SVG and anything else is refused, also when renamed .pdf or .txt. The original name is kept
(sanitised) for display and downloads; the stored name is random. The text of PDF, Word and plain-text files
goes into the search index (pypdf, python-docx).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF, DOCX, XLSX, TEXT = ("application/pdf",
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/plain")
IMAGES = {"JPEG": "image/jpeg", "PNG": "image/png"}
TEXT_LIMIT = 200_000  # characters of extracted text kept per file
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
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            raise _refuse(name) from None
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        raise _refuse(name)
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format
            image.verify()
        if fmt in IMAGES:
            return IMAGES[fmt]
    except Exception:  # noqa: BLE001 - not an image Pillow can read
        pass
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
