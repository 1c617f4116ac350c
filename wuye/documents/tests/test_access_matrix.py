"""Issue 4's confidentiality × role × loan-state matrix over the four ways in: the document's page, the search,
the API and the file download. A confidential document opens to the controller (and the administrator), its
custodian, and a borrower while an electronic loan runs; a paper loan lends the paper (the record, not the
file); any other loan state opens nothing. Public and internal documents open to every staff role."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from wuye.core.roles import Role
from wuye.documents import services
from wuye.documents.choices import LoanMedium
from wuye.documents.models import Loan
from wuye.documents.tests.factories import issued, make_document

pytestmark = pytest.mark.django_db

STAFF = [r.value for r in Role if r != Role.RESIDENT]


def _ways_in(client, api, document) -> dict[str, bool]:
    """Which of the four ways let the logged-in user at ``document``."""
    file = document.current_revision.files.get()
    listed = client.get(reverse("documents:document_list"), {"q": "维保合同"})
    return {
        "page": client.get(document.get_absolute_url()).status_code == 200,
        "search": document.code in listed.content.decode(),
        "api": api.get(reverse("api:documents-document-detail", args=[document.pk])).status_code == 200,
        "file": client.get(file.get_absolute_url()).status_code == 200,
    }


def _confidential(world):
    document = make_document(world, path="合同", title="电梯维保合同", confidentiality="confidential")
    issued(world, document, text="电梯维保合同正文", author=world.users["document_controller"],
           approver=world.users["admin"])
    document.refresh_from_db()
    return document


@pytest.mark.parametrize("role", STAFF)
def test_confidential_and_internal_documents_by_role(world, client_for, role):
    confidential = _confidential(world)
    internal = make_document(world, title="电梯维保管理程序")
    issued(world, internal)
    internal.refresh_from_db()
    client, api = client_for(role), client_for(role, api=True)
    privileged = role in (Role.DOCUMENT_CONTROLLER, Role.ADMIN)
    assert _ways_in(client, api, confidential) == dict.fromkeys(("page", "search", "api", "file"), privileged)
    assert client.get(internal.get_absolute_url()).status_code == 200
    assert client.get(internal.current_revision.files.get().get_absolute_url()).status_code == 200


def _loan(world, document, medium, state):
    agent, controller = world.users["agent"], world.users["document_controller"]
    now = timezone.now()
    loan = services.loan_request(actor=agent, document=document, purpose="核对条款", medium=medium,
                                 starts_at=now, ends_at=now + dt.timedelta(hours=3))
    if state == "requested":
        return loan
    if state == "rejected":
        return services.loan_reject(actor=controller, loan=loan, reason="不需要借阅")
    loan = services.loan_approve(actor=controller, loan=loan)
    if medium == LoanMedium.PAPER:
        if state == "approved":
            return loan
        loan = services.loan_lend(actor=controller, loan=loan)
    if state == "returned":
        return services.loan_return(actor=controller, loan=loan)
    if state == "expired":
        Loan.objects.filter(pk=loan.pk).update(starts_at=now - dt.timedelta(hours=5),
                                               ends_at=now - dt.timedelta(minutes=1))
    return loan


OPEN, RECORD, CLOSED = (dict.fromkeys(("page", "search", "api", "file"), True),
                        {"page": True, "search": True, "api": True, "file": False},
                        dict.fromkeys(("page", "search", "api", "file"), False))


@pytest.mark.parametrize(("medium", "state", "expected"), [
    (LoanMedium.ELECTRONIC, "requested", CLOSED),
    (LoanMedium.ELECTRONIC, "rejected", CLOSED),
    (LoanMedium.ELECTRONIC, "lent", OPEN),
    (LoanMedium.ELECTRONIC, "expired", CLOSED),   # the end time alone closes it: no job runs
    (LoanMedium.ELECTRONIC, "returned", CLOSED),
    (LoanMedium.PAPER, "approved", CLOSED),        # promised, not yet handed out
    (LoanMedium.PAPER, "lent", RECORD),            # the paper is out: the record, not the file
    (LoanMedium.PAPER, "returned", CLOSED),
])
def test_a_borrowers_access_follows_the_loan(world, client_for, medium, state, expected):
    confidential = _confidential(world)
    _loan(world, confidential, medium, state)
    assert _ways_in(client_for("agent"), client_for("agent", api=True), confidential) == expected
