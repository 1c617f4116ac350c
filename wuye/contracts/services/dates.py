"""Dates move a signed contract on: the status its dates call for, a preliminary contract superseded when a
service contract of its estate takes effect, and the expiry alerts; ``refresh`` is the daily job."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.notifications import notify, permission_holders
from wuye.estates.choices import CommitteeStatus

from ..choices import LIVE_STATUSES, ContractKind, ContractStatus, PartyKind, RenewalState
from ..models import Contract, ContractAlert, RenewalTask
from .common import alert_days
from .renewals import renewal_open

# --- dates: status, supersession, alerts ---------------------------------------------------------------------


def status_on(contract: Contract, today: dt.date) -> str:
    """The status the dates call for, for a signed contract that has not been terminated or superseded."""
    if today > contract.valid_to:
        return ContractStatus.EXPIRED
    if today < contract.valid_from:
        return ContractStatus.SIGNED
    if (contract.valid_to - today).days <= alert_days()[0]:
        return ContractStatus.EXPIRING
    return ContractStatus.IN_FORCE


def _apply_dates(contract: Contract, today: dt.date) -> bool:
    """Move one live contract to the status its dates call for; a service contract taking effect supersedes the
    estate's preliminary contracts and closes its renewal task. Returns whether anything changed."""
    new = status_on(contract, today)
    if new == contract.status:
        return False
    took_effect = contract.status == ContractStatus.SIGNED and new != ContractStatus.SIGNED
    old = contract.status
    contract.status = new
    contract.save()
    audit("contract.status", obj=contract, estate_id=contract.estate_id, old=old, new=new, on=str(today))
    if took_effect and contract.kind == ContractKind.SERVICE and contract.estate_id:
        _supersede_preliminary(contract, today)
    return True


def _supersede_preliminary(service: Contract, today: dt.date) -> None:
    for preliminary in Contract.objects.select_for_update().filter(
            estate_id=service.estate_id, kind=ContractKind.PRELIMINARY, status__in=LIVE_STATUSES):
        preliminary.status = ContractStatus.SUPERSEDED
        preliminary.ended_on = max(service.valid_from, preliminary.valid_from)
        preliminary.end_reason = (_("Superseded by %(number)s") % {"number": service.number})[:200]
        preliminary.save()
        audit("contract.supersede", obj=preliminary, estate_id=service.estate_id, by=service.number)
    tasks = RenewalTask.objects.select_for_update().filter(estate_id=service.estate_id, state=RenewalState.OPEN)
    if service.party_kind == PartyKind.COMMITTEE:
        tasks = tasks.filter(Q(committee_id=service.party_committee_id) | Q(committee__status=CommitteeStatus.ENDED))
    for task in tasks:
        task.state = RenewalState.DONE
        task.closed_on = today
        task.new_contract = service
        task.save()
        audit("contract.renewal_done", obj=task.contract, estate_id=task.estate_id, task=task.pk,
              by=service.number)


def _alert(contract: Contract, today: dt.date, managers: list, *, email: bool = True) -> int:
    """Record every threshold the contract has reached; tell its owner and the managers of the nearest one
    newly reached (a contract signed 45 days before its end gets the 60-day alert once, not 90 and 60)."""
    days_left = (contract.valid_to - today).days
    reached = [d for d in alert_days() if days_left <= d]
    if not reached or days_left < 0:
        return 0
    done = set(contract.alerts.values_list("days_before", flat=True))
    new = [d for d in reached if d not in done]
    if not new:
        return 0
    nearest = min(new)
    owner = contract.owner.user if contract.owner_id and contract.owner.user_id else None
    recipients = [u for u in (*managers, owner) if u is not None]
    sent = notify(recipients, key=f"contract:{contract.pk}:expiry:{nearest}", level="warning", email=email,
                  title=_("Contract ends in %(days)s days: %(number)s") % {"days": days_left,
                                                                         "number": contract.number},
                  body=_("%(title)s (%(party)s) is valid until %(end)s.") % {
                      "title": contract.title, "party": contract.party_name, "end": f"{contract.valid_to:%Y-%m-%d}"},
                  url=contract.get_absolute_url())
    ContractAlert.objects.bulk_create([ContractAlert(contract=contract, days_before=d,
                                                     recipients=len(sent) if d == nearest else 0) for d in new],
                                      ignore_conflicts=True)
    return len(sent)


def refresh(*, today: dt.date | None = None, email: bool = True) -> dict:
    """The daily job (idempotent): statuses by date, supersession of preliminary contracts, renewal tasks for
    committees formed before a preliminary contract was signed, and expiry alerts to each contract's owner and
    the managers (in-app, and by email unless ``email`` is false: the demo data's). Returns what it did."""
    today = today or timezone.localdate()
    counts = {"status": 0, "alerts": 0, "renewals": 0}
    live = Contract.objects.filter(status__in=LIVE_STATUSES).order_by("valid_from", "pk")
    with transaction.atomic():
        # signed service contracts first, so a preliminary they supersede does not expire the same day
        for contract in live.select_for_update().filter(kind=ContractKind.SERVICE):
            counts["status"] += _apply_dates(contract, today)
        for contract in live.select_for_update().exclude(kind=ContractKind.SERVICE):
            counts["status"] += _apply_dates(contract, today)
    from wuye.estates.models import OwnersCommittee

    for committee in OwnersCommittee.objects.filter(
            status=CommitteeStatus.ACTIVE, estate__contracts__kind=ContractKind.PRELIMINARY,
            estate__contracts__status__in=LIVE_STATUSES).distinct():
        with transaction.atomic():
            counts["renewals"] += renewal_open(committee=committee) is not None
    managers = permission_holders("contracts.receive_contract_alerts")
    for contract in Contract.objects.filter(status__in=LIVE_STATUSES, valid_to__lte=today + dt.timedelta(
            days=alert_days()[0])).select_related("owner__user"):
        with transaction.atomic():
            counts["alerts"] += _alert(contract, today, managers, email=email)
    return counts
