"""The quality policy (质量方针) and its objectives (质量目标), seed 1.6–1.8.

A policy version is drafted (version = the highest so far + 1), approved by top management (the executive role:
``quality.approve_qualitypolicy``; who and when is recorded), then published; publishing supersedes the version
published before it (one published version at a time, enforced by the database too). Objectives are added and
changed only while their policy is a draft. Hand-measured objectives take dated measurements with evidence files.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as

from ..choices import Metric, PolicyStatus
from ..models import ObjectiveMeasurement, QualityObjective, QualityPolicy
from .common import require
from .files import quality_file_add

__all__ = [
    "POLICY_FIELDS", "OBJECTIVE_FIELDS", "quality_policy_create", "quality_policy_update", "quality_policy_approve",
    "quality_policy_publish", "quality_objective_add", "quality_objective_update", "objective_measurement_record",
    "published_policy",
]

APPROVE_POLICY = "quality.approve_qualitypolicy"
PUBLISH_POLICY = "quality.publish_qualitypolicy"

POLICY_FIELDS = ("title", "statement", "change_note", "document")
OBJECTIVE_FIELDS = ("code", "title", "metric", "comparison", "target", "unit", "estate", "department", "owner",
                    "sort_order", "notes")


def _check(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _locked(policy: QualityPolicy) -> QualityPolicy:
    return QualityPolicy.objects.select_for_update().get(pk=policy.pk)


def _status_error(policy: QualityPolicy) -> ValidationError:
    return ValidationError(_("A policy that is %(status)s cannot take this step.")
                           % {"status": policy.get_status_display()})


def _draft_only(policy: QualityPolicy) -> None:
    if policy.status != PolicyStatus.DRAFT:
        raise ValidationError(_("Only a draft policy can be changed; draft a new version instead."))


def published_policy() -> QualityPolicy | None:
    return QualityPolicy.objects.filter(status=PolicyStatus.PUBLISHED).first()


# --- the policy ---------------------------------------------------------------------------------------------------


@transaction.atomic
def quality_policy_create(*, actor, copy_objectives: bool = False, **fields) -> QualityPolicy:
    """A new draft version (the highest version + 1). With ``copy_objectives`` the objectives of the published
    version are copied into it, to be changed before approval."""
    require(actor, "quality.add_qualitypolicy")
    _check(fields, POLICY_FIELDS)
    source = published_policy() if copy_objectives else None
    if copy_objectives and source is None:
        raise ValidationError({"copy_objectives": _("No policy is published: there are no objectives to copy.")})
    # lock the table's rows so two drafts made at once do not both take the same number (the unique constraint
    # refuses the loser anyway)
    list(QualityPolicy.objects.select_for_update().values_list("pk", flat=True))
    version = (QualityPolicy.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    with acting_as(actor):
        policy = QualityPolicy(version=version, **fields)
        policy.full_clean()
        policy.save()
        copied = 0
        if source is not None:
            for objective in source.objectives.all():
                QualityObjective.objects.create(policy=policy, **{name: getattr(objective, name)
                                                                  for name in OBJECTIVE_FIELDS})
                copied += 1
        audit("quality_policy.create", actor=actor, obj=policy, version=version, copied_from=source.pk
              if source else None, objectives=copied)
    return policy


@transaction.atomic
def quality_policy_update(*, actor, policy: QualityPolicy, **fields) -> QualityPolicy:
    require(actor, "quality.change_qualitypolicy")
    _check(fields, POLICY_FIELDS)
    policy = _locked(policy)
    _draft_only(policy)
    changed = sorted(name for name, value in fields.items() if getattr(policy, name) != value)
    with acting_as(actor):
        for name in changed:
            setattr(policy, name, fields[name])
        policy.full_clean()
        policy.save()
        if changed:
            audit("quality_policy.update", actor=actor, obj=policy, fields=changed)
    return policy


@transaction.atomic
def quality_policy_approve(*, actor, policy: QualityPolicy) -> QualityPolicy:
    """Top management approves a draft with its objectives (approval and date recorded). Only the executive role
    holds the permission: whoever drafted the policy cannot approve it without that role."""
    if actor is None or not actor.has_perm(APPROVE_POLICY):
        raise PermissionDenied(_("Only top management (the executive role) may approve the quality policy."))
    policy = _locked(policy)
    if policy.status != PolicyStatus.DRAFT:
        raise _status_error(policy)
    if not policy.objectives.exists():
        raise ValidationError(_("Add the quality objectives before approving the policy."))
    with acting_as(actor):
        policy.status = PolicyStatus.APPROVED
        policy.approved_by = actor
        policy.approved_on = timezone.localdate()
        policy.save()
        audit("quality_policy.approve", actor=actor, obj=policy, version=policy.version)
    return policy


@transaction.atomic
def quality_policy_publish(*, actor, policy: QualityPolicy) -> QualityPolicy:
    """Publish an approved version; the version published before it is superseded."""
    require(actor, PUBLISH_POLICY)
    policy = _locked(policy)
    if policy.status != PolicyStatus.APPROVED:
        raise ValidationError(_("Only an approved policy can be published: top management approves it first."))
    with acting_as(actor):
        previous = QualityPolicy.objects.select_for_update().filter(status=PolicyStatus.PUBLISHED).first()
        if previous is not None:
            previous.status = PolicyStatus.SUPERSEDED
            previous.save()
            audit("quality_policy.supersede", actor=actor, obj=previous, by_version=policy.version)
        policy.status = PolicyStatus.PUBLISHED
        policy.published_on = timezone.localdate()
        policy.full_clean()
        policy.save()
        audit("quality_policy.publish", actor=actor, obj=policy, version=policy.version,
              supersedes=previous.version if previous else None)
    return policy


# --- objectives ----------------------------------------------------------------------------------------------------


@transaction.atomic
def quality_objective_add(*, actor, policy: QualityPolicy, **fields) -> QualityObjective:
    require(actor, "quality.add_qualityobjective")
    _check(fields, OBJECTIVE_FIELDS)
    policy = _locked(policy)
    if policy.status != PolicyStatus.DRAFT:
        raise ValidationError(_("Objectives are added only while the policy is a draft."))
    with acting_as(actor):
        objective = QualityObjective(policy=policy, **fields)
        objective.full_clean()
        objective.save()
        audit("quality_objective.add", actor=actor, obj=objective, policy=policy.pk, metric=objective.metric)
    return objective


@transaction.atomic
def quality_objective_update(*, actor, objective: QualityObjective, **fields) -> QualityObjective:
    require(actor, "quality.change_qualityobjective")
    _check(fields, OBJECTIVE_FIELDS)
    policy = _locked(objective.policy)
    if policy.status != PolicyStatus.DRAFT:
        raise ValidationError(_("Objectives are changed only while the policy is a draft."))
    objective = QualityObjective.objects.select_for_update().get(pk=objective.pk)
    changed = sorted(name for name, value in fields.items() if getattr(objective, name) != value)
    with acting_as(actor):
        for name in changed:
            setattr(objective, name, fields[name])
        objective.full_clean()
        objective.save()
        if changed:
            audit("quality_objective.update", actor=actor, obj=objective, fields=changed)
    return objective


@transaction.atomic
def objective_measurement_record(*, actor, objective: QualityObjective, period_start, period_end, value,
                                 note: str = "", files=()) -> ObjectiveMeasurement:
    """A hand-measured actual value of an objective for a period, with its evidence files."""
    require(actor, "quality.add_objectivemeasurement")
    objective = QualityObjective.objects.select_related("policy").get(pk=objective.pk)
    if objective.metric != Metric.MANUAL:
        raise ValidationError(_("The actual value of this objective is computed by wuye; it takes no figure "
                                "entered by hand."))
    if objective.policy.status == PolicyStatus.DRAFT:
        raise ValidationError(_("Measure the objectives of an approved or published policy, not of a draft."))
    files = [f for f in (files or ()) if f]
    if files and not actor.has_perm("quality.add_qualityfile"):
        raise PermissionDenied(_("You may not attach files."))
    with acting_as(actor):
        measurement = ObjectiveMeasurement(objective=objective, period_start=period_start, period_end=period_end,
                                           value=value, note=note or "")
        measurement.full_clean()
        measurement.save()
        audit("objective_measurement.record", actor=actor, obj=objective, measurement=measurement.pk,
              value=str(measurement.value), period=f"{period_start}/{period_end}")
        for upload in files:
            quality_file_add(actor=actor, owner=measurement, upload=upload)
    return measurement
