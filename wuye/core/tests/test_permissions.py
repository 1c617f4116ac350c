"""Permission matrix of core's own pages."""

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import ALL_ROLES, Route, matrix_tests

AUDIT_VIEWERS = {Role.CS_MANAGER, Role.QUALITY_AUDITOR, Role.EXECUTIVE, Role.ADMIN}

CASES = [
    Route("home", lambda w: reverse("home"), set(ALL_ROLES)),
    Route("search", lambda w: reverse("search") + "?q=王芳", set(ALL_ROLES), ok=(200, 302)),
    Route("core:auditevent_list", lambda w: reverse("core:auditevent_list"), AUDIT_VIEWERS),
]

test_matrix = matrix_tests(CASES)
