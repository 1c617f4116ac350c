"""Permission-matrix cases of the documents app: the API and the label sheet (collected by test_permissions.py).

Who may do what follows ``wuye/documents/roles.py``: every staff role reads the register and may ask to borrow;
authors (the customer-service manager, the document controller, administrators) register documents and draft
revisions; holders of ``issue_document`` approve, issue and withdraw; the document controller and
administrators keep the classification tree, locations, loans, handovers and regulations. Residents see nothing.
A secret or confidential document answers 404 to everyone but its custodian and the controller; the agent, who
serves estate A, gets 404 for a document filed in estate B.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from wuye.core.roles import Role
from wuye.core.testing.matrix import STAFF, Route
from wuye.documents import services
from wuye.documents.choices import LoanMedium
from wuye.documents.models import Location, Regulation
from wuye.documents.tests.factories import category, make_document, text_file

R = Role
AUTHORS = {R.CS_MANAGER, R.DOCUMENT_CONTROLLER, R.ADMIN}
ISSUERS = AUTHORS | {R.EXECUTIVE}
CONTROL = {R.DOCUMENT_CONTROLLER, R.ADMIN}
HIDDEN = (403, 404)  # residents are refused (403); staff who may not open the object are told it is not there


def document(w, estate: str = "", confidentiality: str = "internal"):
    fields = {"estate": w.estate_b} if estate == "b" else {}
    return make_document(w, title="电梯维保管理程序", confidentiality=confidentiality, **fields)


def author(w):
    """A second document controller, so that the one of the world may approve (never one's own revision)."""
    from wuye.org.tests.factories import UserFactory

    return UserFactory(username="t_author", roles=[R.DOCUMENT_CONTROLLER])


def revision(w, state: str = "draft", estate: str = ""):
    doc = document(w, estate)
    writer = author(w)
    rev = services.revision_create(actor=writer, document=doc, change_description="首次发布", files=[text_file()])
    if state == "draft":
        return rev
    services.revision_submit(actor=writer, revision=rev)
    if state == "in_review":
        return rev
    services.revision_approve(actor=w.users["document_controller"], revision=rev)
    assert state == "approved", state
    return rev


def loan(w, state: str = "requested", estate: str = "", medium: str = LoanMedium.ELECTRONIC):
    """A loan asked for by the agent (of a document in estate B: by the manager)."""
    doc = document(w, estate)
    borrower = w.users["cs_manager" if estate == "b" else "agent"]
    now = timezone.now()
    item = services.loan_request(actor=borrower, document=doc, purpose="查阅维保记录", medium=medium,
                                 starts_at=now, ends_at=now + dt.timedelta(days=2))
    if state == "requested":
        return item
    item = services.loan_approve(actor=w.users["document_controller"], loan=item)
    if state == "lent" and medium == LoanMedium.PAPER:
        item = services.loan_lend(actor=w.users["document_controller"], loan=item)
    return item


def handover(w, state: str = "draft"):
    """From the manager (custodian of one document) to the agent."""
    make_document(w, title="投诉处理程序", custodian=w.staff["cs_manager"])
    item = services.handover_create(actor=w.users["document_controller"], from_staff=w.staff["cs_manager"],
                                    to_staff=w.staff["agent"], reason="调岗")
    if state == "sent":
        item = services.handover_send(actor=w.users["document_controller"], handover=item)
    return item


def location(w):
    return Location.objects.get_or_create(room="档案室", cabinet="A1")[0]


def regulation(w):
    return Regulation.objects.create(title="物业管理条例", number="国务院令第379号", authority="国务院",
                                     level="national", effective_on=dt.date(2018, 3, 19))


def _url(name):
    return lambda w: reverse(name)


def _on(name, make, allowed, *, other=None, **kwargs):
    """``name`` on the object ``make(w)`` makes; ``other(w)`` makes the estate-B one for the agent's 404."""
    return Route(name, lambda w: reverse(name, args=[make(w).pk]), set(allowed),
                 other=(lambda w: reverse(name, args=[other(w).pk])) if other else None, api=True, **kwargs)


def _now_iso(hours: float) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).isoformat()


CASES = [
    # the register
    Route("api:documents-document-list", _url("api:documents-document-list"), STAFF, api=True),
    Route("api:documents-document-list", _url("api:documents-document-list"), AUTHORS, api=True, method="post",
          data=lambda w: {"category": category().pk, "title": "业主投诉处理程序"}, ok=(201,)),
    _on("api:documents-document-detail", document, STAFF, other=lambda w: document(w, "b")),
    _on("api:documents-document-detail", lambda w: document(w, confidentiality="confidential"), CONTROL,
        denied_status=HIDDEN),
    _on("api:documents-document-detail", document, AUTHORS, method="patch", data=lambda w: {"keywords": "电梯"}),
    Route("api:documents-document-search", lambda w: (document(w), reverse("api:documents-document-search")
                                                     + "?q=电梯")[1], STAFF, api=True),
    _on("api:documents-document-obsolete", document, ISSUERS, method="post", data=lambda w: {"reason": "已被替代"}),
    # revisions: listed and drafted on their document, their steps on /revisions/{id}/
    _on("api:documents-document-revisions", lambda w: revision(w).document, STAFF,
        other=lambda w: revision(w, estate="b").document),
    _on("api:documents-document-revisions", lambda w: document(w, confidentiality="secret"), CONTROL,
        denied_status=HIDDEN),
    _on("api:documents-document-revisions", document, AUTHORS, method="post",
        data=lambda w: {"change_description": "首次发布"}, ok=(201,)),
    Route("api:documents-revision-list", _url("api:documents-revision-list"), STAFF, api=True),
    _on("api:documents-revision-detail", revision, STAFF, other=lambda w: revision(w, estate="b")),
    _on("api:documents-revision-submit", revision, AUTHORS, method="post"),
    _on("api:documents-revision-approve", lambda w: revision(w, "in_review"), ISSUERS, method="post"),
    _on("api:documents-revision-reject", lambda w: revision(w, "in_review"), ISSUERS, method="post",
        data=lambda w: {"reason": "补充检查表"}),
    _on("api:documents-revision-issue", lambda w: revision(w, "approved"), ISSUERS, method="post",
        data=lambda w: {}),
    # the classification tree and where paper lies: read by staff, kept by the controller
    Route("api:documents-documentcategory-list", _url("api:documents-documentcategory-list"), STAFF, api=True),
    Route("api:documents-documentcategory-list", _url("api:documents-documentcategory-list"), CONTROL, api=True,
          method="post", data=lambda w: {"name": "安全规程", "parent": category("程序文件").pk, "prefix": "SP"},
          ok=(201,)),
    _on("api:documents-documentcategory-detail", lambda w: category(), STAFF),
    _on("api:documents-documentcategory-detail", lambda w: category(), CONTROL, method="patch",
        data=lambda w: {"sort_order": 3}),
    Route("api:documents-location-list", _url("api:documents-location-list"), STAFF, api=True),
    Route("api:documents-location-list", _url("api:documents-location-list"), CONTROL, api=True, method="post",
          data=lambda w: {"room": "档案室", "cabinet": "B2", "shelf": "3"}, ok=(201,)),
    _on("api:documents-location-detail", location, STAFF),
    _on("api:documents-location-detail", location, CONTROL, method="patch", data=lambda w: {"notes": "钥匙在文控"}),
    # loans: everyone asks; the controller (or the custodian) decides; the borrower cancels
    Route("api:documents-loan-list", _url("api:documents-loan-list"), STAFF, api=True),
    Route("api:documents-loan-list", _url("api:documents-loan-list"), STAFF, api=True, method="post", ok=(201,),
          data=lambda w: {"code": document(w).code, "purpose": "查阅", "medium": "electronic",
                          "starts_at": _now_iso(0), "ends_at": _now_iso(24)}),
    _on("api:documents-loan-detail", loan, {R.AGENT, *CONTROL}, denied_status=HIDDEN,
        other=lambda w: loan(w, estate="b")),
    _on("api:documents-loan-approve", loan, CONTROL, method="post", denied_status=HIDDEN),
    _on("api:documents-loan-reject", loan, CONTROL, method="post", data=lambda w: {"reason": "无需借阅"},
        denied_status=HIDDEN),
    _on("api:documents-loan-lend", lambda w: loan(w, "approved", medium=LoanMedium.PAPER), CONTROL, method="post",
        denied_status=HIDDEN),
    _on("api:documents-loan-return", lambda w: loan(w, "lent"), {R.AGENT, *CONTROL}, method="post",
        denied_status=HIDDEN),
    _on("api:documents-loan-cancel", loan, {R.AGENT}, method="post", denied_status=HIDDEN),
    # handovers: prepared by the controller, confirmed by the successor
    Route("api:documents-handover-list", _url("api:documents-handover-list"), STAFF, api=True),
    Route("api:documents-handover-list", _url("api:documents-handover-list"), CONTROL, api=True, method="post",
          data=lambda w: {"from_staff": w.staff["cs_manager"].pk, "to_staff": w.staff["agent"].pk}, ok=(201,)),
    _on("api:documents-handover-detail", handover, {R.AGENT, R.CS_MANAGER, *CONTROL}, denied_status=HIDDEN),
    _on("api:documents-handover-send", handover, CONTROL, method="post"),
    _on("api:documents-handover-cancel", handover, CONTROL, method="post", data=lambda w: {"reason": "不再调岗"}),
    _on("api:documents-handover-confirm", lambda w: handover(w, "sent"), {R.AGENT}, method="post",
        data=lambda w: {"document": w.staff["cs_manager"].documents_in_custody.get().pk}, denied_status=HIDDEN),
    # regulations
    Route("api:documents-regulation-list", _url("api:documents-regulation-list"), STAFF, api=True),
    Route("api:documents-regulation-list", _url("api:documents-regulation-list"), CONTROL, api=True,
          method="post", ok=(201,),
          data=lambda w: {"title": "民法典", "authority": "全国人大", "level": "national"}),
    _on("api:documents-regulation-detail", regulation, STAFF),
    _on("api:documents-regulation-detail", regulation, CONTROL, method="patch", data=lambda w: {"notes": "有效"}),
    _on("api:documents-regulation-review", regulation, CONTROL, method="post",
        data=lambda w: {"reviewed_on": timezone.localdate().isoformat(), "status": "in_force"}),
    # the label sheet (a page, not the API): whoever may print labels
    Route("documents:labels", lambda w: reverse("documents:labels") + f"?ids={document(w).pk}&kind=box",
          {R.CS_MANAGER, *CONTROL}),
]
