"""Permission matrix of the organisation app: every page and endpoint as every role."""

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import STAFF, Route, matrix_tests

MANAGERS = {Role.CS_MANAGER, Role.ADMIN}
ACK_VIEWERS = {Role.CS_MANAGER, Role.EXECUTIVE, Role.QUALITY_AUDITOR, Role.ADMIN}


def _standard(world, status="current"):
    from wuye.org.models import JobStandard

    standard, _ = JobStandard.objects.get_or_create(
        post=world.post, version=1 if status == "current" else 2,
        defaults={"status": status, "duties": "受理报修", "assessment_method": "月度考核"})
    return standard


def _department_data(world):
    return {"company": world.company.pk, "name": "工程部", "code": "eng", "responsibilities": "维修"}


def _staff_data(world):
    return {"employee_no": "N0001", "name": "新员工", "department": world.department.pk, "post": world.post.pk,
            "status": "active"}


CASES = [
    Route("org:company", lambda w: reverse("org:company", args=[w.company.pk]), STAFF),
    Route("org:company_edit", lambda w: reverse("org:company_edit", args=[w.company.pk]), {Role.ADMIN}),
    Route("org:department_list", lambda w: reverse("org:department_list"), STAFF),
    Route("org:department", lambda w: reverse("org:department", args=[w.department.pk]), STAFF),
    Route("org:department_history", lambda w: reverse("org:department_history", args=[w.department.pk]), STAFF),
    Route("org:department_add", lambda w: reverse("org:department_add"), {Role.ADMIN}),
    Route("org:department_add", lambda w: reverse("org:department_add"), {Role.ADMIN}, method="post",
          data=_department_data, ok=(302,)),
    Route("org:department_edit", lambda w: reverse("org:department_edit", args=[w.department.pk]), MANAGERS),
    Route("org:departmentinterface_add", lambda w: reverse("org:departmentinterface_add"), MANAGERS),
    Route("org:departmentinterface_edit", lambda w: reverse("org:departmentinterface_edit", args=[
        w.department.interfaces.get_or_create(counterpart=__import__("wuye.org.tests.factories", fromlist=["x"])
                                              .DepartmentFactory(company=w.company, name="工程部", code="eng"),
                                              subject="报修派工")[0].pk]), MANAGERS),
    Route("org:post_list", lambda w: reverse("org:post_list"), STAFF),
    Route("org:post", lambda w: reverse("org:post", args=[w.post.pk]), STAFF),
    Route("org:post_history", lambda w: reverse("org:post_history", args=[w.post.pk]), STAFF),
    Route("org:post_add", lambda w: reverse("org:post_add"), MANAGERS),
    Route("org:post_edit", lambda w: reverse("org:post_edit", args=[w.post.pk]), MANAGERS),
    Route("org:jobstandard_add", lambda w: reverse("org:jobstandard_add", args=[w.post.pk]), MANAGERS),
    Route("org:jobstandard_list", lambda w: reverse("org:jobstandard_list"), STAFF),
    Route("org:jobstandard", lambda w: reverse("org:jobstandard", args=[_standard(w).pk]), STAFF),
    Route("org:jobstandard_edit", lambda w: reverse("org:jobstandard_edit", args=[_standard(w, "draft").pk]),
          MANAGERS),
    Route("org:jobstandard_publish", lambda w: reverse("org:jobstandard_publish", args=[_standard(w, "draft").pk]),
          MANAGERS | {Role.EXECUTIVE}, method="post", ok=(302,)),
    Route("org:jobstandard_acknowledge", lambda w: reverse("org:jobstandard_acknowledge", args=[_standard(w).pk]),
          STAFF, method="post", ok=(302,)),
    Route("org:my_standard", lambda w: reverse("org:my_standard"), STAFF | {Role.RESIDENT}),
    Route("org:acknowledgement_pending", lambda w: reverse("org:acknowledgement_pending"), ACK_VIEWERS),
    Route("org:staff_list", lambda w: reverse("org:staff_list"), STAFF),
    Route("org:staff", lambda w: reverse("org:staff", args=[w.staff["agent"].pk]), STAFF),
    Route("org:staff_history", lambda w: reverse("org:staff_history", args=[w.staff["agent"].pk]), STAFF),
    Route("org:staff_add", lambda w: reverse("org:staff_add"), MANAGERS),
    Route("org:staff_add", lambda w: reverse("org:staff_add"), MANAGERS, method="post", data=_staff_data,
          ok=(302,)),
    Route("org:staff_edit", lambda w: reverse("org:staff_edit", args=[w.staff["agent"].pk]), MANAGERS),
    Route("org:staff_leave", lambda w: reverse("org:staff_leave", args=[w.staff["agent"].pk]), MANAGERS),
    # API
    Route("api:org-department-list", lambda w: reverse("api:org-department-list"), STAFF, api=True),
    Route("api:org-department-detail", lambda w: reverse("api:org-department-detail", args=[w.department.pk]),
          STAFF, api=True),
    Route("api:org-department-list", lambda w: reverse("api:org-department-list"), {Role.ADMIN}, api=True,
          method="post", data=_department_data, ok=(201,)),
    Route("api:org-post-list", lambda w: reverse("api:org-post-list"), STAFF, api=True),
    Route("api:org-post-detail", lambda w: reverse("api:org-post-detail", args=[w.post.pk]), STAFF, api=True),
    Route("api:org-jobstandard-list", lambda w: reverse("api:org-jobstandard-list"), STAFF, api=True),
    Route("api:org-jobstandard-detail", lambda w: reverse("api:org-jobstandard-detail", args=[_standard(w).pk]),
          STAFF, api=True),
    Route("api:org-jobstandard-publish", lambda w: reverse("api:org-jobstandard-publish",
                                                           args=[_standard(w, "draft").pk]),
          MANAGERS | {Role.EXECUTIVE}, api=True, method="post"),
    Route("api:org-jobstandard-acknowledge", lambda w: reverse("api:org-jobstandard-acknowledge",
                                                               args=[_standard(w).pk]),
          STAFF, api=True, method="post", ok=(201,)),
    Route("api:org-staff-list", lambda w: reverse("api:org-staff-list"), STAFF, api=True),
    Route("api:org-staff-detail", lambda w: reverse("api:org-staff-detail", args=[w.staff["agent"].pk]), STAFF,
          api=True),
]

test_matrix = matrix_tests(CASES)
