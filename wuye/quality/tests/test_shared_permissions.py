"""Permission matrix of the quality app's shared pages: the self-check against the standard and the download of an
evidence file (which also follows whether the user may see the record the file belongs to)."""

from __future__ import annotations

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests
from wuye.documents.tests.factories import text_file
from wuye.quality.services import quality_file_add
from wuye.quality.tests.factories_actions import raised

R = Role
SELF_CHECK = {R.CS_MANAGER, R.EXECUTIVE, R.DOCUMENT_CONTROLLER, R.QUALITY_AUDITOR, R.ADMIN}
# the corrective action's file: everyone who reads corrective actions (the agent works on those they own)
ACTION_FILE = SELF_CHECK | {R.AGENT}


def _action_file(w):
    action = raised(w)
    stored = quality_file_add(actor=w.users["quality_auditor"], owner=action, upload=text_file("整改记录", "整改.txt"))
    return reverse("quality:file", args=[stored.pk])


CASES = [
    Route("quality:selfcheck", lambda w: reverse("quality:selfcheck"), SELF_CHECK),
    Route("quality:file", _action_file, ACTION_FILE),
]

test_matrix = matrix_tests(CASES)


def test_a_file_of_a_record_the_user_may_not_see_answers_404(world, client_for):
    """The file permission alone is not enough: a confidential appeal's file stays hidden from a handler who may not
    see the appeal."""
    from wuye.quality.services import submission_add_file, submission_file

    appeal = submission_file(actor=world.users["agent"], kind="appeal", subject="对处理结果申诉", body="……")
    stored = submission_add_file(actor=world.users["agent"], submission=appeal, upload=text_file("材料", "材料.txt"))
    url = reverse("quality:file", args=[stored.pk])
    assert client_for("cs_manager").get(url).status_code == 404
    assert client_for("executive").get(url).status_code == 200
