"""Incidents in each state, made through the services as the world's users would."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wuye.incidents import services
from wuye.incidents.choices import Severity
from wuye.incidents.models import Incident, IncidentKind


def kind(code: str = "injury") -> IncidentKind:
    services.ensure_default_kinds()
    return IncidentKind.objects.get(code=code)


def report_fields(w, **changes) -> dict:
    fields = {"title": "业主在大堂滑倒", "occurred_at": timezone.now() - dt.timedelta(hours=3), "place": "3号楼大堂",
              "estate": w.estate_a, "kind": kind(), "severity": Severity.SERIOUS,
              "people_involved": "业主王女士", "description": "雨天地面湿滑，业主滑倒。", "injured_count": 1,
              "injuries": "手腕扭伤", "losses": "医药费", "loss_amount": "860.00",
              "immediate_measures": "放置警示牌，陪同就医。"}
    fields.update(changes)
    return fields


def reported(w, estate: str = "a", reporter: str = "agent", **changes) -> Incident:
    place = w.estate_b if estate == "b" else w.estate_a
    return services.incident_report(actor=w.users[reporter], **report_fields(w, estate=place, **changes))


def advance(w, incident: Incident, state: str, actor: str = "cs_manager") -> Incident:
    """Take ``incident`` (reported) to ``state`` as ``actor`` (the manager by default)."""
    user = w.users[actor]
    if state == "reported":
        return incident
    if state == "withdrawn":
        return services.incident_withdraw(actor=user, incident=incident, reason="重复报告")
    incident = services.incident_start_investigation(actor=user, incident=incident)
    if state == "investigating":
        return incident
    incident = services.incident_record_investigation(actor=user, incident=incident, cause="未放置警示牌",
                                                      responsibility="保洁班组")
    if state == "investigated":
        return incident
    incident = services.incident_review(actor=user, incident=incident, comment="同意", instructions="培训保洁员")
    if state == "reviewed":
        return incident
    assert state == "closed", state
    return services.incident_close(actor=user, incident=incident)


def incident(w, state: str = "reported", estate: str = "a") -> Incident:
    """An incident of estate A reported by the agent (of estate B: by the administrator, as the agent serves
    estate A only), taken to ``state`` by the manager."""
    item = reported(w, estate=estate, reporter="agent" if estate == "a" else "admin")
    item = advance(w, item, state)
    item.refresh_from_db()
    return item


def scoped_user(w, role: str = "cs_manager"):
    """Someone with ``role``'s permissions who serves estate A only: the role's group without
    ``core.view_all_estates`` (the test world's managers see every estate)."""
    from django.contrib.auth.models import Group

    from wuye.core.scope import ALL_ESTATES_PERMISSION
    from wuye.org.tests.factories import StaffFactory, UserFactory

    app_label, codename = ALL_ESTATES_PERMISSION.split(".")
    group, created = Group.objects.get_or_create(name=f"{role}_estate_a")
    if created:
        group.permissions.set(Group.objects.get(name=role).permissions.exclude(
            content_type__app_label=app_label, codename=codename))
    user = UserFactory(username=f"t_{role}_estate_a")
    user.groups.set([group])
    StaffFactory(user=user, post=w.post, estates=[w.estate_a])
    assert user.has_perm("incidents.view_incident") and not user.has_perm(ALL_ESTATES_PERMISSION)
    return user
