"""Renewal tasks (续签, seed 2.10): an owners' committee formed for an estate on a preliminary contract."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.notifications import notify, permission_holders
from wuye.estates.choices import CommitteeStatus

from ..choices import IN_FORCE_STATUSES, LIVE_STATUSES, ContractKind, RenewalState
from ..models import Contract, RenewalTask
from .common import _in_scope, _require

# --- renewal tasks (seed 2.10: the committee is formed, the contract is renewed with it) -------------------------


def _preliminary_in_force(estate_id: int):
    return Contract.objects.filter(estate_id=estate_id, kind=ContractKind.PRELIMINARY,
                                   status__in=LIVE_STATUSES).order_by("-valid_from").first()


def renewal_open(*, committee, actor=None) -> RenewalTask | None:
    """Open the renewal task for ``committee``'s estate when it runs on a preliminary contract and has no service
    contract in force with the committee; at most one open task per estate. Returns the task opened, if any."""
    if committee.status != CommitteeStatus.ACTIVE:
        return None
    preliminary = _preliminary_in_force(committee.estate_id)
    if preliminary is None:
        return None
    served = Contract.objects.filter(estate_id=committee.estate_id, kind=ContractKind.SERVICE,
                                     party_committee=committee, status__in=IN_FORCE_STATUSES).exists()
    if served or RenewalTask.objects.filter(estate_id=committee.estate_id, state=RenewalState.OPEN).exists():
        return None
    with acting_as(actor):
        task = RenewalTask(estate_id=committee.estate_id, contract=preliminary, committee=committee)
        task.full_clean()
        task.save()
        audit("contract.renewal_open", actor=actor, obj=preliminary, estate_id=committee.estate_id,
              committee=committee.pk, task=task.pk)
    recipients = permission_holders("contracts.change_contract")
    if preliminary.owner_id and preliminary.owner.user_id:
        recipients.append(preliminary.owner.user)
    notify(recipients, key=f"contract:renewal:{task.pk}", level="warning",
           title=_("Renew with the owners' committee: %(estate)s") % {"estate": preliminary.estate},
           body=_("%(committee)s has been formed; %(number)s is a preliminary contract. Sign a service contract "
                  "with the committee.") % {"committee": committee, "number": preliminary.number},
           url=preliminary.get_absolute_url())
    return task


@transaction.atomic
def renewal_cancel(*, actor, task: RenewalTask, reason: str) -> RenewalTask:
    """An open renewal task that no longer applies (the committee was dissolved, the estate exited)."""
    _require(actor, "contracts.change_renewaltask")
    _in_scope(actor, task.estate_id)
    task = RenewalTask.objects.select_for_update().get(pk=task.pk)
    if task.state != RenewalState.OPEN:
        raise ValidationError(_("This renewal task is already closed."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the task is cancelled.")})
    with acting_as(actor):
        task.state = RenewalState.CANCELLED
        task.closed_on = timezone.localdate()
        task.note = reason.strip()[:200]
        task.save()
        audit("contract.renewal_cancel", actor=actor, obj=task.contract, estate_id=task.estate_id, task=task.pk)
    return task
