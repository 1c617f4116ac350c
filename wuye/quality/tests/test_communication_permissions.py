"""Permission matrix of meetings and submissions: every page and endpoint as every role (``quality/roles.py``).

- Meetings: every staff role reads them; the customer-service manager, the quality auditor, top management and the
  administrator plan them, record minutes, add action items and cancel them; attaching a file also needs
  ``quality.add_qualityfile`` (not top management's). Residents: 403.
- Submissions: everybody (residents too) files them and reads the list (their own); a submission's page answers 404
  to those who may not see it (a staff report: its submitter and the handlers); the handlers (customer-service
  manager, top management, administrator) assign, reply, close and read the history.

The lead collects ``CASES`` into ``quality/tests/test_permissions.py`` (``core/tests/test_coverage.py`` reads that
module only)."""

from __future__ import annotations

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests
from wuye.quality.choices import MeetingKind, SubmissionKind
from wuye.quality.services import communication as services

from .factories_communication import at, day, held, planned, report

R = Role
STAFF = {R.AGENT, R.CS_MANAGER, R.DOCUMENT_CONTROLLER, R.QUALITY_AUDITOR, R.EXECUTIVE, R.ADMIN}
EVERYONE = STAFF | {R.RESIDENT}
MEETINGS = {R.CS_MANAGER, R.QUALITY_AUDITOR, R.EXECUTIVE, R.ADMIN}
MEETING_FILES = {R.CS_MANAGER, R.QUALITY_AUDITOR, R.ADMIN}
HANDLERS = {R.CS_MANAGER, R.EXECUTIVE, R.ADMIN}
# who sees the agent's report: the agent and the handlers
REPORT_READERS = {R.AGENT} | HANDLERS
NOT_SEEN = (404,)


def _on(name, make, *extra):
    return lambda w: reverse(name, args=[make(w).pk, *extra])


def _url(name):
    return lambda w: reverse(name)


def _assigned(w):
    submission = report(w)
    return services.submission_assign(actor=w.users["executive"], submission=submission,
                                      assignee=w.users["cs_manager"])


def _replied(w):
    return services.submission_reply(actor=w.users["cs_manager"], submission=_assigned(w), reply="已处理")


def meeting_form(w):
    return {"kind": MeetingKind.REGULAR, "title": "客服部例会", "department": w.department.pk,
            "starts_at": at(2).strftime("%Y-%m-%dT%H:%M"), "location": "会议室", "chair": w.staff["cs_manager"].pk,
            "attendees": [w.staff["agent"].pk], "agenda": "周工作安排"}


def submission_form(w):
    return {"kind": SubmissionKind.REPORT, "subject": "楼道灯不亮", "body": "3号楼2单元楼道灯坏了。"}


def api_meeting(w):
    return {"kind": MeetingKind.SPECIAL, "title": "消防专题会", "starts_at": at(2).isoformat(), "location": "会议室",
            "attendees": [w.staff["agent"].pk], "agenda": "消防演练安排"}


PAGE_CASES = [
    Route("quality:meeting_list", _url("quality:meeting_list"), STAFF),
    Route("quality:meeting_list", lambda w: (planned(w), reverse("quality:meeting_list") + "?export=xlsx")[1],
          STAFF),
    Route("quality:meeting", _on("quality:meeting", planned), STAFF),
    Route("quality:meeting_history", _on("quality:meeting_history", planned), STAFF),
    Route("quality:meeting_pdf", _on("quality:meeting_pdf", held), STAFF),
    Route("quality:meeting_add", _url("quality:meeting_add"), MEETINGS),
    Route("quality:meeting_add", _url("quality:meeting_add"), MEETINGS, method="post", data=meeting_form,
          ok=(302,)),
    Route("quality:meeting_edit", _on("quality:meeting_edit", planned), MEETINGS),
    Route("quality:meeting_edit", _on("quality:meeting_edit", planned), MEETINGS, method="post",
          data=meeting_form, ok=(302,)),
    Route("quality:meeting_step", _on("quality:meeting_step", held, "minutes"), MEETINGS),
    Route("quality:meeting_step", _on("quality:meeting_step", held, "minutes"), MEETINGS, method="post",
          data=lambda w: {"minutes": "补充纪要", "decisions": "", "attendees": [w.staff["agent"].pk]}, ok=(302,)),
    Route("quality:meeting_step", _on("quality:meeting_step", held, "action"), MEETINGS, method="post",
          data=lambda w: {"text": "整改", "owner": w.staff["agent"].pk, "due_on": day(7).isoformat()}, ok=(302,)),
    Route("quality:meeting_step", _on("quality:meeting_step", held, "file"), MEETING_FILES),
    Route("quality:meeting_step", _on("quality:meeting_step", planned, "cancel"), MEETINGS, method="post",
          data=lambda w: {"reason": "改期"}, ok=(302,)),
    Route("quality:submission_list", _url("quality:submission_list"), EVERYONE),
    Route("quality:submission_list", lambda w: (report(w), reverse("quality:submission_list") + "?export=xlsx")[1],
          STAFF),
    Route("quality:submission_add", _url("quality:submission_add"), EVERYONE),
    Route("quality:submission_add", _url("quality:submission_add"), EVERYONE, method="post", data=submission_form,
          ok=(302,)),
    Route("quality:submission", _on("quality:submission", report), REPORT_READERS, denied_status=NOT_SEEN),
    Route("quality:submission_history", _on("quality:submission_history", report), HANDLERS),
    Route("quality:submission_step", _on("quality:submission_step", report, "assign"), HANDLERS),
    Route("quality:submission_step", _on("quality:submission_step", report, "assign"), HANDLERS, method="post",
          data=lambda w: {"assignee": w.users["cs_manager"].pk}, ok=(302,)),
    Route("quality:submission_step", _on("quality:submission_step", _assigned, "reply"), HANDLERS, method="post",
          data=lambda w: {"reply": "已安排维修"}, ok=(302,)),
    Route("quality:submission_step", _on("quality:submission_step", _replied, "close"), HANDLERS, method="post",
          data=lambda w: {"note": ""}, ok=(302,)),
    # attaching a file: the submitter (the agent) or a handler holding quality.add_qualityfile; the auditor holds
    # the permission but does not see the report (404); the others lack the permission (403)
    Route("quality:submission_step", _on("quality:submission_step", report, "file"), {R.AGENT, R.CS_MANAGER, R.ADMIN},
          denied_status=(403, 404)),
]

API_CASES = [
    Route("api:quality-meeting-list", _url("api:quality-meeting-list"), STAFF, api=True),
    Route("api:quality-meeting-list", _url("api:quality-meeting-list"), MEETINGS, api=True, method="post",
          data=api_meeting, ok=(201,)),
    Route("api:quality-meeting-detail", _on("api:quality-meeting-detail", planned), STAFF, api=True),
    Route("api:quality-meeting-detail", _on("api:quality-meeting-detail", planned), MEETINGS, api=True,
          method="patch", data=lambda w: {"location": "三楼"}),
    Route("api:quality-meeting-minutes", _on("api:quality-meeting-minutes", lambda w: planned(w, days=-1)),
          MEETINGS, api=True, method="post", data=lambda w: {"minutes": "纪要"}),
    Route("api:quality-meeting-cancel", _on("api:quality-meeting-cancel", planned), MEETINGS, api=True,
          method="post", data=lambda w: {"reason": "改期"}),
    Route("api:quality-submission-list", _url("api:quality-submission-list"), EVERYONE, api=True),
    Route("api:quality-submission-list", _url("api:quality-submission-list"), EVERYONE, api=True, method="post",
          data=submission_form, ok=(201,)),
    Route("api:quality-submission-detail", _on("api:quality-submission-detail", report), REPORT_READERS, api=True,
          denied_status=NOT_SEEN),
    Route("api:quality-submission-assign", _on("api:quality-submission-assign", report), HANDLERS, api=True,
          method="post", data=lambda w: {"assignee": w.users["cs_manager"].pk}),
    Route("api:quality-submission-reply", _on("api:quality-submission-reply", _assigned), HANDLERS, api=True,
          method="post", data=lambda w: {"reply": "已处理"}),
    Route("api:quality-submission-close", _on("api:quality-submission-close", _replied), HANDLERS, api=True,
          method="post", data=lambda w: {"note": "结案"}),
]

CASES = PAGE_CASES + API_CASES

test_matrix = matrix_tests(CASES)
