"""Demo documents (idempotent, through the services) and the bulk generator."""

import hashlib
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style

from wuye.core import search
from wuye.documents import demo, selectors
from wuye.documents.choices import ArchiveType, DocumentStatus, LoanState, RevisionState
from wuye.documents.models import Document, Loan, Regulation, Revision, RevisionFile

pytestmark = pytest.mark.django_db


def test_demo_documents_tell_the_controllers_story_and_a_second_load_adds_nothing():
    call_command("load_demo", stdout=StringIO())
    counts = (Document.objects.count(), Revision.objects.count(), Loan.objects.count(), Regulation.objects.count())
    out = StringIO()
    demo.load(stdout=out, style=no_style())
    assert "0 made now" in out.getvalue()
    assert counts == (Document.objects.count(), Revision.objects.count(), Loan.objects.count(),
                      Regulation.objects.count())
    elevator = Document.objects.get(title="电梯维保管理程序")
    assert elevator.status == DocumentStatus.CURRENT and elevator.current_revision.mark == "A/1"
    assert elevator.revisions.get(mark="A/0").state == RevisionState.SUPERSEDED
    assert "年检" in elevator.current_revision.files.get().text
    assert Document.objects.filter(status=DocumentStatus.OBSOLETE).exists()
    contract = Document.objects.get(category__path="合同")
    assert contract.is_restricted
    assert not Document.objects.restrict(User.objects.get(username="agent"), "view").filter(pk=contract.pk).exists()
    assert set(Loan.objects.values_list("state", flat=True)) == {LoanState.REQUESTED, LoanState.LENT}
    customer = Document.objects.filter(customer__isnull=False).first().customer
    archive = selectors.archive(user=User.objects.get(username="cs_manager"), archive_type=ArchiveType.CUSTOMER,
                                owner=customer)
    assert [c.name for c in archive["missing"]] == ["收楼资料"] and len(archive["documents"]) == 2


def test_generator_makes_documents_with_stored_files_and_search_entries(settings, tmp_path, client):
    settings.MEDIA_ROOT = str(tmp_path)
    default_storage.__dict__.pop("location", None)  # the storage reads MEDIA_ROOT again
    default_storage.__dict__.pop("base_location", None)
    out = StringIO()
    call_command("generate_data", documents=1200, stdout=out)
    generated = Document.objects.filter(code__startswith="G-")
    assert generated.count() == 1200 and "1200 documents" in out.getvalue()
    current = generated.filter(status=DocumentStatus.CURRENT)
    assert 0.75 < current.count() / 1200 < 0.95
    assert not current.filter(current_revision__isnull=True).exists()
    assert set(generated.values_list("confidentiality", flat=True)) == {"public", "internal", "secret",
                                                                         "confidential"}
    sample = RevisionFile.objects.filter(revision__document__in=current).first()
    with default_storage.open(sample.file.name, "rb") as f:
        data = f.read()
    assert hashlib.sha256(data).hexdigest() == sample.sha256 and len(data) == sample.size
    assert data.decode("utf-8").startswith(sample.text[:200])
    found = search.filter_queryset(Document.objects.all(), "电梯")
    assert found.exists() and found.filter(title__contains="电梯").exists()
    # a generated document (no author on its revision) has a working page and register row
    client.force_login(User.objects.create(username="~boss", is_superuser=True))
    assert client.get(current.first().get_absolute_url()).status_code == 200
    assert client.get("/documents/", {"q": "电梯"}).status_code == 200
