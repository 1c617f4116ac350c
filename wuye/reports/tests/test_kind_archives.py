"""The archives report (客户服务档案文件编制报告): documents issued, revised and withdrawn, loans, handovers,
regulations and archive completeness, checked against Python over the rows made."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from wuye.documents import services
from wuye.documents.choices import HandoverState, LoanState
from wuye.documents.models import ArchiveRequirement, Document, Handover, Loan, Regulation, Revision
from wuye.documents.tests.factories import issued, make_document
from wuye.reports.kinds import archives as builder
from wuye.tickets.reports import period_for

from .conftest import at

pytestmark = pytest.mark.django_db

M = period_for("month", dt.date(2025, 6, 10))


@pytest.fixture
def data(world, estate_c):
    first, last = M.start, M.end
    # customer A: a complete customer archive (one current document of each required category)
    for path in ("客户档案/入伙资料", "客户档案/身份证明", "客户档案/收楼资料"):
        issued(world, make_document(world, path=path, title=f"王芳{path}", customer=world.customer_a,
                                    estate=world.estate_a))
    # customer B: one category only
    issued(world, make_document(world, path="客户档案/入伙资料", title="李强入伙", customer=world.customer_b,
                                estate=world.estate_b))
    company = make_document(world, title="客户服务程序")  # no estate
    issued(world, company)
    revision = issued(world, company, text="修订后的程序")
    in_b = make_document(world, title="翠湖苑管理规定", estate=world.estate_b)
    issued(world, in_b)
    # dates: all first revisions on the first day, the company document's second on the last day
    Revision.objects.update(issued_at=at(first, 0))
    Revision.objects.filter(pk=revision.pk).update(issued_at=at(last, 23))
    Revision.objects.filter(document=in_b).update(issued_at=at(last + dt.timedelta(days=1), 0))  # after
    services.document_obsolete(actor=world.users["document_controller"], document=in_b, reason="不再适用")
    Document.objects.filter(pk=in_b.pk).update(obsoleted_at=at(first + dt.timedelta(days=3)))
    borrower = world.users["agent"]
    loans = [  # (document, lent, ends, returned)
        (company, at(first, 9), at(first + dt.timedelta(days=5)), at(first + dt.timedelta(days=4))),
        (company, at(first + dt.timedelta(days=10)), at(first + dt.timedelta(days=12)),
         at(first + dt.timedelta(days=20))),  # late
        (in_b, at(last, 9), at(last + dt.timedelta(days=2)), None),  # not returned, past its end now: late
        (in_b, at(first - dt.timedelta(days=3)), at(first + dt.timedelta(days=1)), at(first, 8)),  # lent before
    ]
    for document, lent, ends, returned in loans:
        Loan.objects.create(document=document, borrower=borrower, purpose="查阅", starts_at=lent, ends_at=ends,
                            lent_at=lent, returned_at=returned,
                            state=LoanState.RETURNED if returned else LoanState.LENT)
    for completed in (at(first, 10), at(last + dt.timedelta(days=1), 10)):
        Handover.objects.create(from_staff=world.staff["agent"], to_staff=world.staff["cs_manager"],
                                state=HandoverState.COMPLETED, completed_at=completed)
    for reviewed in (first, last, last + dt.timedelta(days=1)):
        Regulation.objects.create(title=f"物业管理条例{reviewed}", authority="国务院", level="national",
                                  last_reviewed_on=reviewed)
    return world


def _day(value):
    return timezone.localtime(value).date()


def check(content, estates=None):
    json.dumps(content)
    s = {x["key"]: x for x in content["sections"]}

    def scoped(document):
        return estates is None or document.estate_id is None or document.estate_id in estates

    revisions = sorted((r for r in Revision.objects.select_related("document")
                        if r.issued_at and M.start <= _day(r.issued_at) <= M.end and scoped(r.document)),
                       key=lambda r: (r.issued_at, r.pk))
    first_of = {}
    for r in Revision.objects.exclude(issued_at=None).order_by("issued_at"):
        first_of.setdefault(r.document_id, r.pk)
    new = [r for r in revisions if first_of[r.document_id] == r.pk]
    obsolete = [d for d in Document.objects.exclude(obsoleted_at=None)
                if M.start <= _day(d.obsoleted_at) <= M.end and scoped(d)]
    f = {x["key"]: x["value"] for x in s["documents"]["figures"]}
    assert f == {"issued": len(revisions), "new": len(new), "revised": len(revisions) - len(new),
                 "obsolete": len(obsolete)}
    assert [r[1] for r in s["documents"]["tables"][0]["rows"]] == [r.document.code for r in revisions]
    assert [r[1] for r in s["documents"]["tables"][1]["rows"]] == [d.code for d in obsolete]

    now = timezone.now()
    lent = [x for x in Loan.objects.select_related("document") if M.start <= _day(x.lent_at) <= M.end
            and scoped(x.document)]
    returned = [x for x in Loan.objects.select_related("document") if x.returned_at
                and M.start <= _day(x.returned_at) <= M.end and scoped(x.document)]
    late = [x for x in lent if (x.returned_at or now) > x.ends_at]
    f = {x["key"]: x["value"] for x in s["loans"]["figures"]}
    assert f == {"lent": len(lent), "returned": len(returned), "late": len(late),
                 "still_out": sum(1 for x in lent if x.returned_at is None)}
    assert len(s["loans"]["tables"][0]["rows"]) == len(late)

    f = {x["key"]: x["value"] for x in s["custody"]["figures"]}
    assert f["handovers"] == sum(1 for h in Handover.objects.all() if M.start <= _day(h.completed_at) <= M.end)
    assert f["regulations_reviewed"] == sum(1 for r in Regulation.objects.all()
                                            if M.start <= r.last_reviewed_on <= M.end)

    from wuye.estates.models import Customer

    required = [r.category.path for r in ArchiveRequirement.objects.filter(archive_type="customer", is_active=True)]
    customers = [c for c in Customer.objects.all() if estates is None or c.estate_id in estates]
    complete = 0
    for c in customers:
        paths = {d.category.path for d in Document.objects.filter(customer=c, status="current")}
        complete += all(any(p == r or p.startswith(r + "/") for p in paths) for r in required)
    row = s["archives"]["tables"][0]["rows"][0]
    assert row[1:4] == [len(customers), len(required), complete]
    assert row[4] == (round(100 * complete / len(customers), 1) if customers else None)
    return f


def test_all_estates(data):
    content = builder.build(period=M, estate_ids=None, department=None)
    check(content)
    f = {x["key"]: x["value"] for x in content["sections"][0]["figures"]}
    assert f == {"issued": 6, "new": 5, "revised": 1, "obsolete": 1}


def test_estate_a(data):
    content = builder.build(period=M, estate_ids=[data.estate_a.pk], department=None)
    check(content, {data.estate_a.pk})
    f = {x["key"]: x["value"] for x in content["sections"][0]["figures"]}
    assert f["obsolete"] == 0 and f["issued"] == 5  # estate B's documents left out, the company's kept


def test_empty(world):
    content = builder.build(period=period_for("month", dt.date(2019, 1, 1)), estate_ids=None, department=None)
    f = {x["key"]: x["value"] for x in content["sections"][0]["figures"]}
    assert f == {"issued": 0, "new": 0, "revised": 0, "obsolete": 0}
    json.dumps(content)
