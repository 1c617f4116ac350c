"""The report centre's services: the whole workflow and every refusal (nothing changed).

The kinds' builders are replaced by ``fake_build`` (``fake_kinds``): the framework is tested on its own; the real
builders have their own tests (``test_kind_*.py``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from wuye.core.models import AuditEvent, Notification
from wuye.reports import services
from wuye.reports.choices import ReportStatus
from wuye.reports.kinds import KINDS
from wuye.reports.models import Report, ReportReview, ReportVersion
from wuye.reports.periods import parse_period, period_text, previous_month_text
from wuye.tickets.reports import period_for

FIGURES = {"received": 12}
CALLS: list[dict] = []


def fake_build(*, period, estate_ids, department) -> dict:
    """A builder following the contract: one section with figures, a table, a chart and a note."""
    CALLS.append({"period": period, "estate_ids": estate_ids, "department": department})
    return {"title": f"Test report {period.start:%Y-%m}", "sections": [
        {"key": "volumes", "title": "Volumes",
         "figures": [{"key": "received", "label": "Received", "value": FIGURES["received"], "unit": "",
                      "url": "/tickets/?kind=complaint"},
                     {"key": "rate", "label": "Resolved on time", "value": 95.5, "unit": "%"},
                     {"key": "missing", "label": "No data", "value": None, "unit": "%"}],
         "tables": [{"key": "by_estate", "title": "By estate", "columns": ["Estate", "Received"],
                     "rows": [["丽景园", 7], ["翠湖苑", None]]}],
         "chart": {"type": "bar", "x": ["2026-09", "2026-10"], "series": [{"name": "Received", "data": [3, 4]}]},
         "notes": ["Counted by the day received."]},
        {"key": "staff", "title": "By staff", "figures": [], "tables": [
            {"key": "staff", "title": "Staff", "columns": ["Name", "Tickets"], "rows": [["张三", 5]]}]},
    ]}


@pytest.fixture
def fake_kinds(monkeypatch):
    for kind, spec in list(KINDS.items()):
        monkeypatch.setitem(KINDS, kind, dataclasses.replace(spec, builder=f"{__name__}.fake_build"))
    monkeypatch.setitem(FIGURES, "received", 12)
    CALLS.clear()
    return FIGURES


def last_month():
    return previous_month_text()


def generate(world, role="agent", kind="service_work", period=None, estate="a", **kwargs):
    estate_obj = {"a": world.estate_a, "b": world.estate_b, None: None}[estate]
    return services.report_generate(actor=world.users[role], kind=kind, period=period or last_month(),
                                    estate=estate_obj, **kwargs)


def submitted(world, role="agent", **kwargs):
    report = generate(world, role, **kwargs)
    services.report_update_texts(actor=world.users[role], report=report, texts={"conclusions": "All well."})
    return services.report_submit(actor=world.users[role], report=report)


def messages(exc) -> str:
    return " ".join(exc.value.messages)


def snapshot(report: Report):
    report.refresh_from_db()
    return (report.status, report.current_version, report.versions.count(), report.reviews.count(),
            [(v.number, v.texts, v.submitted_at) for v in report.versions.order_by("number")])


# --- the workflow ------------------------------------------------------------------------------------------------


def test_full_workflow(world, fake_kinds):
    agent, manager = world.users["agent"], world.users["cs_manager"]
    report = generate(world)
    assert (report.status, report.current_version, report.author) == (ReportStatus.DRAFT, 1, agent)
    assert report.estate == world.estate_a and report.department == world.department
    assert period_text(report.period) == last_month() and report.period_kind == "month"
    v1 = report.version()
    assert v1.content["sections"][0]["figures"][0]["value"] == 12
    assert v1.texts == {"conclusions": "", "next_steps": ""}
    assert CALLS[-1]["estate_ids"] == [world.estate_a.pk] and CALLS[-1]["department"] == world.department
    assert AuditEvent.objects.filter(event_type="report.generate", object_id=str(report.pk)).exists()

    # the author writes; a draft version is changed in place
    version = services.report_update_texts(actor=agent, report=report, texts={"conclusions": "Fewer complaints."})
    assert version.number == 1 and version.texts["conclusions"] == "Fewer complaints."
    services.report_submit(actor=agent, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at is not None
    assert report.version().submitted_at is not None
    assert Notification.objects.filter(recipient=manager, key=f"reports.submitted.{report.pk}.1").exists()
    assert not Notification.objects.filter(recipient=agent, key__startswith="reports.submitted").exists()

    # returned with instructions: back to the author
    review = services.report_review(actor=manager, report=report, decision="returned", comments="Too short.",
                                    instructions="Add the by-estate analysis.")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and review.version.number == 1
    note = Notification.objects.get(recipient=agent, key=f"reports.reviewed.{review.pk}")
    assert "Add the by-estate analysis." in note.body

    # the next edit makes version 2; version 1 stays as submitted
    version = services.report_update_texts(actor=agent, report=report, texts={"conclusions": "Longer analysis."})
    report.refresh_from_db()
    assert version.number == 2 and report.current_version == 2 and report.status == ReportStatus.DRAFT
    assert ReportVersion.objects.get(report=report, number=1).texts["conclusions"] == "Fewer complaints."
    assert version.content == ReportVersion.objects.get(report=report, number=1).content

    # regenerate: fresh figures, texts carried over
    fake_kinds["received"] = 20
    version = services.report_regenerate(actor=agent, report=report)
    assert version.number == 3
    assert version.content["sections"][0]["figures"][0]["value"] == 20
    assert version.texts["conclusions"] == "Longer analysis."

    services.report_submit(actor=agent, report=report)
    services.report_review(actor=manager, report=report, decision="accepted", comments="Good.")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.current_version == 3
    assert list(report.reviews.order_by("reviewed_at", "id").values_list("decision", "version__number")) == [
        ("returned", 1), ("accepted", 3)]

    # accepted is final
    before = snapshot(report)
    for call in (lambda: services.report_update_texts(actor=agent, report=report, texts={"conclusions": "x"}),
                 lambda: services.report_regenerate(actor=agent, report=report),
                 lambda: services.report_submit(actor=agent, report=report),
                 lambda: services.report_cancel(actor=manager, report=report, reason="no")):
        with pytest.raises(ValidationError):
            call()
    assert snapshot(report) == before


def test_self_review_refused_nothing_changed(world, fake_kinds):
    manager = world.users["cs_manager"]
    report = submitted(world, "cs_manager")
    before = snapshot(report)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.report_review(actor=manager, report=report, decision="accepted", comments="Fine by me.")
    assert "You cannot review your own report." in messages(exc)
    assert snapshot(report) == before and not ReportReview.objects.exists()
    # someone else may
    services.report_review(actor=world.users["executive"], report=report, decision="accepted", comments="OK")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_future_period_refused(world, fake_kinds):
    today = timezone.localdate()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        generate(world, period=str(today.year + 1))
    assert "future" in messages(exc) and exc.value.error_dict.keys() == {"period"}
    next_month = period_for("month", (today.replace(day=1) + dt.timedelta(days=32)))
    with pytest.raises(ValidationError):
        generate(world, period=next_month)
    assert not Report.objects.exists() and not CALLS
    # the current month (to date) is allowed
    assert generate(world, period=period_text(period_for("month", today))).pk


def test_duplicate_refused_until_cancelled(world, fake_kinds):
    first = generate(world)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        generate(world, role="cs_manager")
    assert "already exists" in messages(exc) and "open it" in messages(exc)
    assert Report.objects.count() == 1
    # another estate or period is another report
    assert generate(world, role="cs_manager", estate="b").pk
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.report_cancel(actor=world.users["agent"], report=first, reason="  ")
    assert exc.value.error_dict.keys() == {"reason"}
    services.report_cancel(actor=world.users["agent"], report=first, reason="Wrong estate data")
    first.refresh_from_db()
    assert first.status == ReportStatus.CANCELLED and first.cancel_reason == "Wrong estate data"
    again = generate(world)
    assert again.pk != first.pk and Report.objects.filter(status="cancelled").count() == 1


def test_estate_scope(world, fake_kinds):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        generate(world, estate="b")
    assert exc.value.error_dict.keys() == {"estate"} and "You do not serve" in messages(exc)
    with pytest.raises(ValidationError) as exc:  # "all estates" is only for those who see all
        generate(world, estate=None)
    assert exc.value.error_dict.keys() == {"estate"}
    assert not Report.objects.exists()
    report = generate(world, role="cs_manager", estate=None)
    assert report.estate is None and CALLS[-1]["estate_ids"] is None
    # the agent cannot act on a report of all estates (not theirs to see)
    with pytest.raises(PermissionDenied):
        services.report_cancel(actor=world.users["agent"], report=report, reason="x")


def test_kind_period_and_permission_rules(world, fake_kinds):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        generate(world, kind="nonsense")
    assert exc.value.error_dict.keys() == {"kind"}
    year = str(timezone.localdate().year - 1)
    with pytest.raises(ValidationError) as exc:  # the work summary covers a year
        generate(world, role="executive", kind="work_summary", estate=None)
    assert exc.value.error_dict.keys() == {"period"}
    summary = generate(world, role="executive", kind="work_summary", period=year, estate=None)
    assert summary.period_kind == "year" and summary.period_start == dt.date(int(year), 1, 1)
    with pytest.raises(PermissionDenied):
        generate(world, role="agent", kind="work_summary", period=year)
    with pytest.raises(PermissionDenied):
        generate(world, role="agent", kind="archives")
    assert generate(world, role="document_controller", kind="archives", estate=None).pk
    with pytest.raises(PermissionDenied):
        generate(world, role="quality_auditor", estate=None)
    with pytest.raises(PermissionDenied):
        generate(world, role="resident")
    # the budget is the department's: no estate, and only for those who see every estate
    budget = generate(world, role="cs_manager", kind="budget", estate="a")
    assert budget.estate is None and CALLS[-1]["estate_ids"] is None
    with pytest.raises(ValidationError):
        generate(world, role="agent", kind="budget")


def test_author_only_and_conclusions_required(world, fake_kinds):
    agent, manager = world.users["agent"], world.users["cs_manager"]
    report = generate(world)
    before = snapshot(report)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.report_submit(actor=agent, report=report)
    assert exc.value.error_dict.keys() == {"conclusions"}
    for call in (lambda: services.report_update_texts(actor=manager, report=report, texts={"conclusions": "x"}),
                 lambda: services.report_submit(actor=manager, report=report),
                 lambda: services.report_regenerate(actor=manager, report=report)):
        with translation.override("en"), pytest.raises(ValidationError) as exc:
            call()
        assert "Only the author" in messages(exc)
    with pytest.raises(ValidationError):
        services.report_update_texts(actor=agent, report=report, texts={"secret": "x"})
    with pytest.raises(ValidationError):  # a draft is not reviewed
        services.report_review(actor=manager, report=report, decision="accepted", comments="x")
    with pytest.raises(PermissionDenied):  # agents do not review
        services.report_review(actor=agent, report=report, decision="accepted", comments="x")
    assert snapshot(report) == before


def test_review_needs_decision_and_comments(world, fake_kinds):
    report = submitted(world)
    manager = world.users["cs_manager"]
    before = snapshot(report)
    with pytest.raises(ValidationError) as exc:
        services.report_review(actor=manager, report=report, decision="accepted", comments=" ")
    assert exc.value.error_dict.keys() == {"comments"}
    with pytest.raises(ValidationError) as exc:
        services.report_review(actor=manager, report=report, decision="maybe", comments="x")
    assert exc.value.error_dict.keys() == {"decision"}
    assert snapshot(report) == before


def test_resubmitting_a_returned_report_unchanged_makes_a_new_version(world, fake_kinds):
    report = submitted(world)
    services.report_review(actor=world.users["cs_manager"], report=report, decision="returned", comments="Redo")
    services.report_submit(actor=world.users["agent"], report=report)
    report.refresh_from_db()
    assert report.current_version == 2 and report.status == ReportStatus.SUBMITTED
    assert all(v.submitted_at for v in report.versions.all())


def test_preview_saves_nothing(world, fake_kinds):
    content = services.preview(actor=world.users["quality_auditor"], kind="incidents", period=last_month())
    assert content["sections"][0]["key"] == "volumes" and not Report.objects.exists()
    with pytest.raises(ValidationError):
        services.preview(actor=world.users["agent"], kind="incidents", period=last_month(), estate=world.estate_b)
    with pytest.raises(PermissionDenied):
        services.preview(actor=world.users["resident"], kind="incidents", period=last_month())


def test_period_text_round_trip():
    for text in ("2025-01", "2025-Q4", "2024"):
        assert period_text(parse_period(text)) == text
