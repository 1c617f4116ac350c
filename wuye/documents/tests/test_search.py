"""Finding a document within a minute (seed 2.1): any 2+ character substring of its title, code, keywords or
file text; company-wide documents reach agents who serve only some estates; confidential ones only those who
may open them."""

import pytest

from wuye.core import search
from wuye.documents.models import Document
from wuye.documents.tests.factories import issued, make_document

pytestmark = pytest.mark.django_db


def found(user, q):
    qs = search.filter_queryset(Document.objects.all(), q, user=user)
    return set(Document.objects.restrict(user, "view").filter(pk__in=qs.values("pk")).values_list("code", flat=True))


def test_agents_find_company_wide_documents_by_their_file_text(world):
    procedure = make_document(world, title="设备维保管理程序")
    issued(world, procedure, text="电梯每月由维保单位检查一次，客服中心登记检查记录。")
    archived = make_document(world, path="客户档案/入伙资料", title="入伙资料", estate=world.estate_b,
                             confidentiality="internal")
    agent = world.users["agent"]
    assert procedure.code in found(agent, "电梯")  # from the issued revision's file, no estate of its own
    assert procedure.code in found(agent, "維保")  # Traditional finds Simplified
    assert archived.code not in found(agent, "入伙")  # estate B is not the agent's
    assert archived.code in found(world.users["cs_manager"], "入伙")


def test_confidential_documents_are_found_only_by_those_who_may_open_them(world):
    contract = make_document(world, path="合同", title="电梯维保合同", confidentiality="confidential")
    assert contract.code not in found(world.users["agent"], "维保合同")
    assert contract.code in found(world.users["document_controller"], "维保合同")
