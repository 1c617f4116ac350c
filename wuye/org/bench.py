"""Benchmark set-up and operations of the organisation app (see ``wuye.core.bench``)."""

from __future__ import annotations

from wuye.core.bench import BenchContext, Operation
from wuye.core.roles import Role
from wuye.org.models import Company, Department, Post, Staff


def setup(ctx: BenchContext) -> None:
    """A staff record for each bench user (the estates they serve are set by ``estates.bench``)."""
    post = Post.objects.select_related("department").order_by("pk").first()
    if post is None:
        company = Company.objects.order_by("pk").first() or Company.objects.create(name="~bench company")
        department = Department.objects.create(company=company, name="~bench", code="bench")
        post = Post.objects.create(department=department, name="~bench", code="bench")
    for role, user in ctx.users.items():
        Staff.objects.create(user=user, employee_no=f"~bench-{role}", name=user.first_name,
                             department=post.department, post=post)


OPERATIONS = [
    Operation("pending_acknowledgements", "org:acknowledgement_pending", "未确认岗位标准的员工",
              roles=(Role.CS_MANAGER,)),
]
