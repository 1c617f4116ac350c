"""Permission matrix of core's own pages."""

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import ALL_ROLES, Route, matrix_tests

AUDIT_VIEWERS = {Role.CS_MANAGER, Role.QUALITY_AUDITOR, Role.EXECUTIVE, Role.ADMIN}



def _note(w):
    """A notification of the agent: everyone else gets 404 (notifications are private), the agent a redirect."""
    from wuye.core.notifications import notify

    return notify([w.users["agent"]], key="matrix", title="t")[0]


CASES = [
    Route("home", lambda w: reverse("home"), set(ALL_ROLES), ok=(200, 302)),  # residents go to the portal
    Route("search", lambda w: reverse("search") + "?q=王芳", set(ALL_ROLES), ok=(200, 302)),
    Route("core:auditevent_list", lambda w: reverse("core:auditevent_list"), AUDIT_VIEWERS),
    Route("core:backuprun_list", lambda w: reverse("core:backuprun_list"), {Role.ADMIN}),
    # queues a backup once the request commits: never inside these tests' transaction
    Route("core:backup_run", lambda w: reverse("core:backup_run"), {Role.ADMIN}, method="post", ok=(302,)),
    Route("core:notification_list", lambda w: reverse("core:notification_list"), set(ALL_ROLES)),
    Route("core:notification_read_all", lambda w: reverse("core:notification_read_all"), set(ALL_ROLES),
          method="post", ok=(302,)),
    Route("core:notification_read", lambda w: reverse("core:notification_read", args=[_note(w).pk]),
          {Role.AGENT}, method="post", ok=(302,), denied_status=(404,)),
]

test_matrix = matrix_tests(CASES)
