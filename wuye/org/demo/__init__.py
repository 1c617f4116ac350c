"""Demo data of the organisation app (``manage.py load_demo``): the company, the customer-service department
with its duties and interfaces, the departments it works with, posts with published job standards, staff for
the demo logins and a few without a login, and some (not all) acknowledgements, so the manager's list of
staff who have not confirmed their standard has content.

Job standards go through ``org.services`` (drafted by the manager, published by top management; the agent
post has a superseded first version), so versions, history and audit events look as in real use.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.contenttypes.models import ContentType

from wuye.core.context import acting_as
from wuye.core.demo import demo_user, ensure
from wuye.core.management.fakedata import credit_code, demo_mobile
from wuye.org import services
from wuye.org.choices import StaffStatus
from wuye.org.models import Acknowledgement, Company, Department, DepartmentInterface, JobStandard, Post, Staff

from .texts import CS_RESPONSIBILITIES, INTERFACES, OTHER_DEPARTMENTS, STANDARDS

SEED = 20261127
COMPANY_NAME = "杭州澄和物业服务有限公司"

POSTS = [
    # department code, post code, name, reports to (post code), planned headcount
    ("gm", "gm", "总经理", None, 1),
    ("cs", "manager", "客服经理", "gm", 1),
    ("cs", "supervisor", "客服主管", "manager", 1),
    ("cs", "agent", "客服专员", "supervisor", 6),
    ("cs", "reception", "前台接待员", "supervisor", 2),
    ("cs", "doc", "文控员", "manager", 1),
    ("cs", "auditor", "内审员", "manager", 1),
    ("office", "it", "信息管理员", None, 1),
]

STAFF = [
    # employee number, name (a login's name comes from core.demo), post code, username, joined on
    ("ZJ001", "郑国华", "gm", "executive", dt.date(2015, 1, 5)),
    ("BG001", "何伟", "it", "admin", dt.date(2018, 8, 20)),
    ("KF001", "陈静", "manager", "cs_manager", dt.date(2019, 3, 1)),
    ("KF002", "刘洋", "supervisor", None, dt.date(2020, 6, 15)),
    ("KF003", "张丽", "agent", "agent", dt.date(2021, 4, 1)),
    ("KF004", "王磊", "agent", "agent2", dt.date(2023, 2, 20)),
    ("KF005", "赵敏", "agent", None, dt.date(2024, 7, 1)),
    ("KF006", "孙悦", "reception", None, dt.date(2025, 5, 10)),
    ("KF007", "周婷", "doc", "document_controller", dt.date(2020, 9, 1)),
    ("KF008", "吴刚", "auditor", "quality_auditor", dt.date(2022, 3, 15)),
    ("KF009", "林晓", "agent", None, dt.date(2022, 5, 1)),
]
LEFT = {"KF009": dt.date(2026, 8, 31)}  # left the company: kept on record, serves no estate

# Who confirmed what: agent2 confirmed the first agent standard but not the current one (a new version asks
# again); the quality auditor, the administrator and the staff without a login have not confirmed yet.
FIRST_VERSION_ACKS = {"agent": ["agent2"]}
CURRENT_ACKS = ["cs_manager", "agent", "document_controller", "executive"]


def _company(rng):
    company, _ = ensure(Company, {"name": COMPANY_NAME}, {
        "short_name": "澄和物业", "credit_code": credit_code(rng, area="330106"),
        "address": "浙江省杭州市西湖区文三路398号东信大厦9层", "phone": "0571-87650000",
        "notes": "一级物业服务企业；ISO 9001质量管理体系认证。",
    })
    return company


def _departments(company) -> dict[str, Department]:
    depts = {}
    depts["cs"], _ = ensure(Department, {"company": company, "code": "cs"}, {
        "name": "客户服务部", "responsibilities": CS_RESPONSIBILITIES, "phone": "0571-87650001",
    })
    for n, (code, name, duties) in enumerate(OTHER_DEPARTMENTS, start=2):
        depts[code], _ = ensure(Department, {"company": company, "code": code},
                                {"name": name, "responsibilities": duties, "phone": f"0571-876500{n:02d}"})
    for dept, counterpart, subject, description in INTERFACES:
        ensure(DepartmentInterface, {"department": depts[dept], "counterpart": depts[counterpart], "subject": subject},
               {"description": description})
    return depts


def _posts(depts) -> dict[str, Post]:
    posts: dict[str, Post] = {}
    for dept, code, name, reports_to, headcount in POSTS:
        posts[code], _ = ensure(Post, {"department": depts[dept], "code": code}, {
            "name": name, "headcount": headcount, "reports_to": posts[reports_to] if reports_to else None,
        })
    return posts


def _staff(posts, rng, admin) -> dict[str, Staff]:
    used: set[str] = set()
    staff = {}
    for number, name, post_code, username, joined_on in STAFF:
        user = demo_user(username) if username else None
        post = posts[post_code]
        staff[number], _ = ensure(Staff, {"employee_no": number}, {
            "name": user.first_name if user else name, "user": user, "post": post, "department": post.department,
            "mobile": demo_mobile(rng, used), "joined_on": joined_on,
            "email": f"{username}@example.com" if username else "",
        })
    for number, left_on in LEFT.items():
        if staff[number].status != StaffStatus.LEFT:
            services.staff_leave(actor=admin, staff=staff[number], left_on=left_on)
    return staff


def _acknowledged(user, standard) -> bool:
    ct = ContentType.objects.get_for_model(JobStandard)
    return Acknowledgement.objects.filter(staff=user.staff, content_type=ct, object_id=standard.pk).exists()


def _standards(posts) -> int:
    manager, executive = demo_user("cs_manager"), demo_user("executive")
    made = 0
    for code, versions in STANDARDS.items():
        post = posts[code]
        if post.standards.exists():
            continue  # written and published on an earlier run (or by a user since): leave it alone
        for n, version in enumerate(versions):
            standard = services.job_standard_create(actor=manager, post=post, **version)
            services.job_standard_publish(actor=executive, standard=standard)
            made += 1
            if n == 0 and len(versions) > 1:
                for username in FIRST_VERSION_ACKS.get(code, ()):
                    services.acknowledgement_confirm(actor=demo_user(username), subject=standard)
    for username in CURRENT_ACKS:
        user = demo_user(username)
        standard = user.staff.post.current_standard
        if standard is not None and not _acknowledged(user, standard):
            services.acknowledgement_confirm(actor=user, subject=standard)
    return made


def load(*, stdout, style):
    rng = random.Random(SEED)
    admin = demo_user("admin")
    with acting_as(admin):
        company = _company(rng)
        depts = _departments(company)
        posts = _posts(depts)
        staff = _staff(posts, rng, admin)
    made = _standards(posts)
    stdout.write(f"org: {company}, {len(depts)} departments, {len(posts)} posts, {len(staff)} staff, "
                 f"{made} job standard versions published now")
    return []
