"""Writing audit events. Services call ``audit()``; rows are never changed or deleted."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from . import context
from .models import AuditEvent


def _estate_id_of(obj) -> int | None:
    if obj is None:
        return None
    if obj._meta.label_lower == "estates.estate":
        return obj.pk
    path = getattr(type(obj), "scope_estate", None)
    if not path or path == "pk":
        return None
    value = obj
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
        if hasattr(value, "all"):  # a to-many relation: no single estate
            return None
    return getattr(value, "pk", None)


def audit(event_type: str, *, actor=None, obj=None, estate_id: int | None = None, **data) -> AuditEvent:
    """Append one audit event. ``actor`` defaults to the user acting in the current request or service."""
    ctx = context.current()
    if actor is None:
        actor = context.current_user()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        event_type=event_type,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        estate_id=estate_id if estate_id is not None else _estate_id_of(obj),
        data=data,
        ip=ctx.ip if ctx else None,
        user_agent=ctx.user_agent if ctx else "",
    )


def audit_objects(event_type: str, objects, *, actor=None, **data) -> list[AuditEvent]:
    """One audit event per object, written in one statement (e.g. a list of revealed records)."""
    ctx = context.current()
    if actor is None:
        actor = context.current_user()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    events = [
        AuditEvent(actor=actor, event_type=event_type, content_type=ContentType.objects.get_for_model(obj),
                   object_id=str(obj.pk), object_repr=str(obj)[:200], estate_id=_estate_id_of(obj), data=data,
                   ip=ctx.ip if ctx else None, user_agent=ctx.user_agent if ctx else "")
        for obj in objects
    ]
    return AuditEvent.objects.bulk_create(events)


def record_login(sender, request, user, **kwargs):
    with context.acting_as(user):
        audit("auth.login", actor=user)


def record_login_failed(sender, credentials, request=None, **kwargs):
    audit("auth.login_failed", username=str(credentials.get("username", ""))[:150])
