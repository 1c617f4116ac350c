"""The document controller's rules (seed 2.1–2.9) through the services: numbering, revisions, obsolete
control, confidentiality with grants and loans, paper double lending, handovers that block leaving."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from wuye.core.models import AuditEvent
from wuye.documents import services
from wuye.documents.choices import DocumentStatus, HandoverState, LoanMedium, LoanState, RevisionState
from wuye.documents.models import Document, DocumentCategory, Loan, RevisionFile
from wuye.documents.tests.factories import category, issued, make_document, pdf_file, period, text_file
from wuye.org import services as org_services

pytestmark = pytest.mark.django_db


def visible(user):
    return set(Document.objects.restrict(user, "view").values_list("code", flat=True))


def test_codes_follow_the_category_rule_and_stay_unique(world):
    first = make_document(world)
    second = make_document(world, title="投诉处理程序")
    assert (first.code, second.code) == ("WY-QP-001", "WY-QP-002")
    with pytest.raises(ValidationError) as duplicate:
        make_document(world, code="WY-QP-001", title="重复")
    assert "code" in duplicate.value.message_dict
    # a hand-entered code that the rule would make next is skipped by the numbering
    make_document(world, code="WY-QP-003", title="外来编号")
    assert make_document(world, title="下一份").code == "WY-QP-004"
    qp = category("程序文件")
    qp.pattern = "{prefix.__class__}"
    with pytest.raises(ValidationError):
        qp.full_clean()
    assert DocumentCategory.objects.get(pk=qp.pk).pattern == "WY-{prefix}-{seq:03d}"


def test_revision_lifecycle_supersedes_the_old_one_and_refuses_shortcuts(world):
    controller, manager = world.users["document_controller"], world.users["cs_manager"]
    document = make_document(world)
    draft = services.revision_create(actor=manager, document=document, files=[text_file()])
    assert draft.mark == "A/0" and draft.files.get().text.startswith("电梯维保程序")
    with pytest.raises(ValidationError, match="已批准"):
        services.revision_issue(actor=controller, revision=draft)  # never approved
    services.revision_submit(actor=manager, revision=draft)
    with pytest.raises(ValidationError):
        services.revision_approve(actor=manager, revision=draft)  # the author does not approve
    services.revision_approve(actor=controller, revision=draft)
    first = services.revision_issue(actor=controller, revision=draft)
    document.refresh_from_db()
    assert document.status == DocumentStatus.CURRENT and document.current_revision == first
    second = services.revision_create(actor=manager, document=document, files=[text_file("第二版")])
    assert second.mark == "A/1"
    with pytest.raises(ValidationError):  # one revision in the works at a time
        services.revision_create(actor=manager, document=document, files=[text_file("另一版")])
    services.revision_submit(actor=manager, revision=second)
    services.revision_approve(actor=controller, revision=second)
    services.revision_issue(actor=controller, revision=second)
    first.refresh_from_db()
    document.refresh_from_db()
    assert first.state == RevisionState.SUPERSEDED and first.is_withdrawn
    assert document.current_revision == second
    assert services.next_mark(document, major=True) == "B/0"


def test_obsolete_documents_are_kept_and_marked(world):
    document = make_document(world)
    issued(world, document)
    with pytest.raises(ValidationError):
        services.document_obsolete(actor=world.users["document_controller"], document=document, reason=" ")
    services.document_obsolete(actor=world.users["document_controller"], document=document, reason="被新程序替代")
    document.refresh_from_db()
    assert document.status == DocumentStatus.OBSOLETE and document.obsoleted_at is not None
    assert document.current_revision.state == RevisionState.OBSOLETE
    with pytest.raises(ValidationError):
        services.revision_create(actor=world.users["cs_manager"], document=document, files=[text_file()])
    assert Document.objects.filter(pk=document.pk).exists()  # never deleted
    assert AuditEvent.objects.filter(event_type="document.obsolete", object_id=str(document.pk)).exists()


def test_uploads_are_checked_by_content(world):
    document = make_document(world)
    for name, data in (("report.pdf", b"<html><script>alert(1)</script></html>"),
                       ("logo.pdf", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'),
                       ("empty.txt", b"")):
        from django.core.files.uploadedfile import SimpleUploadedFile

        with pytest.raises(ValidationError):
            services.revision_create(actor=world.users["cs_manager"], document=document,
                                     files=[SimpleUploadedFile(name, data)])
    assert not document.revisions.exists() and not RevisionFile.objects.exists()  # nothing kept
    revision = services.revision_create(actor=world.users["cs_manager"], document=document,
                                        files=[pdf_file("Elevator maintenance procedure", name="../../etc/p.pdf")])
    stored = revision.files.get()
    assert stored.content_type == "application/pdf" and stored.name == "p.pdf"
    assert "Elevator maintenance" in stored.text and len(stored.sha256) == 64
    assert "p.pdf" not in stored.file.name and "/" in stored.file.name  # a random stored name


def test_confidential_documents_open_only_to_custodian_controller_grants_and_borrowers(world):
    agent, manager = world.users["agent"], world.users["cs_manager"]
    secret = make_document(world, path="合同", title="某小区物业服务合同", confidentiality="confidential")
    internal = make_document(world, title="内部程序")
    assert secret.code in visible(world.users["document_controller"])
    assert internal.code in visible(agent) and secret.code not in visible(agent)
    assert secret.code not in visible(manager)
    # a grant opens it until it ends
    grant = services.grant_create(actor=world.users["document_controller"], document=secret, user=manager)
    assert secret.code in visible(manager)
    services.grant_end(actor=world.users["document_controller"], grant=grant)
    assert secret.code not in visible(manager)
    # the custodian sees it
    services.document_update(actor=world.users["document_controller"], document=internal)  # no change, allowed
    custodian_doc = make_document(world, path="合同", title="保洁外包合同", confidentiality="secret",
                                  custodian=world.staff["agent"])
    assert custodian_doc.code in visible(agent)


def test_an_electronic_loan_opens_the_document_and_ends_by_itself(world, monkeypatch):
    agent, controller = world.users["agent"], world.users["document_controller"]
    secret = make_document(world, path="合同", title="电梯维保合同", confidentiality="confidential")
    start, end = period(-1, 2)
    with pytest.raises(ValidationError):  # a period that has ended
        services.loan_request(actor=agent, document=secret, purpose="核对条款", medium=LoanMedium.ELECTRONIC,
                              starts_at=start - dt.timedelta(days=2), ends_at=start - dt.timedelta(days=1))
    loan = services.loan_request(actor=agent, document=secret, purpose="核对条款", medium=LoanMedium.ELECTRONIC,
                                 starts_at=start, ends_at=end)
    assert secret.code not in visible(agent)
    with pytest.raises(PermissionDenied):
        services.loan_approve(actor=agent, loan=loan)  # neither controller nor custodian
    loan = services.loan_approve(actor=controller, loan=loan)
    assert loan.state == LoanState.LENT and secret.code in visible(agent)
    later = timezone.now() + dt.timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)  # no job runs: the end time alone closes it
    assert secret.code not in visible(agent)
    with translation.override("en"):
        assert Loan.objects.get(pk=loan.pk).display_state() == "Expired"


def test_own_request_cannot_be_approved(world):
    controller = world.users["document_controller"]
    document = make_document(world, path="合同", title="绿化合同", confidentiality="secret",
                             custodian=world.staff["cs_manager"])
    start, end = period()
    loan = services.loan_request(actor=controller, document=document, purpose="归档检查", medium=LoanMedium.PAPER,
                                 starts_at=start, ends_at=end)
    with pytest.raises(ValidationError, match="自己的申请"):
        services.loan_approve(actor=controller, loan=loan)
    with pytest.raises(PermissionDenied):
        services.loan_approve(actor=world.users["agent"], loan=loan)
    services.loan_approve(actor=world.users["cs_manager"], loan=loan)  # the custodian decides


def test_one_paper_copy_is_not_lent_twice_for_the_same_period(world):
    controller = world.users["document_controller"]
    document = make_document(world, path="合同", title="停车场合同", confidentiality="internal")
    start, end = period(0, 48)
    first = services.loan_request(actor=world.users["agent"], document=document, purpose="查阅",
                                  medium=LoanMedium.PAPER, starts_at=start, ends_at=end)
    second = services.loan_request(actor=world.users["cs_manager"], document=document, purpose="复印",
                                   medium=LoanMedium.PAPER, starts_at=start + dt.timedelta(hours=1),
                                   ends_at=end + dt.timedelta(hours=1))
    services.loan_approve(actor=controller, loan=first)
    with pytest.raises(ValidationError, match="纸质件"):
        services.loan_approve(actor=controller, loan=second)
    assert Loan.objects.get(pk=second.pk).state == LoanState.REQUESTED
    services.loan_lend(actor=controller, loan=first)
    services.loan_return(actor=controller, loan=first)
    services.loan_approve(actor=controller, loan=second)  # the copy is back
    assert Loan.objects.get(pk=second.pk).state == LoanState.APPROVED


def test_handover_moves_custody_only_when_every_item_is_confirmed_and_blocks_leaving(world):
    controller = world.users["document_controller"]
    leaving, successor = world.staff["agent"], world.staff["cs_manager"]
    docs = [make_document(world, title=f"客服档案{i}", custodian=leaving) for i in range(2)]
    other = make_document(world, title="别人的文件")
    with pytest.raises(ValidationError, match="保管人"):
        org_services.staff_leave(actor=world.users["admin"], staff=leaving, left_on=timezone.localdate())
    handover = services.handover_create(actor=controller, from_staff=leaving, to_staff=successor, reason="调岗")
    assert set(handover.items.values_list("document", flat=True)) == {d.pk for d in docs}
    with pytest.raises(ValidationError):
        services.handover_add(actor=controller, handover=handover, document=other)  # not in their custody
    services.handover_send(actor=controller, handover=handover)
    with pytest.raises(PermissionDenied):
        services.handover_confirm(actor=controller, handover=handover, document=docs[0])  # only the successor
    with pytest.raises(ValidationError, match="不在交接清单中"):
        services.handover_confirm(actor=successor.user, handover=handover, document=other)
    services.handover_confirm(actor=successor.user, handover=handover, document=docs[0])
    assert Document.objects.get(pk=docs[0].pk).custodian == leaving  # not yet: one item still open
    handover = services.handover_confirm(actor=successor.user, handover=handover, document=docs[1])
    assert handover.state == HandoverState.COMPLETED
    assert set(Document.objects.filter(pk__in=[d.pk for d in docs]).values_list("custodian", flat=True)) == {
        successor.pk}
    org_services.staff_leave(actor=world.users["admin"], staff=leaving, left_on=timezone.localdate())


def test_renaming_a_category_renames_its_subtree_and_refuses_cycles(world):
    archive = category("客户档案")
    archive.name = "业主档案"
    archive.full_clean()
    archive.save()
    assert DocumentCategory.objects.filter(path="业主档案/入伙资料").exists()
    assert not DocumentCategory.objects.filter(path__startswith="客户档案").exists()
    archive.parent = DocumentCategory.objects.get(path="业主档案/入伙资料")
    with pytest.raises(ValidationError) as cycle:
        archive.full_clean()
    assert "parent" in cycle.value.message_dict
