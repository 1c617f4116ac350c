"""The incident services: the whole workflow, the corrective action in the quality app, files, and bad input
refused with a clear message and nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from wuye.core.models import AuditEvent
from wuye.documents.tests.factories import text_file
from wuye.incidents import services
from wuye.incidents.choices import IncidentStatus
from wuye.incidents.models import Incident, IncidentFile
from wuye.quality.choices import ActionSource
from wuye.quality.models import CorrectiveAction

from .factories import advance, incident, kind, report_fields, reported, scoped_user

pytestmark = pytest.mark.django_db


def _snapshot():
    return (list(Incident.objects.order_by("pk").values_list(
        "pk", "status", "title", "occurred_at", "estate_id", "investigator_id", "cause", "reviewer_id",
        "review_comment", "closed_at", "withdrawn_reason", "corrective_action_id")),
        CorrectiveAction.objects.count(), IncidentFile.objects.count())


def _refused(call, *, field=None, message=None):
    """``call()`` raises a ValidationError (on ``field``, containing ``message`` in English) and changes nothing."""
    before = _snapshot()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        call()
    if field is not None:
        assert field in caught.value.message_dict, caught.value
    if message is not None:
        assert any(message in m for m in caught.value.messages), caught.value.messages
    assert _snapshot() == before
    return caught.value


# --- the report ----------------------------------------------------------------------------------------------------


def test_report_numbers_by_year_and_records_the_reporter(world):
    first = reported(world)
    second = reported(world, title="第二起")
    year = timezone.localdate().year
    assert first.number == f"SG-{year}-001"
    assert second.number == f"SG-{year}-002"
    assert first.status == IncidentStatus.REPORTED
    assert first.reported_by == world.users["agent"]
    assert first.created_by == world.users["agent"]
    assert first.loss_amount == Decimal("860.00")
    assert AuditEvent.objects.filter(event_type="incident.report", object_id=str(first.pk)).exists()


def test_report_in_the_future_is_refused(world):
    future = timezone.now() + dt.timedelta(hours=2)
    _refused(lambda: reported(world, occurred_at=future), field="occurred_at", message="future")
    assert Incident.objects.count() == 0


def test_report_for_an_estate_the_reporter_does_not_serve_is_refused(world):
    # the agent serves estate A only
    _refused(lambda: services.incident_report(actor=world.users["agent"],
                                              **report_fields(world, estate=world.estate_b)),
             field="estate", message="do not serve")


def test_report_with_a_phone_number_among_the_people_is_refused(world):
    for text in ("王女士 13812345678", "王女士 138-1234-5678", "王女士 138 1234 5678"):
        _refused(lambda text=text: reported(world, people_involved=text), field="people_involved",
                 message="phone")
    # a room number or a date is not a phone number
    assert reported(world, people_involved="3号楼1201室业主，2026年11月").pk


def test_report_of_a_retired_kind_is_refused(world):
    retired = kind("other")
    retired.is_active = False
    retired.save()
    _refused(lambda: reported(world, kind=retired), field="kind")


def test_report_needs_the_permission(world):
    with pytest.raises(PermissionDenied):
        services.incident_report(actor=world.users["document_controller"], **report_fields(world))
    with pytest.raises(PermissionDenied):
        services.incident_report(actor=world.users["quality_auditor"], **report_fields(world))
    assert Incident.objects.count() == 0


def test_missing_fields_are_refused_by_field(world):
    err = _refused(lambda: reported(world, description="  ", place=""))
    assert {"description", "place"} <= set(err.message_dict)


def test_update_corrects_the_report_until_the_investigation_is_recorded(world):
    item = reported(world)
    services.incident_update(actor=world.users["cs_manager"], incident=item, place="3号楼门厅", injured_count=2)
    item.refresh_from_db()
    assert (item.place, item.injured_count) == ("3号楼门厅", 2)
    advance(world, item, "investigated")
    item.refresh_from_db()
    _refused(lambda: services.incident_update(actor=world.users["cs_manager"], incident=item, place="别处"),
             message="corrected only until")


# --- the workflow ----------------------------------------------------------------------------------------------------


def test_whole_workflow(world):
    manager = world.users["cs_manager"]
    item = reported(world)
    item = services.incident_start_investigation(actor=manager, incident=item)
    assert item.status == IncidentStatus.INVESTIGATING and item.investigator == manager
    item = services.incident_record_investigation(actor=manager, incident=item, cause=" 地面湿滑 ",
                                                  responsibility="保洁班组")
    assert item.status == IncidentStatus.INVESTIGATED
    assert (item.cause, item.responsibility) == ("地面湿滑", "保洁班组")
    assert item.investigated_at is not None
    item = services.incident_review(actor=manager, incident=item, comment="同意", instructions="培训")
    assert item.status == IncidentStatus.REVIEWED
    assert (item.reviewer, item.review_comment, item.review_instructions) == (manager, "同意", "培训")
    item = services.incident_close(actor=manager, incident=item)
    assert item.status == IncidentStatus.CLOSED and item.closed_by == manager
    events = set(AuditEvent.objects.filter(object_id=str(item.pk)).values_list("event_type", flat=True))
    assert {"incident.report", "incident.investigate", "incident.investigated", "incident.review",
            "incident.close"} <= events


def test_investigation_recorded_straight_from_reported(world):
    item = services.incident_record_investigation(actor=world.users["cs_manager"], incident=reported(world),
                                                  cause="原因", responsibility="责任")
    assert item.status == IncidentStatus.INVESTIGATED
    assert item.investigator == world.users["cs_manager"] and item.investigation_started_at is not None


def test_investigation_needs_cause_and_responsibility(world):
    item = reported(world)
    err = _refused(lambda: services.incident_record_investigation(actor=world.users["cs_manager"], incident=item,
                                                                  cause=" ", responsibility=""))
    assert {"cause", "responsibility"} <= set(err.message_dict)


def test_agent_may_not_investigate_review_or_close(world):
    item = reported(world)
    for call in (lambda: services.incident_start_investigation(actor=world.users["agent"], incident=item),
                 lambda: services.incident_withdraw(actor=world.users["agent"], incident=item, reason="x")):
        with pytest.raises(PermissionDenied):
            call()
    advance(world, item, "investigated")
    with pytest.raises(PermissionDenied):
        services.incident_review(actor=world.users["agent"], incident=item, comment="好")
    assert Incident.objects.get(pk=item.pk).status == IncidentStatus.INVESTIGATED


def test_the_reporter_may_not_review(world):
    item = reported(world, reporter="cs_manager")
    advance(world, item, "investigated")
    item.refresh_from_db()
    _refused(lambda: services.incident_review(actor=world.users["cs_manager"], incident=item, comment="同意"),
             message="You reported this incident")
    # someone else (the administrator) may, and the investigator may too
    services.incident_review(actor=world.users["admin"], incident=item, comment="同意")
    assert Incident.objects.get(pk=item.pk).reviewer == world.users["admin"]


def test_the_investigator_may_review(world):
    item = advance(world, reported(world), "investigated")
    assert item.investigator == world.users["cs_manager"]
    services.incident_review(actor=world.users["cs_manager"], incident=item, comment="同意")
    assert Incident.objects.get(pk=item.pk).status == IncidentStatus.REVIEWED


def test_review_before_the_investigation_and_without_a_comment_are_refused(world):
    manager = world.users["cs_manager"]
    item = reported(world)
    _refused(lambda: services.incident_review(actor=manager, incident=item, comment="同意"),
             message="after its investigation")
    advance(world, item, "investigated")
    item.refresh_from_db()
    _refused(lambda: services.incident_review(actor=manager, incident=item, comment="  "), field="comment")


@pytest.mark.parametrize("state", ["reported", "investigating", "investigated"])
def test_closing_without_a_review_is_refused(world, state):
    item = incident(world, state)
    _refused(lambda: services.incident_close(actor=world.users["cs_manager"], incident=item),
             message="only after the manager's review")


def test_withdraw_needs_a_reason_and_ends_the_workflow(world):
    manager = world.users["cs_manager"]
    item = reported(world)
    _refused(lambda: services.incident_withdraw(actor=manager, incident=item, reason=" "), field="reason")
    item = services.incident_withdraw(actor=manager, incident=item, reason="重复报告")
    assert item.status == IncidentStatus.WITHDRAWN and item.withdrawn_reason == "重复报告"
    for call in (lambda: services.incident_start_investigation(actor=manager, incident=item),
                 lambda: services.incident_withdraw(actor=manager, incident=item, reason="再次"),
                 lambda: services.incident_raise_action(actor=manager, incident=item)):
        _refused(call, message="cannot take this step")


def test_a_reviewed_incident_can_no_longer_be_withdrawn(world):
    item = incident(world, "reviewed")
    _refused(lambda: services.incident_withdraw(actor=world.users["cs_manager"], incident=item, reason="x"),
             message="cannot take this step")


def test_out_of_scope_estate_is_refused(world):
    item = incident(world, "reported", estate="b")
    narrow = scoped_user(world)
    with pytest.raises(PermissionDenied):
        services.incident_start_investigation(actor=narrow, incident=item)
    assert Incident.objects.get(pk=item.pk).status == IncidentStatus.REPORTED
    # reporting for estate B: a field error, nothing created
    _refused(lambda: services.incident_report(actor=narrow, **report_fields(world, estate=world.estate_b)),
             field="estate")


# --- corrective action and files -------------------------------------------------------------------------------------


def test_raise_action_creates_one_corrective_action_in_the_quality_app(world):
    item = incident(world, "investigated")
    action = services.incident_raise_action(actor=world.users["cs_manager"], incident=item)
    item.refresh_from_db()
    assert item.corrective_action == action
    assert action.source == ActionSource.INCIDENT
    assert action.source_reference == item.number
    assert action.estate == world.estate_a
    assert item.number in action.title and "未放置警示牌" in action.description
    assert action.immediate_correction == item.immediate_measures
    assert action.number.startswith("CA-")
    _refused(lambda: services.incident_raise_action(actor=world.users["cs_manager"], incident=item),
             message="already has a corrective action")
    assert CorrectiveAction.objects.filter(source_reference=item.number).count() == 1


def test_raise_action_needs_the_review_permission(world):
    item = incident(world, "investigated")
    for role in ("agent", "quality_auditor", "executive"):
        with pytest.raises(PermissionDenied):
            services.incident_raise_action(actor=world.users[role], incident=item)
    assert CorrectiveAction.objects.count() == 0


def test_files_are_attached_and_kept(world):
    item = reported(world)
    stored = services.incident_add_file(actor=world.users["agent"], incident=item,
                                        upload=text_file("现场情况说明", "说明.txt"))
    assert stored.incident == item and stored.name == "说明.txt" and len(stored.sha256) == 64
    assert AuditEvent.objects.filter(event_type="incident.file").count() == 1
    with pytest.raises(PermissionDenied):
        services.incident_add_file(actor=world.users["quality_auditor"], incident=item, upload=text_file())


def test_default_kinds_exist_once(world):
    services.ensure_default_kinds()
    services.ensure_default_kinds()
    from wuye.incidents.models import IncidentKind

    codes = list(IncidentKind.objects.values_list("code", flat=True))
    assert sorted(codes) == sorted(["injury", "property", "equipment", "fire", "flood", "security", "other"])
    assert IncidentKind.objects.get(code="fire").name == "火情"


def test_daily_reminder_of_incidents_open_30_days_is_sent_once(world):
    from io import StringIO

    from django.core.management import call_command

    from wuye.core.models import Notification

    old = reported(world)
    recent = reported(world, title="近期事故")
    done = incident(world, "closed")
    Incident.objects.filter(pk__in=[old.pk, done.pk]).update(reported_at=timezone.now() - dt.timedelta(days=31))
    Notification.objects.all().delete()
    sent = services.incidents_remind()
    keys = set(Notification.objects.values_list("key", flat=True))
    assert keys == {f"incident:{old.pk}:open30"}
    # the managers (cs_manager, admin) receive it, not the agent
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"t_cs_manager", "t_admin"}
    assert sent == 2
    out = StringIO()
    call_command("incidents_remind", stdout=out)
    assert services.incidents_remind() == 0
    assert Notification.objects.count() == 2
    assert recent.pk not in {int(k.split(":")[1]) for k in keys}
