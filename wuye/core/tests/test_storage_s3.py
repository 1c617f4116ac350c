"""Uploaded files in an S3-compatible bucket (``DJANGO_STORAGE=s3``, config/settings/base.py).

Against a real server: ``make test-s3`` starts Ceph's RADOS Gateway (scripts/ci_s3.sh) and runs this module with
the other modules that store files (scripts/test_s3.sh). Without ``DJANGO_STORAGE=s3`` the bucket tests are
skipped; the settings tests run always (they start a Python process of their own with the variables set).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.urls import reverse

from wuye.core.testing import s3

needs_s3 = pytest.mark.skipif(not s3.S3_TESTS, reason="DJANGO_STORAGE=s3 is not set: make test-s3 runs this "
                                                      "module against Ceph's RADOS Gateway")


def _settings_in_a_process(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings.test", DJANGO_ENV_FILE=os.devnull, **env)
    code = ("import django; django.setup(); from django.core.files.storage import storages; "
            "s = storages['default']; print(type(s).__name__, "
            "getattr(s, 'bucket_name', ''), getattr(s, 'location', ''), getattr(s, 'file_overwrite', ''), "
            "getattr(s, 'default_acl', ''), getattr(s, 'querystring_auth', ''))")
    return subprocess.run([sys.executable, "-c", code], env=clean, cwd=settings.BASE_DIR, capture_output=True,
                          text=True, timeout=60)


def test_the_setting_chooses_the_storage():
    local = _settings_in_a_process()
    assert local.returncode == 0, local.stderr
    assert local.stdout.split()[0] == "FileSystemStorage"
    bucket = _settings_in_a_process(DJANGO_STORAGE="s3", DJANGO_S3_BUCKET="wuye-media",
                                    DJANGO_S3_ENDPOINT_URL="http://127.0.0.1:9", DJANGO_S3_ACCESS_KEY="a",
                                    DJANGO_S3_SECRET_KEY="b", DJANGO_S3_PREFIX="site1")
    assert bucket.returncode == 0, bucket.stderr
    # a private bucket (no ACL sent: the bucket's own), signed links, a second file of a name never replaces the first
    assert bucket.stdout.split() == ["S3Storage", "wuye-media", "site1", "False", "None", "True"]


def test_an_unknown_storage_or_a_missing_bucket_stops_the_start():
    unknown = _settings_in_a_process(DJANGO_STORAGE="nfs")
    assert unknown.returncode != 0 and "DJANGO_STORAGE='nfs'" in unknown.stderr, unknown.stderr
    missing = _settings_in_a_process(DJANGO_STORAGE="s3")
    assert missing.returncode != 0 and "DJANGO_S3_BUCKET" in missing.stderr, missing.stderr


@needs_s3
def test_files_go_to_the_bucket_not_the_folder(_s3_folder, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    assert not isinstance(default_storage, FileSystemStorage)
    name = default_storage.save("tickets/2026/11/漏水 照片.txt", ContentFile("楼上漏水".encode()))
    assert s3.objects(_s3_folder) == {name: "楼上漏水".encode()}
    assert list(tmp_path.iterdir()) == []
    with default_storage.open(name, "rb") as f:
        assert f.read().decode() == "楼上漏水"


@needs_s3
def test_the_bucket_is_private(_s3_folder):
    name = default_storage.save("documents/secret.txt", ContentFile(b"confidential"))
    endpoint = settings.STORAGES["default"]["OPTIONS"]["endpoint_url"]
    anonymous = f"{endpoint}/{s3.bucket()}/{_s3_folder}/{name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(anonymous, timeout=10)  # noqa: S310  # nosec B310  # loopback test server
    assert refused.value.code == 403
    # the storage's own link is signed (and expires): the server checks the signature
    signed = default_storage.url(name)
    assert "Signature" in signed or "X-Amz-Signature" in signed
    with urllib.request.urlopen(signed, timeout=10) as answer:  # noqa: S310  # nosec B310
        assert answer.read() == b"confidential"


@needs_s3
def test_a_second_file_of_the_same_name_is_kept_beside_the_first(_s3_folder):
    first = default_storage.save("imports/客户.xlsx", ContentFile(b"one"))
    second = default_storage.save("imports/客户.xlsx", ContentFile(b"two"))
    assert first != second
    assert s3.objects(_s3_folder) == {first: b"one", second: b"two"}


def _photo() -> bytes:
    """A PNG of noise (incompressible: a few hundred kB, more than one read of the stream)."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.frombytes("RGB", (300, 300), os.urandom(300 * 300 * 3)).save(buf, format="PNG")
    return buf.getvalue()


@needs_s3
@pytest.mark.django_db
def test_an_attachment_round_trips_through_the_bucket(_s3_folder, world):
    """Uploaded through the page, stored in the bucket, served back by the app byte for byte."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from wuye.tickets.models import Attachment
    from wuye.tickets.tests.factories import make_ticket

    ticket = make_ticket(world)
    client = Client()
    client.force_login(world.users["cs_manager"])
    data = _photo()
    response = client.post(reverse("tickets:ticket_attach", args=[ticket.pk]),
                           {"visibility": "public", "files": SimpleUploadedFile("漏水.png", data)})
    assert response.status_code in (200, 302)
    attachment = Attachment.objects.get(ticket=ticket)
    stored = s3.objects(_s3_folder)
    assert stored == {attachment.file.name: data}
    served = client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert served.status_code == 200
    assert hashlib.sha256(b"".join(served.streaming_content)).hexdigest() == hashlib.sha256(data).hexdigest()
