"""The documents API: published paths, the register through the services (numbering, field errors as 400,
permissions as 403), confidentiality (404 and audit), search ranked current-first in a small shape, revisions
with multipart files and their steps, loans asked for by code, handovers confirmed item by item, regulations'
review, and no DELETE anywhere."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wuye.core.models import AuditEvent
from wuye.documents import services
from wuye.documents.choices import DocumentStatus, HandoverState, LoanState, RevisionState
from wuye.documents.models import Document, Loan, Revision
from wuye.documents.tests.cases_api import handover, regulation
from wuye.documents.tests.factories import category, issued, make_document, pdf_file, text_file

pytestmark = pytest.mark.django_db

LIST = "api:documents-document-list"


def detail(document):
    return reverse("api:documents-document-detail", args=[document.pk])


def test_paths_are_the_published_ones():
    assert reverse(LIST) == "/api/v1/documents/"
    assert reverse("api:documents-document-search") == "/api/v1/documents/search/"
    assert reverse("api:documents-document-revisions", args=[7]) == "/api/v1/documents/7/revisions/"
    assert reverse("api:documents-document-obsolete", args=[7]) == "/api/v1/documents/7/obsolete/"
    assert reverse("api:documents-revision-approve", args=[7]) == "/api/v1/revisions/7/approve/"
    assert reverse("api:documents-documentcategory-list") == "/api/v1/document-categories/"
    assert reverse("api:documents-location-list") == "/api/v1/locations/"
    assert reverse("api:documents-loan-return", args=[7]) == "/api/v1/loans/7/return/"
    assert reverse("api:documents-handover-confirm", args=[7]) == "/api/v1/handovers/7/confirm/"
    assert reverse("api:documents-regulation-review", args=[7]) == "/api/v1/regulations/7/review/"


def test_create_numbers_by_the_category_rule_and_update_goes_through_the_service(world, client_for):
    client = client_for("document_controller", api=True)
    response = client.post(reverse(LIST), {"category": category().pk, "title": "电梯维保管理程序",
                                           "custodian": world.staff["agent"].pk, "keywords": "电梯"}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["code"] == "WY-QP-001" and data["status"] == DocumentStatus.DRAFT
    assert data["confidentiality"] == "internal" and data["category_path"] == "程序文件"
    assert data["url"].endswith(f"/api/v1/documents/{data['id']}/")
    duplicate = client.post(reverse(LIST), {"category": category().pk, "title": "重复", "code": "WY-QP-001"},
                            format="json")
    assert duplicate.status_code == 400 and "code" in duplicate.json()
    document = Document.objects.get(pk=data["id"])
    changed = client.patch(detail(document), {"title": "电梯维护保养程序", "review_by": "2027-06-30"}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == "电梯维护保养程序" and changed.json()["review_by"] == "2027-06-30"
    # the custodian changes through a handover only
    refused = client.patch(detail(document), {"custodian": world.staff["cs_manager"].pk}, format="json")
    assert refused.status_code == 400 and "custodian" in refused.json()
    # code and status are not the caller's to write
    client.patch(detail(document), {"code": "X-1", "status": "current"}, format="json")
    document.refresh_from_db()
    assert (document.code, document.status) == ("WY-QP-001", DocumentStatus.DRAFT)
    assert AuditEvent.objects.filter(event_type="document.update").exists()


def test_confidential_documents_answer_404_to_those_who_may_not_open_them(world, client_for):
    secret = make_document(world, title="业主纠纷和解协议", confidentiality="confidential")
    for role in ("agent", "cs_manager", "quality_auditor", "executive"):
        client = client_for(role, api=True)
        assert client.get(detail(secret)).status_code == 404, role
        assert client.get(reverse("api:documents-document-revisions", args=[secret.pk])).status_code == 404
        assert secret.pk not in [r["id"] for r in client.get(reverse(LIST)).json()["results"]]
    before = AuditEvent.objects.filter(event_type="document.view").count()
    assert client_for("document_controller", api=True).get(detail(secret)).status_code == 200
    assert AuditEvent.objects.filter(event_type="document.view").count() == before + 1
    # a grant opens it
    services.grant_create(actor=world.users["document_controller"], document=secret, user=world.users["agent"])
    assert client_for("agent", api=True).get(detail(secret)).status_code == 200


def test_search_ranks_current_documents_first_in_a_small_shape(world, client_for):
    old = make_document(world, title="电梯维保管理程序（旧）")
    issued(world, old)
    services.document_obsolete(actor=world.users["document_controller"], document=old, reason="被新版替代")
    draft = make_document(world, title="电梯应急预案")
    current = make_document(world, title="电梯维保管理程序")
    issued(world, current)
    make_document(world, title="电梯合同", confidentiality="secret")
    make_document(world, title="绿化养护规程")
    response = client_for("agent", api=True).get(reverse("api:documents-document-search"), {"q": "电梯"})
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["id"] for r in results] == [current.pk, draft.pk, old.pk]  # the secret one is not shown
    assert set(results[0]) == {"id", "code", "title", "status", "revision", "url"}
    assert results[0]["revision"] == "A/0" and results[0]["status"] == "current"
    assert results[0]["url"].endswith(f"/api/v1/documents/{current.pk}/")
    facets = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in response.json()["facets"]}
    assert facets["status"] == {"current": 1, "draft": 1, "obsolete": 1}  # the secret one is not counted
    # the list's q gives the same documents in the same order
    listed = client_for("agent", api=True).get(reverse(LIST), {"q": "电梯"}).json()["results"]
    assert [r["id"] for r in listed] == [current.pk, draft.pk, old.pk]
    # the controller finds the secret one too
    found = client_for("document_controller", api=True).get(reverse("api:documents-document-search"),
                                                             {"q": "电梯"}).json()["results"]
    assert len(found) == 4
    short = client_for("agent", api=True).get(reverse("api:documents-document-search"), {"q": "电"})
    assert short.status_code == 400 and "q" in short.json()


def test_revision_with_files_and_its_steps(world, client_for):
    document = make_document(world)
    manager, controller = client_for("cs_manager", api=True), client_for("document_controller", api=True)
    url = reverse("api:documents-document-revisions", args=[document.pk])
    created = manager.post(url, {"change_description": "首次发布", "files": [pdf_file("Lift check"), text_file()]},
                           format="multipart")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["mark"] == "A/0" and data["state"] == "draft" and len(data["files"]) == 2
    assert {f["content_type"] for f in data["files"]} == {"application/pdf", "text/plain"}
    assert data["files"][0]["download"].startswith("http://testserver/documents/files/")
    revision = Revision.objects.get(pk=data["id"])
    step = lambda client, name, body=None: client.post(  # noqa: E731
        reverse(f"api:documents-revision-{name}", args=[revision.pk]), body or {}, format="json")
    assert step(controller, "issue").status_code == 400  # never approved
    assert step(manager, "submit").json()["state"] == "in_review"
    assert step(manager, "approve").status_code == 400  # not one's own
    assert step(controller, "reject", {"reason": ""}).status_code == 400
    assert step(controller, "approve").json()["state"] == "approved"
    assert step(client_for("agent", api=True), "issue").status_code == 403
    issued_ = step(controller, "issue", {"effective_on": "2026-12-01"})
    assert issued_.status_code == 200 and issued_.json()["state"] == RevisionState.ISSUED
    document.refresh_from_db()
    assert document.status == DocumentStatus.CURRENT and document.current_revision_id == revision.pk
    listed = client_for("agent", api=True).get(url).json()
    assert [r["mark"] for r in listed] == ["A/0"] and listed[0]["is_current"] is True


def test_an_html_file_renamed_pdf_is_refused_and_nothing_is_kept(world, client_for):
    document = make_document(world)
    fake = SimpleUploadedFile("规程.pdf", b"<!doctype html><script>alert(1)</script>", content_type="application/pdf")
    response = client_for("cs_manager", api=True).post(
        reverse("api:documents-document-revisions", args=[document.pk]), {"files": [fake]}, format="multipart")
    assert response.status_code == 400 and "files" in response.json()
    assert not document.revisions.exists()


def test_obsolete_needs_a_reason_and_the_permission(world, client_for):
    document = make_document(world)
    issued(world, document)
    url = reverse("api:documents-document-obsolete", args=[document.pk])
    assert client_for("agent", api=True).post(url, {"reason": "x"}, format="json").status_code == 403
    empty = client_for("document_controller", api=True).post(url, {"reason": " "}, format="json")
    assert empty.status_code == 400 and "reason" in empty.json()
    done = client_for("document_controller", api=True).post(url, {"reason": "被新程序替代"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "obsolete"
    assert done.json()["obsolete_reason"] == "被新程序替代"


def test_loan_by_code_of_a_confidential_document_then_decided_lent_and_opened(world, client_for):
    secret = make_document(world, title="业主纠纷和解协议", confidentiality="confidential")
    agent, controller = client_for("agent", api=True), client_for("document_controller", api=True)
    now = timezone.now()
    body = {"code": secret.code, "purpose": "处理投诉", "medium": "electronic", "starts_at": now.isoformat(),
            "ends_at": (now + dt.timedelta(hours=4)).isoformat()}
    asked = agent.post(reverse("api:documents-loan-list"), body, format="json")
    assert asked.status_code == 201, asked.content
    loan = Loan.objects.get(pk=asked.json()["id"])
    assert loan.borrower == world.users["agent"] and asked.json()["state"] == "requested"
    assert agent.get(detail(secret)).status_code == 404
    assert agent.post(reverse("api:documents-loan-approve", args=[loan.pk])).status_code == 403  # own request
    approved = controller.post(reverse("api:documents-loan-approve", args=[loan.pk]))
    assert approved.status_code == 200 and approved.json()["state"] == LoanState.LENT
    assert agent.get(detail(secret)).status_code == 200
    returned = agent.post(reverse("api:documents-loan-return", args=[loan.pk]))
    assert returned.status_code == 200 and returned.json()["state"] == LoanState.RETURNED
    assert agent.get(detail(secret)).status_code == 404
    # bad input: a period that has ended, an unknown code
    past = {**body, "starts_at": (now - dt.timedelta(days=2)).isoformat(),
            "ends_at": (now - dt.timedelta(days=1)).isoformat()}
    assert agent.post(reverse("api:documents-loan-list"), past, format="json").status_code == 400
    unknown = agent.post(reverse("api:documents-loan-list"), {**body, "code": "NO-SUCH"}, format="json")
    assert unknown.status_code == 404
    # an estate-B document is not lent to the agent of estate A
    other = make_document(world, title="翠湖苑图纸", estate=world.estate_b)
    assert agent.post(reverse("api:documents-loan-list"), {**body, "code": other.code},
                      format="json").status_code == 404


def test_handover_confirmed_item_by_item_moves_custody(world, client_for):
    item = handover(world, "sent")
    document = world.staff["cs_manager"].documents_in_custody.get()
    stranger = make_document(world, title="别的文件")
    agent = client_for("agent", api=True)
    url = reverse("api:documents-handover-confirm", args=[item.pk])
    wrong = agent.post(url, {"document": stranger.pk}, format="json")
    assert wrong.status_code == 400
    assert client_for("cs_manager", api=True).post(url, {"document": document.pk}, format="json").status_code == 403
    done = agent.post(url, {"document": document.pk}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["state"] == HandoverState.COMPLETED and done.json()["items"][0]["confirmed_at"]
    document.refresh_from_db()
    assert document.custodian == world.staff["agent"]


def test_regulation_review(world, client_for):
    item = regulation(world)
    url = reverse("api:documents-regulation-review", args=[item.pk])
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    client = client_for("document_controller", api=True)
    assert client.post(url, {"reviewed_on": future}, format="json").status_code == 400
    done = client.post(url, {"reviewed_on": timezone.localdate().isoformat(), "status": "repealed",
                             "notes": "已废止"}, format="json")
    assert done.status_code == 200 and done.json()["is_repealed"] is True
    assert done.json()["last_reviewed_on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize("name", ["api:documents-document-detail", "api:documents-revision-detail",
                                  "api:documents-loan-detail", "api:documents-handover-detail",
                                  "api:documents-regulation-detail", "api:documents-location-detail",
                                  "api:documents-documentcategory-detail"])
def test_nothing_is_deleted(world, client_for, name):
    response = client_for("admin", api=True).delete(reverse(name, args=[1]))
    assert response.status_code == 405


def test_revisions_are_created_on_their_document_only(world, client_for):
    response = client_for("admin", api=True).post(reverse("api:documents-revision-list"), {}, format="json")
    assert response.status_code == 405
