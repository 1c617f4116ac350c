"""Finding a document within a minute (seed 2.1): any 2+ character substring of its title, code, keywords or
file text; company-wide documents reach agents who serve only some estates; confidential ones only those who
may open them."""

import pytest
from django.db import connection

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


def test_a_search_shows_its_facets_with_counts(world, client_for):
    from collections import Counter

    from django.urls import reverse

    made = [make_document(world, title="电梯维保管理程序"),
            make_document(world, title="电梯困人应急预案", confidentiality="public"),
            make_document(world, path="作业指导书", title="电梯巡检作业指导书"),
            make_document(world, path="客户档案/入伙资料", title="电梯钥匙移交记录", estate=world.estate_a),
            make_document(world, path="合同", title="电梯维保合同", confidentiality="confidential"),
            make_document(world, title="绿化养护程序")]
    client = client_for("agent")
    url = reverse("documents:document_list")
    response = client.get(url, {"q": "电梯"})
    assert response.status_code == 200
    facets = {g["name"]: {v["value"]: v["count"] for v in g["values"]} for g in response.context["summary"]["facets"]}
    # what the agent may see of the matches, counted here from the documents themselves
    visible = [d for d in made if "电梯" in d.title and d.confidentiality != "confidential"]
    assert facets["category"] == dict(Counter(d.category_id for d in visible))
    assert facets["confidentiality"] == dict(Counter(d.confidentiality for d in visible))
    assert "status" not in facets  # all drafts: a facet of one value narrows nothing
    html = response.content.decode()
    assert "search-facets" in html and "facet-category" in html
    # choosing a facet value narrows the list to it
    category = made[2].category_id
    response = client.get(url, {"q": "电梯", "category": category})
    assert [d.pk for d in response.context["table"].data] == [made[2].pk]
    # the plain register has no facets
    assert client.get(url).context["summary"] is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the window is PostgreSQL's path")
def test_an_estate_scoped_search_of_documents_finds_the_same_newest_matches_through_the_window(world, settings,
                                                                                              monkeypatch):
    """Documents are ``mostly_shared``: an agent's search first reads the newest entries; when they hold enough
    matches those are the answer, else the index answers. Either way the same documents as the index alone."""
    from django.contrib.contenttypes.models import ContentType

    settings.WUYE_SEARCH_LIMIT = 3  # four matches wanted (the list's "more than" probe)
    monkeypatch.setattr(search, "WINDOW_FACTOR", 2)  # the window: the newest 8 entries
    for n in range(6):
        make_document(world, title=f"电梯维保记录{n}")
        make_document(world, title=f"绿化养护记录{n}")
    make_document(world, title="窗帘盒安装说明")
    agent = world.users["agent"]
    ct = ContentType.objects.get_for_model(Document).pk
    estates = sorted(world.estate_a.staff.values_list("estates", flat=True))

    def by_index(word):
        with connection.cursor() as cursor:
            cursor.execute(*search._newest_matches(search.query_tokens(word), ct, estates, 4))
            return [row[0] for row in cursor.fetchall()]

    common = search._newest_in_window(search.query_tokens("记录"), ct, estates, 4)
    assert common is not None and common == by_index("记录") and len(common) == 4
    assert search._newest_in_window(search.query_tokens("电梯维保"), ct, estates, 4) is None  # 3 in the newest 8
    assert search._newest_in_window(search.query_tokens("窗帘盒"), ct, estates, 4) is None
    for word in ("记录", "电梯维保", "窗帘盒"):
        found = list(search.filter_queryset(Document.objects.all(), word, user=agent).values_list("pk", flat=True))
        assert sorted(found) == sorted(by_index(word)), word
