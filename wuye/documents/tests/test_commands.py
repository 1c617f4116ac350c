"""The daily jobs: ``remind_loans`` (overdue paper loans) and ``review_regulations`` (regulations due for their
yearly review, documents past their review-by date). Both are idempotent: a second run sends nothing."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from wuye.core.models import Notification
from wuye.documents import services
from wuye.documents.choices import LoanMedium
from wuye.documents.models import Regulation
from wuye.documents.tests.factories import make_document

pytestmark = pytest.mark.django_db


def run(name: str) -> str:
    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


def test_remind_loans_reminds_overdue_paper_loans_once(world, monkeypatch):
    controller, agent = world.users["document_controller"], world.users["agent"]
    document = make_document(world)
    now = timezone.now()
    loan = services.loan_request(actor=agent, document=document, purpose="现场核对", medium=LoanMedium.PAPER,
                                 starts_at=now, ends_at=now + dt.timedelta(hours=2))
    services.loan_approve(actor=controller, loan=loan)
    services.loan_lend(actor=controller, loan=loan)
    electronic = services.loan_request(actor=world.users["cs_manager"], document=document, purpose="查阅",
                                       medium=LoanMedium.ELECTRONIC, starts_at=now,
                                       ends_at=now + dt.timedelta(hours=2))
    services.loan_approve(actor=controller, loan=electronic)
    assert Notification.objects.filter(key__endswith=":overdue").count() == 0
    run("remind_loans")
    assert Notification.objects.filter(key__endswith=":overdue").count() == 0  # not overdue yet
    later = now + dt.timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    run("remind_loans")
    reminded = Notification.objects.filter(key=f"loan:{loan.pk}:overdue")
    recipients = set(reminded.values_list("recipient__username", flat=True))
    assert {"t_agent", "t_document_controller"} <= recipients  # the borrower and the controller
    assert not Notification.objects.filter(key=f"loan:{electronic.pk}:overdue").exists()  # it simply expired
    count = Notification.objects.count()
    run("remind_loans")
    assert Notification.objects.count() == count  # a second run sends nothing


def test_review_regulations_notifies_controllers_once_per_review_date(world):
    today = timezone.localdate()
    due = Regulation.objects.create(title="物业管理条例", authority="国务院", level="national",
                                    effective_on=today - dt.timedelta(days=800),
                                    last_reviewed_on=today - dt.timedelta(days=400))
    fresh = Regulation.objects.create(title="民法典", authority="全国人大", level="national",
                                      last_reviewed_on=today - dt.timedelta(days=30))
    Regulation.objects.create(title="旧条例", authority="市政府", level="local", status="repealed",
                              effective_on=today - dt.timedelta(days=3000))
    late = make_document(world, title="电梯维保管理程序", review_by=today - dt.timedelta(days=1),
                         custodian=world.staff["cs_manager"])
    make_document(world, title="绿化养护规程", review_by=today + dt.timedelta(days=30))
    run("review_regulations")
    keys = set(Notification.objects.values_list("key", flat=True))
    due_on = due.review_due_on
    assert f"regulation:{due.pk}:review:{due_on:%Y-%m-%d}" in keys
    assert not any(k.startswith(f"regulation:{fresh.pk}:") for k in keys)
    assert sum(k.startswith("regulation:") for k in keys) == 1  # the repealed one is not reviewed
    assert f"document:{late.pk}:review:{late.review_by:%Y-%m-%d}" in keys
    document_note = Notification.objects.filter(key__startswith=f"document:{late.pk}:")
    assert {"t_document_controller", "t_cs_manager"} <= set(document_note.values_list("recipient__username",
                                                                                       flat=True))
    assert not Notification.objects.filter(recipient=world.users["agent"], key__contains=":review:").exists()
    count = Notification.objects.count()
    run("review_regulations")
    assert Notification.objects.count() == count
    # reviewed: the next reminder is a year later, under a new key
    services.regulation_review(actor=world.users["document_controller"], regulation=due, reviewed_on=today)
    run("review_regulations")
    assert Notification.objects.count() == count
