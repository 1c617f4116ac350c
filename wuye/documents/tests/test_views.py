"""The staff pages of documents: the journeys through them (register → revision → approve → issue → a new
revision supersedes; withdrawal; borrowing by code; paper double lending; handovers; archives), bad input, and
a constant number of queries on the register.

Documents are made through the services (factories.py); the pages are driven as the roles of the test world.
"""

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wuye.core.models import AuditEvent
from wuye.documents import selectors, services
from wuye.documents.choices import DocumentStatus, HandoverState, LoanMedium, LoanState, RevisionState
from wuye.documents.models import ArchiveRequirement, Document, Handover, Loan, Regulation
from wuye.documents.tests.factories import category, issued, make_document, period, text_file
from wuye.org.choices import StaffStatus

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def codes(response) -> list[str]:
    return re.findall(r'<a href="/documents/\d+/">([A-Z0-9.\-]+)</a>', html(response))


def field_errors(response) -> str:
    return " ".join(re.findall(r'<div class="(?:invalid-feedback d-block|alert alert-danger[^"]*)"[^>]*>(.*?)</div>',
                               html(response), re.S))


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


# --- register → revisions → issue → supersede ---------------------------------------------------------------


def test_register_revise_approve_issue_and_a_new_revision_supersedes(world, client_for):
    controller, manager = client_for("document_controller"), client_for("cs_manager")
    response = controller.post(reverse("documents:document_add"), {
        "code": "", "category": category().pk, "title": "电梯维保管理程序", "confidentiality": "",
        "custodian": world.staff["document_controller"].pk})
    assert response.status_code == 302, field_errors(response)
    document = Document.objects.get(title="电梯维保管理程序")
    assert document.code == "WY-QP-001" and document.confidentiality == "internal"  # the category's rule/default

    response = manager.post(reverse("documents:revision_add", args=[document.pk]),
                            {"files": text_file(), "change_description": "首次发布"})
    assert response.status_code == 302, field_errors(response)
    first = document.revisions.get()
    assert first.mark == "A/0" and first.author == world.users["cs_manager"]
    page = html(manager.get(document.get_absolute_url()))
    assert "step-revision_submit" in page and "step-revision_approve" not in page
    assert manager.post(reverse("documents:revision_submit", args=[first.pk])).status_code == 302
    # the author cannot approve their own revision: the form says so and nothing changes
    response = manager.post(reverse("documents:revision_approve", args=[first.pk]))
    assert response.status_code == 400 and field_errors(response)
    first.refresh_from_db()
    assert first.state == RevisionState.IN_REVIEW
    assert "step-revision_approve" in html(controller.get(document.get_absolute_url()))
    assert controller.post(reverse("documents:revision_approve", args=[first.pk])).status_code == 302
    assert controller.post(reverse("documents:revision_issue", args=[first.pk]),
                           {"effective_on": "2026-01-01"}).status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.CURRENT and document.current_revision == first
    assert str(document.current_revision.effective_on) == "2026-01-01"

    manager.post(reverse("documents:revision_add", args=[document.pk]), {"files": text_file("第二版"),
                                                                          "change_description": "增加月检"})
    second = document.revisions.exclude(pk=first.pk).get()
    assert second.mark == "A/1"
    manager.post(reverse("documents:revision_submit", args=[second.pk]))
    controller.post(reverse("documents:revision_approve", args=[second.pk]))
    controller.post(reverse("documents:revision_issue", args=[second.pk]), {"effective_on": ""})
    first.refresh_from_db()
    document.refresh_from_db()
    assert first.state == RevisionState.SUPERSEDED and document.current_revision == second
    page = html(manager.get(document.get_absolute_url()))
    assert f'id="revision-{first.pk}"' in page and "obsolete-mark" in page  # the old one carries 作废
    withdrawn = html(manager.get(reverse("documents:withdrawal_register")))
    assert document.code in withdrawn and "A/0" in withdrawn


def test_obsolete_badge_on_the_page_and_in_the_list(world, client_for):
    document = make_document(world)
    issued(world, document)
    current = make_document(world, title="投诉处理程序")
    issued(world, current)
    controller = client_for("document_controller")
    response = controller.post(reverse("documents:document_obsolete", args=[document.pk]), {"reason": "被新程序替代"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_obsolete
    page = html(client_for("agent").get(document.get_absolute_url()))
    assert "obsolete-badge" in page and "obsolete-alert" in page and "作废" in page
    assert "step-revision_add" not in html(controller.get(document.get_absolute_url()))
    listing = client_for("agent").get(reverse("documents:document_list"))
    assert codes(listing) == [current.code, document.code]  # current first
    assert "obsolete-mark" in html(listing)
    assert document.code in html(client_for("agent").get(reverse("documents:withdrawal_register")))


def test_register_filters_search_and_export(world, client_for):
    lift = make_document(world, title="电梯维保管理程序")
    issued(world, lift)
    contract = make_document(world, path="合同", title="保洁外包合同", estate=world.estate_a,
                             confidentiality="internal")  # contracts are secret by their category's default
    secret = make_document(world, path="合同", title="电梯维保合同", confidentiality="confidential")
    agent = client_for("agent")
    assert codes(agent.get(reverse("documents:document_list"), {"q": "电梯"})) == [lift.code]  # not the secret one
    assert secret.code in codes(client_for("document_controller").get(reverse("documents:document_list"),
                                                                      {"q": "电梯"}))
    assert codes(agent.get(reverse("documents:document_list"), {"category": category("合同").pk})) == [contract.code]
    assert codes(agent.get(reverse("documents:document_list"), {"status": "current"})) == [lift.code]
    assert codes(agent.get(reverse("documents:document_list"), {"estate": world.estate_a.pk})) == [contract.code]
    response = agent.get(reverse("documents:document_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert lift.code in values and contract.code in values and secret.code not in values


def test_the_register_reads_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for("document_controller")
    for i in range(2):
        issued(world, make_document(world, title=f"程序{i}", location=None))
    url = reverse("documents:document_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        issued(world, make_document(world, title=f"更多程序{i}", department=world.department))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(codes(response)) == 12


def test_bad_input_reshows_the_form_and_changes_nothing(world, client_for):
    document = make_document(world)
    controller = client_for("document_controller")
    count = Document.objects.count()
    response = controller.post(reverse("documents:document_add"), {
        "code": document.code, "category": category().pk, "title": "重复编号"})
    assert response.status_code == 400 and field_errors(response)
    assert Document.objects.count() == count
    # a file that is HTML renamed .pdf is refused
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for("cs_manager").post(reverse("documents:revision_add", args=[document.pk]), {
        "files": SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")})
    assert response.status_code == 400 and field_errors(response)
    assert not document.revisions.exists()
    # withdrawing needs a reason
    response = controller.post(reverse("documents:document_obsolete", args=[document.pk]), {"reason": " "})
    assert response.status_code == 400
    document.refresh_from_db()
    assert not document.is_obsolete


# --- confidentiality and borrowing ----------------------------------------------------------------------------


def test_borrow_a_confidential_document_by_code_and_lose_it_at_the_end(world, client_for, monkeypatch):
    secret = make_document(world, path="合同", title="某小区物业服务合同", confidentiality="confidential")
    revision = issued(world, secret, author=world.users["document_controller"], approver=world.users["admin"])
    agent, controller = client_for("agent"), client_for("document_controller")
    assert agent.get(secret.get_absolute_url()).status_code == 404
    assert agent.get(reverse("documents:document_history", args=[secret.pk])).status_code == 404
    file_url = reverse("documents:file", args=[revision.files.get().pk])
    assert agent.get(file_url).status_code == 404
    assert secret.code not in html(agent.get(reverse("documents:document_list")))

    start, end = period(-0.1, 2)
    data = {"purpose": "核对合同条款", "medium": "electronic", "starts_at": local(start), "ends_at": local(end)}
    # an unknown code and a document the agent may not even ask for (estate B) get the same neutral answer
    unknown = agent.post(reverse("documents:loan_request"), {**data, "code": "WY-XX-999"})
    out_of_scope = make_document(world, path="合同", title="翠湖苑合同", estate=world.estate_b,
                                 confidentiality="secret")
    hidden = agent.post(reverse("documents:loan_request"), {**data, "code": out_of_scope.code})
    assert unknown.status_code == hidden.status_code == 400
    assert field_errors(unknown) == field_errors(hidden) != ""
    assert not Loan.objects.exists()

    response = agent.post(reverse("documents:loan_request"), {**data, "code": secret.code})
    assert response.status_code == 302, field_errors(response)
    loan = Loan.objects.get()
    assert loan.borrower == world.users["agent"] and loan.state == LoanState.REQUESTED
    assert "step-cancel" in html(agent.get(loan.get_absolute_url()))
    assert agent.post(reverse("documents:loan_step", args=[loan.pk, "approve"])).status_code == 403
    assert "step-approve" in html(controller.get(loan.get_absolute_url()))
    assert controller.post(reverse("documents:loan_step", args=[loan.pk, "approve"])).status_code == 302
    loan.refresh_from_db()
    assert loan.state == LoanState.LENT

    before = AuditEvent.objects.filter(event_type="document.view", object_id=str(secret.pk)).count()
    assert agent.get(secret.get_absolute_url()).status_code == 200
    assert agent.get(file_url).status_code == 200
    assert AuditEvent.objects.filter(event_type="document.view", object_id=str(secret.pk)).count() == before + 1
    assert AuditEvent.objects.filter(event_type="document.download", object_id=str(secret.pk)).exists()

    later = timezone.now() + dt.timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)  # no job runs: the end time alone closes the loan
    assert agent.get(secret.get_absolute_url()).status_code == 404
    assert agent.get(file_url).status_code == 404


def test_a_paper_copy_is_not_lent_twice_and_the_page_says_why(world, client_for):
    document = make_document(world, path="合同", title="停车场合同", confidentiality="internal")
    start, end = period(0, 48)
    first = services.loan_request(actor=world.users["agent"], document=document, purpose="查阅",
                                  medium=LoanMedium.PAPER, starts_at=start, ends_at=end)
    second = services.loan_request(actor=world.users["cs_manager"], document=document, purpose="复印",
                                   medium=LoanMedium.PAPER, starts_at=start + dt.timedelta(hours=1),
                                   ends_at=end + dt.timedelta(hours=1))
    controller = client_for("document_controller")
    assert controller.post(reverse("documents:loan_step", args=[first.pk, "approve"])).status_code == 302
    response = controller.post(reverse("documents:loan_step", args=[second.pk, "approve"]))
    assert response.status_code == 400 and field_errors(response)
    second.refresh_from_db()
    assert second.state == LoanState.REQUESTED
    assert "step-lend" in html(controller.get(first.get_absolute_url()))
    controller.post(reverse("documents:loan_step", args=[first.pk, "lend"]))
    assert "step-return" in html(controller.get(first.get_absolute_url()))
    controller.post(reverse("documents:loan_step", args=[first.pk, "return"]))
    first.refresh_from_db()
    assert first.state == LoanState.RETURNED
    assert controller.post(reverse("documents:loan_step", args=[second.pk, "approve"])).status_code == 302


def test_a_grant_opens_a_secret_document_until_it_is_ended(world, client_for):
    secret = make_document(world, path="合同", title="保安外包合同", confidentiality="secret")
    manager, controller = client_for("cs_manager"), client_for("document_controller")
    assert manager.get(secret.get_absolute_url()).status_code == 404
    assert controller.post(reverse("documents:documentgrant_add", args=[secret.pk]),
                           {"user": world.users["cs_manager"].pk, "reason": "合同审查"}).status_code == 302
    assert manager.get(secret.get_absolute_url()).status_code == 200
    grant = secret.grants.get()
    assert "grant-end" in html(controller.get(secret.get_absolute_url()))
    assert controller.post(reverse("documents:documentgrant_end", args=[grant.pk])).status_code == 302
    assert manager.get(secret.get_absolute_url()).status_code == 404


# --- handovers ------------------------------------------------------------------------------------------------


def test_handover_confirm_moves_custody_and_leaving_is_blocked_until_then(world, client_for):
    leaving, successor = world.staff["agent"], world.staff["cs_manager"]
    docs = [make_document(world, title=f"客服档案{i}", custodian=leaving) for i in range(2)]
    admin = client_for("admin")
    leave_url = reverse("org:staff_leave", args=[leaving.pk])
    response = admin.post(leave_url, {"left_on": timezone.localdate().isoformat()})
    assert response.status_code == 400 and leaving.name in field_errors(response)
    leaving.refresh_from_db()
    assert leaving.status == StaffStatus.ACTIVE

    controller = client_for("document_controller")
    response = controller.post(reverse("documents:handover_add"), {
        "from_staff": leaving.pk, "to_staff": successor.pk, "reason": "离职"})
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert set(handover.items.values_list("document", flat=True)) == {d.pk for d in docs}
    # the list is editable while it is prepared: take one off, put it back by its code
    controller.post(reverse("documents:handover_item_remove", args=[handover.pk, docs[1].pk]))
    assert handover.items.count() == 1
    controller.post(reverse("documents:handover_item_add", args=[handover.pk]), {"code": docs[1].code})
    assert handover.items.count() == 2
    assert controller.post(reverse("documents:handover_send", args=[handover.pk])).status_code == 302

    manager = client_for("cs_manager")
    page = html(manager.get(handover.get_absolute_url()))
    assert page.count("item-confirm") == 2
    assert controller.post(reverse("documents:handover_confirm", args=[handover.pk, docs[0].pk])).status_code == 403
    manager.post(reverse("documents:handover_confirm", args=[handover.pk, docs[0].pk]))
    assert Document.objects.get(pk=docs[0].pk).custodian == leaving  # not yet: one item still open
    manager.post(reverse("documents:handover_confirm", args=[handover.pk, docs[1].pk]))
    handover.refresh_from_db()
    assert handover.state == HandoverState.COMPLETED
    assert set(Document.objects.filter(pk__in=[d.pk for d in docs]).values_list("custodian", flat=True)) == {
        successor.pk}
    pdf = controller.get(reverse("documents:handover_print", args=[handover.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert admin.post(leave_url, {"left_on": timezone.localdate().isoformat()}).status_code == 302


# --- regulations, archives, the controller's panel ------------------------------------------------------------


def test_regulation_review_and_the_review_due_filter(world, client_for):
    old = Regulation.objects.create(title="物业管理条例", authority="国务院", level="national",
                                    effective_on=dt.date(2003, 9, 1))
    fresh = Regulation.objects.create(title="民法典", authority="全国人大", level="national",
                                      last_reviewed_on=timezone.localdate())
    controller = client_for("document_controller")
    listing = html(controller.get(reverse("documents:regulation_list"), {"review_due": "true"}))
    assert f">{old.title}</a>" in listing and f">{fresh.title}</a>" not in listing
    assert "review-due" in html(controller.get(old.get_absolute_url()))
    response = controller.post(reverse("documents:regulation_review", args=[old.pk]), {
        "reviewed_on": timezone.localdate().isoformat(), "status": "amended", "notes": "2018年修订"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.last_reviewed_on == timezone.localdate() and old.status == "amended"
    assert f">{old.title}</a>" not in html(controller.get(reverse("documents:regulation_list"),
                                                          {"review_due": "true"}))
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = controller.post(reverse("documents:regulation_review", args=[old.pk]),
                               {"reviewed_on": future, "status": "in_force"})
    assert response.status_code == 400


def test_archives_on_the_customer_estate_and_building_pages(world, client_for):
    ArchiveRequirement.objects.create(archive_type="customer", category=category("客户档案"))
    customer_url = reverse("estates:customer", args=[world.customer_a.pk])
    agent = client_for("agent")
    page = html(agent.get(customer_url))
    assert "archive-missing" in page and "客户档案" in page
    filed = make_document(world, path="客户档案", title="王芳入伙资料", estate=world.estate_a,
                          customer=world.customer_a)
    issued(world, filed)
    page = html(agent.get(customer_url))
    assert filed.code in page and "archive-complete" in page
    works = make_document(world, path="工程档案", title="3号楼竣工图", estate=world.estate_a,
                          building=world.building_a)
    assert works.code in html(agent.get(reverse("estates:building", args=[world.building_a.pk])))
    estate_doc = make_document(world, path="物业档案", title="丽景园接管验收记录", estate=world.estate_a)
    page = html(agent.get(reverse("estates:estate", args=[world.estate_a.pk])))
    assert estate_doc.code in page and works.code not in page  # the estate's own archive only


def test_the_controller_sees_what_waits_on_the_home_page(world, client_for):
    document = make_document(world)
    start, end = period()
    services.loan_request(actor=world.users["agent"], document=document, purpose="查阅",
                          medium=LoanMedium.ELECTRONIC, starts_at=start, ends_at=end)
    Regulation.objects.create(title="物业管理条例", authority="国务院", level="national",
                              effective_on=dt.date(2003, 9, 1))
    page = html(client_for("document_controller").get("/"))
    assert "documents-controller-panel" in page
    waiting = re.search(r'controller-waiting".*?<span class="badge[^"]*">(\d+)</span>', page, re.S)
    due = re.search(r'controller-regulations".*?<span class="badge[^"]*">(\d+)</span>', page, re.S)
    assert waiting.group(1) == "1" and due.group(1) == "1"
    assert "documents-controller-panel" not in html(client_for("agent").get("/"))


def test_the_controller_configures_what_an_archive_must_hold(world, client_for):
    from wuye.documents.choices import ArchiveType
    from wuye.documents.models import ArchiveRequirement, DocumentCategory

    controller = client_for("document_controller")
    extra = DocumentCategory.objects.create(name="装修资料", parent=DocumentCategory.objects.get(path="客户档案"),
                                            prefix="KH-ZX")
    page = controller.get(reverse("documents:archiverequirement_list"))
    assert page.status_code == 200 and "入伙资料" in page.content.decode()
    response = controller.post(reverse("documents:archiverequirement_add"), {
        "archive_type": ArchiveType.CUSTOMER, "category": extra.pk, "sort_order": 40, "is_active": "on"})
    assert response.status_code == 302
    missing = [c.path for c in selectors.archive(user=world.users["cs_manager"], archive_type=ArchiveType.CUSTOMER,
                                                 owner=world.customer_a)["missing"]]
    assert "客户档案/装修资料" in missing
    again = controller.post(reverse("documents:archiverequirement_add"), {
        "archive_type": ArchiveType.CUSTOMER, "category": extra.pk, "sort_order": 50, "is_active": "on"})
    assert again.status_code == 400 and ArchiveRequirement.objects.filter(category=extra).count() == 1
    assert client_for("agent").get(reverse("documents:archiverequirement_add")).status_code == 403
