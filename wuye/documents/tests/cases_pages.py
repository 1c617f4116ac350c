"""Permission-matrix cases of the documents app: pages (collected by test_permissions.py).

Who may do what comes from ``documents/roles.py``: every staff role reads the register and may ask to borrow;
the document controller (文控; the administrator holds the same rights) and the customer-service manager
register documents and draft revisions; they and top management approve, issue and withdraw; the controller
alone decides loans, grants access, prepares handovers, reviews regulations and configures categories and
locations. A resident holds no document
permission (403). The agent serves estate A only, so a document filed in estate B's archive answers 404; a
confidential document answers 404 to everyone but the controller (and its custodian, grantees and borrowers).
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route
from wuye.documents import services
from wuye.documents.choices import LoanMedium
from wuye.documents.models import ArchiveRequirement, Location, Regulation

from .factories import category, issued, make_document, period, text_file

STAFF = {r.value for r in Role if r != Role.RESIDENT}
CONTROLLER = {Role.DOCUMENT_CONTROLLER, Role.ADMIN}
AUTHORS = {*CONTROLLER, Role.CS_MANAGER}
ISSUERS = {*AUTHORS, Role.EXECUTIVE}
HIDDEN = (403, 404)  # a staff member who may not see the object gets 404, a resident 403


def _doc(w, **fields):
    return make_document(w, **fields)


def _doc_b(w, **fields):
    return make_document(w, estate=w.estate_b, title="翠湖苑物业档案", **fields)


def _secret(w, **fields):
    return make_document(w, path="合同", title="电梯维保合同", confidentiality="confidential", **fields)


def _author(w):
    """Someone who is none of the tested roles drafts the revisions, so every issuer may approve them."""
    from wuye.org.tests.factories import UserFactory

    return UserFactory(username="t_author", is_superuser=True)


def _revision(w, state="draft", make=_doc):
    document = make(w)
    author = _author(w)
    revision = services.revision_create(actor=author, document=document, files=[text_file()])
    if state in ("in_review", "approved"):
        services.revision_submit(actor=author, revision=revision)
    if state == "approved":
        services.revision_approve(actor=w.users["document_controller"], revision=revision)
    return revision


def _doc_url(name, make=_doc, **fields):
    return lambda w: reverse(name, args=[make(w, **fields).pk])


def _doc_page(name, allowed, method="get", data=None, ok=(200,)):
    """A page about an internal document, and about one of estate B (404 for the agent, who serves A)."""
    return Route(name, _doc_url(name), allowed, method=method, data=data, ok=ok, other=_doc_url(name, _doc_b))


def _secret_page(name, method="get", data=None, ok=(200,)):
    """The same page about a confidential document: only the controller sees it, everyone else 404."""
    return Route(name, _doc_url(name, _secret), CONTROLLER, method=method, data=data, ok=ok, denied_status=HIDDEN)


def _revision_url(name, state):
    return lambda w: reverse(name, args=[_revision(w, state).pk])


def _revision_page(name, allowed, state, method="get", data=None, ok=(200,)):
    return Route(name, _revision_url(name, state), allowed, method=method, data=data, ok=ok,
                 other=lambda w: reverse(name, args=[_revision(w, state, _doc_b).pk]))


def _file_url(make):
    def url(w):
        revision = issued(w, make(w), author=_author(w))
        return reverse("documents:file", args=[revision.files.get().pk])
    return url


def _grant_url(w):
    grant = services.grant_create(actor=w.users["document_controller"], document=_secret(w),
                                  user=w.users["cs_manager"])
    return reverse("documents:documentgrant_end", args=[grant.pk])


def _document_data(w):
    return {"code": "", "category": category().pk, "title": "消防设施管理程序", "confidentiality": "internal",
            "estate": w.estate_a.pk}


def _edit_data(w):
    return {"title": "电梯维保管理程序（修订）", "confidentiality": "internal", "keywords": "电梯"}


def _loan(w, medium=LoanMedium.ELECTRONIC):
    """The agent asks to borrow an internal document in the controller's custody."""
    start, end = period()
    return services.loan_request(actor=w.users["agent"], document=_doc(w), purpose="核对条款", medium=medium,
                                 starts_at=start, ends_at=end)


def _loan_url(name, *extra, medium=LoanMedium.ELECTRONIC):
    return lambda w: reverse(name, args=[_loan(w, medium).pk, *extra])


def _loan_data(w):
    document = _doc(w)
    now = timezone.localtime()
    return {"code": document.code, "purpose": "查阅", "medium": "electronic",
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"), "ends_at": (now + dt.timedelta(days=1)).strftime(
                "%Y-%m-%dT%H:%M")}


def _handover(w, send=False):
    """The agent hands their document over to the manager; the controller prepared it."""
    make_document(w, title="客服档案", custodian=w.staff["agent"])
    handover = services.handover_create(actor=w.users["document_controller"], from_staff=w.staff["agent"],
                                        to_staff=w.staff["cs_manager"], reason="调岗")
    if send:
        services.handover_send(actor=w.users["document_controller"], handover=handover)
    return handover


def _handover_url(name, send=False, item=False):
    def url(w):
        handover = _handover(w, send)
        args = [handover.pk, handover.items.get().document_id] if item else [handover.pk]
        return reverse(name, args=args)
    return url


HANDOVER_PARTIES = {*CONTROLLER, Role.AGENT, Role.CS_MANAGER}


def _regulation(w):
    return Regulation.objects.create(title="物业管理条例", number="国务院令第379号", authority="国务院",
                                     level="national", effective_on=dt.date(2003, 9, 1))


def _regulation_url(name):
    return lambda w: reverse(name, args=[_regulation(w).pk])


def _location(w):
    return Location.objects.create(room="档案室", cabinet="A", shelf="1")


def _location_url(name):
    return lambda w: reverse(name, args=[_location(w).pk])


def _url(name):
    return lambda w: reverse(name)


CASES = [
    # the register and a document's page
    Route("documents:document_list", _url("documents:document_list"), STAFF),
    Route("documents:withdrawal_register", _url("documents:withdrawal_register"), STAFF),
    _doc_page("documents:document", STAFF),
    _secret_page("documents:document"),
    _doc_page("documents:document_history", STAFF),
    _secret_page("documents:document_history"),
    Route("documents:file", _file_url(_doc), STAFF, other=_file_url(_doc_b)),
    Route("documents:file", _file_url(_secret), CONTROLLER, denied_status=HIDDEN),
    Route("documents:document_add", _url("documents:document_add"), AUTHORS),
    Route("documents:document_add", _url("documents:document_add"), AUTHORS, method="post", data=_document_data,
          ok=(302,)),
    _doc_page("documents:document_edit", AUTHORS),
    _doc_page("documents:document_edit", AUTHORS, method="post", data=_edit_data, ok=(302,)),
    _secret_page("documents:document_edit"),
    _doc_page("documents:document_obsolete", ISSUERS),
    _doc_page("documents:document_obsolete", ISSUERS, method="post", data=lambda w: {"reason": "被新程序替代"},
              ok=(302,)),
    _secret_page("documents:document_obsolete"),
    # revisions
    _doc_page("documents:revision_add", AUTHORS),
    _doc_page("documents:revision_add", AUTHORS, method="post", ok=(302,),
              data=lambda w: {"files": text_file(), "change_description": "首次发布"}),
    _secret_page("documents:revision_add"),
    _revision_page("documents:revision_file_add", AUTHORS, "draft"),
    _revision_page("documents:revision_file_add", AUTHORS, "draft", method="post", ok=(302,),
                   data=lambda w: {"file": text_file("附件")}),
    _revision_page("documents:revision_submit", AUTHORS, "draft"),
    _revision_page("documents:revision_submit", AUTHORS, "draft", method="post", ok=(302,)),
    _revision_page("documents:revision_approve", ISSUERS, "in_review"),
    _revision_page("documents:revision_approve", ISSUERS, "in_review", method="post", ok=(302,)),
    Route("documents:revision_approve", lambda w: reverse("documents:revision_approve",
                                                          args=[_revision(w, "in_review", _secret).pk]),
          CONTROLLER, denied_status=HIDDEN),
    _revision_page("documents:revision_reject", ISSUERS, "in_review"),
    _revision_page("documents:revision_reject", ISSUERS, "in_review", method="post", ok=(302,),
                   data=lambda w: {"reason": "条款编号有误"}),
    _revision_page("documents:revision_issue", ISSUERS, "approved"),
    _revision_page("documents:revision_issue", ISSUERS, "approved", method="post", ok=(302,),
                   data=lambda w: {"effective_on": ""}),
    # access grants
    Route("documents:documentgrant_add", _doc_url("documents:documentgrant_add", _secret), CONTROLLER,
          denied_status=HIDDEN),
    Route("documents:documentgrant_add", _doc_url("documents:documentgrant_add", _secret), CONTROLLER,
          method="post", data=lambda w: {"user": w.users["cs_manager"].pk, "reason": "合同审查"}, ok=(302,),
          denied_status=HIDDEN),
    Route("documents:documentgrant_end", _grant_url, CONTROLLER),
    Route("documents:documentgrant_end", _grant_url, CONTROLLER, method="post", ok=(302,)),
    # loans
    Route("documents:loan_list", _url("documents:loan_list"), STAFF),
    Route("documents:loan_request", _url("documents:loan_request"), STAFF),
    Route("documents:loan_request", _url("documents:loan_request"), STAFF, method="post", data=_loan_data,
          ok=(302,)),
    Route("documents:loan", _loan_url("documents:loan"), {Role.AGENT, *CONTROLLER},
          denied_status=HIDDEN),
    Route("documents:loan_step", _loan_url("documents:loan_step", "approve"), CONTROLLER, denied_status=HIDDEN),
    Route("documents:loan_step", _loan_url("documents:loan_step", "approve"), CONTROLLER, method="post",
          ok=(302,), denied_status=HIDDEN),
    Route("documents:loan_step", _loan_url("documents:loan_step", "reject"), CONTROLLER, method="post",
          data=lambda w: {"reason": "无需借阅"}, ok=(302,), denied_status=HIDDEN),
    Route("documents:loan_step", _loan_url("documents:loan_step", "cancel"), {Role.AGENT}, method="post",
          ok=(302,), denied_status=HIDDEN),
    # handovers
    Route("documents:handover_list", _url("documents:handover_list"), STAFF),
    Route("documents:handover_add", _url("documents:handover_add"), CONTROLLER),
    Route("documents:handover_add", _url("documents:handover_add"), CONTROLLER, method="post", ok=(302,),
          data=lambda w: {"from_staff": w.staff["agent"].pk, "to_staff": w.staff["cs_manager"].pk,
                          "reason": "离职"}),
    Route("documents:handover", _handover_url("documents:handover"), HANDOVER_PARTIES, denied_status=HIDDEN),
    Route("documents:handover_print", _handover_url("documents:handover_print"), HANDOVER_PARTIES,
          denied_status=HIDDEN),
    Route("documents:handover_item_add", _handover_url("documents:handover_item_add"), CONTROLLER),
    Route("documents:handover_item_remove", _handover_url("documents:handover_item_remove", item=True),
          CONTROLLER, method="post", ok=(302,)),
    Route("documents:handover_send", _handover_url("documents:handover_send"), CONTROLLER, method="post",
          ok=(302,)),
    Route("documents:handover_cancel", _handover_url("documents:handover_cancel"), CONTROLLER, method="post",
          data=lambda w: {"reason": "人员未调动"}, ok=(302,)),
    Route("documents:handover_confirm", _handover_url("documents:handover_confirm", send=True, item=True),
          {Role.CS_MANAGER}, method="post", ok=(302,), denied_status=HIDDEN),
    # regulations
    Route("documents:regulation_list", _url("documents:regulation_list"), STAFF),
    Route("documents:regulation", _regulation_url("documents:regulation"), STAFF),
    Route("documents:regulation_add", _url("documents:regulation_add"), CONTROLLER),
    Route("documents:regulation_edit", _regulation_url("documents:regulation_edit"), CONTROLLER),
    Route("documents:regulation_review", _regulation_url("documents:regulation_review"), CONTROLLER),
    Route("documents:regulation_review", _regulation_url("documents:regulation_review"), CONTROLLER,
          method="post", ok=(302,), data=lambda w: {"reviewed_on": timezone.localdate().isoformat(),
                                                    "status": "in_force", "notes": "仍然有效"}),
    # configuration
    Route("documents:documentcategory_list", _url("documents:documentcategory_list"), STAFF),
    Route("documents:documentcategory_add", _url("documents:documentcategory_add"), CONTROLLER),
    Route("documents:documentcategory_edit", lambda w: reverse("documents:documentcategory_edit",
                                                               args=[category().pk]), CONTROLLER),
    Route("documents:archiverequirement_list", _url("documents:archiverequirement_list"), STAFF),
    Route("documents:archiverequirement_add", _url("documents:archiverequirement_add"), CONTROLLER),
    Route("documents:archiverequirement_edit", lambda w: reverse(
        "documents:archiverequirement_edit", args=[ArchiveRequirement.objects.order_by("pk").first().pk]),
        CONTROLLER),
    Route("documents:location_list", _url("documents:location_list"), STAFF),
    Route("documents:location", _location_url("documents:location"), STAFF),
    Route("documents:location_add", _url("documents:location_add"), CONTROLLER),
    Route("documents:location_edit", _location_url("documents:location_edit"), CONTROLLER),
]
