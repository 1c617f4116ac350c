"""Checks shared by every upload field: archives that would expand too far (zip bombs) and images too large to open.

Office files (.docx, .xlsx) are zip archives. An archive is refused when its members, expanded, would be larger
than ``WUYE_UPLOAD_MAX_EXPANDED_BYTES`` (default 100 MB), when one member expands more than ``MAX_RATIO`` times,
when it holds more than ``MAX_MEMBERS`` members, or when a member's name is absolute or climbs out with ``..``.
Python's ``zipfile`` never reads past a member's declared size, so checking the declared sizes bounds what the
readers (python-docx, openpyxl) expand. A photo is refused above ``WUYE_UPLOAD_MAX_PIXELS`` (default 40 million
pixels), before any reader decodes it.
"""

from __future__ import annotations

import os
import posixpath
import re
import unicodedata
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_RATIO = 200          # a text-heavy Word file compresses about 5-20 times; a bomb 1,000 times and more
MAX_MEMBERS = 5_000


def max_expanded_bytes() -> int:
    return int(getattr(settings, "WUYE_UPLOAD_MAX_EXPANDED_BYTES", 100 * 1024 * 1024))


def max_pixels() -> int:
    return int(getattr(settings, "WUYE_UPLOAD_MAX_PIXELS", 40_000_000))


def safe_name(name: str) -> str:
    """The file's own name, for display and downloads only (files are stored under generated names): no path, no
    control characters (NUL included: PostgreSQL refuses it in text), none of the characters that trouble file
    systems and headers; never empty."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    name = re.sub(r'[<>:"/\\|?*]', "_", name).strip(" .")
    return name[:200] or "file"


def _refuse_archive(name: str) -> ValidationError:
    return ValidationError({"files": _("“%(name)s” is a damaged or suspicious archive (it expands too far or "
                                       "holds unsafe names).") % {"name": name}})


def check_archive(archive: zipfile.ZipFile, name: str) -> None:
    """ValidationError if the zip archive (an Office file) could be a zip bomb or holds unsafe member names."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _refuse_archive(name)
    total = 0
    for member in members:
        member_name = member.filename.replace("\\", "/")
        if (member_name.startswith("/") or "\x00" in member_name
                or ".." in posixpath.normpath(member_name).split("/")):
            raise _refuse_archive(name)
        total += member.file_size
        if total > max_expanded_bytes():
            raise _refuse_archive(name)
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise _refuse_archive(name)


def check_image_size(width: int, height: int, name: str) -> None:
    """ValidationError if a photo has more pixels than a reader should decode (a decompression bomb)."""
    if width * height > max_pixels():
        raise ValidationError({"files": _("“%(name)s” is too large a picture (%(width)s × %(height)s pixels).")
                               % {"name": name, "width": width, "height": height}})
