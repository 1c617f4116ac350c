"""Permission matrix of the report centre: every page and endpoint as every role, and out of scope.

From ``reports/roles.py``: every staff role sees reports (agents only those of the estates they serve; a report of
all estates only those who see every estate); the manager, agents and the administrator generate; top management
generates the work summary, the document controller the archives report; the author edits and submits; the
manager, top management and the administrator review (never their own report); residents see nothing.
The report of these routes is estate A's, written by the agent; ``other`` is estate B's (404 for the agent).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests
from wuye.reports.choices import ReportStatus
from wuye.reports.models import Report, ReportVersion
from wuye.reports.periods import parse_period, previous_month_text

from .test_services import fake_kinds  # noqa: F401 - fixture

R = Role
VIEW = {R.AGENT, R.CS_MANAGER, R.EXECUTIVE, R.DOCUMENT_CONTROLLER, R.QUALITY_AUDITOR, R.ADMIN}
GENERATE_ANY = {R.AGENT, R.CS_MANAGER, R.EXECUTIVE, R.DOCUMENT_CONTROLLER, R.ADMIN}
CHANGE = {R.AGENT, R.CS_MANAGER, R.EXECUTIVE, R.DOCUMENT_CONTROLLER, R.ADMIN}
REVIEW = {R.CS_MANAGER, R.EXECUTIVE, R.ADMIN}
WRITE = {R.AGENT, R.CS_MANAGER, R.ADMIN}          # reports.add_report: the ordinary kinds


@pytest.fixture(autouse=True)
def _fake_builders(fake_kinds):  # noqa: F811 - the imported fixture
    return fake_kinds


def report(w, estate: str = "a", state: str = "draft") -> Report:
    """A service work report of last month for estate A (by the agent) or B (by the manager), made directly."""
    period = parse_period(previous_month_text())
    estate_obj = w.estate_b if estate == "b" else w.estate_a
    author = w.users["cs_manager"] if estate == "b" else w.users["agent"]
    existing = Report.objects.filter(estate=estate_obj).first()
    if existing is not None:
        return existing
    item = Report.objects.create(kind="service_work", period_kind=period.kind, period_start=period.start,
                                 period_end=period.end, estate=estate_obj, department=w.department, author=author,
                                 status=ReportStatus.SUBMITTED if state == "submitted" else ReportStatus.DRAFT)
    ReportVersion.objects.create(report=item, number=1, content={"title": "T", "sections": []},
                                 texts={"conclusions": "Fine.", "next_steps": ""}, generated_at=timezone.now(),
                                 generated_by=author, submitted_at=timezone.now() if state == "submitted" else None)
    return item


def page(name, *extra, estate="a", state="draft"):
    return lambda w: reverse(name, args=[report(w, estate, state).pk, *extra])


def api(suffix="", estate="a", state="draft"):
    return lambda w: f"/api/v1/reports/{report(w, estate, state).pk}/{suffix}"


def kind_url(estate="a"):
    return lambda w: (f"/api/v1/reports/service_work/?period={previous_month_text()}"
                      f"&estate={(w.estate_b if estate == 'b' else w.estate_a).pk}")


CASES = [
    # pages
    Route("reports:report_list", lambda w: reverse("reports:report_list"), VIEW),
    Route("reports:report_add", lambda w: reverse("reports:report_add"), GENERATE_ANY),
    Route("reports:dashboard_charts", lambda w: reverse("reports:dashboard_charts"), {R.CS_MANAGER, R.ADMIN}),
    Route("reports:report_add", lambda w: reverse("reports:report_add"), WRITE, method="post",
          data=lambda w: {"kind": "service_work", "period": previous_month_text(), "estate": w.estate_a.pk},
          ok=(302,), denied_status=(400, 403)),
    Route("reports:report", page("reports:report"), VIEW, other=page("reports:report", estate="b")),
    Route("reports:report_edit", page("reports:report_edit"), CHANGE, other=page("reports:report_edit", estate="b")),
    Route("reports:report_edit", page("reports:report_edit"), {R.AGENT}, method="post",
          data=lambda w: {"conclusions": "Revised.", "next_steps": ""}, ok=(302,), denied_status=(400, 403)),
    Route("reports:report_history", page("reports:report_history"), VIEW,
          other=page("reports:report_history", estate="b")),
    Route("reports:report_pdf", page("reports:report_pdf"), VIEW, other=page("reports:report_pdf", estate="b")),
    Route("reports:report_xlsx", page("reports:report_xlsx"), VIEW, other=page("reports:report_xlsx", estate="b")),
    Route("reports:report_version", page("reports:report_version", 1), VIEW,
          other=page("reports:report_version", 1, estate="b")),
    Route("reports:report_step", page("reports:report_step", "submit"), CHANGE,
          other=page("reports:report_step", "submit", estate="b")),
    Route("reports:report_step", page("reports:report_step", "submit"), {R.AGENT}, method="post", ok=(302,),
          denied_status=(400, 403)),
    Route("reports:report_step", page("reports:report_step", "regenerate"), CHANGE),
    Route("reports:report_step", page("reports:report_step", "cancel"), CHANGE),
    Route("reports:report_step", page("reports:report_step", "review", state="submitted"), REVIEW),
    Route("reports:report_step", page("reports:report_step", "review", state="submitted"), REVIEW, method="post",
          data=lambda w: {"decision": "accepted", "comments": "Good."}, ok=(302,)),
    # API
    Route("api:reports-report-list", lambda w: "/api/v1/reports/", VIEW, api=True),
    Route("api:reports-report-list", lambda w: "/api/v1/reports/", WRITE, method="post", api=True, ok=(201,),
          data=lambda w: {"kind": "service_work", "period": previous_month_text(), "estate": w.estate_a.pk}),
    Route("api:reports-report-detail", api(), VIEW, api=True, other=api(estate="b")),
    Route("api:reports-report-submit", api("submit/"), {R.AGENT}, method="post", api=True,
          denied_status=(400, 403), other=api("submit/", estate="b")),
    Route("api:reports-report-regenerate", api("regenerate/"), {R.AGENT}, method="post", api=True,
          denied_status=(400, 403), other=api("regenerate/", estate="b")),
    Route("api:reports-report-texts", api("texts/"), {R.AGENT}, method="patch", api=True,
          data=lambda w: {"texts": {"conclusions": "Revised."}}, denied_status=(400, 403),
          other=api("texts/", estate="b")),
    Route("api:reports-report-review", api("review/", state="submitted"), REVIEW, method="post", api=True,
          data=lambda w: {"decision": "returned", "comments": "More.", "instructions": "Add causes."}),
    Route("api:reports-report-cancel", api("cancel/"), {R.AGENT, R.CS_MANAGER, R.EXECUTIVE, R.ADMIN},
          method="post", api=True, data=lambda w: {"reason": "Duplicate."}, denied_status=(400, 403),
          other=api("cancel/", estate="b")),
    Route("api:reports-kind-detail", kind_url(), VIEW, api=True, other=kind_url("b")),
]

test_matrix = matrix_tests(CASES)
